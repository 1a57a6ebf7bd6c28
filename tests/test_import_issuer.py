"""A given unit is checked against the document's issuer, never matched against the registry."""

from __future__ import annotations

import pytest

from parstat.imports.service import import_upload
from tests.fidelity_corpus import corpus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("periods")]


@pytest.fixture(scope="module")
def files():  # type: ignore[no-untyped-def]
    return {f.name: f for f in corpus()}


def _import(files, system, unit_code: str | None):  # type: ignore[no-untyped-def]
    corpus_file = files["01-toc-plan-ratio.docx"]
    return import_upload(corpus_file.data, corpus_file.name, unit_code=unit_code,
                         period_code="2024Q3", dry_run=True, acting_user=system)


@pytest.mark.django_db
def test_it_names_the_given_unit_when_the_issuer_is_its_name(units, files, system):
    report = _import(files, system, "ST-SKHDT")
    assert report.proposed.unit is not None
    assert (report.proposed.unit.code, report.proposed.unit_from) == ("ST-SKHDT", "option")


@pytest.mark.django_db
def test_it_proposes_no_other_unit_when_a_unit_is_given(units, files, system):
    report = _import(files, system, "ST-STC")
    assert report.proposed.unit is None  # the issuer is another unit's name: not this one
    assert _import(files, system, None).proposed.unit.code == "ST-SKHDT"


@pytest.mark.django_db
def test_it_never_matches_the_registry_when_a_unit_is_given(units, files, system, monkeypatch):
    def every_unit(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the issuer was matched against every registered unit")

    monkeypatch.setattr("parstat.imports.service.propose_unit", every_unit)
    report = _import(files, system, "ST-SKHDT")
    assert report.proposed.unit is not None and report.proposed.unit.code == "ST-SKHDT"
