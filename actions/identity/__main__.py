"""Development helpers for tokens.

    python -m actions.identity secret            make the development secret (var/secrets/)
    python -m actions.identity token SUBJECT     print a development token for SUBJECT

Development only: the tokens are trusted only by servers started with
SUPERVISION_DEV_SIGNIN=1 (as ``make run`` does).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from actions.identity.config import get_identity_config
from actions.identity.tokens import ROLES_BY_PRIVILEGE, ensure_dev_secret, issue_dev_token


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.identity", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("secret", help="make the development signing secret if missing")
    token = commands.add_parser("token", help="print a development token")
    token.add_argument("subject", help="the person id (or any sender id) the token is for")
    token.add_argument("--role", default="worker", choices=ROLES_BY_PRIVILEGE)
    token.add_argument("--name")
    token.add_argument("--minutes", type=int, default=None)
    args = parser.parse_args(argv)
    config = get_identity_config()
    secret = ensure_dev_secret(config.dev_secret_file)
    if args.command == "secret":
        print(config.dev_secret_file)
        return 0
    value, _ = issue_dev_token(
        secret,
        args.subject,
        role=args.role,
        name=args.name,
        minutes=args.minutes or config.dev_token_minutes,
    )
    print(value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
