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
    "push-adx": "push_adx",
}


# Django's own `check` is reached as `parstat django-check`, since `check` is ours.
DJANGO_CHECK = "django-check"
HELP_WORDS = ("help", "--help", "-h")


def _typed_name(command: str) -> str:
    """The name people type for a command Django lists (import_report → import)."""
    typed = {target: name for name, target in ALIASES.items()}
    typed["check"] = DJANGO_CHECK
    return typed.get(command, command)


def command_listing(django_listing: str) -> str:
    """Django's list of subcommands with the names people type, each section sorted again."""
    blocks: list[list[str]] = [[]]
    for line in django_listing.splitlines():
        name = line.strip()
        if line.startswith("    ") and name and " " not in name:
            blocks[-1].append(f"    {_typed_name(name)}")
        else:
            blocks.append([line])
    return "\n".join(line for block in blocks
                     for line in block[:1] + sorted(block[1:])) if blocks else django_listing


def _print_listing() -> None:
    import django
    from django.core.management import ManagementUtility

    django.setup()
    print(command_listing(ManagementUtility(["parstat"]).main_help_text()))


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
    if not args or args == [args[0]] and args[0] in HELP_WORDS:
        _print_listing()
        return
    # `parstat help import` asks for the help of the command `import` stands for.
    at = 1 if args[0] == "help" and len(args) > 1 else 0
    if args[at] in ALIASES:
        args[at] = ALIASES[args[at]]
    elif args[at] == DJANGO_CHECK:
        args[at] = "check"
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["parstat", *args])
    except BrokenPipeError:
        # `parstat export … | head` closing the pipe early is not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
