"""Import fidelity on the generated corpus: per file and in total, how many values were stored
right, stored wrong, refused, proposed (right / wrong candidate), unmatched, silently lost.

The corpus (tests/fidelity_corpus.py) is built by code: Word, Excel and CSV files combining the
layouts that broke imports (issue #9), each row with the value it means. Every file is imported
into a scratch SQLite database, unaided (no --table, --value-column or --confirm), and scored by
tests/fidelity_score.py. Exit status 1 when any value is stored wrong or lost.

    .venv/bin/python bench/fidelity.py
    .venv/bin/python bench/fidelity.py --verbose   # list every wrong or lost value
    .venv/bin/python bench/fidelity.py --seed 3    # the same layouts, other values
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = (("right", "right"), ("wrong", "wrong"), ("refused", "refused"),
           ("proposed_right", "prop.ok"), ("proposed_wrong", "prop.bad"),
           ("unmatched", "unmatched"), ("lost", "lost"))


def _setup_django(data_dir: Path) -> None:
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'fidelity.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from parstat.catalog.loader import load_builtin_templates

    load_builtin_templates()
    from parstat.reporting.periods import periods_of_year

    for year in (2023, 2024):  # the corpus' periods, as `parstat init --year …` makes them
        periods_of_year(year)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list wrong and lost values")
    parser.add_argument("--seed", type=int, default=9, help="another seed gives other values "
                                                          "and wordings in the same layouts")
    arguments = parser.parse_args()
    verbose = arguments.verbose
    with tempfile.TemporaryDirectory(prefix="parstat-fidelity-") as temp:
        _setup_django(Path(temp))
        from parstat.reporting.actions import Actor
        from parstat.reporting.models import Source
        from tests.fidelity_corpus import corpus
        from tests.fidelity_score import run_import, score

        actor = Actor(source=Source.CLI, origin="fidelity bench")
        total: Counter = Counter()
        print(f"{'file':34} " + " ".join(f"{h:>9}" for _k, h in COLUMNS) + f" {'ms':>6}  read")
        for corpus_file in corpus(arguments.seed):
            start = time.perf_counter()
            report, error = run_import(corpus_file, actor)
            elapsed = (time.perf_counter() - start) * 1000
            result = score(corpus_file, report, error)
            total.update(result.counts)
            how = (f"{report.table.get('where', '')} · cột «{report.value_column.get('header')}»"
                   if report else f"refused: {result.error[:60]}")
            if report and report.questions:
                how = "asked: " + ", ".join(q["code"] for q in report.questions)
            print(f"{corpus_file.name:34} " + " ".join(f"{result.counts[k]:9d}" for k, _h
                                                       in COLUMNS) + f" {elapsed:6.0f}  {how}")
            if verbose:
                for line in result.wrong + result.lost:
                    print(f"    {line}")
        print(f"{'TOTAL':34} " + " ".join(f"{total[k]:9d}" for k, _h in COLUMNS))
        values = sum(total[k] for k, _h in COLUMNS)
        print(f"values {values} · stored right {100 * total['right'] / max(values, 1):.1f} % "
              f"unaided · wrong {total['wrong']} · lost {total['lost']}")
        return 1 if total["wrong"] or total["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
