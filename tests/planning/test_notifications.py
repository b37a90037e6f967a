"""Each step of an AKPK tells whoever must act next (notification kind ``akpk_action``):
submitted → BKPSDM, verified → the PPK's delegates, returned or approved → the head of the
perangkat daerah; once per step, in the reader's list, never the one who pressed the button."""

from __future__ import annotations

from notifications.models import Notification
from planning import services
from tests.planning.conftest import YEAR, Office


def recipients(plan_id: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for username, key in Notification.objects.filter(kind="akpk_action").values_list(
        "recipient__username", "key"
    ):
        found.setdefault(username, set()).add(key)
    return found


def test_each_step_tells_whoever_acts_next(
    office: Office, django_capture_on_commit_callbacks
) -> None:
    plan = services.akpk_plan_generate(
        org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
    )
    assert recipients(plan.pk) == {}  # generating a draft asks nobody to act

    def take(action: str, user: object, comment: str = "") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            transition = services.akpk_plan_transition(
                plan_id=plan.pk, action=action, user=user, comment=comment
            )
        return str(transition.pk)

    submitted = take("submit", office.kadis.user)
    assert recipients(plan.pk) == {"hr": {submitted}}
    verified = take("verify", office.hr)
    assert recipients(plan.pk) == {"hr": {submitted}, "ppk": {verified}}
    returned = take("return", office.ppk, "Prioritaskan kompetensi kritis.")
    assert recipients(plan.pk)["kadis"] == {returned}
    take("submit", office.kadis.user)
    take("verify", office.hr)
    approved = take("approve", office.ppk)
    assert recipients(plan.pk)["kadis"] == {returned, approved}

    note = Notification.objects.get(recipient=office.kadis.user, key=approved)
    assert note.link == f"/planning/akpk/{plan.pk}/"
    response = office.client_for(office.kadis.user).get(
        "/me/notifications/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = response.content.decode()
    assert "was approved" in text and "Dinas Komunikasi dan Informatika" in text
