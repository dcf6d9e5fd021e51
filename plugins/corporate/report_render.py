"""The CSR report drawn: an HTML page with a bar chart (inline SVG) and an XLSX workbook (openpyxl,
with a native bar chart). Both show the same figures as :func:`.report.figures`."""

from __future__ import annotations

import io
from decimal import Decimal
from html import escape
from typing import Any

LABELS: list[tuple[str, str]] = [
    ("hours", "服务时长（小时）Hours"), ("people", "参与员工 People"), ("participations", "参与人次 Participations"),
    ("participation_rate", "参与率 % Participation rate"), ("projects", "项目数 Projects"),
    ("completion_rate", "项目完成率 % Completion rate"), ("beneficiaries", "受益人数 Beneficiaries"),
    ("satisfaction", "满意度（1–5）Satisfaction"), ("media_mentions", "媒体报道 Media mentions"),
    ("people_trained", "受训人数 People trained"), ("vto_hours", "工作时间志愿服务（小时）Work-time hours"),
]


def _chart_svg(data: dict[str, str], title: str) -> str:
    if not data:
        return ""
    top = max(Decimal(v) for v in data.values()) or Decimal(1)
    bars, y = [], 24
    for k, v in data.items():
        w = int(Decimal(v) / top * 300)
        bars.append(f'<text x="0" y="{y + 12}" font-size="12">{escape(k)}</text>'
                    f'<rect x="140" y="{y}" width="{w}" height="16" fill="#3b7dd8"/>'
                    f'<text x="{146 + w}" y="{y + 12}" font-size="12">{escape(v)}</text>')
        y += 22
    return (f'<figure><figcaption>{escape(title)}</figcaption><svg role="img" aria-label="{escape(title)}" '
            f'width="520" height="{y + 8}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg></figure>')


def html_page(company: str, f: dict[str, Any]) -> str:
    dept = f" · {escape(f['department'])}" if f["department"] else ""
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{escape(str(f[key]) if f[key] is not None else '—')}</td></tr>"
                   for key, label in LABELS)
    vot = f["value_of_time"]
    value = (f"<p>志愿时间价值 Value of volunteer time: <strong>{escape(vot['amount'])} {escape(vot['currency'])}"
             f"</strong>（{escape(vot['hourly_rate'])} /小时 per hour；来源 source: {escape(vot['source'])}）</p>"
             if vot else "<p>未配置志愿时间价值 / no value_of_time configured</p>")
    grants = "；".join(f"{escape(v)} {escape(k)}" for k, v in f["grants_paid"].items()) or "0"
    skills = "、".join(f"{escape(k)} ×{n}" for k, n in f["skills_transferred"].items()) or "—"
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>CSR 报告 {escape(company)}</title></head><body>
<h1>企业员工志愿服务报告 Employee volunteering report — {escape(company)}{dept}</h1>
<p>{escape(f['period']['start'])} — {escape(f['period']['end'])}</p>
<table>{rows}</table>
{value}
<p>已付配捐 Grants paid: {grants}</p>
<p>技能传递 Skills transferred: {skills}</p>
<p>预算 Budget: {escape(f['budget']['planned'])} 计划 planned / {escape(f['budget']['actual'])} 实际 actual</p>
{_chart_svg(f['hours_by_department'], '各部门服务时长 Hours by department')}
{_chart_svg(f['hours_by_partner'], '各合作机构服务时长 Hours by partner')}
</body></html>"""


def pdf(company: str, f: dict[str, Any]) -> bytes:
    """The page as an A4 PDF (WeasyPrint, a dependency the certificates already need; CJK needs a font
    such as fonts-noto-cjk on the server)."""
    import warnings

    with warnings.catch_warnings():  # WeasyPrint warns when the system lacks HarfBuzz-Subset; the PDF is still made
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML

    css = "<style>@page { size: A4; margin: 18mm } body { font-family: 'Noto Sans CJK SC', sans-serif; " \
          "font-size: 10pt } th { text-align: left; padding-right: 2em }</style>"
    return bytes(HTML(string=html_page(company, f).replace("</head>", css + "</head>", 1)).write_pdf())


def safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def append(ws: Any, row: list[Any]) -> None:
    ws.append([safe(v) for v in row])


def xlsx(company: str, f: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    append(ws, ["企业员工志愿服务报告 Employee volunteering report", company])
    append(ws, ["期间 Period", f["period"]["start"], f["period"]["end"]])
    append(ws, ["部门 Department", f["department"] or "全部 All"])
    for key, label in LABELS:
        v = f[key]
        append(ws, [label, _num(v)])
    vot = f["value_of_time"]
    if vot:
        append(ws, ["志愿时间价值 Value of volunteer time", _num(vot["amount"]), vot["currency"]])
        append(ws, ["时价 Hourly rate", _num(vot["hourly_rate"]), vot["source"]])
    for cur, amount in f["grants_paid"].items():
        append(ws, ["已付配捐 Grants paid", _num(amount), cur])
    append(ws, ["预算计划 Budget planned", _num(f["budget"]["planned"])])
    append(ws, ["预算实际 Budget actual", _num(f["budget"]["actual"])])
    for title, data in (("By department", f["hours_by_department"]), ("By partner", f["hours_by_partner"])):
        sheet = wb.create_sheet(title)
        append(sheet, ["", "小时 Hours"])
        for k, v in data.items():
            append(sheet, [k, _num(v)])
        if data:
            chart = BarChart()
            chart.title = title
            chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(data) + 1), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(data) + 1))
            sheet.add_chart(chart, "D2")
    skills = wb.create_sheet("Skills")
    append(skills, ["技能 Skill", "传递 Transferred", "使用 Used"])
    for k in sorted(set(f["skills_transferred"]) | set(f["skills_used"])):
        append(skills, [k, f["skills_transferred"].get(k, 0), f["skills_used"].get(k, 0)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _num(v: Any) -> Any:
    """Numbers as numbers in the sheet (Decimal text → float for display; None stays empty)."""
    if v is None:
        return None
    if isinstance(v, str):
        try:
            return float(Decimal(v))
        except ArithmeticError:
            return v
    return v
