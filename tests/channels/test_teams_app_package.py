"""The Teams app package folder: manifest, icons, and the scripts that make them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
TEAMS = ROOT / "teams"

ENV = {
    "SUPERVISION_TEAMS_APP_ID": "5b1e2f3a-7c4d-4e8f-9a0b-1c2d3e4f5a6b",
    "SUPERVISION_TEAMS_HOST": "supervision.example.org",
    "SUPERVISION_TEAMS_ORG_NAME": 'Example "Borough" Council',
    "SUPERVISION_TEAMS_WEBSITE_URL": "https://intranet.example.org/supervision",
    "SUPERVISION_TEAMS_PRIVACY_URL": "https://intranet.example.org/supervision/privacy",
    "SUPERVISION_TEAMS_TERMS_URL": "https://intranet.example.org/supervision/terms",
}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"teams_{name}", TEAMS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_is_v1_16_personal_bot_without_files(manifest):
    assert manifest["manifestVersion"] == "1.16"
    assert "/v1.16/MicrosoftTeams.schema.json" in manifest["$schema"]
    [bot] = manifest["bots"]
    assert bot["scopes"] == ["personal"]
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False
    assert [c["scopes"] for c in bot["commandLists"]] == [["personal"]]
    assert {c["title"] for c in bot["commandLists"][0]["commands"]} == {"debrief", "resume", "help"}
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_manifest_takes_ids_and_host_from_placeholders(manifest):
    assert manifest["id"] == "{{SUPERVISION_TEAMS_APP_ID}}"
    assert manifest["bots"][0]["botId"] == "{{SUPERVISION_TEAMS_APP_ID}}"
    assert manifest["validDomains"] == ["{{SUPERVISION_TEAMS_HOST}}"]
    text = (TEAMS / "manifest.json").read_text(encoding="utf-8")
    assert set(load("make_package").placeholders(text)) == set(ENV)


def test_manifest_text_limits(manifest):
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    for command in manifest["bots"][0]["commandLists"][0]["commands"]:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128


def test_icons_have_the_sizes_teams_requires():
    with Image.open(TEAMS / "color.png") as color:
        assert color.size == (192, 192)
    with Image.open(TEAMS / "outline.png") as outline:
        assert outline.size == (32, 32)
        assert outline.mode == "RGBA"
        data = outline.tobytes()
    pixels = {data[i : i + 4] for i in range(0, len(data), 4)}
    # white on transparent, nothing else
    assert pixels == {bytes([255, 255, 255, 255]), bytes([0, 0, 0, 0])}


def test_icons_are_what_the_script_draws(tmp_path):
    subprocess.run(
        [sys.executable, str(TEAMS / "make_icons.py"), str(tmp_path)], check=True, cwd=ROOT
    )
    for name in ("color.png", "outline.png"):
        with Image.open(TEAMS / name) as kept, Image.open(tmp_path / name) as drawn:
            assert kept.tobytes() == drawn.tobytes(), f"{name}: run teams/make_icons.py"


def test_package_is_built_from_the_environment(tmp_path):
    out = load("make_package").build(tmp_path / "app.zip", env=ENV)
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        built = json.loads(package.read("manifest.json"))
    assert built["id"] == built["bots"][0]["botId"] == ENV["SUPERVISION_TEAMS_APP_ID"]
    assert built["validDomains"] == ["supervision.example.org"]
    assert built["developer"]["name"] == 'Example "Borough" Council'
    assert "{{" not in json.dumps(built)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"SUPERVISION_TEAMS_APP_ID": ""}, "SUPERVISION_TEAMS_APP_ID"),
        ({"SUPERVISION_TEAMS_APP_ID": "my-bot"}, "not a GUID"),
        ({"SUPERVISION_TEAMS_HOST": "https://supervision.example.org/"}, "host name"),
        ({"SUPERVISION_TEAMS_PRIVACY_URL": "http://example.org/privacy"}, "https"),
        ({"SUPERVISION_TEAMS_ORG_NAME": "x" * 33}, "32 characters"),
    ],
)
def test_package_refuses_what_teams_would_reject(tmp_path, change, problem):
    make_package = load("make_package")
    with pytest.raises(make_package.PackageError, match=problem):
        make_package.build(tmp_path / "app.zip", env={**ENV, **change})
    assert not (tmp_path / "app.zip").exists()


def test_package_script_reports_missing_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, str(TEAMS / "make_package.py"), "--out", str(tmp_path / "app.zip")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "SUPERVISION_TEAMS_APP_ID" in result.stderr
