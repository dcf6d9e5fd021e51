"""Budget lines over HTTP: HQ records planned and actual per category (Decimal, with a currency),
coordinators read, others may not; the post-event report's budget section shows each line's planned,
actual and difference and the totals per currency (a second currency is never added in).

Figures: 6,249 volunteers (seed 004) × a 45.00 vest; insurance 6,249 × 10.00; meals and training
planned as round sums; one transport line in HKD."""

from __future__ import annotations

from tests_support import make_users


def test_budget_lines_and_report(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    pid = prog.id
    make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "hq": "hq1", "volunteer": "vol1"})
    hq, coord, vol = api.as_("hq1"), api.as_("coord1"), api.as_("vol1")
    b = f"/programmes/{pid}/event/budget"
    lines = [("uniforms", "平安志愿者马甲 vests", "281205.00", "279900.50"),
             ("insurance", "意外险 accident cover", "62490.00", "62490.00"),
             ("meals", "", "120000.00", "131250.75"),
             ("training", "岗前培训 pre-duty", "30000.00", None)]
    ids = {}
    for cat, item, planned, actual in lines:
        r = hq.post(b + "/lines", json={"category": cat, "item": item, "planned": planned})
        assert r.status_code == 201, r.text
        ids[cat] = r.json()["id"]
        if actual is not None:
            r = hq.patch(b + f"/lines/{ids[cat]}", json={"actual": actual})
            assert r.status_code == 200 and r.json()["actual"] == actual
    r = hq.post(b + "/lines", json={"category": "transport", "item": "香港接驳 shuttle", "currency": "HKD",
                                    "planned": "5000", "actual": "4800.00"})
    assert r.status_code == 201 and r.json()["difference"] == "-200.00"

    # refusals: roles, a repeated line, bad amounts, currency and category; nothing stored by them
    assert coord.post(b + "/lines", json={"category": "meals", "planned": "1"}).status_code == 403
    assert vol.get(b).status_code == 403
    assert hq.post(b + "/lines", json={"category": "meals", "planned": "1"}).status_code == 409
    for bad in ({"category": "meals", "item": "x", "planned": "-1"}, {"category": "meals", "item": "y",
                "planned": "1.005"}, {"category": "meals", "item": "z", "planned": "1", "currency": "yuan"},
                {"category": "fireworks", "planned": "1"}):
        assert hq.post(b + "/lines", json=bad).status_code == 422, bad
    assert hq.patch(b + "/lines/999999", json={"actual": "1"}).status_code == 404

    got = coord.get(b).json()
    assert len(got["lines"]) == 5 and got["open"] == [ids["training"]]
    by_cat = {ln["category"]: ln for ln in got["lines"]}
    assert by_cat["uniforms"]["difference"] == "-1304.50" and by_cat["meals"]["difference"] == "11250.75"
    assert by_cat["insurance"]["difference"] == "0.00" and by_cat["training"]["difference"] is None
    assert got["totals"]["CNY"] == {"planned": "493695.00", "actual": "473641.25", "difference": "9946.25"}
    assert got["totals"]["HKD"] == {"planned": "5000.00", "actual": "4800.00", "difference": "-200.00"}

    report = api.as_("admin1").get(f"/programmes/{pid}/report")
    assert report.status_code == 200, report.text
    section = next(s for s in report.json()["sections"] if s.get("source") == "event.budget")
    assert section["figures"]["差额 Difference (CNY)"] == "9946.25"
    assert ["合计 Total", "", "CNY", "493695.00", "473641.25", "9946.25"] in section["rows"]
    assert ["合计 Total", "", "HKD", "5000.00", "4800.00", "-200.00"] in section["rows"]
    assert ["餐饮 Meals", "", "CNY", "120000.00", "131250.75", "11250.75"] in section["rows"]
