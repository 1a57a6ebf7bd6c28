from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from parstat.console.output import actor_from, add_actor_argument, dumps, user_errors
from parstat.imports.batch import BatchReport, FileOutcome, PeriodOverrides, import_batch
from parstat.ops.heap import freeze_startup_objects

T = TypeVar("T")


def progress_bar(items: list[T]) -> Iterable[T]:
    # On stderr, and only on a terminal (disable=None): stdout stays clean for --json and pipes.
    return tqdm(items, desc="Nhập tệp", unit="tệp", file=sys.stderr, disable=None, leave=False)


def file_period(text: str) -> tuple[str, str]:
    name, _, period = text.rpartition("=")
    if not name or not period.strip():
        raise ValueError(text)
    return name, period.strip()


class Command(BaseCommand):
    help = ("Import every report file of a folder or a .zip (one report per file, unit from "
            "each file's header or name) for one period.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a folder or a .zip of report files")
        parser.add_argument("--period", required=True, help="2023Q1, 2023S1, 2023Q3 or 2023")
        parser.add_argument("--file-period", action="append", type=file_period, default=[],
                            metavar="NAME=PERIOD",
                            help="import file NAME into PERIOD instead of the batch's period "
                                 "(its title stated another); repeatable")
        parser.add_argument("--accept-period", action="append", default=[], metavar="NAME",
                            help="import file NAME into the batch's period although its title "
                                 "states another; repeatable")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; store nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        add_actor_argument(parser)

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"Không tìm thấy {path}.")
        freeze_startup_objects()  # hundreds of files: see parstat/ops/heap.py
        bar: Callable[[list[Any]], Iterable[Any]] = progress_bar
        overrides = PeriodOverrides(forced=dict(options["file_period"]),
                                    accepted=frozenset(options["accept_period"]))
        result = import_batch(path, period_code=options["period"], dry_run=options["dry_run"],
                              acting_user=actor_from(options), progress=bar,
                              overrides=overrides)
        if options["json"]:
            self.stdout.write(dumps(result.as_dict()))
        else:
            self._print(result)
        totals = result.totals()
        if totals["failed"] or totals["conflicts"]:
            raise CommandError(f"{totals['failed']} tệp không nhập được, "
                               f"{totals['conflicts']} giá trị không hợp lệ không được lưu.")

    def _print(self, result: BatchReport) -> None:
        head = "THỬ (không lưu): " if result.dry_run else ""
        self.stdout.write(f"{head}{result.source} → kỳ {result.period}, {len(result.files)} tệp")
        for outcome in result.files:
            self.stdout.write(self._line(outcome))
        t = result.totals()
        self.stdout.write(f"Tổng: {t['files']} tệp, {t['failed']} thất bại · mới {t['imported']}"
                          f" · cập nhật {t['updated']} · không khớp {t['unmatched']}"
                          f" · giá trị lỗi {t['conflicts']} · lỗi kiểm tra {t['errors']}")

    def _line(self, outcome: FileOutcome) -> str:
        if outcome.error is not None:
            return self.style.ERROR(f"  {outcome.file} · {outcome.unit or '?'} · THẤT BẠI "
                                    f"[{outcome.error.code}] {outcome.error.message}")
        d = outcome.as_dict()
        notes = f" ({'; '.join(outcome.notes)})" if outcome.notes else ""
        return (f"  {outcome.file} · {outcome.unit} · mới {d['imported']} · cập nhật "
                f"{d['updated']} · không khớp {d['unmatched']} · giá trị lỗi {d['conflicts']}"
                f" · lỗi kiểm tra {d['errors']}{notes}")
