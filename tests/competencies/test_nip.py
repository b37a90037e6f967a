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


# --- Rules beyond the layout ----------------------------------------------------------------


def test_an_ni_pppk_from_before_2019_is_refused_and_2019_is_accepted() -> None:
    # PPPK were first recruited in 2019: an NI PPPK with an earlier appointment year is not real.
    with pytest.raises(ValidationError) as raised:
        parse_nip("19950615 2018 2 1 1 001")
    assert raised.value.error_list[0].code == "nip_pppk_year"
    with translation.override("en"):
        assert "2018" in raised.value.messages[0] and "2019" in raised.value.messages[0]
    parts = parse_nip("19950615 2019 2 1 1 001")
    assert (parts.kind, parts.appointment_year) == ("pppk", 2019)


@pytest.mark.parametrize(
    ("nip", "accepted"),
    [
        ("20000602 201806 1 001", False),  # 17 on 1 June 2018: one day short of 18
        ("20000601 201806 1 001", True),  # 18 on the day of the TMT
        ("20000515 201706 1 001", False),  # appointed at 17
        ("20000515 201806 1 001", True),
    ],
)
def test_a_cpns_is_at_least_18_when_appointed(nip: str, accepted: bool) -> None:
    if accepted:
        assert parse_nip(nip).kind == "pns"
        return
    with pytest.raises(ValidationError) as raised:
        parse_nip(nip)
    assert raised.value.error_list[0].code == "nip_cpns_age"
    with translation.override("en"):
        assert "at 17" in raised.value.messages[0] and "at least 18" in raised.value.messages[0]


@pytest.mark.parametrize(
    "nip",
    [
        "198503122010121000",  # 1.98503122010121e17 written out: the last three digits lost
        "19850312 201012 1 000",
        "1.98503E+17",  # the same number as a spreadsheet shows it in a narrow column
        "1,98503122010121E+17",  # ... in a spreadsheet set to Indonesian
    ],
)
def test_a_nip_rounded_by_a_spreadsheet_says_to_format_the_column_as_text(nip: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_nip(nip)
    with translation.override("en"):
        assert "Format the NIP column as text" in raised.value.messages[0]
    with translation.override("id"):
        assert "Format kolom NIP sebagai teks" in raised.value.messages[0]


@pytest.mark.parametrize("nip", ["198503122010121100", "198503122010121010", "198503122010121999"])
def test_sequences_with_zeros_that_are_not_000_are_real_nips(nip: str) -> None:
    assert parse_nip(nip).sequence == int(nip[-3:])
