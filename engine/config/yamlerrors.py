"""YAML mistakes in words an admin understands, at the line and column they got wrong.

The parser reports where it *noticed* a problem ("could not find expected ':'" on the line after a
key written with a full-width colon; "expected <block end>, but found '<block mapping start>'" for a
line indented two spaces too few). :func:`explain` turns those into a sentence about the line the
admin typed, in Chinese and English. :func:`hint` looks at problems found later (pydantic, unknown
keys, unknown roles) whose line holds full-width punctuation in a place where YAML needs ASCII.

Full-width ``：``/``，`` are legitimate inside values (``title: 开展服务：第一阶段``); they are only
diagnosed where parsing failed or a key line has no ``:`` (docs/admin-yaml.md, WAVE2).

Limits (engine-owned): a file over :data:`MAX_BYTES`, nesting over :data:`MAX_DEPTH`, or aliases
that would expand to more than :data:`MAX_NODES` values is refused before it is expanded.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from engine.errors import Problem

MAX_BYTES = 1_000_000  # a programme file is a few kilobytes; the largest example is under 20 KB
MAX_DEPTH = 40
MAX_NODES = 100_000

FULL_WIDTH = {"：": ":", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "\u3000": " ", "［": "[", "］": "]",
              "｛": "{", "｝": "}", "－": "-"}
NAMES = {"：": ("全角冒号", "full-width colon"), "，": ("全角逗号", "full-width comma"),
         "“": ("全角引号", "full-width quote"), "”": ("全角引号", "full-width quote"),
         "‘": ("全角引号", "full-width quote"), "’": ("全角引号", "full-width quote"),
         "\u3000": ("全角空格", "full-width space"), "［": ("全角方括号", "full-width bracket"),
         "］": ("全角方括号", "full-width bracket"), "｛": ("全角花括号", "full-width brace"),
         "｝": ("全角花括号", "full-width brace"), "－": ("全角减号", "full-width hyphen")}


def full_width_message(ch: str, line: int, column: int) -> str:
    zh, en = NAMES[ch]
    ascii_ch = FULL_WIDTH[ch]
    shown = "（U+3000）" if ch == "\u3000" else f" '{ch}'"
    shown_en = "U+3000" if ch == "\u3000" else f"'{ch}'"
    return (f"第 {line} 行第 {column} 列使用了{zh}{shown}，请改为半角 '{ascii_ch}' / line {line}, column {column}: "
            f"{en} {shown_en}; type the ASCII '{ascii_ch}' instead (switch the input method to half-width)")


def _key_part(line: str) -> tuple[int, str]:
    """Offset and text of what would be the key on this line (after indentation and '- ')."""
    m = re.match(r"^([ \u3000]*(?:-[ \u3000]+)*)", line)
    start = m.end() if m else 0
    return start, line[start:]


def key_line_without_colon(line: str) -> int | None:
    """0-based column of a full-width colon (or leading full-width space) that stands where a key's
    ':' should be: the line has no ASCII ':' before it and is not a comment."""
    start, rest = _key_part(line)
    if "\u3000" in line[:start]:
        return line.index("\u3000")
    if not rest or rest.startswith("#") or rest[0] in "\"'|>[{":
        return None
    fw = rest.find("：")
    if fw < 0:
        return None
    ascii_colon = rest.find(":")
    if 0 <= ascii_colon < fw:
        return None
    return start + fw


def too_large(text: str, filename: str) -> Problem | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        return Problem(filename, 1, 1, f"文件过大（{size:,} 字节，上限 {MAX_BYTES:,}）/ the file is too large "
                                       f"({size:,} bytes; at most {MAX_BYTES:,})",
                       expected="one programme per file, a few kilobytes")
    return None


def expansion_problem(doc: Any, filename: str) -> Problem | None:
    """Refuse alias bombs and deep nesting without expanding anything (sizes memoised per node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(doc, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            return Problem(filename, *_where(node), f"嵌套过深（超过 {MAX_DEPTH} 层）/ nested more than {MAX_DEPTH} "
                                                    "levels deep", expected="a flatter structure")
        children = list(node.values()) if isinstance(node, dict) else (list(node) if isinstance(node, list) else [])
        if not children:
            sizes[id(node)] = 1
            continue
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_NODES:
                return Problem(filename, *_where(node),
                               f"别名（&/*）展开后超过 {MAX_NODES:,} 个值，拒绝读取 / aliases (&, *) would expand to more "
                               f"than {MAX_NODES:,} values: refused", expected="aliases used a few times, not nested")
            continue
        if id(node) in sizes:
            continue
        stack.append((node, depth, True))
        for c in children:
            if isinstance(c, (dict, list)) and id(c) not in sizes:
                stack.append((c, depth + 1, False))
    return None


def _where(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return (lc.line + 1, lc.col + 1) if lc is not None and lc.line is not None else (1, 1)


def explain(exc: Any, text: str, filename: str) -> Problem:
    """A parser error (ruamel MarkedYAMLError) as a sentence about the line the admin typed."""
    lines = text.split("\n")
    pm, cm = exc.problem_mark, exc.context_mark
    line, col = (pm.line + 1, pm.column + 1) if pm is not None else (1, 1)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    expected = "valid YAML (check indentation, colons and quotes)"

    # full-width punctuation on a key line, at or before the line where parsing stopped
    last = min(line, len(lines))
    for n in range(last, 0, -1):
        c = key_line_without_colon(lines[n - 1])
        if c is not None:
            ch = lines[n - 1][c]
            return Problem(filename, n, c + 1, full_width_message(ch, n, c + 1), expected="key: value")
    for n in sorted({line, cm.line + 1 if cm is not None else line}, reverse=True):
        src = lines[n - 1] if 1 <= n <= len(lines) else ""
        flow = re.search(r"[\[{].*?(，)", src)
        if flow:
            c = flow.start(1)
            return Problem(filename, n, c + 1, full_width_message("，", n, c + 1), expected="[a, b] or {key: value, …}")
    if "\t" in problem or "'\\t'" in problem:
        text_line = lines[line - 1] if line <= len(lines) else ""
        tab = text_line.find("\t")
        col = tab + 1 if tab >= 0 else col
        return Problem(filename, line, col, f"第 {line} 行第 {col} 列有制表符（Tab）：YAML 只能用空格缩进 / line {line}, "
                                            f"column {col}: a tab character; YAML indents with spaces only",
                       expected="spaces (2 per level)")
    if problem.startswith("could not find expected ':'") and cm is not None:
        n = cm.line + 1
        return Problem(filename, n, cm.column + 1,
                       f"第 {n} 行的键后缺少冒号 ':' / line {n}: the key has no ':' after it", expected="key: value")
    if problem == "mapping values are not allowed here":
        return _mapping_values(lines, line, col, filename)
    m = re.match(r"expected <block end>, but found '<block (mapping|sequence) start>'", problem)
    if m:
        return _bad_indent(lines, line, filename, sequence=m.group(1) == "sequence")
    m = re.match(r"expected ',' or '([}\]])', but got", problem)
    if m and cm is not None:
        n, c, close = cm.line + 1, cm.column + 1, m.group(1)
        opener = "{" if close == "}" else "["
        return Problem(filename, n, c, f"第 {n} 行第 {c} 列的 '{opener}' 没有配对的 '{close}'（或其中少了逗号）/ the "
                                       f"'{opener}' at line {n}, column {c} is not closed with '{close}' (or a ',' is "
                                       "missing inside it)", expected=f"{opener} … {close} on one line")
    if problem.startswith("found unexpected end of stream") or "while scanning a quoted scalar" in context:
        n, c = (cm.line + 1, cm.column + 1) if cm is not None else (line, col)
        return Problem(filename, n, c, f"第 {n} 行第 {c} 列的引号没有闭合 / the quote at line {n}, column {c} is "
                                       "never closed", expected="a closing quote on the same line")
    what = problem or context or "invalid YAML"
    if context and cm is not None and pm is not None:
        what += f" ({context} at line {cm.line + 1}, column {cm.column + 1})"
    return Problem(filename, line, col, f"第 {line} 行第 {col} 列 YAML 语法错误 / YAML syntax error: {what}",
                   expected=expected)


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip(" "))


def _previous(lines: list[str], n: int) -> int | None:
    """1-based number of the last non-blank, non-comment line before line ``n``."""
    for k in range(n - 1, 0, -1):
        s = lines[k - 1].strip()
        if s and not s.startswith("#"):
            return k
    return None


def _mapping_values(lines: list[str], line: int, col: int, filename: str) -> Problem:
    here = lines[line - 1] if line <= len(lines) else ""
    prev = _previous(lines, line)
    if prev is not None and _indent(here) > _indent(lines[prev - 1]):
        p = lines[prev - 1].rstrip()
        if not p.endswith(":"):
            c = _indent(here) + 1
            return Problem(filename, line, c,
                           f"第 {line} 行比第 {prev} 行缩进更深，但第 {prev} 行的键已经有值：请与第 {prev} 行对齐，或把"
                           f"第 {prev} 行的值移到下一行 / line {line} is indented deeper than line {prev}, whose key "
                           f"already has a value: align it with line {prev}",
                           expected=f"{_indent(lines[prev - 1])} spaces of indentation")
    return Problem(filename, line, col, f"第 {line} 行第 {col} 列的值里有 ': '：请给整个值加上引号 / line {line}, column "
                                        f"{col}: a value contains ': '; put the whole value in quotes",
                   expected='key: "text: with a colon"')


def _bad_indent(lines: list[str], line: int, filename: str, *, sequence: bool) -> Problem:
    here = lines[line - 1] if line <= len(lines) else ""
    width = _indent(here)
    levels: list[int] = []
    for k in range(line - 1, 0, -1):
        s = lines[k - 1]
        if s.strip() and not s.strip().startswith("#"):
            ind = _indent(s)
            if not levels or ind < levels[-1]:
                levels.append(ind)
            if ind == 0:
                break
    options = " 或 ".join(str(x) for x in levels) or "0"
    options_en = " or ".join(str(x) for x in levels) or "0"
    what = "列表项 '- '" if sequence else "这一行"
    what_en = "the list item '- '" if sequence else "this line"
    return Problem(filename, line, width + 1,
                   f"第 {line} 行{what}缩进了 {width} 格，与上面任何一级都对不齐（应为 {options} 格）/ line {line}: "
                   f"{what_en} is indented by {width} spaces, which lines up with no level above "
                   f"(use {options_en})", expected="siblings indented by the same number of spaces")


def hint(problems: list[Problem], text: str, filename: str) -> list[Problem]:
    """A problem found after parsing whose own line shows full-width punctuation where YAML needs
    ASCII (a key's colon, a comma or bracket in ``[…]``/``{…}``, quotes) is explained as such."""
    lines = text.split("\n")
    out: list[Problem] = []
    for p in problems:
        if p.file != filename or not 1 <= p.line <= len(lines):
            out.append(p)
            continue
        src = lines[p.line - 1]
        c = key_line_without_colon(src)
        if c is None:
            for ch in ("，", "［", "］", "｛", "｝"):
                flow = re.search(r"[\[{［｛].*" + ch, src) if ch == "，" else None
                if (flow or ch != "，") and ch in src:
                    c = src.index(ch)
                    break
        if c is None:
            stripped = src.split(":", 1)[1].strip() if ":" in src else ""
            if stripped[:1] in ("“", "‘"):
                c = src.index(stripped[0])
        if c is None:
            out.append(p)
            continue
        ch = src[c]
        out.append(replace(p, column=c + 1, message=f"{full_width_message(ch, p.line, c + 1)}（{p.message}）"))
    return out
