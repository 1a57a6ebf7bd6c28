"""The ``parstat`` console command: Django's management commands under domain names.

``parstat import`` and ``parstat check`` cannot be Django command names (``import`` is a Python
keyword, ``check`` is Django's own), so the few aliases below map the documented names to the
commands that implement them. Everything else passes straight through (``parstat migrate``,
``parstat runserver``, …).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "import": "import_report",
    "import-batch": "import_batch",
    "export": "export_report",
    "check": "check_report",
    "rebuild-totals": "rebuild_totals",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    elif args and args[0] == "django-check":
        args[0] = "check"
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["parstat", *args])
    except BrokenPipeError:
        # `parstat export … | head` closing the pipe early is not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
