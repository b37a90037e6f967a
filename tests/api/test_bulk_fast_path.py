"""The bulk upsert's fast path (``_fast_rows``) and ``BulkRow`` give the same rows.

The fast path checks rows of the plain form directly and gives up on anything else, which
``BulkRow`` then checks. So for ANY request: either the fast path gives up, or ``BulkRow``
accepts the same request and makes exactly the same ``EmployeeRow`` of each row. Hypothesis
draws requests from values of every kind a client sends, right and wrong (bad NIPs, whitespace,
NUL, lone surrogates, numbers for strings, unknown positions, PPPK grades on a PNS …).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies.api.employees_bulk import BulkIn, _fast_rows
from tests.competencies.factories import PositionFactory, make_nip

pytestmark = pytest.mark.django_db

POSITION_CODE = "FAST-PATH-POS"

NIPS = [
    make_nip(seq=1),
    make_nip(seq=2),
    make_nip(birth="19900101", appointed="202421", seq=3),  # an NI PPPK
    make_nip(birth="19850412", appointed="200303", seq=4),  # appointed at 17
    "1985 0412 2010 0310 05",
    " " + make_nip(seq=6),
    make_nip(seq=7)[:17],
    "19850412201003100",
    make_nip(seq=0),  # ends in 000
    "1.98504E+17",
    198504122010031011,
    None,
    "",
]
TEXTS = ["Agus Santoso", "  Sri Wulandari ", "", "   ", None, "A\x00B", "x\ud800", "x" * 201, 12]
RANKS = ["III/a", "IV/e", "IX", "III/z", "iii/a", "", None, 3]
DATES = ["2025-01-02", "2024-02-29", "2025-02-30", "20250102", "2025-1-2", "", None, 20250102]
POSITIONS = [POSITION_CODE, "NO-SUCH-POS", "fast-path-pos", "", None, "X" * 41, 7]
EMAILS = ["agus@kota.go.id", "not-an-email", " agus@kota.go.id", "", None, "a\x00@b.id"]
STATUSES = ["active", "retired", "gone", "", None]
KINDS = ["rotasi", "promosi", "plt", "bogus", "", None]
SIASN = [
    "A1B2C3D4E5F60718293A4B5C6D7E8F90",
    "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90",
    "xyz",
    "",
    None,
]
DECREES = ["800/12/2024", "  800/1  ", "   ", "N" * 150, "", None, "8\x00"]

FIELDS = {
    "name": TEXTS,
    "rank": RANKS,
    "rank_start_date": DATES,
    "siasn_id": SIASN,
    "email": EMAILS,
    "status": STATUSES,
    "position": POSITIONS,
    "tmt": DATES,
    "assignment_kind": KINDS,
    "decree_number": DECREES,
    "decree_date": DATES,
    "unknown_field": ["x"],
}


@st.composite
def row(draw: st.DrawFn) -> dict:
    item = {}
    if draw(st.integers(0, 9)):  # now and then no NIP at all
        item["nip"] = draw(st.sampled_from(NIPS))
    for name in draw(st.sets(st.sampled_from(sorted(FIELDS)))):
        item[name] = draw(st.sampled_from(FIELDS[name]))
    if "name" not in item and draw(st.booleans()):
        item["name"] = "Agus Santoso"
    return item


def plain_row(n: int) -> dict:
    return {
        "nip": make_nip(seq=n),
        "name": f"Pegawai {n}",
        "rank": "III/b",
        "position": POSITION_CODE,
        "tmt": "2025-01-02",
        "decree_number": "800/12/2024",
        "email": f"pegawai{n}@kota.go.id",
    }


def drf_rows(rows: object) -> list | None:
    serializer = BulkIn(data={"rows": rows})
    return serializer.validated_data["rows"] if serializer.is_valid() else None


@pytest.fixture
def position(db):
    return PositionFactory(code=POSITION_CODE)


def test_plain_rows_take_the_fast_path_and_match_the_serializer(position) -> None:
    rows = [plain_row(n) for n in range(1, 60)]
    rows[1]["name"] = "  Sri Wulandari  "  # trimmed by both
    fast = _fast_rows(rows)
    assert fast is not None and len(fast) == 59
    assert fast == drf_rows(rows)
    assert fast[0].position == position and fast[0].tmt.isoformat() == "2025-01-02"
    assert fast[1].name == "Sri Wulandari"


@pytest.mark.parametrize(
    "change",
    [
        {"name": "   "},
        {"nip": "1985 0412 2010 0310 01"},
        {"rank": "IX"},  # a PPPK grade on a PNS: refused, with its reason
        {"position": "NO-SUCH-POS"},
        {"tmt": None},
        {"decree_number": "   "},
        {"extra": 1},
    ],
)
def test_a_row_off_the_plain_form_sends_the_request_to_the_serializer(position, change) -> None:
    rows = [plain_row(1), {**plain_row(2), **change}]
    assert _fast_rows(rows) is None


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(row(), min_size=1, max_size=4))
def test_whatever_the_fast_path_accepts_the_serializer_accepts_alike(position, rows) -> None:
    fast = _fast_rows(rows)
    if fast is not None:
        assert drf_rows(rows) == fast
