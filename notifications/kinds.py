"""The registry of notification kinds: what each says, to whom, whether it mails by default,
and how often it may come (its period, which is the ``key`` of ``Notification``).

A kind's text is written here once, as a subject line and a sentence built from the
notification's ``params``; the in-app list, the single mail and the digest all use it, each
in its reader's language (``translation.override``).

A kind that nothing sends yet is registered with ``wired=False``, so the settings page, the
mails and the tests can take it as soon as its app announces it. The AKPK workflow's steps
(``akpk_action``) are sent by ``planning.signals.akpk_transitioned``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


@dataclass(frozen=True)
class Kind:
    code: str
    title: Any  # lazy text
    who: Any  # lazy text: who receives it
    email_default: bool
    period: Any  # lazy text: how often at most
    subject: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any]], str]
    wired: bool = True


def _evidence_subject(p: dict[str, Any]) -> str:
    return _("Evidence waits for your validation")


def _evidence_body(p: dict[str, Any]) -> str:
    return (
        _(
            "Someone you lead recorded evidence of %(competency)s level %(level)s. It waits for your validation, with whatever else is in your queue."
        )
        % p
    )


def _jp_subject(p: dict[str, Any]) -> str:
    return _("Your learning hours for %(year)s are behind") % p


def _jp_body(p: dict[str, Any]) -> str:
    if p.get("stage") == "q4":
        return (
            _(
                "The year is in its last quarter and you have %(jp)s of your %(target)s JP for %(year)s. Take a course before the year ends."
            )
            % p
        )
    return (
        _(
            "Half of %(year)s has passed and you have %(jp)s of your %(target)s JP. Half the target by mid-year keeps you on track."
        )
        % p
    )


def _cert_issued_subject(p: dict[str, Any]) -> str:
    return _("Your certificate “%(title)s” was issued") % p


def _cert_issued_body(p: dict[str, Any]) -> str:
    return (
        _(
            "Your certificate “%(title)s” (code %(code)s) was issued. Download it or share its verification link."
        )
        % p
    )


def _cert_revoked_subject(p: dict[str, Any]) -> str:
    return _("Your certificate “%(title)s” was revoked") % p


def _cert_revoked_body(p: dict[str, Any]) -> str:
    return (
        _(
            "Your certificate “%(title)s” (code %(code)s) was revoked and no longer verifies. Ask HR if you think this is a mistake."
        )
        % p
    )


def _cert_expiring_subject(p: dict[str, Any]) -> str:
    return _("Your certificate “%(title)s” expires on %(expires_on)s") % p


def _cert_expiring_body(p: dict[str, Any]) -> str:
    return (
        _(
            "Your certificate “%(title)s” (code %(code)s) expires on %(expires_on)s. Renew the training before then to keep it valid."
        )
        % p
    )


def _quiz_subject(p: dict[str, Any]) -> str:
    return _("The quiz of “%(course)s” was not passed") % p


def _quiz_body(p: dict[str, Any]) -> str:
    return (
        _(
            "Your last attempt at the quiz of “%(course)s” scored %(score)s (%(passing)s needed) and no attempts are left. Ask the course's organiser about retaking the course."
        )
        % p
    )


def _level3_subject(p: dict[str, Any]) -> str:
    return _("A level-3 evaluation is due")


def _level3_body(p: dict[str, Any]) -> str:
    count = int(p.get("count", 1))
    return ngettext(
        "A training evaluation of someone you lead fell due on %(due_date)s: say whether they apply what they learned. A yes can validate the competency evidence the training recorded.",
        "%(count)s training evaluations of people you lead fell due on %(due_date)s: say whether they apply what they learned. A yes can validate the competency evidence the training recorded.",
        count,
    ) % {"count": count, "due_date": p.get("due_date", "")}


def _akpk_subject(p: dict[str, Any]) -> str:
    if "unit" in p:
        return _("The AKPK %(year)s of %(unit)s needs your action") % p
    return _("An AKPK needs your action")


def _akpk_body(p: dict[str, Any]) -> str:
    texts = {
        "submitted": _(
            "%(unit)s submitted its AKPK for %(year)s (revision %(revision)s). BKPSDM verifies it or returns it with comments."
        ),
        "verified": _(
            "BKPSDM verified the AKPK %(year)s of %(unit)s (revision %(revision)s). It waits for the approval of the PPK's delegate."
        ),
        "draft": _(
            "The AKPK %(year)s of %(unit)s (revision %(revision)s) was returned with comments. Change the draft and submit it again."
        ),
        "approved": _(
            "The AKPK %(year)s of %(unit)s (revision %(revision)s) was approved. It is frozen; a new revision can be opened to change it."
        ),
    }
    if p.get("state") in texts:
        return texts[p["state"]] % p
    return _("A competency-development needs analysis (AKPK) changed state and needs your action.")


def _plan_subject(p: dict[str, Any]) -> str:
    return _("A development plan needs your action")


def _plan_body(p: dict[str, Any]) -> str:
    return _("A development plan changed state and needs your action.")


EVIDENCE_TO_REVIEW = "evidence_to_review"
JP_BEHIND = "jp_behind"
CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_REVOKED = "certificate_revoked"
CERTIFICATE_EXPIRING = "certificate_expiring"
QUIZ_FAILED = "quiz_failed"
LEVEL3_EVALUATION_DUE = "level3_evaluation_due"
AKPK_ACTION = "akpk_action"
DEVELOPMENT_PLAN_ACTION = "development_plan_action"
#: The kind of the weekly digest's mail (``MailMessage.kind``); not a notification kind.
DIGEST = "digest"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            EVIDENCE_TO_REVIEW,
            gettext_lazy("Evidence to validate"),
            gettext_lazy("the head of the person's unit (or HR when the unit has none)"),
            True,
            gettext_lazy("at most once a day"),
            _evidence_subject,
            _evidence_body,
        ),
        Kind(
            JP_BEHIND,
            gettext_lazy("Learning hours behind target"),
            gettext_lazy("the person"),
            True,
            gettext_lazy("mid-year and in the last quarter"),
            _jp_subject,
            _jp_body,
        ),
        Kind(
            CERTIFICATE_ISSUED,
            gettext_lazy("Certificate issued"),
            gettext_lazy("the holder"),
            True,
            gettext_lazy("once per certificate"),
            _cert_issued_subject,
            _cert_issued_body,
        ),
        Kind(
            CERTIFICATE_REVOKED,
            gettext_lazy("Certificate revoked"),
            gettext_lazy("the holder"),
            True,
            gettext_lazy("once per certificate"),
            _cert_revoked_subject,
            _cert_revoked_body,
        ),
        Kind(
            CERTIFICATE_EXPIRING,
            gettext_lazy("Certificate expires within 60 days"),
            gettext_lazy("the holder"),
            True,
            gettext_lazy("once per certificate and expiry date"),
            _cert_expiring_subject,
            _cert_expiring_body,
        ),
        Kind(
            QUIZ_FAILED,
            gettext_lazy("Graded quiz failed"),
            gettext_lazy("the learner"),
            True,
            gettext_lazy("once per quiz"),
            _quiz_subject,
            _quiz_body,
        ),
        Kind(
            LEVEL3_EVALUATION_DUE,
            gettext_lazy("Level-3 evaluation due"),
            gettext_lazy(
                "the head of the person's unit on the day (or whoever takes over the post)"
            ),
            True,
            gettext_lazy("once per day on which evaluations fell due"),
            _level3_subject,
            _level3_body,
        ),
        Kind(
            AKPK_ACTION,
            gettext_lazy("AKPK needs your action"),
            gettext_lazy("whoever must act next"),
            True,
            gettext_lazy("once per change of state"),
            _akpk_subject,
            _akpk_body,
        ),
        Kind(
            DEVELOPMENT_PLAN_ACTION,
            gettext_lazy("Development plan needs your action"),
            gettext_lazy("whoever must act next"),
            True,
            gettext_lazy("once per change of state"),
            _plan_subject,
            _plan_body,
        ),
    ]
}


def wired_kinds() -> list[Kind]:
    """The kinds something sends today, in the registry's order."""
    return [kind for kind in KINDS.values() if kind.wired]


def kind_for(code: str) -> Kind:
    return KINDS[code]
