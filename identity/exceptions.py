"""Why a sign-on is refused; each message tells the person what to do next."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, PermissionDeniedError


class SignOnError(ApplicationError):
    """Base of the sign-on refusals (shown on the sign-on problem page)."""

    code = "sign_on_failed"
    status = 400
    default_message = _(
        "The sign-on could not be completed. Please try again; if it keeps failing, contact BKPSDM."
    )


class ProviderUnavailableError(SignOnError):
    code = "sign_on_unavailable"
    status = 503
    default_message = _(
        "The city's sign-on service cannot be reached right now. Please try again in a few minutes."
    )


class MissingNipClaimError(SignOnError, PermissionDeniedError):
    code = "sign_on_no_nip"
    status = 403
    default_message = _(
        "Your sign-on account does not carry a valid NIP, so Tangkas cannot tell who you are. "
        "Please contact BKPSDM to have your NIP added to your account."
    )


class UnknownPersonError(SignOnError, PermissionDeniedError):
    code = "sign_on_unknown_nip"
    status = 403
    default_message = _(
        "Your NIP is not among the civil servants registered in Tangkas. Please contact BKPSDM "
        "to be registered; no account has been created."
    )


class LoginSwitchedOffError(SignOnError, PermissionDeniedError):
    code = "sign_on_login_inactive"
    status = 403
    default_message = _("Your Tangkas login is switched off. Please contact BKPSDM.")


class PasswordLoginOffError(SignOnError, PermissionDeniedError):
    code = "password_login_off"
    status = 403
    default_message = _(
        "Logging in with a password is switched off: log in with the city's single sign-on."
    )
