"""The CSR report as PDF and XLSX for one department, and text that would run as a spreadsheet
formula kept as text."""

from __future__ import annotations

import io

from corp_helpers import P, World, ok, serve
from openpyxl import load_workbook

from engine.testing import frozen_clock


def test_pdf_and_department_xlsx(world: World) -> None:
    with frozen_clock("2026-05-10T10:00:00+08:00"):
        e = world.employee("e1", "design", skills=["design"])
        serve(world, "csr1", e, "2026-05-02", "2.5", partner="elder-care", skills_used=["design"])
        f = ok(world.as_("cm2").get(f"{P}/report", params={"department": "design"}))
        assert (f["hours"], f["value_of_time"]["amount"]) == ("2.50", "212.50")
        r = world.as_("csr1").get(f"{P}/report.pdf", params={"department": "design"})
        assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"
        wb = load_workbook(io.BytesIO(world.as_("csr1").get(f"{P}/report.xlsx",
                                                            params={"department": "design"}).content))
        rows = {r[0]: r[1:] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
        assert rows["部门 Department"][0] == "design" and rows["服务时长（小时）Hours"][0] == 2.5
        assert wb["Skills"]["A2"].value == "design"
        assert world.as_("csr1").get(f"{P}/report", params={"department": "sales"}).status_code == 422
        assert world.as_("csr1").get(f"{P}/report", params={"start": "2026-05-01", "end": "2026-04-01"}).status_code == 422


def test_formula_text_is_kept_as_text() -> None:
    from plugins.corporate.report_render import safe

    assert safe('=HYPERLINK("x")') == "'=HYPERLINK(\"x\")" and safe("-1") == "'-1" and safe(3) == 3
