"""Both servers, started once for the end-to-end tests (temporary databases and secret)."""

from __future__ import annotations

import pytest

from devtools.servers import BotServers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    bot = BotServers(workdir=tmp_path_factory.mktemp("bot"))
    if not bot.model.exists():
        pytest.fail(f"no trained model at {bot.model}: run `make train` (make test does)")
    bot.start()
    yield bot
    bot.stop()
