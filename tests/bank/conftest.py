"""Fixtures for the question-bank tests: the real bank, a fixed 'today', and a way to
write small (often malformed) banks into a temporary folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from actions.bank.schema import QuestionBank, load_bank
from tests.bank.bank_helpers import BANK_DIR, TODAY


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    """The real question bank, loaded from the repository (not from the environment)."""
    return load_bank(BANK_DIR)


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[[dict[str, object]], Path]:
    """Write ``{file name: document or raw text}`` into a fresh folder; return the folder."""

    def write(files: dict[str, object]) -> Path:
        folder = tmp_path / "questions"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write
