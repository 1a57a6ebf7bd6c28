"""The `parstat` command line, used as a person would: subcommands, output, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parstat.cli import ALIASES
from tests.conftest import SEED_FILE

# Reports are filed into periods `parstat init` makes: every test here has them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("periods")]


def run(*args: str) -> str:
    """Run a documented `parstat` subcommand in-process and return what it printed."""
    out = StringIO()
    name = ALIASES.get(args[0], args[0])
    call_command(name, *args[1:], stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_imports_the_seed_and_prints_a_summary(units):
    out = run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q1")
    assert "Mới: 75 · Cập nhật: 1 · Không đổi: 102" in out
    assert "Báo cáo số 81/BC-SKHĐT ngày 17/03/2023" in out
    assert "2 lỗi, 1 cảnh báo" in out


def test_it_prints_the_import_as_json(units):
    data = json.loads(run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q1",
                          "--json"))
    assert set(data) >= {"matched", "unmatched", "missing", "findings", "summary"}
    first = data["matched"][1]
    assert first | {"row": 12, "code": "I.1.a", "label": "Số nhiệm vụ đề ra trong kế hoạch",
                    "file_label": "Số nhiệm vụ đề ra trong kế hoạch", "value": 40,
                    "score": 100} == first
    assert data["summary"]["imported"] == 75 and data["summary"]["unchanged"] == 102  # + the note of I.2
    again = json.loads(run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q1",
                           "--json"))
    assert again["summary"]["imported"] == again["summary"]["updated"] == 0


def test_it_dry_runs_for_a_unit_that_does_not_exist(db):
    out = run("import", str(SEED_FILE), "--unit", "NOWHERE", "--period", "2023Q1", "--dry-run")
    assert out.startswith("THỬ (không lưu)")
    with pytest.raises(CommandError, match=r"\[report.not_found\]|\[unit.not_found\]"):
        run("export", "--unit", "NOWHERE", "--period", "2023Q1", "--format", "json")


def test_it_refuses_an_unknown_unit_with_a_code_and_a_hint(db):
    with pytest.raises(CommandError) as refused:
        run("import", str(SEED_FILE), "--unit", "NOWHERE", "--period", "2023Q1")
    assert "[unit.not_found]" in str(refused.value) and "parstat units" in str(refused.value)


def test_it_refuses_a_bad_period(units):
    with pytest.raises(CommandError, match=r"\[period.invalid\].*2023Q2"):
        run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q2")


def test_it_exits_1_from_check_when_an_error_stands(units):
    run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q1")
    with pytest.raises(SystemExit) as exited:
        run("check", "--unit", "ST-SKHDT", "--period", "2023Q1")
    assert exited.value.code == 1


def test_it_exports_json_csv_and_xlsx(units, tmp_path):
    run("import", str(SEED_FILE), "--unit", "ST-SKHDT", "--period", "2023Q1")
    for fmt in ("json", "csv", "xlsx"):
        call_command("export_report", "--unit", "ST-SKHDT", "--period", "2023Q1", "--format",
                     fmt, "-o", str(tmp_path / f"out.{fmt}"), stderr=StringIO())
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    by_code = {i["code"]: i for i in data["indicators"]}
    assert len(by_code) == 178
    assert by_code["I.1"]["value"] == 32.5 and by_code["I.1"]["derived"] is True
    assert by_code["VII.3.a"]["value"] == 1327
    assert by_code["I.2.a"]["value"] is None and by_code["III.5.a"]["value"] == 0
    assert data["period"] == {"code": "2023Q1", "start": "2022-12-15", "end": "2023-03-14",
                              "deadline": "2023-03-16"}
    assert data["state"] == "draft" and data["unit"]["code"] == "ST-SKHDT"
    assert {f["rule"] for f in data["findings"]} == {"R08", "R26", "R27"}
    csv_lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "code,stt,section,label,unit,kind,value,derived,note"
    assert any(line.startswith("I.2.a,,I,") and ",count,,false," in line for line in csv_lines)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    numbers = [c.value for row in sheet.iter_rows() for c in row if c.value == 1327]
    assert numbers == [1327, 1327]


def test_it_lists_units_as_json(units):
    rows = {u["code"]: u for u in json.loads(run("units", "--json"))}
    assert rows["ST-SKHDT"]["successor"] == "ST-STC"
    assert rows["ST-SKHDT"]["valid_to"] == "2025-02-16"
    assert rows["ST-SKHDT"]["name"] == "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"


def test_it_is_installed_as_one_console_command(tmp_path):
    # The real entry point, in a process of its own, on a database of its own.
    env = {"PARSTAT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    parstat = [sys.executable, "-m", "parstat.cli"]
    subprocess.run([*parstat, "init", "--year", "2023"], env=env, check=True, capture_output=True)
    done = subprocess.run([*parstat, "import", str(SEED_FILE), "--unit", "X", "--period",
                           "2023Q1", "--dry-run", "--json"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["imported"] == 75


def test_it_says_a_value_the_file_clears_is_left_blank(seed_report, tmp_path):
    """«40» → «» would read as an empty text: a blank is said."""
    from tests.conftest import SEED_FILE

    path = tmp_path / "bang1.txt"
    path.write_text(SEED_FILE.read_text(encoding="utf-8").replace("Nhiệm vụ\t40\t", "Nhiệm vụ\t\t"),
                    encoding="utf-8")
    out = StringIO()
    call_command("import_report", str(path), "--unit", "ST-SKHDT", "--period", "2023Q1",
                 "--dry-run", stdout=out)
    assert "Đổi, dòng 12: I.1.a «40» → (trống)" in out.getvalue()
