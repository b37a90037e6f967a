"""NIP validation (DOMAIN.md §3): PNS and PPPK numbers, and a clear reason for each bad one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from competencies.validators import mask_nip, parse_nip


def test_a_pns_nip_is_read_into_its_parts() -> None:
    parts = parse_nip("196608011988031001")
    assert parts.kind == "pns"
    assert parts.birth_date.isoformat() == "1966-08-01"
    assert (parts.appointment_year, parts.appointment_month) == (1988, 3)
    assert parts.sex == "L"
    assert parts.sequence == 1


def test_a_pppk_number_is_accepted() -> None:
    parts = parse_nip("200012312024211001")
    assert parts.kind == "pppk"
    assert parts.appointment_year == 2024
    assert parts.sex == "L"


def test_spaces_as_printed_on_decrees_are_ignored() -> None:
    assert parse_nip("19660801 198803 1 001").kind == "pns"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19660801198803100", "nip_length"),
        ("1966080119880310011", "nip_length"),
        ("19660801198803100A", "nip_length"),
        ("19660231198803 1 001", "nip_birth_date"),
        ("21000101198803 1 001", "nip_birth_date"),
        ("19660801198813 1 001", "nip_appointment"),
        ("19660801197003 1 001", "nip_appointment"),
        ("19660801198803 3 001", "nip_sex"),
        ("19660801198803 1 000", "nip_sequence"),
    ],
)
def test_each_kind_of_bad_nip_is_named(nip: str, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_nip(nip)
    assert raised.value.error_list[0].code == code


@pytest.mark.parametrize(("language", "words"), [("id", "jenis kelamin"), ("en", "the sex")])
def test_the_reason_is_given_in_indonesian_and_english(language: str, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_nip("19660801198803 3 001")
    # Messages are translated lazily, in the language of whoever reads them.
    with translation.override(language):
        assert words in raised.value.messages[0]


def test_masking_keeps_only_the_last_four_digits() -> None:
    assert mask_nip("196608011988031001") == "**************1001"
