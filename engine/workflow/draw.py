"""Draw a workflow: Mermaid text (no tools needed) or SVG/PNG through Graphviz.

The current state, when known, is highlighted (filled, bold) in both forms.
"""

from __future__ import annotations

import re

from engine.config.models import WorkflowDef


def _label(text: str | None, fallback: str) -> str:
    return (text or fallback).replace('"', "'")


def wrap(text: str, width: int = 14) -> str:
    """Break a bilingual title before its English part, and long parts at spaces near ``width``."""
    parts = re.split(r"(?<=[^\x00-\x7f）)])\s+(?=[\x00-\x7f])", text, maxsplit=1)
    lines: list[str] = []
    for part in parts:
        words, line = part.split(" "), ""
        for w in words:
            if line and len(line) + 1 + len(w) > width and w.isascii():
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
    return "\n".join(lines)


def _mid(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def mermaid(wf: WorkflowDef, current: str | None = None) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {_mid(wf.initial)}"]
    for name in wf.states:
        st = wf.state(name)
        lines.append(f'    state "{_label(st.title, name)}" as {_mid(name)}')
    for tname, t in wf.transitions.items():
        label = _label(t.title, t.trigger or tname)
        for src in t.from_:
            lines.append(f"    {_mid(src)} --> {_mid(t.to)}: {label}")
    for name in wf.states:
        if wf.state(name).final:
            lines.append(f"    {_mid(name)} --> [*]")
    if current is not None:
        lines.append("    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px,font-weight:bold")
        lines.append(f"    class {_mid(current)} current")
    return "\n".join(lines) + "\n"


def dot(wf: WorkflowDef, current: str | None = None, name: str = "workflow"):  # type: ignore[no-untyped-def]
    import graphviz

    # Top to bottom and at most A4's printable width (7.5 × 10.5 in): a phone scrolls it down, a page
    # holds it; labels wrap between the Chinese and the English title.
    g = graphviz.Digraph(name=name, graph_attr={"rankdir": "TB", "fontname": "Noto Sans CJK SC", "size": "7.5,10.5",
                                                "ratio": "compress", "nodesep": "0.3", "ranksep": "0.4"},
                         node_attr={"shape": "box", "style": "rounded", "fontname": "Noto Sans CJK SC"},
                         edge_attr={"fontname": "Noto Sans CJK SC", "fontsize": "10"})
    g.node("__start__", "", shape="circle", width="0.2", style="filled", fillcolor="black")
    g.edge("__start__", wf.initial)
    for state in wf.states:
        st = wf.state(state)
        attrs = {"label": f"{wrap(_label(st.title, state))}\n({state})"}
        if st.final:
            attrs["peripheries"] = "2"
        if state == current:
            attrs.update(style="rounded,filled,bold", fillcolor="#ffd54f", color="#e65100", penwidth="3")
        g.node(state, **attrs)
    for tname, t in wf.transitions.items():
        for src in t.from_:
            g.edge(src, t.to, label=wrap(_label(t.title, t.trigger or tname), 18))
    return g


def render(wf: WorkflowDef, fmt: str, current: str | None = None) -> bytes:
    """Return the picture as bytes in ``fmt`` (``svg`` or ``png``); needs Graphviz's ``dot``."""
    import graphviz

    try:
        return bytes(dot(wf, current).pipe(format=fmt))
    except graphviz.ExecutableNotFound as exc:
        raise RuntimeError(
            "画图需要 Graphviz 的 dot 程序 / drawing SVG or PNG needs Graphviz's `dot` on PATH "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz); "
            "`--format mermaid` works without it") from exc
