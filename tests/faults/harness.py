"""Servers for the fault tests: devtools' BotServers (read-only, wrapped here), a
PostgreSQL cluster of our own (scripts/prod/postgres.sh on a free port in a temporary
directory), extra Rasa instances sharing one tracker store, and row counting.

Nothing here touches the developer's var/ data or the system's PostgreSQL.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from devtools.servers import BotServers, free_port
from devtools.worker import SimulatedWorker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SH = PROJECT_ROOT / "scripts" / "prod" / "postgres.sh"
# The first questions of every debrief, in order (safety first, then the visit).
OPENING = "I need to debrief a visit"


def postgres_missing() -> str | None:
    """Why PostgreSQL tests cannot run here, or None."""
    missing = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not os.environ.get("PG_BIN"):
        missing.append("server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    for binary, package in (("psql", "postgresql-client"), ("runuser", "util-linux")):
        if shutil.which(binary) is None:
            missing.append(f"{binary} ({package})")
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("system user 'postgres' (the server cannot run as root)")
    if missing:
        return "PostgreSQL fault tests need: " + "; ".join(missing)
    return None


@dataclass
class PgCluster:
    """A throw-away cluster run by scripts/prod/postgres.sh (role + tracker/records DBs)."""

    state: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="faults-pg-")))
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        # Reachable by the postgres user when the tests run as root.
        self.state.chmod(0o755)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
        env.update(PROD_DIR=str(self.state), PG_PORT=str(self.port))
        return env

    def _run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [str(POSTGRES_SH), *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"postgres.sh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
            )
        return done.stdout.strip()

    def start(self) -> PgCluster:
        self._run("start")
        return self

    def stop(self) -> None:
        self._run("stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, which: str) -> str:
        return self._run("url", which)

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.state, ignore_errors=True)


@dataclass
class FaultServers(BotServers):
    """BotServers with, optionally, PostgreSQL for both databases and extra Rasa servers
    reading the same tracker store (as behind nginx in the production profile)."""

    pg: PgCluster | None = None
    extra_rasa_ports: list[int] = field(default_factory=list)

    @property
    def database_url(self) -> str:  # the app's records
        if self.pg is not None:
            return self.pg.url("records")
        return super().database_url

    def environment(self) -> dict[str, str]:
        env = super().environment()
        if self.pg is not None:
            env["SUPERVISION_TRACKER_DATABASE_URL"] = self.pg.url("tracker")
            env["DB_PASSWORD"] = make_url(self.pg.url("tracker")).password or ""
            env.setdefault("SQL_POOL_SIZE", "5")
            env.setdefault("SQL_MAX_OVERFLOW", "10")
        return env

    def write_endpoints(self) -> Path:
        if self.pg is None:
            return super().write_endpoints()
        url = make_url(self.pg.url("tracker"))
        path = self.workdir / "endpoints.yml"
        # The password stays in the environment: Rasa expands ${DB_PASSWORD}, only in
        # a plain (unquoted) YAML scalar.
        path.write_text(
            self.action_endpoint_yaml() + "tracker_store:\n"
            "  type: components.tracker_store.CachingSQLTrackerStore\n"
            '  dialect: "postgresql"\n'
            f'  url: "{url.host}"\n'
            f"  port: {url.port}\n"
            f'  db: "{url.database}"\n'
            f'  username: "{url.username}"\n'
            "  password: ${DB_PASSWORD}\n",
            encoding="utf-8",
        )
        return path

    def rest_url_for(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    def start(self, timeout: float = 300) -> FaultServers:
        super().start(timeout)
        for port in self.extra_rasa_ports:
            self.start_rasa(f"rasa-{port}", port)
        self.wait_for(
            [f"http://127.0.0.1:{p}/webhooks/rest/" for p in self.extra_rasa_ports], timeout
        )
        return self

    def start_rasa(self, name: str, port: int) -> None:
        endpoints, credentials = self.workdir / "endpoints.yml", self.workdir / "credentials.yml"
        self._spawn(name, self.rasa_command(port, endpoints, credentials))

    def start_actions(self) -> None:
        self._spawn("actions", self.actions_command())
        self.wait_for([f"http://127.0.0.1:{self.action_port}/health"], 120)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=30)

    def wait_for(self, urls: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(_answers(url) for url in urls):
                return
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead} stopped:\n{self.logs_tail()}")
            time.sleep(0.5)
        raise RuntimeError(f"not ready in {timeout:.0f} s: {urls}\n{self.logs_tail()}")

    def logs(self) -> str:
        return "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in self.workdir.glob("*.log")
        )

    def logs_tail(self, lines: int = 40) -> str:
        return "\n".join(
            f"--- {p.name} ---\n"
            + "\n".join(p.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
            for p in sorted(self.workdir.glob("*.log"))
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_refused(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.1)
    raise AssertionError(f"port {port} still accepts connections after the kill")


def new_worker(
    bot: BotServers, rest_url: str | None = None, prefix: str = "fault"
) -> SimulatedWorker:
    return SimulatedWorker(
        rest_url=rest_url or bot.rest_url,
        sender=f"{prefix}-{uuid.uuid4().hex[:10]}",
        token_for=bot.token_for,
    )


def stored_answers(database_url: str, sender: str) -> dict[str, int]:
    """question_id -> number of rows, over every debrief of ``sender``."""
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT a.question_id, count(*) FROM answers a"
                    " JOIN debriefs d ON d.id = a.debrief_id"
                    " WHERE d.sender_id = :sender GROUP BY a.question_id"
                ),
                {"sender": sender},
            ).all()
    finally:
        engine.dispose()
    return {question: count for question, count in rows}


def stored_totals(database_url: str, senders: list[str]) -> tuple[int, int, int]:
    """(answers, answer revisions, debriefs) stored for ``senders``."""
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            params = {f"s{i}": s for i, s in enumerate(senders)}
            names = ", ".join(f":s{i}" for i in range(len(senders)))
            answers, revisions = connection.execute(
                text(
                    "SELECT count(DISTINCT a.id), count(r.id) FROM answers a"
                    " JOIN debriefs d ON d.id = a.debrief_id"
                    " LEFT JOIN answer_revisions r ON r.answer_id = a.id"
                    f" WHERE d.sender_id IN ({names})"
                ),
                params,
            ).one()
            debriefs = connection.execute(
                text(f"SELECT count(*) FROM debriefs WHERE sender_id IN ({names})"), params
            ).scalar_one()
    finally:
        engine.dispose()
    return answers, revisions, debriefs


@dataclass
class PartialDebrief:
    """A worker answering the first ``answers`` questions; what it sent and got back."""

    worker: SimulatedWorker
    answered: list[str] = field(default_factory=list)
    error: str | None = None


def answer_questions(worker: SimulatedWorker, count: int, timeout: float = 180) -> PartialDebrief:
    result = PartialDebrief(worker)
    try:
        replies = worker.send(OPENING, timeout=timeout)
        for _ in range(count):
            question = worker.asked_question(replies)
            if question is None:
                raise AssertionError(f"no question asked after {result.answered}: {replies}")
            replies = worker.send(worker.answer_for(question), timeout=timeout)
            result.answered.append(question)
        if worker.asked_question(replies) is None:
            raise AssertionError(f"no next question after {result.answered}: {replies}")
    except Exception as failure:  # noqa: BLE001 - reported by the test with the sender
        result.error = f"{worker.sender}: {type(failure).__name__}: {failure}"
    return result


def concurrent_debriefs(bot: BotServers, debriefs: int, answers: int) -> list[PartialDebrief]:
    workers = [new_worker(bot, prefix="load") for _ in range(debriefs)]
    with ThreadPoolExecutor(max_workers=debriefs) as pool:
        return list(pool.map(lambda w: answer_questions(w, answers), workers))
