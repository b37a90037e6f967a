"""An HR system built from the OpenAPI document alone: a Python client is generated from the
live server's schema by openapi-python-client (no warnings allowed; nothing of it is kept in
the repository) and drives one day of integration end to end: bulk sync, a rotation weighed
and recorded, the person's gaps, an external training certificate, its revocation and its
public verification."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.conftest import new_client
from tests.competencies.factories import make_nip

PACKAGE = "tangkas_client"
CONFIG = "post_hooks: []\n"  # no formatter runs over the generated code: nothing to depend on


@pytest.fixture
def generated(live_server, tmp_path: Path) -> Iterator[ModuleType]:
    schema = tmp_path / "openapi.json"
    response = httpx.get(
        f"{live_server.url}/api/v1/schema/",
        headers={"Accept": "application/vnd.oai.openapi+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json"), (
        response.headers["Content-Type"],
        response.text[:300],
    )
    schema.write_bytes(response.content)
    config = tmp_path / "generator.yaml"
    config.write_text(CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower() and "error" not in output.lower(), output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _token(live_server, scopes: str) -> str:
    client_id, secret = new_client("SIMPEG Kota", scopes)
    response = httpx.post(
        f"{live_server.url}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_hr_system_built_from_the_schema_alone(generated, live_server, city) -> None:
    models = _module("models")
    token = _token(
        live_server, "employees:read employees:write gaps:read certificates:read certificates:write"
    )
    hr = generated.AuthenticatedClient(base_url=live_server.url, token=token, timeout=60)
    anyone = generated.Client(base_url=live_server.url, timeout=60)
    nip = make_nip()

    # 1. Bulk sync: a new person in the e-government unit's Pranata Komputer post.
    bulk = _module("api.employees.employees_bulk_upsert").sync_detailed(
        client=hr,
        body=models.BulkInRequest.from_dict(
            {
                "rows": [
                    {
                        "nip": nip,
                        "name": "Rina Wulandari",
                        "position": city.pk_post.code,
                        "tmt": "2022-01-03",
                    }
                ]
            }
        ),
    )
    assert bulk.status_code == 200, bulk.content
    assert isinstance(bulk.parsed, models.BulkOut)
    assert (bulk.parsed.created, bulk.parsed.assignments_created) == (1, 1)
    person = _module("api.employees.employees_lookup").sync(
        client=hr, body=models.EmployeeLookupInRequest(nip=nip)
    )
    assert isinstance(person, models.EmployeeOut) and person.name == "Rina Wulandari"

    # 2. Rotation: weigh the move to the HR office, then record it.
    impact = _module("api.rotation_impact.rotation_impact").sync_detailed(
        client=hr,
        body=models.RotationInRequest.from_dict(
            {"employee": person.id, "position": city.analis_post.pk, "date": "2025-07-01"}
        ),
    )
    assert impact.status_code == 200, impact.content
    assignment = _module("api.assignments.assignments_create").sync_detailed(
        client=hr,
        body=models.AssignmentInRequest.from_dict(
            {
                "employee": person.id,
                "position": city.analis_post.pk,
                "kind": "rotasi",
                "start_date": "2025-07-01",
                "decree_number": "800.1.3/91/BKPSDM/2025",
                "decree_date": "2025-06-20",
            }
        ),
    )
    assert assignment.status_code == 201, assignment.content
    assert isinstance(assignment.parsed, models.AssignmentOut)

    # 3. Gaps in the new post (the link from the assignment's ``employee``).
    gaps = _module("api.employees.employee_gaps").sync_detailed(
        person.id, client=hr, as_of=dt.date(2025, 7, 2)
    )
    assert gaps.status_code == 200, gaps.content

    # 4. External training certifies a competency.
    issued = _module("api.certificates.certificates_issue").sync_detailed(
        client=hr,
        body=models.ExternalCertificateInRequest.from_dict(
            {
                "employee": person.id,
                "title": "Digital Talent Scholarship: Cloud Computing",
                "provider": "Kementerian Komunikasi dan Digital",
                "jp_hours": 16,
                "completed_date": "2025-05-20",
                "competencies": [{"competency": "TIK-03", "level": 2}],
            }
        ),
    )
    assert issued.status_code == 201, issued.content
    certificate = issued.parsed
    assert isinstance(certificate, models.CertificateOut)

    # 5. Revoked with a reason (the link from the certificate's ``id``).
    revoked = _module("api.certificates.certificates_revoke").sync_detailed(
        certificate.id,
        client=hr,
        body=models.RevokeInRequest.from_dict({"reason": "Issued to the wrong person."}),
    )
    assert revoked.status_code == 200, revoked.content

    # 6. Anyone holding the code verifies it and learns it is revoked, and why.
    verified = _module("api.certificates.certificates_verify").sync_detailed(
        certificate.code, client=anyone
    )
    assert verified.status_code == 200, verified.content
    assert isinstance(verified.parsed, models.VerificationOut)
    assert (verified.parsed.state, verified.parsed.verified) == ("revoked", False)
    assert verified.parsed.revocation_reason == "Issued to the wrong person."

    # A refusal arrives as a problem whose type is a page of the same server.
    again = _module("api.certificates.certificates_revoke").sync_detailed(
        certificate.id,
        client=hr,
        body=models.RevokeInRequest.from_dict({"reason": "Twice."}),
    )
    assert again.status_code == 409 and isinstance(again.parsed, models.Problem)
    assert again.parsed.code == "already_revoked"
    page = httpx.get(live_server.url + urlsplit(again.parsed.type_).path, timeout=30)
    assert page.status_code == 200 and "already_revoked" in page.text
