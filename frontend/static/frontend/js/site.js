/* Tangkas: small progressive enhancements. Every page works without this file: the forms
   have submit buttons and the links are plain links. */
(function () {
  "use strict";
  // Selects marked data-autosubmit send their form as soon as a choice is made.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); }
    });
  });
  // Copy buttons for share links (hidden unless the clipboard can be used).
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          button.textContent = button.getAttribute("data-copied") || label;
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }
  // Share links: select the whole URL on focus so it can be copied by hand.
  document.querySelectorAll(".share-field input[readonly]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
