"""Mistakes real admins make typing a programme file, each reported at the line and column they typed
wrong, in Chinese and in English (tests/programmes/mistakes/; docs/admin-yaml.md).

Full-width punctuation inside values is Chinese text, not a mistake: the ``ok_*`` files must load.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
import vol_plan_demo

from engine.config.loader import load_programme
from engine.errors import ConfigError
from engine.plugins import PluginHost

HERE = Path(__file__).parents[2] / "programmes" / "mistakes"

#: file → (line, column, Chinese fragment, English fragment)
EXPECT: dict[str, tuple[int, int, str, str]] = {
    "m01_fullwidth_colon_key": (2, 5, "第 2 行第 5 列使用了全角冒号 '：'，请改为半角 ':'", "full-width colon"),
    "m02_fullwidth_colon_nested": (5, 7, "全角冒号", "full-width colon '：'"),
    "m03_fullwidth_comma_flow": (5, 27, "全角逗号 '，'", "full-width comma"),
    "m04_fullwidth_comma_roles": (9, 28, "全角逗号", "unknown role 'admin，coordinator'"),
    "m05_tab_indent": (5, 1, "制表符（Tab）", "YAML indents with spaces only"),
    "m06_indented_deeper": (3, 3, "第 3 行比第 2 行缩进更深", "indented deeper than line 2"),
    "m07_indent_misaligned": (6, 3, "缩进了 2 格，与上面任何一级都对不齐", "lines up with no level above (use 4 or 0)"),
    "m08_misspelt_key": (5, 1, "未知的键", "did you mean 'period'?"),
    "m09_chinese_number": (7, 3, "请用阿拉伯数字，不要写成「三」", "write the number in digits"),
    "m10_slash_date": (5, 10, "日期请写成 2026-03-01", "year-month-day"),
    "m11_fullwidth_space_indent": (5, 1, "全角空格", "full-width space U+3000"),
    "m12_fullwidth_quotes": (3, 12, "全角引号", "unknown plan type '“demo”'"),
    "m13_yes_in_chinese": (7, 3, "请写 true（是）或 false（否）", "valid boolean"),
    "m14_unclosed_quote": (2, 7, "引号没有闭合", "is never closed"),
    "m15_missing_colon": (3, 1, "第 3 行的键后缺少冒号", "the key has no ':' after it"),
    "m16_colon_in_value": (4, 18, "请给整个值加上引号", "put the whole value in quotes"),
    "m17_duplicate_key": (6, 1, "重复的键", 'duplicate key "name"'),
    "m18_list_item_misaligned": (9, 4, "列表项 '- '缩进了 3 格", "use 4 or 2 or 0"),
    "m19_hours_as_text": (7, 3, "请只写阿拉伯数字", "the key's name gives the unit"),
    "m20_fullwidth_digits": (7, 3, "请用半角数字", "half-width digits"),
    "m21_stage_window_typo": (8, 14, "阶段 'desing' 不是 lifecycle 的状态", "not a state of workflow 'lifecycle'"),
}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(load_entrypoints=False, extra_plugins=[("demo", vol_plan_demo)])


def test_every_mistake_file_has_its_expectation() -> None:
    files = {p.stem for p in HERE.glob("m*.yaml")}
    assert files == set(EXPECT) and len(files) >= 15


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_mistake_reported_where_it_was_typed(name: str, host: PluginHost) -> None:
    line, column, zh, en = EXPECT[name]
    path = HERE / f"{name}.yaml"
    with pytest.raises(ConfigError) as info:
        load_programme(path, host)
    hits = [p for p in info.value.problems if (p.line, p.column) == (line, column)]
    assert hits, "\n".join(map(str, info.value.problems))
    assert any(zh in p.message and en in p.message and p.file == str(path) for p in hits), "\n".join(map(str, hits))


@pytest.mark.parametrize("path", sorted(HERE.glob("ok_*.yaml")), ids=lambda p: p.stem)
def test_full_width_punctuation_inside_values_is_fine(path: Path, host: PluginHost) -> None:
    prog = load_programme(path, host)
    assert "：" in prog.config.name and "，" in prog.config.name


def test_every_type_error_is_bilingual(host: PluginHost) -> None:
    text = (HERE / "ok_chinese_punctuation_in_values.yaml").read_text(encoding="utf-8")
    text += "rewards:\n  levels:\n    - {name: 一星, min_hours: 很多}\n"
    with pytest.raises(ConfigError) as info:
        load_programme(text, host, filename="levels.yaml")
    (p,) = info.value.problems
    assert (p.line, p.path) == (16, "rewards.levels.0.min_hours")
    assert p.message.startswith("应为数字 / Input should be a valid number")


BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize(("text", "fragment"), [
    (BOMB, "aliases (&, *) would expand to more than 100,000 values"),
    ("x: " + "[" * 200 + "]" * 200 + "\n", "nested"),
    ("description: '" + "长" * 400_000 + "'\n", "the file is too large"),
], ids=["alias-bomb", "deep", "large"])
def test_bombs_and_oversized_files_are_refused_without_expanding(text: str, fragment: str, host: PluginHost) -> None:
    """The guard refuses before anything is built: expanding the bomb would take 9**9 values (gigabytes),
    so the memory the refusal allocates is the deterministic witness (not a wall-clock bound)."""
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as info:
            load_programme(text, host, filename="bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(fragment in p.message for p in info.value.problems), str(info.value)
    assert peak < 16 * 2**20, f"the refusal allocated {peak / 2**20:.1f} MiB"
