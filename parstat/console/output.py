"""Shared pieces of the command line: the acting user, error reporting, JSON output."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat import jsonexact
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor


def add_actor_argument(parser: CommandParser) -> None:
    parser.add_argument("--as", dest="acting_username", metavar="USERNAME",
                        help="record the change as made by this user (default: system)")


def actor_from(options: dict[str, Any]) -> Actor:
    username = options.get("acting_username")
    if not username:
        return Actor.command_line()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có người dùng «{username}».")
    return Actor.command_line(user)


def user_errors(handle: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ParstatError into the command's error message (code first, for scripts)."""

    @wraps(handle)
    def wrapper(self: BaseCommand, *args: Any, **options: Any) -> Any:
        try:
            return handle(self, *args, **options)
        except ParstatError as error:
            raise CommandError(f"[{error.code}] {error.message}") from None

    return wrapper


def dumps(data: Any) -> str:
    return jsonexact.dumps(data, indent=2)
