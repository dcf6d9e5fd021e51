"""Every broken programme file fails with the right message at the right line.

Each file in tests/programmes/broken/ says on its first line what must be reported:
``# expect: <line>: <fragment of the message>``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vol_plan_demo

from engine.config.loader import load_programme
from engine.errors import ConfigError
from engine.plugins import PluginHost

BROKEN = sorted((Path(__file__).parents[2] / "programmes" / "broken").glob("*.yaml"))


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(load_entrypoints=False, extra_plugins=[("demo", vol_plan_demo)])


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_reports_line_and_message(path: Path, host: PluginHost) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.match(r"# expect: (\d+): (.+)$", first)
    assert m, f"{path.name} lacks its '# expect: LINE: message' header"
    line, fragment = int(m.group(1)), m.group(2)
    with pytest.raises(ConfigError) as info:
        load_programme(path, host)
    problems = info.value.problems
    assert any(p.line == line and fragment in p.message for p in problems), "\n".join(map(str, problems))
    hit = next(p for p in problems if p.line == line and fragment in p.message)
    assert hit.file == str(path)
    assert hit.column >= 1


def test_all_problems_reported_not_just_the_first(host: PluginHost, tmp_path: Path) -> None:
    f = tmp_path / "many.yaml"
    f.write_text(
        "id: many-problems\nname: 多处错误\nplan_type: demo\norganisation: {name: 站, phone: 1}\n"
        "period: {start: 2026-01-01, end: 2026-12-31}\nrules: {min_helpers: -1}\n"
        "workflows:\n  lifecycle:\n    transitions:\n      close: {guards: [nope], roles: [ghost]}\n",
        encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_programme(f, host)
    lines = sorted(p.line for p in info.value.problems)
    assert lines == [4, 6, 10, 10]
    text = str(info.value)
    assert f"{f}:4:" in text and "expected one of: name, slug, name_en, kind, address, contact" in text


def test_unknown_plan_type_lists_the_installed_ones(host: PluginHost) -> None:
    path = next(p for p in BROKEN if "unknown_plan_type" in p.name)
    with pytest.raises(ConfigError) as info:
        load_programme(path, host)
    assert "expected one of: demo" in str(info.value)
