"""scripts/credentials.py: Microsoft Teams only when configured; secrets stay private."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import yaml

from devtools.servers import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "credentials.py"
TEAMS = "channels.teams.TeamsInput"


def load_script():
    spec = importlib.util.spec_from_file_location("credentials_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())


def test_the_base_file_uses_only_the_token_checking_channels():
    channels = set(base())
    assert {
        "channels.rest.SecureRestInput",
        "channels.socketio.SecureSocketIOInput",
        "channels.web.WebInput",
    } <= channels
    assert not channels & {"rest", "socketio", "rasa.core.channels.rest.RestInput", TEAMS}


def test_teams_is_off_by_default():
    script = load_script()
    assert TEAMS not in script.build(base(), {})
    # Even a Teams section in the base file is dropped unless the environment asks for it.
    assert TEAMS not in script.build({**base(), TEAMS: {"app_id": "x"}}, {})


def test_teams_is_added_from_the_environment():
    script = load_script()
    env = {
        "SUPERVISION_TEAMS_APP_ID": "app-1",
        "SUPERVISION_TEAMS_APP_PASSWORD": "s3cret",
        "SUPERVISION_TEAMS_TENANT_ID": "tenant-1",
    }
    built = script.build(base(), env)
    assert built[TEAMS] == {"app_id": "app-1", "app_password": "s3cret", "tenant_id": "tenant-1"}
    with pytest.raises(script.CredentialsError, match="PASSWORD"):
        script.build(base(), {"SUPERVISION_TEAMS_APP_ID": "app-1"})


def test_written_file_is_private_and_readable_by_rasa(tmp_path):
    out = tmp_path / "var" / "credentials.yml"
    env = {
        "PATH": "/usr/bin:/bin",
        "SUPERVISION_TEAMS_APP_ID": "app-1",
        "SUPERVISION_TEAMS_APP_PASSWORD": "s3cret",
    }
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], env=env, check=True, capture_output=True
    )
    assert out.stat().st_mode & 0o777 == 0o600
    written = yaml.safe_load(out.read_text())
    assert written[TEAMS]["app_password"] == "s3cret"
    assert written[TEAMS]["tenant_id"] is None
    failed = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        env={"PATH": "/usr/bin:/bin", "SUPERVISION_TEAMS_APP_ID": "app-1"},
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 2 and "SUPERVISION_TEAMS_APP_PASSWORD" in failed.stderr
