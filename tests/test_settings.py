"""The settings: every one is documented where operators look for it."""

from __future__ import annotations

import re
from pathlib import Path

from service.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Settings") : text.index("## Rules")]
    documented = set(re.findall(r"`(NUMCHECK_[A-Z0-9_]+)`", section))
    expected = {f"NUMCHECK_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected
