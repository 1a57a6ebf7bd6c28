"""`parstat --help` and `parstat help NAME` by the names people type (import, export, check)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from parstat.cli import command_listing


def parstat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "parstat.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_it_lists_commands_by_the_names_people_type():
    listing = parstat("--help")
    assert listing.returncode == 0
    names = {line.strip() for line in listing.stdout.splitlines() if line.startswith("    ")}
    assert {"import", "import-batch", "export", "check", "django-check"} <= names
    assert not {"import_report", "import_batch", "export_report", "check_report"} & names


@pytest.mark.parametrize(("typed", "usage"), [("import", "import_report [-h]"),
                                              ("export", "export_report"),
                                              ("import-batch", "import_batch"),
                                              ("check", "check_report"),
                                              ("django-check", "parstat check [-h]")])
def test_it_answers_help_for_a_typed_name(typed, usage):
    answer = parstat("help", typed)
    assert answer.returncode == 0, answer.stderr
    assert usage in answer.stdout and "Unknown command" not in answer.stderr


def test_it_sorts_each_section_after_renaming():
    django = "\n[console]\n    check_report\n    export_report\n    import_batch\n    init\n"
    assert command_listing(django).splitlines() == [
        "", "[console]", "    check", "    export", "    import-batch", "    init"]
