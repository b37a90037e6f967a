"""Who may take which step of an AKPK, on a day: the workflow's one table of rules, read by the
services (which refuse) and the pages and API (which offer only what is allowed).

- a draft is generated, edited and submitted by the head of the perangkat daerah *on the day*
  (``competencies.access.head_assignments_on``: a head who rotated out mid-cycle can no
  longer act; the new head can); HR (BKPSDM) may generate and edit a draft too;
- a submitted AKPK is verified or returned (back to draft, with comments) by BKPSDM
  (``access.user_is_hr``) or an HR system through the API (scope ``akpk:write``);
- a verified AKPK is approved, or returned, by the PPK's delegate (the permission
  ``planning.approve_akpk``, held by the group "Pejabat Pembina Kepegawaian (delegasi)");
- an approved AKPK is frozen; a new revision (a copy, as a draft) may be opened by the head or
  HR.
"""

from __future__ import annotations

import datetime as dt

from competencies.access import AnyUser, head_assignments_on, user_is_active, user_is_hr
from planning.models import AkpkAction, AkpkPlan, AkpkState

#: Where each step leads from each state it may start from.
TRANSITIONS: dict[str, dict[str, str]] = {
    AkpkAction.SUBMIT: {AkpkState.DRAFT: AkpkState.SUBMITTED},
    AkpkAction.VERIFY: {AkpkState.SUBMITTED: AkpkState.VERIFIED},
    AkpkAction.RETURN: {AkpkState.SUBMITTED: AkpkState.DRAFT, AkpkState.VERIFIED: AkpkState.DRAFT},
    AkpkAction.APPROVE: {AkpkState.VERIFIED: AkpkState.APPROVED},
}

#: The steps a person may press, in the order the page shows them.
STEPS: tuple[str, ...] = (
    AkpkAction.SUBMIT,
    AkpkAction.VERIFY,
    AkpkAction.APPROVE,
    AkpkAction.RETURN,
)

APPROVE_PERMISSION = "planning.approve_akpk"
#: The group holding it, created by migration 0002 (members are added in the admin).
PPK_DELEGATE_GROUP = "Pejabat Pembina Kepegawaian (delegasi)"


def is_ppk_delegate(*, user: AnyUser) -> bool:
    return user_is_active(user=user) and user.has_perm(APPROVE_PERMISSION)


def heads_unit_on(*, user: AnyUser, plan: AkpkPlan, day: dt.date) -> bool:
    """Whether ``user`` holds the head post of the plan's perangkat daerah on ``day``."""
    return (
        head_assignments_on(user=user, day=day).filter(position__org_unit=plan.org_unit_id).exists()
    )


def may_edit(*, user: AnyUser, plan: AkpkPlan, day: dt.date) -> bool:
    """Who may generate, edit or open a revision of the plan of a unit (state aside)."""
    return user_is_hr(user=user) or heads_unit_on(user=user, plan=plan, day=day)


def may_take(
    *, action: str, user: AnyUser | None, plan: AkpkPlan, day: dt.date, client: bool = False
) -> bool:
    """Whether ``user`` (or an API client acting for BKPSDM) may take ``action`` on ``plan``
    in its current state. The state itself is ``TRANSITIONS``'s question."""
    if client:
        return (
            action in (AkpkAction.VERIFY, AkpkAction.RETURN) and plan.state == AkpkState.SUBMITTED
        )
    if user is None:
        return False
    if action == AkpkAction.SUBMIT:
        return heads_unit_on(user=user, plan=plan, day=day)
    if action == AkpkAction.VERIFY:
        return user_is_hr(user=user)
    if action == AkpkAction.APPROVE:
        return is_ppk_delegate(user=user)
    if action == AkpkAction.RETURN:
        if plan.state == AkpkState.VERIFIED:
            return is_ppk_delegate(user=user)
        return user_is_hr(user=user)
    return False


def allowed_steps(*, user: AnyUser, plan: AkpkPlan, day: dt.date) -> list[str]:
    """The steps ``user`` may take on ``plan`` now (for the buttons of the page)."""
    return [
        action
        for action in STEPS
        if plan.state in TRANSITIONS[action]
        and may_take(action=action, user=user, plan=plan, day=day)
    ]
