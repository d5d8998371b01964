"""Write the credentials file the Rasa server is started with.

    python scripts/credentials.py [--base credentials.yml] [--out var/credentials.yml]

The channels of ``credentials.yml`` (the token-checking REST and socket.io connectors
and the web page) are always included. Microsoft Teams is added only when
SUPERVISION_TEAMS_APP_ID is set, with SUPERVISION_TEAMS_APP_PASSWORD (required then) and
SUPERVISION_TEAMS_TENANT_ID; the file is then private (mode 600) because it holds the
app password. Never commit the written file (it lives in var/).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEAMS_CHANNEL = "channels.teams.TeamsInput"


class CredentialsError(ValueError):
    pass


def build(base: Mapping[str, object] | None, env: Mapping[str, str]) -> dict[str, object]:
    credentials: dict[str, object] = dict(base or {})
    credentials.pop(TEAMS_CHANNEL, None)  # only ever from the environment
    app_id = env.get("SUPERVISION_TEAMS_APP_ID", "").strip()
    if app_id:
        password = env.get("SUPERVISION_TEAMS_APP_PASSWORD", "").strip()
        if not password:
            raise CredentialsError(
                "SUPERVISION_TEAMS_APP_ID is set but SUPERVISION_TEAMS_APP_PASSWORD is not"
            )
        credentials[TEAMS_CHANNEL] = {
            "app_id": app_id,
            "app_password": password,
            "tenant_id": env.get("SUPERVISION_TEAMS_TENANT_ID", "").strip() or None,
        }
    return credentials


def write(credentials: Mapping[str, object], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# Written by scripts/credentials.py from credentials.yml and the environment.\n"
        "# Do not edit or commit; it is rewritten at every start.\n"
        + yaml.safe_dump(dict(credentials), sort_keys=False, default_flow_style=False)
    )
    temporary = out.with_name(out.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=PROJECT_ROOT / "credentials.yml")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "credentials.yml")
    args = parser.parse_args(argv)
    base = yaml.safe_load(args.base.read_text(encoding="utf-8")) or {}
    try:
        credentials = build(base, os.environ)
    except CredentialsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write(credentials, args.out)
    channels = ", ".join(str(name).rsplit(".", 1)[-1] for name in credentials)
    print(f"Channels: {channels} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
