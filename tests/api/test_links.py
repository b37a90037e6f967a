"""OpenAPI links: the document says how one operation's response feeds the next, every link
names an operation of the document, fills exactly its path parameters, and reads a field its
source response has; and the document still validates with them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from core.api.links import LINKS


def _document() -> dict[str, Any]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(document)
    return document


def _schema(document: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    schema = response["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_link_is_sound() -> None:
    document = _document()
    operations = {
        operation["operationId"]: operation
        for path in document["paths"].values()
        for operation in path.values()
    }
    found = 0
    for operation in operations.values():
        for response in operation["responses"].values():
            for name, link in response.get("links", {}).items():
                found += 1
                target = operations[link["operationId"]]
                path_parameters = {p["name"] for p in target["parameters"] if p["in"] == "path"}
                assert set(link["parameters"]) == path_parameters, name
                properties = _schema(document, response)["properties"]
                for expression in link["parameters"].values():
                    assert expression.startswith("$response.body#/"), expression
                    assert expression.removeprefix("$response.body#/") in properties, name
    assert found == len(LINKS)


def test_the_paths_integrators_follow_are_linked() -> None:
    operations = {
        operation["operationId"]: operation
        for path in _document()["paths"].values()
        for operation in path.values()
    }

    def targets(source: str, status: str) -> set[str]:
        links = operations[source]["responses"][status].get("links", {})
        return {link["operationId"] for link in links.values()}

    assert {"employees_retrieve", "employee_gaps", "employee_competencies"} <= targets(
        "employees_create", "201"
    )
    assert {"employee_gaps", "employee_competencies", "employees_assignments_list"} <= targets(
        "employees_retrieve", "200"
    )
    assert {"certificates_retrieve", "certificates_revoke", "certificates_verify"} <= targets(
        "certificates_issue", "201"
    )
    assert {"certificates_revoke", "certificates_verify"} <= targets("certificates_retrieve", "200")
    assert {"evidence_validate", "evidence_reject"} <= targets("evidence_create", "201")
    assert {"positions_retrieve"} <= targets("positions_create", "201")
    assert {"webhooks_retrieve", "webhooks_deliveries_list"} <= targets("webhooks_create", "201")
