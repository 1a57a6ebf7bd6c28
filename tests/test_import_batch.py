"""A folder or a .zip of report files: one report per file, unit from header or file name, one bad
file never stops the others, the same batch twice changes nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parstat.errors import ParstatError
from parstat.imports.batch import import_batch
from parstat.reporting.models import Report, ReportEvent, ValueChange
from tests.import_fixtures import ole_file, seed_csv, seed_docx, seed_xlsx, zip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_files() -> dict[str, bytes]:
    return {
        "bao cao so KHDT.docx": seed_docx(),  # unit from the header's issuer
        "ST-STC_quy1.xlsx": seed_xlsx(title=["BẢNG 1"]),  # no issuer: unit from the file name
        "bang cu.doc": ole_file("WordDocument"),  # refused; the others still import
        "~$bao cao so KHDT.docx": b"lock file of an open document",  # not a report: skipped
    }


@pytest.fixture
def folder(tmp_path: Path, batch_files: dict[str, bytes]) -> Path:
    for name, data in batch_files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def run(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("import_batch", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_each_file_goes_to_its_unit_and_a_bad_one_is_reported(units, folder, system):
    result = import_batch(folder, period_code="2023Q1", acting_user=system)
    outcomes = {f.file: f for f in result.files}
    assert set(outcomes) == {"bao cao so KHDT.docx", "ST-STC_quy1.xlsx", "bang cu.doc"}
    assert outcomes["bao cao so KHDT.docx"].unit == "ST-SKHDT"
    assert outcomes["ST-STC_quy1.xlsx"].unit == "ST-STC"
    assert outcomes["bang cu.doc"].error.code == "import.legacy_format"
    assert Report.objects.filter(period__code="2023Q1").count() == 2
    assert result.totals()["imported"] == 150 and result.totals()["failed"] == 1


def test_the_same_batch_twice_changes_nothing(units, folder, system):
    import_batch(folder, period_code="2023Q1", acting_user=system)
    changes, events = ValueChange.objects.count(), ReportEvent.objects.count()
    again = import_batch(folder, period_code="2023Q1", acting_user=system)
    assert again.totals()["imported"] == again.totals()["updated"] == 0
    assert (ValueChange.objects.count(), ReportEvent.objects.count()) == (changes, events)


def test_a_zip_batch_is_read_in_memory(units, tmp_path, batch_files, system):
    archive = tmp_path / "quy1.zip"
    archive.write_bytes(zip_of({f"Quý I/{name}": data for name, data in batch_files.items()}))
    result = import_batch(archive, period_code="2023Q1", dry_run=True, acting_user=system)
    assert [f.unit for f in result.files if not f.failed] == ["ST-STC", "ST-SKHDT"]
    assert Report.objects.count() == 0


def test_a_zip_with_a_path_climbing_out_is_refused_whole(units, tmp_path, system):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zip_of({"ST-STC.csv": seed_csv(), "../../ST-SKHDT.csv": seed_csv()}))
    with pytest.raises(ParstatError) as refused:
        import_batch(archive, period_code="2023Q1", acting_user=system)
    assert refused.value.code == "import.unsafe_path" and Report.objects.count() == 0
    assert not (tmp_path.parent / "ST-SKHDT.csv").exists()


def test_two_files_of_one_unit_import_the_first_only(units, tmp_path, system):
    (tmp_path / "a.docx").write_bytes(seed_docx())
    (tmp_path / "b.csv").write_bytes(seed_csv())
    result = import_batch(tmp_path, period_code="2023Q1", acting_user=system)
    assert [f.error.code if f.error else None for f in result.files] == [
        None, "import.batch_duplicate"]


def test_a_file_of_no_known_unit_fails_alone(units, tmp_path, system):
    (tmp_path / "khong ro.xlsx").write_bytes(seed_xlsx(title=["BẢNG 1"]))
    (tmp_path / "ST-STC.csv").write_bytes(seed_csv())
    result = import_batch(tmp_path, period_code="2023Q1", acting_user=system)
    assert [f.error.code if f.error else f.unit for f in result.files] == [
        "ST-SKHDT", "import.unit_unknown"]  # the header's issuer wins over the file name
    assert any("ST-STC" in note for note in result.files[0].notes)


def test_the_command_prints_one_line_per_file_and_totals_and_fails(units, folder):
    out, error = run(str(folder), "--period", "2023Q1")
    assert error is not None and "1 tệp không nhập được" in str(error)
    lines = out.splitlines()
    assert any(line.startswith("  bao cao so KHDT.docx · ST-SKHDT · mới 75") for line in lines)
    assert any("bang cu.doc" in line and "[import.legacy_format]" in line for line in lines)
    assert lines[-1].startswith("Tổng: 3 tệp, 1 thất bại · mới 150")


def test_the_command_prints_json(units, tmp_path):
    (tmp_path / "ST-STC.csv").write_bytes(seed_csv())
    out, error = run(str(tmp_path), "--period", "2023Q1", "--json", "--dry-run")
    data = json.loads(out)
    assert error is None and data["dry_run"] and data["totals"]["files"] == 1
    [line] = data["files"]
    assert line["unit"] == "ST-SKHDT" and line["imported"] == 75  # the header wins over the name


def test_an_empty_folder_is_an_error(units, tmp_path, system):
    with pytest.raises(ParstatError) as refused:
        import_batch(tmp_path, period_code="2023Q1", acting_user=system)
    assert refused.value.code == "import.batch_empty"
