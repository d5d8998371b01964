"""Start and stop the action server and the Rasa server for tests and benchmarks.

Each ``BotServers`` gets its own ports, its own SQLite databases in a folder of its own,
its own endpoints and credentials files and its own token-signing secret, so a test run
never touches the developer's ``var/`` data. Every chat request needs a signed token:
``token_for(subject)`` makes one (development tokens, trusted because the servers run
with SUPERVISION_DEV_SIGNIN=1).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from actions.identity.config import DEFAULT_DEV_SECRET_FILE
from actions.identity.tokens import ensure_dev_secret, issue_dev_token

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Settings of the developer's shell that must not leak into test servers.
UNSET_FOR_TESTS = (
    "SUPERVISION_TEAMS_APP_ID",
    "SUPERVISION_TEAMS_APP_PASSWORD",
    "SUPERVISION_TEAMS_TENANT_ID",
    "SUPERVISION_OIDC_ISSUER",
    "SUPERVISION_OIDC_JWKS_URL",
    "SUPERVISION_OIDC_AUDIENCE",
    "SUPERVISION_SOCKETIO_MESSAGE_QUEUE",
    "SUPERVISION_RASA_API_TOKEN",
)


def sign_token(
    secret_file: Path,
    subject: str,
    role: str = "worker",
    name: str | None = None,
    minutes: int = 120,
) -> str:
    """A development token for ``subject``, signed with the secret in ``secret_file``."""
    token, _ = issue_dev_token(
        ensure_dev_secret(secret_file), subject, role=role, name=name, minutes=minutes
    )
    return token


def local_token_for(subject: str) -> str:
    """A token the servers of ``make run`` accept (they use var/secrets/)."""
    return sign_token(DEFAULT_DEV_SECRET_FILE, subject)


class ServerStartError(RuntimeError):
    """A server did not come up; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class BotServers:
    workdir: Path
    model: Path = PROJECT_ROOT / "models" / "current.tar.gz"
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # Extra environment for both servers, e.g. {"SUPERVISION_RATE_LIMIT_MESSAGES": "5"}.
    extra_env: dict[str, str] = field(default_factory=dict)
    # When set, the Rasa HTTP API is exposed, protected by this token.
    api_token: str | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'supervision.db'}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def chat_url(self) -> str:
        return f"{self.rasa_url}/chat/"

    @property
    def secret_file(self) -> Path:
        return self.workdir / "secrets" / "dev_token.key"

    def token_for(
        self, subject: str, role: str = "worker", name: str | None = None, minutes: int = 120
    ) -> str:
        """A token these servers accept for ``subject`` (the chat sender id)."""
        return sign_token(self.secret_file, subject, role=role, name=name, minutes=minutes)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in UNSET_FOR_TESTS:
            env.pop(name, None)
        env.update(
            SUPERVISION_DATABASE_URL=self.database_url,
            SUPERVISION_DEV_SIGNIN="1",
            SUPERVISION_DEV_SECRET_FILE=str(self.secret_file),
            SUPERVISION_AUTO_ENROL="1",
            SUPERVISION_RATE_LIMIT_MESSAGES="10000",
            SUPERVISION_CORS_ORIGINS=f"{self.rasa_url} http://localhost:{self.rasa_port}",
            SANIC_HOST="127.0.0.1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONWARNINGS="ignore",
        )
        env.update(self.extra_env)
        return env

    def action_endpoint_yaml(self) -> str:
        """The `action_endpoint` block of endpoints.yml, as the project's own file has it
        (the domain sent only to actions that ask: actions/form_validation.py)."""
        return (
            "action_endpoint:\n"
            f'  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            "  enable_selective_domain: true\n"
        )

    def write_endpoints(self) -> Path:
        path = self.workdir / "endpoints.yml"
        path.write_text(
            self.action_endpoint_yaml() + "tracker_store:\n"
            "  type: components.tracker_store.CachingSQLTrackerStore\n"
            '  dialect: "sqlite"\n'
            f'  db: "{self.workdir / "rasa_tracker.db"}"\n',
            encoding="utf-8",
        )
        return path

    def write_credentials(self) -> Path:
        path = self.workdir / "credentials.yml"
        subprocess.run(
            [sys.executable, "scripts/credentials.py", "--out", str(path)],
            cwd=PROJECT_ROOT,
            env=self.environment(),
            check=True,
            capture_output=True,
        )
        return path

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "actions.store", "migrate"],
            cwd=PROJECT_ROOT,
            env=self.environment(),
            check=True,
            capture_output=True,
        )

    def start(self, timeout: float = 180) -> BotServers:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.migrate()
        ensure_dev_secret(self.secret_file)
        endpoints = self.write_endpoints()
        credentials = self.write_credentials()
        self._spawn("actions", self.actions_command())
        self._spawn("rasa", self.rasa_command(self.rasa_port, endpoints, credentials))
        self.wait_until_ready(timeout)
        return self

    def actions_command(self) -> list[str]:
        port = str(self.action_port)
        return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", port]

    def rasa_command(self, port: int, endpoints: Path, credentials: Path) -> list[str]:
        api = ["--enable-api", "--auth-token", self.api_token] if self.api_token else []
        origins = self.environment()["SUPERVISION_CORS_ORIGINS"].split()
        return [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(self.model),
            *api,
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--cors",
            *origins,
        ]

    def _spawn(self, name: str, command: list[str]) -> None:
        # The child keeps its own copy of the log's file descriptor.
        with open(self.workdir / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_ready(self, timeout: float) -> None:
        urls = [f"http://127.0.0.1:{self.action_port}/health", f"{self.rasa_url}/webhooks/rest/"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(_answers(url) for url in urls):
                return
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead:
                break
            time.sleep(0.5)
        self.stop()
        raise ServerStartError(self.log_tail())

    def log_tail(self, lines: int = 30) -> str:
        parts = []
        for name in ("actions", "rasa"):
            path = self.workdir / f"{name}.log"
            if path.exists():
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
                parts.append(f"--- {name}.log ---\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self, hard: bool = False) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
