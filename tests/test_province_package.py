"""The province package: what the leader approved, as one .zip with a manifest and a JSON
document that matches the published schema; refused when the values moved since."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parstat.errors import ParstatError
from parstat.province.models import ProvinceState, SentPackage
from parstat.province.package import (
    SCHEMA_PATH,
    build_package,
    do_send_province_report,
    schema_errors,
    stored_package,
)
from parstat.province.workflow import ProvinceStep, do_province_step
from parstat.reporting.workflow import Step, do_transition

from .province_data import accept_seed, actor, approve_province

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def accepted(seed_report, system):  # type: ignore[no-untyped-def]
    return accept_seed(seed_report, system)


@pytest.fixture
def province(accepted, personas):  # type: ignore[no-untyped-def]
    return approve_province(accepted, personas["consolidator"], personas["leader"])


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _package(data: bytes) -> dict:  # type: ignore[type-arg]
    return json.loads(_files(data)["package.json"], parse_float=Decimal)


def test_the_published_schema_is_the_one_the_receiver_checks_against():
    published = ROOT / "docs" / "exchange" / "province-package.schema.json"
    assert published.read_bytes() == SCHEMA_PATH.read_bytes()
    assert json.loads(published.read_text())["$schema"].endswith("/draft/2020-12/schema")


def test_it_builds_a_package_of_the_approved_totals_valid_against_the_schema(
        province, accepted, personas):
    built = build_package(province)
    files = _files(built.data)
    assert set(files) == {"package.json", "manifest.json", "bang-tong-hop.xlsx",
                          "bang-tong-hop.docx", "bang-tong-hop.pdf"}
    data = _package(built.data)
    assert schema_errors(data) == []
    assert data["province"] == {"code": "ST", "name": "Tỉnh Sóc Trăng"}
    assert data["period"]["code"] == "2023Q1"
    assert data["template"]["code"] == province.template.code
    assert data["report"] == {"version": province.version, "state": ProvinceState.APPROVED,
                              "scope": "accepted", "document_number": "",
                              "document_date": None}
    assert data["reports"] == [{
        "unit_code": "ST-SKHDT", "unit_name": accepted.unit.name, "state": "accepted",
        "version": accepted.version, "submitted_at": accepted.submitted_at.isoformat(),
        "accepted_at": accepted.accepted_at.isoformat()}]
    totals = {t["code"]: t for t in data["totals"]}
    assert totals["I.1.a"]["value"] == Decimal(40) and totals["I.1.a"]["units"] == 1
    assert totals["III.4.c.2"]["value"] == 0  # a zero stays zero
    assert data["approval"]["approved_by"] == "leader"
    assert data["coverage"]["received"] >= 1
    assert len(data["totals"]) == province.template.indicators.count()


def test_a_blank_total_is_null_never_zero(province, accepted, personas):
    files = _files(build_package(province).data)
    data = json.loads(files["package.json"], parse_float=Decimal)
    blank = [t for t in data["totals"] if t["units"] == 0]
    assert blank and all(t["value"] is None for t in blank)
    text = files["package.json"].decode()
    assert f'"code": "{blank[0]["code"]}",\n   "value": null' in text


def test_the_manifest_lists_every_file_with_its_hash_and_size(province, personas, accepted):
    files = _files(build_package(province).data)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["package_sha256"] == hashlib.sha256(files["package.json"]).hexdigest()
    assert {f["name"]: (f["sha256"], f["size"]) for f in manifest["files"]} == {
        name: (hashlib.sha256(data).hexdigest(), len(data)) for name, data in files.items()}


def test_the_schema_refuses_zero_for_blank_s_absence_and_a_text_value(province, personas,
                                                                        accepted):
    data = _package(build_package(province).data)
    data["totals"][0]["value"] = "40"
    del data["coverage"]["expected"]
    errors = schema_errors(data)
    assert len(errors) == 2
    assert errors[0].startswith("coverage: 'expected' is a required property")
    assert errors[1].startswith("totals/0/value: '40' is not of type")


def test_it_refuses_to_build_when_the_values_moved_since_approval(province, accepted, personas,
                                                                   system):
    do_transition(accepted, Step.REOPEN, acting_user=system, text="Sửa số nhiệm vụ")
    with pytest.raises(ParstatError) as refused:
        build_package(province)
    assert refused.value.code == "province.drifted"
    assert "ST-SKHDT: v" in refused.value.message and "I.1.a: 40 → trống" in refused.value.message
    office = actor(personas["consolidator"])
    with pytest.raises(ParstatError) as refused:
        do_send_province_report(province, acting_user=office, number="12/BC-UBND")
    assert refused.value.code == "province.drifted"
    province.refresh_from_db()
    assert province.state == ProvinceState.APPROVED and not SentPackage.objects.exists()


def test_it_refuses_a_report_not_approved(province, personas):
    do_province_step(province, ProvinceStep.REOPEN, acting_user=actor(personas["leader"]),
                     reason="Bổ sung")
    with pytest.raises(ParstatError) as refused:
        build_package(province)
    assert refused.value.code == "province.not_approved"


def test_sending_stores_the_package_it_sent_byte_for_byte(province, accepted, personas):
    sent = do_send_province_report(province, acting_user=actor(personas["consolidator"]),
                                   number="12/BC-UBND", issued_on=date(2023, 3, 20))
    province.refresh_from_db()
    assert province.state == ProvinceState.SENT
    stored = stored_package(province)
    assert stored == sent and bytes(stored.data) == bytes(sent.data)
    assert sent.sha256 == hashlib.sha256(bytes(sent.data)).hexdigest()
    data = _package(bytes(sent.data))
    assert data["report"]["state"] == "sent" and data["report"]["version"] == province.version
    assert (data["report"]["document_number"], data["report"]["document_date"]) == (
        "12/BC-UBND", "2023-03-20")
    assert province.events.last().action == "sent"
