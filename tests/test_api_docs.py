"""The OpenAPI document and the interactive docs page, which loads nothing from other hosts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.test_api_helpers import API

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_every_endpoint():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "parstat API"
    paths = document["paths"]
    for path in ("/reports", "/reports/{report_id}", "/reports/{report_id}/values",
                 "/reports/{report_id}/submit", "/reports/{report_id}/accept",
                 "/reports/{report_id}/return", "/reports/{report_id}/reopen",
                 "/reports/{report_id}/changes", "/reports/{report_id}/events", "/imports",
                 "/dataValues", "/templates", "/templates/{code}", "/units", "/units/{code}",
                 "/periods", "/periods/{code}", "/me", "/consolidated", "/completeness"):
        assert f"/api/v1{path}" in paths, path
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_every_list_is_paginated():
    document = Client().get(f"{API}/openapi.json").json()
    lists = [(path, op) for path, ops in document["paths"].items() for method, op in ops.items()
             if method == "get" and not path.endswith(("}", "/me", "/consolidated", "/completeness"))]
    assert len(lists) >= 5
    for path, op in lists:
        names = {p["name"] for p in op.get("parameters", [])}
        assert {"limit", "offset"} <= names, path


def test_the_docs_page_loads_its_assets_from_this_server_only():
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert references, html
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", html), html
    assert '"validatorUrl": null' in html  # no call to validator.swagger.io either
    for reference in references:
        asset = Client().get(reference)
        assert asset.status_code == 200, reference
        content = b"".join(asset.streaming_content)
        assert len(content) > 100
        assert b"cdn.jsdelivr" not in content or reference.endswith(".map")


def test_only_the_shipped_assets_are_served():
    assert Client().get(f"{API}/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert Client().get(f"{API}/docs/assets/..%2F__init__.py").status_code == 404
    assert Client().get(f"{API}/docs/assets/redoc.standalone.js").status_code == 404


def test_an_unknown_address_answers_json():
    response = Client().get("/api/v2/reports")
    assert response.status_code == 404
    assert response.json()["code"] == "api.not_found"
    response = Client().get(f"{API}/nothing-here", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "no API address" in response.json()["message"]
