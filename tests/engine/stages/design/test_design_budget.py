"""Budget lines: planned and actual income and expense, totals per project and programme, roles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from engine.core import VolunteerEngine
from engine.stages.design.schemas import ActualIn, BudgetLineIn, ProjectIn
from engine.stages.design.service import budget_totals, create_budget_line, create_project, record_actual

BASE = "/programmes/term-demo"


def test_totals_by_hand(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    project = coord.post(f"{BASE}/projects", json={"name": "四点半课堂"}).json()
    pid = project["id"]
    lines = [
        {"kind": "income", "item": "社区服务专项资金 government grant", "planned": "5000", "project_id": pid},
        {"kind": "expense", "item": "志愿者保险 insurance", "planned": "1200.00", "project_id": pid},
        {"kind": "expense", "item": "文具 materials", "planned": "800", "project_id": pid},
        {"kind": "income", "item": "企业赞助 sponsor", "planned": "1000"},  # programme-wide
    ]
    ids = []
    for body in lines:
        r = coord.post(f"{BASE}/budget-lines", json=body)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = coord.post(f"{BASE}/budget-lines/{ids[1]}/actual", json={"actual": "1150.50"})
    assert r.status_code == 200 and r.json()["actual"] == "1150.50" and r.json()["actual_recorded_by"] == "coord1"
    coord.post(f"{BASE}/budget-lines/{ids[0]}/actual", json={"actual": "5000"})
    totals = clients["super"].get(f"{BASE}/budget/totals").json()
    # project: income 5000 / 5000; expense 1200+800 = 2000 planned, 1150.50 actual (materials not yet spent)
    # balance planned 5000 − 2000 = 3000, actual 5000 − 1150.50 = 3849.50
    assert totals["projects"][0] == {
        "project_id": pid, "project_name": "四点半课堂", "lines": 3, "lines_without_actual": 1,
        "income_planned": "5000.00", "income_actual": "5000.00", "expense_planned": "2000.00",
        "expense_actual": "1150.50", "balance_planned": "3000.00", "balance_actual": "3849.50"}
    assert totals["projects"][1]["project_id"] is None  # programme-wide lines come last
    assert (totals["projects"][1]["income_planned"], totals["projects"][1]["income_actual"]) == ("1000.00", "0.00")
    p = totals["programme"]
    assert (p["income_planned"], p["income_actual"], p["expense_planned"], p["expense_actual"]) == \
        ("6000.00", "5000.00", "2000.00", "1150.50")
    assert (p["balance_planned"], p["balance_actual"], p["lines"], p["lines_without_actual"]) == \
        ("4000.00", "3849.50", 4, 2)
    expenses = coord.get(f"{BASE}/budget-lines", params={"kind": "expense"}).json()
    assert [x["item"] for x in expenses] == ["志愿者保险 insurance", "文具 materials"]
    assert len(coord.get(f"{BASE}/budget-lines", params={"project_id": pid}).json()) == 3


def test_service_totals_are_decimals(eng: VolunteerEngine, term: Any) -> None:
    with eng.session() as s:
        project = create_project(s, term, ProjectIn(name="义诊"), actor="coord1")
        line = create_budget_line(s, term, BudgetLineIn(kind="expense", item="血压计", planned=Decimal("0.10"),
                                                        project_id=project.id), actor="coord1")
        create_budget_line(s, term, BudgetLineIn(kind="expense", item="血糖仪", planned=Decimal("0.20"),
                                                 project_id=project.id), actor="coord1")
        record_actual(s, term, line.id, ActualIn(actual=Decimal("0.10")), actor="coord1")
    with eng.session() as s:
        projects, total = budget_totals(s, term)
    assert total["expense_planned"] == Decimal("0.30")  # no float drift: 0.1 + 0.2 is 0.30
    assert total["balance_planned"] == Decimal("-0.30")
    assert projects[0]["lines_without_actual"] == 1


def test_budget_validation(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    for body, field in [({"kind": "expense", "item": "x", "planned": "-1"}, "planned"),
                        ({"kind": "expense", "item": "x", "planned": "1.005"}, "planned"),
                        ({"kind": "gift", "item": "x", "planned": "1"}, "kind"),
                        ({"kind": "expense", "item": "", "planned": "1"}, "item")]:
        r = coord.post(f"{BASE}/budget-lines", json=body)
        assert r.status_code == 422 and r.json()["detail"]["field"] == "body." + field, body
    r = coord.post(f"{BASE}/budget-lines", json={"kind": "expense", "item": "x", "planned": "1", "project_id": 99})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "project_id"
    assert coord.post(f"{BASE}/budget-lines/99/actual", json={"actual": "1"}).status_code == 404


def test_budget_roles(clients: dict[str, httpx.Client]) -> None:
    body = {"kind": "expense", "item": "x", "planned": "10"}
    line = clients["admin"].post(f"{BASE}/budget-lines", json=body).json()
    for role in ("leader", "vol"):  # not even reading
        for url in ("/budget-lines", f"/budget-lines/{line['id']}", "/budget/totals"):
            r = clients[role].get(BASE + url)
            assert r.status_code == 403, (role, url)
        assert r.json()["detail"]["required_roles"] == ["admin", "coordinator", "supervisor"]
    assert clients["super"].get(f"{BASE}/budget-lines").status_code == 200
    for role in ("leader", "vol", "super"):  # writing: admin and coordinator only
        assert clients[role].post(f"{BASE}/budget-lines", json=body).status_code == 403
        assert clients[role].post(f"{BASE}/budget-lines/{line['id']}/actual", json={"actual": "9"}).status_code == 403
    assert clients["coord"].get(f"{BASE}/budget-lines/{line['id']}").json()["actual"] is None
