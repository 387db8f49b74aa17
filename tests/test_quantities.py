"""The unit table numcheck reads from quantulum3, and the snapshot that spares loading quantulum3."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import quantities


@pytest.fixture
def fresh_table() -> Iterator[None]:
    quantities._surfaces.cache_clear()
    yield
    quantities._surfaces.cache_clear()


def test_the_snapshot_is_the_table_the_installed_quantulum3_gives() -> None:
    # Fails after a quantulum3 upgrade until `python -m service.quantities` writes the snapshot anew.
    snapshot = json.loads(quantities.SNAPSHOT.read_text(encoding="utf-8"))
    assert snapshot["quantulum3"] == quantities.version()
    assert {k: tuple(v) for k, v in snapshot["surfaces"].items()} == quantities.build_surfaces()


def test_the_table_is_read_from_the_snapshot_without_importing_quantulum3(fresh_table: None) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from service import quantities; quantities.warm(); "
        "print(quantities.unit_at(' 5 furlongs away', 2)); print('quantulum3' in sys.modules, 'inflect' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines() == ["('furlongs', 'furlong', 'length', 11)", "False False"]


@pytest.mark.parametrize(
    ("content", "log"),
    [
        ('{"quantulum3": "0.0.1", "surfaces": {}}', "unit table snapshot made from quantulum3 0.0.1"),
        ("{not json", "unreadable"),
        (None, "unreadable"),
    ],
)
def test_a_stale_or_broken_snapshot_is_rebuilt_from_quantulum3(
    fresh_table: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    content: str | None, log: str,
) -> None:
    path = tmp_path / "unit_surfaces.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(quantities, "SNAPSHOT", path)
    with caplog.at_level(logging.WARNING, logger="numcheck.quantities"):
        assert quantities.unit_at(" 5 furlongs away", 2) == ("furlongs", "furlong", "length", 11)
    assert log in caplog.text


def test_write_snapshot_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_table: None) -> None:
    shipped = quantities.SNAPSHOT.read_text(encoding="utf-8")
    path = tmp_path / "unit_surfaces.json"
    quantities.write_snapshot(path)
    assert path.read_text(encoding="utf-8") == shipped
    monkeypatch.setattr(quantities, "SNAPSHOT", path)
    assert quantities._surfaces() == quantities.build_surfaces()
