"""Servers for benchmarks/vs_starter.py: our bot (devtools' BotServers, wrapped, with a
timing proxy in front of the action server) and Rasa's own starter bot
(``rasa init --no-prompt`` in a temporary folder), started the same way on free ports.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from devtools.servers import VENV_BIN, BotServers, free_port


def rss_mib(pid: int) -> float | None:
    """Resident memory of one process, MiB (None when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(url: str, process: subprocess.Popen, timeout: float, log: Path) -> float:
    """Seconds until ``url`` answers 200; raises with the log's end if it never does."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if answers(url):
            return time.monotonic() - start
        if process.poll() is not None:
            break
        time.sleep(0.2)
    tail = log.read_text(errors="replace").splitlines()[-30:] if log.exists() else []
    raise RuntimeError(f"{url} not ready:\n" + "\n".join(tail))


class ActionTimer:
    """A pass-through HTTP proxy in front of the action server that adds up how long
    each /webhook call takes (the Rasa server -> action server round trip)."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.calls = 0
        self.seconds = 0.0
        self._lock = threading.Lock()
        timer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                start = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", target_port, timeout=120)
                try:
                    connection.request(
                        "POST", self.path, body, {"Content-Type": "application/json"}
                    )
                    upstream = connection.getresponse()
                    data, status = upstream.read(), upstream.status
                except OSError:
                    data, status = b'{"error": "action server unreachable"}', 502
                finally:
                    connection.close()
                with timer._lock:
                    timer.calls += 1
                    timer.seconds += time.perf_counter() - start
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def snapshot(self) -> tuple[int, float]:
        with self._lock:
            return self.calls, self.seconds

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class OurBot(BotServers):
    """Our bot with the action endpoint going through an ActionTimer; records when the
    Rasa server was spawned so that cold start can be measured."""

    timer: ActionTimer | None = None
    spawned_at: dict[str, float] = field(default_factory=dict)

    def write_endpoints(self) -> Path:
        path = super().write_endpoints()
        if self.timer is not None:
            path.write_text(
                path.read_text().replace(
                    f"127.0.0.1:{self.action_port}/", f"127.0.0.1:{self.timer.port}/"
                )
            )
        return path

    def _spawn(self, name: str, command: list[str]) -> None:
        self.spawned_at[name] = time.monotonic()
        super()._spawn(name, command)

    def pid(self, name: str) -> int:
        return self.processes[name].pid


@dataclass
class StarterBot:
    """Rasa's starter bot (``rasa init --no-prompt``) in a folder of its own."""

    folder: Path
    port: int = field(default_factory=free_port)
    api_token: str = "bench"
    process: subprocess.Popen | None = None
    train_seconds: float | None = None
    cold_start: float | None = None

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def model(self) -> Path | None:
        models = sorted((self.folder / "models").glob("*.tar.gz"))
        return models[-1] if models else None

    def init(self) -> None:
        """``rasa init --no-prompt`` (creates the project and trains it; no network)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        done = subprocess.run(
            [str(VENV_BIN / "rasa"), "init", "--no-prompt"],
            cwd=self.folder,
            env=bench_env(),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        self.train_seconds = time.monotonic() - start
        if done.returncode != 0 or self.model() is None:
            raise RuntimeError(f"rasa init failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    def start(self, timeout: float = 300) -> StarterBot:
        log = self.folder / "rasa-server.log"
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "rasa"),
                    "run",
                    "--model",
                    str(self.model()),
                    "--enable-api",
                    "--auth-token",
                    self.api_token,
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                cwd=self.folder,
                env=bench_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.cold_start = wait_ready(f"{self.base_url}/webhooks/rest/", self.process, timeout, log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONWARNINGS="ignore",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def time_training(out_dir: Path, cwd: Path, args: list[str]) -> float:
    """Seconds for ``rasa train`` (no cache: a fresh cache folder) into ``out_dir``."""
    env = bench_env()
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    env["RASA_CACHE_DIRECTORY"] = str(cache)
    start = time.monotonic()
    try:
        done = subprocess.run(
            [str(VENV_BIN / "rasa"), "train", *args, "--out", str(out_dir), "--force"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"rasa train failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.monotonic() - start
