"""OpenAPI links between operations: how the response of one operation feeds the next
(created → read, a person → their gaps, competencies and history, a certificate → its
revocation and verification, new evidence → its review). A drf-spectacular postprocessing
hook, registered after the others in ``SPECTACULAR_SETTINGS``; ``tests/api/test_schema.py``
checks that every link names operations and response fields that exist."""

from __future__ import annotations

from typing import Any, NamedTuple


class Link(NamedTuple):
    source: str  # operationId
    status: str  # the response of the source the link starts from
    name: str
    target: str  # operationId
    parameters: dict[str, str]  # target parameter → runtime expression
    description: str


BY_ID = {"id": "$response.body#/id"}

_EMPLOYEE = [
    ("GetEmployee", "employees_retrieve", "The person."),
    ("GetEmployeeGaps", "employee_gaps", "The person's competency gaps."),
    ("GetEmployeeCompetencies", "employee_competencies", "The person's proficiency."),
    ("ListEmployeeAssignments", "employees_assignments_list", "The person's position history."),
    ("UpdateEmployee", "employees_partial_update", "Change the person."),
]
_CERTIFICATE = [
    ("GetCertificate", "certificates_retrieve", BY_ID, "The certificate."),
    ("RevokeCertificate", "certificates_revoke", BY_ID, "Revoke the certificate."),
    (
        "VerifyCertificate",
        "certificates_verify",
        {"code": "$response.body#/code"},
        "Verify the certificate as anyone holding its code would.",
    ),
]

LINKS: list[Link] = [
    *(
        Link(source, status, name, target, BY_ID, description)
        for source, status in (
            ("employees_create", "201"),
            ("employees_retrieve", "200"),
            ("employees_lookup", "200"),
        )
        for name, target, description in _EMPLOYEE
        if target != source
    ),
    Link(
        "assignments_create",
        "201",
        "ListEmployeeAssignments",
        "employees_assignments_list",
        {"id": "$response.body#/employee"},
        "The person's position history, with this assignment.",
    ),
    Link(
        "assignments_create",
        "201",
        "GetEmployeeGaps",
        "employee_gaps",
        {"id": "$response.body#/employee"},
        "The person's gaps against the new position.",
    ),
    Link("positions_create", "201", "GetPosition", "positions_retrieve", BY_ID, "The position."),
    *(
        Link(source, status, name, target, parameters, description)
        for source, status in (("certificates_issue", "201"), ("certificates_retrieve", "200"))
        for name, target, parameters, description in _CERTIFICATE
        if target != source
    ),
    Link("evidence_create", "201", "ValidateEvidence", "evidence_validate", BY_ID, "Validate it."),
    Link("evidence_create", "201", "RejectEvidence", "evidence_reject", BY_ID, "Reject it."),
    Link("webhooks_create", "201", "GetWebhook", "webhooks_retrieve", BY_ID, "The subscription."),
    Link(
        "webhooks_create",
        "201",
        "ListWebhookDeliveries",
        "webhooks_deliveries_list",
        BY_ID,
        "The subscription's delivery log.",
    ),
    Link(
        "webhooks_retrieve",
        "200",
        "ListWebhookDeliveries",
        "webhooks_deliveries_list",
        BY_ID,
        "The subscription's delivery log.",
    ),
]


def operation_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Add ``LINKS`` to the responses they start from. A link whose operations are not in the
    document (a filtered schema) is left out."""
    operations = {
        operation.get("operationId"): operation
        for path in result.get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict)
    }
    for link in LINKS:
        source = operations.get(link.source)
        if source is None or link.target not in operations:
            continue
        response = source.get("responses", {}).get(link.status)
        if response is None:
            continue
        response.setdefault("links", {})[link.name] = {
            "operationId": link.target,
            "parameters": dict(link.parameters),
            "description": link.description,
        }
    return result
