"""Store commands: ``python -m actions.store migrate``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from actions.store.db import upgrade_database


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m actions.store")
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply database migrations (alembic upgrade)")
    migrate.add_argument(
        "--database-url", help="database to migrate (default: the configured database)"
    )
    migrate.add_argument("--revision", default="head", help="target revision (default: head)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "migrate":
        upgrade_database(args.database_url, revision=args.revision)
        print(f"database migrated to {args.revision}")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Alembic announces every plugin it loads at INFO; only its migration lines matter.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    sys.exit(main())
