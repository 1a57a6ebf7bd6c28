"""PDF exports (WeasyPrint): ms per PDF with the old style sheet against today's, in one run.

    PARSTAT_DATA_DIR=/tmp/i18n-walk .venv/bin/parstat init --demo    # once
    PARSTAT_DATA_DIR=/tmp/i18n-walk .venv/bin/python bench/pdf_bench.py [--runs N] [--png DIR]

Four documents of the demo: the seed unit's table (``parstat export --appendix-only``, the
report page's PDF download), its whole report (narrative, heading block, then the table: the
narrative page's download), the demo department DEMO-S11's latest table, and Sóc Trăng's
consolidated table by unit (one column per department), which keeps the automatic layout
(see ``parstat/exports/pdf.py``) and so measures the noise: its ratio should be about 1. Each is written from the same HTML twice per round, alternating so that a busy
neighbour slows both alike:

- baseline: the grid laid out as it was before (``pdf.GRID_LAYOUT = "auto"``: the automatic
  table layout, every column's width given), i.e. the old option set;
- today: :mod:`parstat.exports.pdf` as it is.

Prints the median and minimum ms per PDF and the ratio. It also checks what a faster PDF must
keep: every page rendered to PNG (pypdfium2, 100 dpi) is the same, pixel for pixel, in both; the
text of every page is the same (so every Vietnamese letter is there); and the embedded fonts are
the same subsets of Liberation Serif (Times New Roman's metric twin). ``--png DIR`` keeps both
PNGs of each page to look at. Exit status 1 when any check fails. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")

import django  # noqa: E402

django.setup()

import pypdfium2  # noqa: E402
from weasyprint import HTML  # noqa: E402

from parstat.exports import pdf  # noqa: E402
from parstat.exports.build import report_table  # noqa: E402
from parstat.exports.service import ExportRequest, table_for  # noqa: E402
from parstat.narrative.document import report_document  # noqa: E402
from parstat.reporting.models import Report  # noqa: E402
from parstat.units.registry import SEED_PERIOD_CODE, SEED_UNIT_CODE  # noqa: E402


def baseline_html(build: Callable[[], str]) -> str:
    """The HTML as the old option set wrote it: the grid laid out automatically."""
    pdf.GRID_LAYOUT = "auto"
    try:
        return build()
    finally:
        pdf.GRID_LAYOUT = "fixed"


def documents() -> dict[str, Callable[[], str]]:
    seed = Report.objects.get(unit__code=SEED_UNIT_CODE, period__code=SEED_PERIOD_CODE,
                              template__code__startswith="B1")
    consolidated = table_for(ExportRequest("ST", SEED_PERIOD_CODE, "pdf", consolidated=True,
                                           by_unit=True))
    demo = (Report.objects.filter(unit__code="DEMO-S11").order_by("-period__end").first()
            or seed)
    table, document, other = report_table(seed), report_document(seed), report_table(demo)
    return {"unit table": lambda: pdf.build_html(table),
            "whole report": lambda: pdf.build_report_html(document),
            f"{demo.unit.code} {demo.period.code}": lambda: pdf.build_html(other),
            "consolidated by unit": lambda: pdf.build_html(consolidated)}


def write(html: str) -> tuple[float, bytes]:
    out = io.BytesIO()
    start = time.perf_counter()
    HTML(string=html).write_pdf(out)
    return (time.perf_counter() - start) * 1000, out.getvalue()


def pages(data: bytes) -> tuple[list[bytes], list[str], list[object]]:
    document = pypdfium2.PdfDocument(data)
    images = [document[i].render(scale=100 / 72).to_pil() for i in range(len(document))]
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return [i.tobytes() for i in images], texts, images


def fonts(data: bytes) -> list[str]:
    """The embedded fonts' names, read in the PDF's (compressed) object streams: a subset's
    name is a tag and the font's name, "ABCDEF+LiberationSerif-Bold"."""
    plain = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            plain.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sorted({m.decode() for chunk in plain
                   for m in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", chunk)})


def check(name: str, build: Callable[[], str], png: Path | None) -> list[str]:
    _, old = write(baseline_html(build))
    _, new = write(build())
    (old_pixels, old_text, old_images), (new_pixels, new_text, new_images) = pages(old), pages(new)
    problems = []
    if old_pixels != new_pixels:
        differ = [i + 1 for i, (a, b) in enumerate(zip(old_pixels, new_pixels, strict=False)) if a != b]
        problems.append(f"{name}: pages differ ({len(old_pixels)} → {len(new_pixels)} pages, "
                        f"pages {differ} not the same)")
    if old_text != new_text:
        problems.append(f"{name}: text differs")
    if fonts(old) != fonts(new) or not all(f.startswith("Liberation-Serif") for f in fonts(new)):
        problems.append(f"{name}: fonts {fonts(old)} → {fonts(new)}")
    if not re.search("[Ệệồờữ]", "".join(new_text)):
        problems.append(f"{name}: no Vietnamese letter in the text")
    if png is not None:
        png.mkdir(parents=True, exist_ok=True)
        stem = name.replace(" ", "-")
        for i, (a, b) in enumerate(zip(old_images, new_images, strict=False), start=1):
            a.save(png / f"{stem}-{i}-baseline.png")  # type: ignore[attr-defined]
            b.save(png / f"{stem}-{i}-today.png")  # type: ignore[attr-defined]
    print(f"{name}: {len(new_pixels)} pages, {len(new)} bytes, fonts {', '.join(fonts(new))}")
    return problems


def timed(runs: int, build: Callable[[], str]) -> tuple[list[float], list[float]]:
    old_html, html = baseline_html(build), build()
    old, new = [], []
    for _ in range(runs):
        old.append(write(old_html)[0])
        new.append(write(html)[0])
    return old, new


def summary(ms: list[float]) -> str:
    return f"median {statistics.median(ms):6.0f} ms, min {min(ms):6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    chosen = documents()
    problems = [p for name, build in chosen.items() for p in check(name, build, args.png)]
    for name, build in chosen.items():
        old, new = timed(args.runs, build)
        ratio = statistics.median(new) / statistics.median(old)
        print(f"{name:22} baseline {summary(old)} · today {summary(new)} · ratio {ratio:.2f}")
    for problem in problems:
        print("FAIL", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
