"""What every ``python -m actions.people`` command shares: exit codes, one-line errors
and who is acting (``--as``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from actions.services import access
from actions.services import people as service
from actions.services.identity import IdentityRefused
from actions.store.repository import InvalidValue, NotFound

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNAVAILABLE = 1
EXIT_INVALID = 2
EXIT_NOT_FOUND = 3
EXIT_REFUSED = 4


def fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(code)


def reported(command: Callable) -> Callable:
    """Known errors become one line on stderr and a distinct exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except NotFound as error:
            fail(f"not found: {error}", EXIT_NOT_FOUND)
        except (access.AccessDenied, IdentityRefused) as error:
            fail(f"refused: {error}", EXIT_REFUSED)
        except InvalidValue as error:
            fail(f"invalid: {error}", EXIT_INVALID)
        except (OperationalError, ProgrammingError) as error:
            logger.debug("database error", exc_info=True)
            fail(
                f"cannot use the database ({error.orig}); "
                "has `python -m actions.store migrate` been run?",
                EXIT_UNAVAILABLE,
            )

    return run


def actor_id(ctx: click.Context) -> str | None:
    """The administrator given with --as, or None for the command line itself."""
    handle = ctx.find_root().obj.get("as")
    return service.person_id(handle) if handle else None
