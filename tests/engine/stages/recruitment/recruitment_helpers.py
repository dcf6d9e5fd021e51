"""Helpers for the recruitment tests: valid ID numbers for any birth date, posts, programmes that
admit minors, and registering people through the service."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from tests_support import open_recruitment

from engine.people import check_character
from engine.stages.design.models import Post, Project
from engine.stages.recruitment import service
from engine.stages.recruitment.schemas import VolunteerIn

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"
SAMPLE_X = "11010519491231002X"  # the published GB 11643 sample: female, born 1949-12-31, check character X


def make_id(birth: dt.date, seq: int = 1, *, gender: str = "male", region: str = "110105") -> str:
    """A valid 18-character ID number: sequence parity gives the gender (odd male, even female)."""
    seq3 = (seq * 2 + (1 if gender == "male" else 0)) % 1000
    first17 = f"{region}{birth:%Y%m%d}{seq3:03d}"
    return first17 + check_character(first17)


def local_today() -> dt.date:
    """Today in the demo programmes' zone (ages are counted in the programme's days)."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def years_ago(years: int, days: int = 0) -> dt.date:
    """A birth date ``days`` after the one that makes someone exactly ``years`` old today
    (``years_ago(18, 1)``: 17, turning 18 tomorrow)."""
    t = local_today()
    try:
        birthday = t.replace(year=t.year - years)
    except ValueError:  # 29 February
        birthday = t.replace(year=t.year - years, day=28)
    return birthday + dt.timedelta(days=days)


def person(name: str = "张三", birth: dt.date = dt.date(1990, 3, 7), seq: int = 1, **extra: Any) -> VolunteerIn:
    data: dict[str, Any] = {"name": name, "id_number": make_id(birth, seq), "phone": "13800138000", **extra}
    return VolunteerIn.model_validate(data)


def register(eng: Any, programme: Any, data: VolunteerIn, **kw: Any) -> service.Registration:
    with eng.session() as s:
        return service.register_volunteer(s, programme, data, actor="coord1", **kw)


def add_post(eng: Any, programme_id: str, **fields: Any) -> int:
    with eng.session() as s:
        project = Project(programme_id=programme_id, name="社区服务 Community service")
        s.add(project)
        s.flush()
        post = Post(programme_id=programme_id, project_id=project.id, **{"name": "导览 Guide", **fields})
        s.add(post)
        s.flush()
        open_recruitment(eng, programme_id, project.id, session=s)  # the real triggers, up to 招募注册
        return post.id


def minors_programme(eng: Any, *, min_age: int = 18) -> Any:
    """The demo programme, under another id, admitting minors with guardian consent."""
    text = (PROGRAMMES / "demo_full.yaml").read_text(encoding="utf-8").replace("id: demo-full", "id: demo-minors")
    text += f"recruitment: {{minors_allowed: true, min_age: {min_age}}}\n"
    return eng.load(text, filename="demo-minors.yaml")


HEADER = ["序号", "姓名", "性别", "身份证号码", "手机号（必填）", "技能特长", "外语", "所在单位"]


def roster(n: int, *, start: int = 0) -> list[list[str]]:
    """``n`` valid rows: distinct people born a day apart from 1960-01-01."""
    rows = []
    for i in range(start, start + n):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=i)
        rows.append([str(i + 1), f"志愿者{i}", "男", make_id(birth, i % 7), f"139{i:08d}", "巡逻、急救", "英语",
                     "莘庄镇物业公司"])
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADER, *rows]).encode("utf-8-sig")


def as_xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["莘庄镇平安志愿者花名册"])  # a title row above the header, as units send them
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
