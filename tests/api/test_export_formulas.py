"""No cell of a spreadsheet export can become a formula: the streamed gap export writes the
same leading apostrophe as the AKPK file, from the same rule (``core.spreadsheets``)."""

from __future__ import annotations

import csv
import io
import json

from competencies.models import Employee, OrgUnit, Position
from core.spreadsheets import FORMULA_START, formula_safe


def test_the_rule_escapes_every_formula_start_and_nothing_else() -> None:
    for start in FORMULA_START:
        assert formula_safe(f"{start}cmd") == f"'{start}cmd"
    assert formula_safe("Dedi Siregar") == "Dedi Siregar"
    assert formula_safe("") == ""


def test_names_and_codes_that_start_a_formula_come_out_as_text_in_the_csv_export(
    city, api_client
) -> None:
    # Codes pass a validator in forms and the API; a row written by any other path (a bulk
    # update, the database itself) must still come out harmless.
    Employee.objects.filter(pk=city.dedi.pk).update(name="=cmd|' /C calc'!A0")
    Position.objects.filter(pk=city.analis_post.pk).update(code="+POS")
    OrgUnit.objects.filter(pk=city.bkpsdm.pk).update(code="@UNIT")
    client = api_client("gaps:read")

    response = client.get("/api/v1/gaps/export/", {"unit": city.bkpsdm.pk, "as_of": "2025-01-01"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert (row["name"], row["position"], row["org_unit"]) == (
        "'=cmd|' /C calc'!A0",
        "'+POS",
        "'@UNIT",
    )
    assert row["nip"] == city.dedi.nip and row["gap"].isdigit()

    # NDJSON is read by programs, not spreadsheets: values stay exactly as stored.
    ndjson = client.get(
        "/api/v1/gaps/export/",
        {"format": "ndjson", "unit": city.bkpsdm.pk, "as_of": "2025-01-01"},
    )
    [line] = b"".join(ndjson.streaming_content).decode().splitlines()
    assert json.loads(line)["name"] == "=cmd|' /C calc'!A0"


def test_tab_carriage_return_and_minus_are_escaped_too(city, api_client) -> None:
    client = api_client("gaps:read")
    for name in ("-2+3", "\tTab", "\rReturn"):
        Employee.objects.filter(pk=city.dedi.pk).update(name=name)
        response = client.get(
            "/api/v1/gaps/export/", {"unit": city.bkpsdm.pk, "as_of": "2025-01-01"}
        )
        text = b"".join(response.streaming_content).decode()
        [row] = list(csv.DictReader(io.StringIO(text, newline="")))
        assert row["name"] == f"'{name}", name
