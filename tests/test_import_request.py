"""The import edge: one request dataclass, codes resolved once, objects passed on (issue #15,
item 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from parstat.errors import ParstatError
from parstat.imports.service import ImportRequest, ImportTarget, resolve_target, run_import
from parstat.reporting.models import Report
from parstat.units.models import OrgUnit
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db
PARSTAT = Path(__file__).resolve().parent.parent / "parstat"
# The three edges that import one file: the upload page, the API route, `parstat import`.
EDGES = ("web/files.py", "api/routers/imports.py",
         "console/management/commands/import_report.py")


def test_it_resolves_codes_to_the_unit_period_and_edition_the_unit_fills(seed_report):
    target = resolve_target("ST-SKHDT", "2023q1")
    assert (target.unit, target.period, target.template) == (
        seed_report.unit, seed_report.period, seed_report.template)
    assert target.existing_report() == seed_report
    assert resolve_target(seed_report.unit, seed_report.period, seed_report.template) == target


@pytest.mark.parametrize(("codes", "error"), [
    (("NOWHERE", "2023Q1", None), "unit.not_found"),
    (("ST-SKHDT", "2019Q1", None), "period.not_found"),
    (("ST-SKHDT", "2023Q1", "NO-SUCH-TABLE"), "template.not_found"),
])
def test_it_names_the_code_it_cannot_resolve(seed_report, codes, error):
    with pytest.raises(ParstatError) as raised:
        resolve_target(*codes)
    assert raised.value.code == error


def test_it_imports_into_the_target_it_is_given_and_returns_the_report_as_left(
        seed_report, system):
    # Renamed after the target was resolved: the import uses the objects, never the codes again.
    target = ImportTarget.of(seed_report)
    OrgUnit.objects.filter(pk=seed_report.unit_id).update(code="RENAMED")
    result = run_import(ImportRequest.from_path(SEED_FILE, target=target, acting_user=system))
    assert result.stored is not None and result.stored.pk == seed_report.pk
    assert result.stored.version == Report.objects.get(pk=seed_report.pk).version


def test_a_dry_run_leaves_no_report_behind(seed_report, system):
    result = run_import(ImportRequest.from_path(SEED_FILE, target=ImportTarget.of(seed_report),
                                                dry_run=True, acting_user=system))
    assert result.dry_run and result.stored is None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("edge", EDGES)
def test_an_import_edge_passes_a_request_and_looks_no_code_up(edge):
    path = PARSTAT / edge
    text = path.read_text(encoding="utf-8")
    assert "ImportRequest" in text and "run_import(" in text
    assert not _imports(path) & {"parstat.catalog.models", "parstat.units.models",
                                 "parstat.reporting.periods", "parstat.catalog.editions"}
    assert "__kwdefaults__" not in text
