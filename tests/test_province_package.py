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
from django.core.management import CommandError, call_command

from parstat.errors import ParstatError
from parstat.narrative.outline import load_outline
from parstat.narrative.province import do_set_province_narrative
from parstat.province.models import ProvinceState, SentPackage
from parstat.province.package import (
    SCHEMA_PATH,
    build_package,
    do_send_province_report,
    schema_errors,
    sent_package,
    stored_package,
)
from parstat.province.workflow import ProvinceStep, do_province_step
from parstat.reporting.workflow import Step, do_transition
from parstat.units.models import OrgUnit

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
    version = accepted.version - 1  # the version approved, before the reopening
    assert f"ST-SKHDT v{version} → –" in refused.value.message  # no longer counted
    assert "I.1.a 40 → –" in refused.value.message  # now blank
    assert f"ST-SKHDT v{version} → –; " in refused.value.message_en
    assert "no longer matches" in refused.value.message_en
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


def test_the_whole_province_report_comes_with_its_narrative_when_the_province_wrote_one(
        accepted, personas):
    load_outline()
    root = OrgUnit.objects.get(code="ST")
    office = actor(personas["consolidator"])
    do_set_province_narrative(root, accepted.period, accepted.template, "I",
                              "Tỉnh giao {{I.1.a}} nhiệm vụ.", acting_user=office)
    report = approve_province(accepted, personas["consolidator"], personas["leader"])
    files = _files(build_package(report).data)
    assert {"bao-cao.docx", "bao-cao.pdf"} <= set(files)
    data = json.loads(files["package.json"], parse_float=Decimal)
    assert data["narrative"] == {"I": "Tỉnh giao {{I.1.a}} nhiệm vụ."}
    assert "bao-cao.docx" in data["documents"]
    from docx import Document

    document = Document(io.BytesIO(files["bao-cao.docx"]))
    text = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "Tỉnh giao 40 nhiệm vụ." in text and "ỦY BAN NHÂN DÂN\nTỈNH SÓC TRĂNG" in text
    assert "DỰ THẢO" not in text  # approved and still matching: the final document


def test_the_command_line_says_why_it_will_not_build(province, accepted, system, tmp_path):
    do_transition(accepted, Step.REOPEN, acting_user=system, text="Sửa")
    with pytest.raises(CommandError, match=r"\[province.drifted\]"):
        call_command("package", "build", "--unit", "ST", "--period", "2023Q1",
                     "-o", str(tmp_path / "p.zip"))
    assert not (tmp_path / "p.zip").exists()
    with pytest.raises(CommandError, match=r"\[province.no_report\]"):
        call_command("package", "build", "--unit", "ST", "--period", "2023Q2")


def test_the_command_line_writes_the_package_it_sent(province, personas, tmp_path):
    sent = do_send_province_report(province, acting_user=actor(personas["consolidator"]),
                                   number="12/BC-UBND")
    out = io.StringIO()
    call_command("package", "build", "--unit", "ST", "--period", "2023q1",
                 "-o", str(tmp_path / "p.zip"), stdout=out)
    assert (tmp_path / "p.zip").read_bytes() == bytes(sent.data)
    assert sent.sha256 in out.getvalue() and "gói đã gửi" in out.getvalue()


def test_the_page_downloads_the_sent_package_byte_for_byte_for_its_readers_only(
        province, personas, sign_in):
    url = "/periods/2023Q1/bao-cao-tinh/ST/goi-so-lieu/"
    sent = do_send_province_report(province, acting_user=actor(personas["consolidator"]),
                                   number="12/BC-UBND")
    response = sign_in("viewer").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.content == bytes(sent.data)
    assert sign_in("outsider").get(url).status_code == 404
    assert sign_in("reporter").get(url).status_code == 404
    do_province_step(province, ProvinceStep.REOPEN, acting_user=actor(personas["leader"]),
                     reason="Sửa")
    response = sign_in("consolidator").get(url)
    assert response.status_code == 422 and "chưa được lãnh đạo tỉnh duyệt" in (
        response.content.decode())


def test_a_report_sent_by_the_bare_step_gets_its_package_stored_when_first_asked(
        province, personas):
    do_province_step(province, ProvinceStep.SEND, acting_user=actor(personas["consolidator"]),
                     number="12/BC-UBND")
    assert not SentPackage.objects.exists()
    first = sent_package(province)
    assert sent_package(province) == first and SentPackage.objects.count() == 1
    assert _package(bytes(first.data))["report"]["state"] == "sent"
