"""The settings: every one is documented where operators look for it."""

from __future__ import annotations

import re
from pathlib import Path

from service.settings import Settings, available_cores, cpu_quota

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Settings") : text.index("## Rules")]
    documented = set(re.findall(r"`(NUMCHECK_[A-Z0-9_]+)`", section))
    expected = {f"NUMCHECK_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_a_cpu_quota_is_read_from_cgroup_v2_and_v1(tmp_path: Path) -> None:
    assert cpu_quota(tmp_path) is None  # no cgroup files: no quota
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cpu_quota(tmp_path) is None
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert cpu_quota(tmp_path) == 1.5
    assert available_cores(tmp_path) == 1  # a core and a half: one whole core to run on
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cpu_quota(v1) is None
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("300000\n")
    assert cpu_quota(v1) == 3.0
