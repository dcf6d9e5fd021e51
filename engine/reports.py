"""The programme report: the engine's own sections plus every plan type's (``volunteer_report_sections``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportSection:
    """A titled part of a report: key figures and an optional table (columns + rows)."""

    title: str
    figures: dict[str, Any] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = "engine"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "figures": self.figures, "columns": self.columns, "rows": self.rows,
                "notes": self.notes, "source": self.source}
