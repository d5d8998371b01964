"""Start and stop the action server and the Rasa server for tests and benchmarks.

Each ``BotServers`` gets its own ports, its own SQLite databases in a folder of its own
and its own endpoints file, so a test run never touches the developer's ``var/`` data.
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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


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

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'supervision.db'}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            SUPERVISION_DATABASE_URL=self.database_url,
            SANIC_HOST="127.0.0.1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONWARNINGS="ignore",
        )
        return env

    def write_endpoints(self) -> Path:
        path = self.workdir / "endpoints.yml"
        path.write_text(
            "action_endpoint:\n"
            f'  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            "tracker_store:\n"
            "  type: SQL\n"
            '  dialect: "sqlite"\n'
            f'  db: "{self.workdir / "rasa_tracker.db"}"\n',
            encoding="utf-8",
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
        endpoints = self.write_endpoints()
        self._spawn(
            "actions",
            [
                sys.executable,
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(self.action_port),
            ],
        )
        self._spawn(
            "rasa",
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(self.model),
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(PROJECT_ROOT / "credentials.yml"),
            ],
        )
        self.wait_until_ready(timeout)
        return self

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
        urls = [f"http://127.0.0.1:{self.action_port}/health", f"{self.rasa_url}/status"]
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
