"""The national view of the received province packages: each province with its coverage, the
totals side by side, the national sum where a row adds up; blank stays blank."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from parstat.catalog.models import Template
from parstat.province.models import ReceivedPackage, ReceivedTotal
from parstat.province.national import national_tables

pytestmark = pytest.mark.django_db


def _received(template: Template, code: str, name: str, values: dict[str, Decimal | None],
              *, version: int = 3, superseded: bool = False) -> ReceivedPackage:
    now = timezone.now()
    package = ReceivedPackage.objects.create(
        province_code=code, province_name=name, period_code="2023Q1", template=template,
        version=version, state="sent", document_number="12/BC-UBND", approved_at=now,
        scope="accepted", scope_size=30, expected=28, received=27, content_sha256=code * 8,
        zip_sha256="0" * 64, data=b"", received_at=now,
        superseded_at=now if superseded else None)
    for indicator_code, number in values.items():
        ReceivedTotal.objects.create(package=package,
                                     indicator=template.indicators.get(code=indicator_code),
                                     number=number, units=0 if number is None else 5)
    return package


@pytest.fixture
def received(seed_report):  # type: ignore[no-untyped-def]
    template = seed_report.template
    _received(template, "ST", "Tỉnh Sóc Trăng", {"I.1.a": Decimal(40), "I.1.b": None})
    _received(template, "HG", "Tỉnh Hậu Giang", {"I.1.a": Decimal(12), "I.1.b": Decimal(0)})
    _received(template, "HG", "Tỉnh Hậu Giang", {"I.1.a": Decimal(999)}, version=1,
              superseded=True)
    return template


def test_it_adds_up_the_provinces_that_gave_a_number_and_leaves_blank_blank(received):
    [table] = national_tables("2023Q1")
    assert [p.province_code for p in table.packages] == ["HG", "ST"]  # the versions in force
    rows = {row.indicator.code: row for row in table.rows}
    assert (rows["I.1.a"].total.value, rows["I.1.a"].total.units, rows["I.1.a"].answered) == (
        Decimal(52), 10, 2)
    # Sóc Trăng left I.1.b blank: Hậu Giang's 0 is the sum, over its units alone.
    assert (rows["I.1.b"].total.value, rows["I.1.b"].total.units, rows["I.1.b"].answered) == (
        Decimal(0), 5, 1)
    assert [c.value if c else "absent" for c in rows["I.1.b"].cells] == [Decimal(0), None]
    untouched = next(r for r in table.rows if r.total is not None and r.answered == 0)
    assert untouched.total.value is None  # nobody answered: blank, never 0
    assert rows["I.1"].total is None  # a rate does not add up


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("consolidator", 200), ("viewer", 200), ("outsider", 200),
    ("reporter", 404), ("leader", 404)])
def test_the_national_page_shows_only_to_those_of_a_top_unit(received, sign_in, who, status):
    response = sign_in(who).get("/quoc-gia/2023Q1/")
    assert response.status_code == status


def test_the_national_page_shows_each_province_and_the_sum(received, sign_in):
    html = sign_in("admin").get("/quoc-gia/2023Q1/").content.decode()
    assert "Tỉnh Sóc Trăng" in html and "Tỉnh Hậu Giang" in html and "27/28" in html
    row = re.search(r'<tr data-code="I.1.a">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', row, re.S)
    assert cells[0] == "12" and cells[1] == "40" and cells[2].startswith("52 ")
    row = re.search(r'<tr data-code="I.1.b">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num[^"]*">(.*?)</td>', row, re.S)[:2] == ["0", ""]
    group = re.search(r'<tr data-code="I.2" class="group">(.*?)</tr>', html, re.S).group(1)
    assert "Kiểm tra CCHC" in group and 'class="num' not in group  # a heading, no figures
    home = sign_in("admin").get("/").content.decode()
    assert 'href="/quoc-gia/2023Q1/"' in home
    assert 'href="/quoc-gia/' not in sign_in("reporter").get("/").content.decode()


def _choice(package: ReceivedPackage, code: str, units: int, counts: dict[str, int]) -> None:
    ReceivedTotal.objects.create(package=package, indicator=package.template.indicators.get(
        code=code), number=None, units=units, counts=counts)


@pytest.fixture
def choices(seed_report):  # type: ignore[no-untyped-def]
    """I.7.b (survey form: Trực tuyến 0, Phát phiếu 1, Kết hợp 2) as three provinces sent it:
    two answered, one left it blank (every option 0, no unit), one has no such row at all."""
    template = seed_report.template
    _choice(_received(template, "ST", "Tỉnh Sóc Trăng", {}), "I.7.b", 5,
            {"0": 3, "1": 0, "2": 2})
    _choice(_received(template, "HG", "Tỉnh Hậu Giang", {}), "I.7.b", 4,
            {"0": 1, "1": 3, "2": 0})
    _choice(_received(template, "CM", "Tỉnh Cà Mau", {}), "I.7.b", 0, {"0": 0, "1": 0, "2": 0})
    _received(template, "BL", "Tỉnh Bạc Liêu", {"I.1.a": Decimal(7)})
    _choice(_received(template, "HG", "Tỉnh Hậu Giang", {}, version=1, superseded=True),
            "I.7.b", 9, {"0": 9, "1": 0, "2": 0})
    return template


def test_it_adds_up_a_choice_row_option_by_option_over_the_provinces_that_answered(choices):
    [table] = national_tables("2023Q1")
    assert [p.province_code for p in table.packages] == ["BL", "CM", "HG", "ST"]
    row = next(r for r in table.rows if r.indicator.code == "I.7.b")
    assert [(o.label, o.units) for o in row.total.options] == [
        ("Trực tuyến", 4), ("Phát phiếu", 3), ("Kết hợp", 2)]
    assert (row.answered, row.total.units, row.total.value) == (2, 9, None)
    # Bạc Liêu has no such row, Cà Mau answered nobody: neither is a province of zeros.
    assert row.cells[0] is None and row.cells[1].options == ()
    assert [o.units for o in row.cells[2].options] == [1, 3, 0]
    # Once no province in force answered it, the national cell is blank, not three zeros.
    ReceivedTotal.objects.filter(indicator__code="I.7.b").update(units=0)
    [table] = national_tables("2023Q1")
    nobody = next(r for r in table.rows if r.indicator.code == "I.7.b")
    assert (nobody.answered, nobody.total.options, nobody.total.units) == (0, (), 0)


def test_the_national_page_shows_the_choice_counts_and_how_many_provinces_answered(
        choices, sign_in):
    html = sign_in("admin").get("/quoc-gia/2023Q1/").content.decode()
    row = re.search(r'<tr data-code="I.7.b">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', row, re.S)
    assert cells[0] == "" and cells[1] == ""  # Bạc Liêu (no row), Cà Mau (no answer)
    assert re.findall(r"<li[^>]*>(.*?)</li>", cells[2]) == [
        "Trực tuyến: 1", "Phát phiếu: 3", "Kết hợp: 0"]
    assert re.findall(r"<li[^>]*>(.*?)</li>", cells[4]) == [
        "Trực tuyến: 4", "Phát phiếu: 3", "Kết hợp: 2"]
    assert "(2 tỉnh, 9 đơn vị)" in cells[4]
