"""Build the Teams app package (a zip to upload in Teams) from ``manifest.json``.

Fills the ``{{SUPERVISION_TEAMS_*}}`` placeholders from the environment, checks what
Teams would reject (an app id that is not a GUID, a host with a scheme or path, URLs that
are not https, over-long names, icon sizes) and writes ``manifest.json``, ``color.png``
and ``outline.png`` at the root of the zip. Nothing secret goes into the package: the app
password is never read here. Run from the repository root:

    SUPERVISION_TEAMS_APP_ID=... SUPERVISION_TEAMS_HOST=bot.example.org \\
    SUPERVISION_TEAMS_ORG_NAME="Example Council" \\
    SUPERVISION_TEAMS_WEBSITE_URL=https://... SUPERVISION_TEAMS_PRIVACY_URL=https://... \\
    SUPERVISION_TEAMS_TERMS_URL=https://... \\
    .venv/bin/python teams/make_package.py            # writes var/teams/reflective-supervision.zip
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "var" / "teams" / "reflective-supervision.zip"
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HOST = re.compile(r"(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}")
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}


class PackageError(Exception):
    pass


def placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))


def fill(template: str, env: Mapping[str, str]) -> dict:
    """The manifest with every placeholder replaced; JSON-escaped, so quotes are safe."""
    missing = [name for name in placeholders(template) if not env.get(name, "").strip()]
    if missing:
        raise PackageError("Set these environment variables first: " + ", ".join(missing))

    def value(match: re.Match[str]) -> str:
        return json.dumps(env[match.group(1)].strip())[1:-1]

    return json.loads(PLACEHOLDER.sub(value, template))


def check(manifest: dict, icon_dir: Path) -> None:
    problems = []
    for where, app_id in (("id", manifest["id"]), ("botId", manifest["bots"][0]["botId"])):
        if not GUID.fullmatch(app_id):
            problems.append(f"{where} {app_id!r} is not a GUID (the Azure Bot's app id)")
    for domain in manifest.get("validDomains", []):
        if not HOST.fullmatch(domain):
            problems.append(f"validDomains: {domain!r} must be a host name, no https:// or path")
    for key, url in manifest["developer"].items():
        if key.endswith("Url") and not url.startswith("https://"):
            problems.append(f"developer.{key} must be an https URL")
    if len(manifest["developer"]["name"]) > 32:
        problems.append("developer.name is longer than 32 characters")
    if len(manifest["name"]["short"]) > 30 or len(manifest["name"].get("full", "")) > 100:
        problems.append("name.short is limited to 30 characters, name.full to 100")
    if len(manifest["description"]["short"]) > 80:
        problems.append("description.short is longer than 80 characters")
    for kind, size in ICON_SIZES.items():
        path = icon_dir / manifest["icons"][kind]
        if not path.is_file():
            problems.append(f"{path} is missing (run teams/make_icons.py)")
            continue
        with Image.open(path) as icon:
            if icon.size != size:
                problems.append(f"{path.name} is {icon.size}, Teams wants {size}")
    if problems:
        raise PackageError("; ".join(problems))


def build(out: Path, env: Mapping[str, str] = os.environ, source: Path = HERE) -> Path:
    manifest = fill((source / "manifest.json").read_text(encoding="utf-8"), env)
    check(manifest, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for kind in ICON_SIZES:
            name = manifest["icons"][kind]
            package.write(source / name, arcname=name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the zip")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except PackageError as error:
        print(f"Teams app package not built: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {out}; upload it in Teams (Apps > Manage your apps > Upload an app).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
