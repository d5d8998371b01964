"""The production profile on this machine (scripts/prod/run_prod.sh): PostgreSQL for the
tracker store and the records, Redis as the lock store, two Rasa servers behind nginx
and the action server, on free ports in a temporary state directory.

Checks that the Alembic migrations go down and up again on PostgreSQL, and that a
conversation carries on through nginx when the Rasa server holding it is killed -9.
Skipped when the Debian packages are not installed (postgresql, redis-server, nginx).
Takes about two minutes, most of it the two Rasa servers loading the model.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from devtools.servers import free_port, sign_token
from devtools.worker import SimulatedWorker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUN_PROD = PROJECT_ROOT / "scripts" / "prod" / "run_prod.sh"
POSTGRES_SH = PROJECT_ROOT / "scripts" / "prod" / "postgres.sh"
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
VENV_BIN = Path(sys.executable).parent


def _missing() -> list[str]:
    missing = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        missing.append("postgresql (/usr/lib/postgresql/*/bin)")
    for binary, package in (
        ("psql", "postgresql-client"),
        ("redis-server", "redis-server"),
        ("nginx", "nginx"),
        ("envsubst", "gettext-base"),
        ("setsid", "util-linux"),
    ):
        if shutil.which(binary) is None:
            missing.append(package)
    if os.geteuid() == 0:
        for user in ("postgres", "redis"):
            try:
                pwd.getpwnam(user)
            except KeyError:
                missing.append(f"system user {user!r} (to run the server as, under root)")
    return missing


MISSING = _missing()
pytestmark = [
    pytest.mark.prod,
    pytest.mark.e2e,
    pytest.mark.skipif(
        bool(MISSING),
        reason="production profile needs the Debian packages: missing " + ", ".join(MISSING),
    ),
]


@dataclass
class Profile:
    state: Path
    env: dict[str, str]
    nginx_port: int
    rasa_ports: tuple[int, int]

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}/webhooks/rest/webhook"

    def database_url(self, which: str) -> str:
        return subprocess.run(
            [str(POSTGRES_SH), "url", which],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def token_for(self, subject: str) -> str:
        return sign_token(self.state / "secrets" / "dev_token.key", subject)

    def webhook_log_lines(self) -> list[str]:
        """The access log's lines for chat messages (health checks left out)."""
        lines = (self.state / "nginx" / "access.log").read_text().splitlines()
        return [line for line in lines if '"POST /webhooks/rest/webhook' in line]

    def upstreams_of_message(self, number: int, timeout: float = 10) -> list[tuple[int, str]]:
        """(port, status) of each Rasa server nginx tried for chat message `number`
        (0-based, in the order sent). nginx writes the log line after it has sent the
        response, so the client can hold the reply before the line exists: wait for it."""
        deadline = time.monotonic() + timeout
        while len(lines := self.webhook_log_lines()) <= number:
            if time.monotonic() > deadline:
                pytest.fail(f"nginx logged no chat message {number} within {timeout:.0f} s")
            time.sleep(0.05)
        line = lines[number]
        ports = re.findall(r"127\.0\.0\.1:(\d+)", line.split("upstream=", 1)[1])
        statuses = line.split("upstream_status=", 1)[1].split(" request_time")[0].split(", ")
        return list(zip(map(int, ports), statuses, strict=True))

    def rasa_pid(self, port: int) -> int:
        return int((self.state / "run" / f"rasa-{port}.pid").read_text())


def _run_prod(profile_env: dict[str, str], command: str, timeout: float):
    return subprocess.run(
        [str(RUN_PROD), command],
        env=profile_env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def profile():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    # Not pytest's tmp_path: its parents are private to us, and the servers run as the
    # postgres and redis users when the tests run as root.
    state = Path(tempfile.mkdtemp(prefix="prod-", dir="/tmp"))
    state.chmod(0o755)
    ports = [free_port() for _ in range(6)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
    env.update(
        PROD_DIR=str(state),
        PG_PORT=str(ports[0]),
        REDIS_PORT=str(ports[1]),
        NGINX_PORT=str(ports[2]),
        RASA_PORTS=f"{ports[3]} {ports[4]}",
        ACTION_PORT=str(ports[5]),
        PYTHON=sys.executable,
        RASA_BIN=str(VENV_BIN / "rasa"),
        SUPERVISION_DEV_SIGNIN="1",
        SUPERVISION_RATE_LIMIT_MESSAGES="10000",
    )
    started = _run_prod(env, "up", timeout=600)
    if started.returncode != 0:
        _run_prod(env, "stop", timeout=120)
        shutil.rmtree(state, ignore_errors=True)
        pytest.fail(f"run_prod.sh up failed:\n{started.stdout[-3000:]}\n{started.stderr[-3000:]}")
    yield Profile(state, env, ports[2], (ports[3], ports[4]))
    stopped = _run_prod(env, "stop", timeout=180)
    shutil.rmtree(state, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr


def _tables(url: str) -> set[str]:
    engine = create_engine(url, future=True)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _scalar(url: str, sql: str, **params) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_on_postgresql(profile):
    url = profile.database_url("records")
    assert url.startswith("postgresql+psycopg2://")
    env = {**profile.env, "SUPERVISION_DATABASE_URL": url}

    def alembic(*args: str) -> None:
        done = subprocess.run(
            [str(VENV_BIN / "alembic"), "-c", "alembic.ini", *args],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"alembic {' '.join(args)}:\n{done.stderr}"

    alembic("upgrade", "head")
    assert {"debriefs", "answers", "alembic_version"} <= _tables(url)
    alembic("downgrade", "base")
    assert _tables(url) <= {"alembic_version"}, "downgrade to base leaves no table behind"
    alembic("upgrade", "head")
    assert {"debriefs", "answers"} <= _tables(url)


def _answers(profile: Profile, sender: str) -> int:
    return _scalar(
        profile.database_url("records"),
        "SELECT count(*) FROM answers a JOIN debriefs d ON d.id = a.debrief_id"
        " WHERE d.sender_id = :sender",
        sender=sender,
    )


def _wait_until_refused(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.1)
    pytest.fail(f"port {port} still accepts connections {timeout:.0f} s after kill -9")


def test_conversation_survives_killing_its_rasa_server(profile):
    worker = SimulatedWorker(
        rest_url=profile.rest_url,
        sender=f"prod-{uuid.uuid4().hex[:8]}",
        token_for=profile.token_for,
    )
    replies = worker.send("I need to debrief a visit", timeout=120)
    for expected in ("worker_safe_now", "threatened_or_hurt", "case_reference"):
        assert worker.asked_question(replies) == expected
        replies = worker.send(worker.answer_for(expected), timeout=120)
    assert worker.asked_question(replies) == "visit_date"

    events = _scalar(
        profile.database_url("tracker"),
        "SELECT count(*) FROM events WHERE sender_id = :sender",
        sender=worker.sender,
    )
    assert events > 0, "the conversation is in PostgreSQL's tracker store"
    assert _answers(profile, worker.sender) == 3, "the answers are in PostgreSQL's records"

    # Only this test sends chat messages through this profile: four so far.
    ((serving, status),) = profile.upstreams_of_message(3)
    assert status == "200" and serving in profile.rasa_ports
    os.kill(profile.rasa_pid(serving), signal.SIGKILL)
    # The next message, not one in flight: a request already sent to a server as it
    # dies fails (nginx never replays a POST).
    _wait_until_refused(serving)

    replies = worker.send(worker.answer_for("visit_date"), timeout=120)
    assert worker.asked_question(replies) == "visit_type", "carried on at the next question"
    tried = profile.upstreams_of_message(4)
    (survivor,) = set(profile.rasa_ports) - {serving}
    assert tried[-1] == (survivor, "200"), f"nginx went to the other server: {tried}"
    assert _answers(profile, worker.sender) == 4

    replies = worker.send(worker.answer_for("visit_type"), timeout=120)
    assert worker.asked_question(replies) == "access_gained"
    assert _answers(profile, worker.sender) == 5
