"""Receiving a province package: checked whole, idempotent, refused whole on a conflict, a newer
version replaces the older (audited); who may, with the exact status each persona gets."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from parstat import jsonexact
from parstat.api.tokens import create_token
from parstat.catalog.models import Template
from parstat.province.models import PackageEvent, ReceivedPackage, ReceivedTotal
from parstat.province.package import build_package, manifest_of

from .province_data import accept_seed, approve_province

pytestmark = pytest.mark.django_db
URL = "/api/v1/packages"
_BUILT: dict[str, bytes] = {}


@pytest.fixture
def package(request, personas) -> bytes:  # type: ignore[no-untyped-def]
    """The approved seed province's package, built once for the module (rendering its PDFs
    takes seconds); the receiving side needs only its catalogue, which every test has."""
    if "zip" not in _BUILT:
        accepted = accept_seed(request.getfixturevalue("seed_report"),
                               request.getfixturevalue("system"))
        report = approve_province(accepted, personas["consolidator"], personas["leader"])
        _BUILT["zip"] = build_package(report).data
    return _BUILT["zip"]


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _repacked(data: bytes, change: Any) -> bytes:
    """The package with package.json changed by ``change(dict)`` and its manifest made again:
    a well-formed package saying something else."""
    files = _files(data)
    content = json.loads(files["package.json"], parse_float=Decimal)
    change(content)
    files["package.json"] = jsonexact.dumps(content, indent=1).encode()
    del files["manifest.json"]
    files["manifest.json"] = jsonexact.dumps(manifest_of(files)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content_bytes in files.items():
            archive.writestr(name, content_bytes)
    return out.getvalue()


def _post(personas, who: str, data: bytes) -> Any:  # type: ignore[no-untyped-def]
    headers = {}
    if who != "anonymous":
        headers["Authorization"] = f"Bearer {create_token(personas[who], 'tests')[1]}"
    upload = io.BytesIO(data)
    upload.name = "ST_2023Q1.zip"
    return Client().post(URL, {"file": upload}, headers=headers)


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 201), ("consolidator", 201), ("outsider", 201),  # consolidators of a top unit
    ("viewer", 403), ("leader", 403), ("reporter", 403), ("approver", 403), ("anonymous", 401)])
def test_it_lets_only_an_administrator_or_a_top_unit_consolidator_receive(
        package, personas, who, status):
    response = _post(personas, who, package)
    assert response.status_code == status, response.content[:300]
    assert ReceivedPackage.objects.count() == (1 if status == 201 else 0)
    if status == 403:
        assert response.json()["code"] == "package.receive_denied"


def test_it_stores_the_totals_blank_as_null_and_answers_a_summary(package, personas):
    response = _post(personas, "admin", package)
    body = response.json()
    assert (response.status_code, body["status"]) == (201, "stored")
    stored = ReceivedPackage.objects.get()
    totals = {t.indicator.code: (t.number, t.units)
              for t in ReceivedTotal.objects.filter(package=stored).select_related("indicator")}
    assert totals["I.1.a"] == (Decimal(40), 1)
    assert totals["III.4.c.2"] == (Decimal(0), 1)  # zero stays zero
    blank = [code for code, (number, units) in totals.items() if units == 0]
    assert blank and all(totals[code][0] is None for code in blank)
    assert body["totals"] == len(totals) and body["blank"] == sum(
        1 for number, _ in totals.values() if number is None)
    assert (body["reports"], body["province"]["code"], body["period"]) == (1, "ST", "2023Q1")
    assert bytes(stored.data) == package
    assert PackageEvent.objects.get().action == "received"


def test_the_same_package_again_changes_nothing(package, personas):
    assert _post(personas, "admin", package).status_code == 201
    again = _post(personas, "consolidator", package)
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    assert ReceivedPackage.objects.count() == 1 and PackageEvent.objects.count() == 1


def test_a_different_package_with_the_same_version_is_refused_whole(package, personas):
    _post(personas, "admin", package)

    def change(content: dict) -> None:  # type: ignore[type-arg]
        content["totals"][1]["value"] = Decimal(41)

    response = _post(personas, "admin", _repacked(package, change))
    assert (response.status_code, response.json()["code"]) == (409, "package.conflict")
    assert ReceivedPackage.objects.count() == 1 and ReceivedTotal.objects.filter(
        number=41).count() == 0


def test_a_newer_version_replaces_the_older_audited_and_an_older_one_is_refused(
        package, personas):
    _post(personas, "admin", package)
    first = ReceivedPackage.objects.get()

    def newer(content: dict) -> None:  # type: ignore[type-arg]
        content["report"]["version"] += 2
        content["totals"][1]["value"] = Decimal(44)

    response = _post(personas, "admin", _repacked(package, newer))
    body = response.json()
    assert (response.status_code, body["status"], body["replaced_version"]) == (
        201, "replaced", first.version)
    first.refresh_from_db()
    assert first.superseded_at is not None
    event = PackageEvent.objects.get(action="replaced")
    assert (event.replaced, event.actor) == (first, "admin")

    def older(content: dict) -> None:  # type: ignore[type-arg]
        content["report"]["version"] += 1

    response = _post(personas, "admin", _repacked(package, older))
    assert (response.status_code, response.json()["code"]) == (409, "package.outdated")
    assert ReceivedPackage.objects.count() == 2


def test_an_altered_file_fails_its_manifest_and_nothing_is_stored(package, personas):
    files = _files(package)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content + b"x" if name == "bang-tong-hop.xlsx" else content)
    response = _post(personas, "admin", out.getvalue())
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "package.hash_mismatch")
    assert "bang-tong-hop.xlsx" in body["message"] and not ReceivedPackage.objects.exists()


@pytest.mark.parametrize(("change", "code"), [
    (lambda c: c["totals"][0].update(code="KHONG.CO"), "package.unknown_indicator"),
    (lambda c: c["template"].update(edition=1999), "package.unknown_template"),
    (lambda c: c["totals"][0].update(value="0"), "package.invalid"),
    (lambda c: c.pop("coverage"), "package.invalid"),
    (lambda c: c["totals"][0].update(value=Decimal("1.23456")), "package.value_unstorable"),
    (lambda c: c["totals"][0].update(value=Decimal("1E+16")), "package.value_unstorable"),
])
def test_a_package_this_installation_cannot_read_is_refused_whole(package, personas, change,
                                                                   code):
    response = _post(personas, "admin", _repacked(package, change))
    assert (response.status_code, response.json()["code"]) == (422, code)
    assert not ReceivedPackage.objects.exists() and not ReceivedTotal.objects.exists()


def test_not_a_zip_is_refused(personas):
    response = _post(personas, "admin", b"PK not really")
    assert (response.status_code, response.json()["code"]) == (422, "package.unreadable")


def test_the_api_reads_the_packages_in_force_with_their_totals(package, personas):
    _post(personas, "admin", package)
    token = create_token(personas["viewer"], "tests")[1]
    response = Client().get(URL, {"period": "2023Q1"}, headers={
        "Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    totals = {t["code"]: t["value"] for t in item["totals"]}
    assert (item["province"]["code"], totals["I.1.a"]) == ("ST", 40)
    token = create_token(personas["reporter"], "tests")[1]
    assert Client().get(URL, {"period": "2023Q1"}, headers={
        "Authorization": f"Bearer {token}"}).status_code == 403


def test_it_names_the_edition_it_has_in_the_refusals_language(package, personas):
    data = _repacked(package, lambda c: c["template"].update(edition=1999))
    edition = Template.objects.get(code=json.loads(_files(package)["package.json"])["template"]
                                   ["code"]).edition
    token = create_token(personas["admin"], "tests")[1]

    def refusal(language: str) -> str:
        upload = io.BytesIO(data)
        upload.name = "ST_2023Q1.zip"
        return Client().post(URL, {"file": upload}, headers={
            "Authorization": f"Bearer {token}", "Accept-Language": language}).json()["message"]

    assert refusal("vi").endswith(f"không có biểu mẫu này (chỉ có ấn bản {edition}).")
    assert refusal("en").endswith(
        f"which this installation does not have (it has edition {edition} only).")
