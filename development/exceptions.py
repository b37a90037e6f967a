"""Errors the development-plan services raise. They keep the codes of the general errors
(``core.exceptions``): a refused change is ``permission_denied``, a change the plan's state
does not allow is ``conflict``, bad input is ``invalid``."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, PermissionDeniedError, ValidationError


class PlanExistsError(ConflictError):
    default_message = _("You already have a development plan for this year.")


class PlanNotEditableError(ConflictError):
    default_message = _(
        "This plan can no longer be changed: it is signed and waits for your supervisor, or it is agreed."
    )


class PlanStateError(ConflictError):
    default_message = _("The plan is not in a state that allows this step.")


class NotPlanOwnerError(PermissionDeniedError):
    default_message = _("Only the person whose plan it is may change or sign it.")


class NotPlanSupervisorError(PermissionDeniedError):
    default_message = _(
        "Only the head of the person's unit on the day may sign or return this plan, or confirm "
        "its activities."
    )


class PlanInputError(ValidationError):
    default_message = _("The plan could not be saved; see the messages by the fields.")


class ActivityNotConfirmableError(ConflictError):
    default_message = _(
        "Only coaching, an assignment or another activity that Tangkas does not record can be "
        "confirmed, once, on an agreed plan: a course or a partner training is done when it is "
        "completed."
    )
