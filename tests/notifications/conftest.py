"""A real SMTP server on the loopback (aiosmtpd), started by the tests, and the people the
notification tests need.

``smtp`` points Django's SMTP backend at the server and yields its ``Inbox``: every message
that arrived, parsed by the ``email`` package, with the envelope's recipients. An address in
``Inbox.refuse`` is refused at RCPT with a 550, as a mail server refuses an unknown mailbox.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from competencies.models import Competency, Employee
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    unit,
)
from tests.courses.conftest import catalogue  # noqa: F401  (the fixture, shared)


@dataclass
class Arrived:
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The subject as a mail client shows it (a folded header unfolded)."""
        return " ".join(str(self.message["Subject"]).split())

    def part(self, content_type: str) -> str:
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        assert body is not None and body.get_content_type() == content_type
        return body.get_content()


@dataclass
class Inbox:
    messages: list[Arrived] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(Arrived(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Arrived]:
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server: tuple[Inbox, int], settings: Any) -> Inbox:
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    settings.DEFAULT_FROM_EMAIL = "Tangkas <tangkas@kota.example>"
    return inbox


@dataclass
class People:
    head: Employee  # heads UNIT-N
    staff: Employee  # works in UNIT-N, behind on JP, Indonesian mails
    english: Employee  # works in UNIT-N, behind on JP, English mails
    keen: Employee  # works in UNIT-N, has met the JP target
    tik: Competency


def person(username: str, **fields: Any) -> Employee:
    user = UserFactory(username=username, email=f"{username}@kota.example")
    return EmployeeFactory(user=user, **fields)


@pytest.fixture
def people(db: None) -> People:
    from decimal import Decimal

    from courses.models import LearningRecord, LearningSource
    from notifications.models import NotificationProfile

    office = unit("UNIT-N")
    head_post = PositionFactory(title="Kepala Bidang", org_unit=office, is_head=True)
    staff_post = PositionFactory(title="Pranata Komputer", org_unit=office, headcount=5)
    head = person("kepala")
    staff = person("staf")
    english = person("english")
    keen = person("rajin")
    assign(head, head_post, dt.date(2020, 1, 1), kind="initial")
    for employee in (staff, english, keen):
        assign(employee, staff_post, dt.date(2020, 1, 1), kind="initial")
    NotificationProfile.objects.create(user=english.user, language="en")
    LearningRecord.objects.create(
        employee=keen,
        year=2025,
        completed_date=dt.date(2025, 3, 1),
        jp_hours=Decimal(24),
        source=LearningSource.EXTERNAL,
        title="Pelatihan",
    )
    return People(head, staff, english, keen, Competency.objects.get(code="TIK-05"))
