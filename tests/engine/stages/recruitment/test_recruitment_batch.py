"""定向招募 batch registration (seed 004: ~6,249 people from nine units) from CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from recruitment_helpers import as_csv, as_xlsx, make_id, person, register, roster, years_ago
from sqlalchemy import func, select

from engine.errors import InvalidInput
from engine.stages.recruitment.batch import BatchReport, import_volunteers
from engine.stages.recruitment.models import Enrolment, Volunteer


def run(eng, demo, data: bytes, filename: str, **kw) -> BatchReport:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return import_volunteers(s, demo, data, filename=filename, unit=kw.pop("unit", "物业公司"),
                                 actor="coord1", **kw)


def counts(eng) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return (s.scalar(select(func.count()).select_from(Volunteer)) or 0,
                s.scalar(select(func.count()).select_from(Enrolment)) or 0)


def _with_bad_row(fmt: str) -> tuple[bytes, str, int]:
    rows = roster(5)
    rows[2][3] = rows[2][3][:-1] + ("0" if rows[2][3][-1] != "0" else "1")  # wrong check character
    if fmt == "csv":
        return as_csv(rows), "units.csv", 4  # header is row 1
    return as_xlsx(rows), "units.xlsx", 5  # title row 1, header row 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_all_or_nothing_stores_nothing_and_names_row_and_column(eng, demo, fmt):
    data, name, bad_row = _with_bad_row(fmt)
    report = run(eng, demo, data, name, mode="all_or_nothing")
    assert not report.stored and report.refused
    assert [(e.row, e.column) for e in report.errors] == [(bad_row, "身份证号码")]
    assert f"第 {bad_row} 行" in report.errors[0].message and "校验码" in report.errors[0].message
    assert report.good_rows == 4 and counts(eng) == (0, 0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_rows_stores_the_others(eng, demo, fmt):
    data, name, bad_row = _with_bad_row(fmt)
    report = run(eng, demo, data, name, mode="good_rows", unit="物业公司")
    assert report.stored and report.created == 4 and report.error_rows == [bad_row]
    assert counts(eng) == (4, 4)
    with eng.session() as s:
        assert set(s.scalars(select(Enrolment.source))) == {"batch:物业公司"}
        v = s.scalars(select(Volunteer).order_by(Volunteer.id)).first()
        assert (v.skills, v.languages, v.unit, v.gender) == (["巡逻", "急救"], ["英语"], "莘庄镇物业公司", "male")


def test_people_already_registered_are_linked_not_duplicated(eng, demo):
    rows = roster(4)
    other = eng.load(demo.source_text.replace("id: demo-full", "id: demo-other"), filename="other.yaml")
    register(eng, other, person(name="志愿者0", birth=dt.date(1960, 1, 1), seq=0, phone="13700000000"))
    register(eng, demo, person(name="志愿者1", birth=dt.date(1960, 1, 2), seq=1, phone="13900000001",
                               unit="莘庄镇物业公司", skills=["急救", "巡逻"]))
    report = run(eng, demo, as_csv(rows), "units.csv", mode="all_or_nothing")
    assert (report.created, report.linked, report.already_enrolled) == (2, 1, 1)
    assert report.differences == [{"row": 2, "volunteer_id": 1, "fields": ["phone", "unit", "skills"]}]
    assert counts(eng) == (4, 5)
    with eng.session() as s:
        assert s.scalar(select(Volunteer.phone).where(Volunteer.id == 1)) == "13700000000"  # not overwritten
        assert s.scalar(select(Enrolment.source).where(Enrolment.volunteer_id == 1,
                                                       Enrolment.programme_id == demo.id)) == "batch:物业公司"


def test_dry_run_reports_and_writes_nothing(eng, demo):
    report = run(eng, demo, as_csv(roster(3)), "units.csv", dry_run=True, mode="good_rows")
    assert report.created == 3 and not report.stored and counts(eng) == (0, 0)


def test_minors_and_duplicates_in_the_file_are_row_errors(eng, demo):
    rows = roster(3)
    rows.append(["4", "少年", "男", make_id(years_ago(16), 2), "13911112222", "", "", ""])
    rows.append(list(rows[0]))
    report = run(eng, demo, as_csv(rows), "units.csv", mode="good_rows")
    assert [(e.row, e.code) for e in report.errors] == [(5, "minor"), (6, "duplicate")]
    assert "监护人" in report.errors[0].message and report.created == 3


def test_missing_column_stores_nothing_in_any_mode(eng, demo):
    data = "姓名,手机\n张三,13800138000\n".encode()
    report = run(eng, demo, data, "units.csv", mode="good_rows")
    assert report.file_errors and "身份证号" in report.file_errors[0] and not report.stored
    assert counts(eng) == (0, 0)


def test_bad_mode_and_empty_unit_are_refused(eng, demo):
    with pytest.raises(InvalidInput) as exc:
        run(eng, demo, as_csv(roster(1)), "u.csv", mode="some")
    assert exc.value.field == "mode"
    with pytest.raises(InvalidInput) as exc:
        run(eng, demo, as_csv(roster(1)), "u.csv", unit="  ")
    assert exc.value.field == "unit"


def test_6249_people_import_in_seconds(eng, demo):
    data = as_xlsx(roster(6249))
    csv_data = as_csv(roster(6249))
    started = time.perf_counter()
    report = run(eng, demo, data, "seed004.xlsx", mode="all_or_nothing", unit="莘庄镇")
    xlsx_s = time.perf_counter() - started
    assert report.stored and report.created == 6249 and not report.errors
    assert counts(eng) == (6249, 6249)
    started = time.perf_counter()
    again = run(eng, demo, csv_data, "seed004.csv", mode="all_or_nothing", unit="莘庄镇")
    csv_s = time.perf_counter() - started
    assert again.already_enrolled == 6249 and counts(eng) == (6249, 6249)
    print(f"\n[{eng.db.engine.dialect.name}] 6,249 rows: XLSX new {xlsx_s:.2f}s {report.seconds}; "
          f"CSV again (all linked) {csv_s:.2f}s {again.seconds}")
