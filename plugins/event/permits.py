"""大型群众性活动安全许可 Permit thresholds and deadlines (《大型群众性活动安全管理条例》2007).

* 第二条: a 大型群众性活动 is one whose 每场次预计参加人数达到1000人以上 — below 1,000 no permit.
* 第十二条: 预计参加人数在1000人以上5000人以下的，由活动所在地县级人民政府公安机关实施安全许可；
  预计参加人数在5000人以上的，由活动所在地设区的市级人民政府公安机关或者直辖市人民政府公安机关实施安全
  许可；跨省、自治区、直辖市举办大型群众性活动的，由国务院公安部门实施安全许可。
* 第十三条: 承办者应当在活动举办日的20日前提出安全许可申请.
* 第十四条: 对受理的申请，应当自受理之日起7日内进行审查 … 做出许可的决定 — the 7 days run from
  acceptance (受理), not from filing.

**Exactly 5,000.** In Chinese legislative drafting "以上/以下" include the figure itself, so 5,000
reads into both bands of 第十二条. We apply the first band — the county-level police
(县级人民政府公安机关) — at exactly 5,000, and the city level from 5,001 on, as the issue's
"1,000–5,000 county, > 5,000 city" does; the answer says so, so an admin can check with the local
police before filing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

THRESHOLD = 1000   # 第二条
CITY_ABOVE = 5000  # 第十二条 (5,000 itself: county, see the module note)
FILE_DAYS = 20     # 第十三条
DECIDE_DAYS = 7    # 第十四条


@dataclass(frozen=True)
class PermitNeed:
    required: bool
    authority: str | None
    article: str
    file_by: dt.date | None
    note: str

    def as_dict(self) -> dict[str, object]:
        return {"required": self.required, "authority": self.authority, "article": self.article,
                "file_by": self.file_by.isoformat() if self.file_by else None, "note": self.note}


def permit_need(attendance: int | None, starts_on: dt.date | None, *, cross_province: bool = False) -> PermitNeed:
    """Which authority grants the safety permit and the last day to apply."""
    file_by = starts_on - dt.timedelta(days=FILE_DAYS) if starts_on else None
    if attendance is None:
        return PermitNeed(False, None, "第二条", None,
                          "未填写预计参加人数 / rules.event.expected_attendance is not set: cannot tell")
    if attendance < THRESHOLD:
        return PermitNeed(False, None, "第二条", None,
                          f"预计 {attendance} 人，未达 1000 人，不属于大型群众性活动 / {attendance} expected: below the "
                          "1,000 of Art.2, no safety permit needed")
    if cross_province:
        who = "国务院公安部门 / the State Council's public security department"
    elif attendance <= CITY_ABOVE:
        who = "活动所在地县级人民政府公安机关 / the county-level public security organ"
    else:
        who = "设区的市级人民政府公安机关或直辖市人民政府公安机关 / the city-level (or municipality) public security organ"
    note = (f"须在活动举办日的20日前（{file_by} 前）提出申请；公安机关自受理之日起7日内审查决定 / apply at least 20 days "
            f"before the event (by {file_by}); the police decide within 7 days of accepting the application (Art.13–14)")
    if attendance == CITY_ABOVE and not cross_province:
        note += ("；恰为 5000 人时两档文字均可读入，本系统按县级处理，请向当地公安机关确认 / at exactly 5,000 both bands of "
                 "Art.12 read in; this system applies the county level — confirm with the local police")
    return PermitNeed(True, who, "第十二条", file_by, note)


def decision_due(accepted_on: dt.date) -> dt.date:
    """第十四条: the decision is due within 7 days of acceptance."""
    return accepted_on + dt.timedelta(days=DECIDE_DAYS)


def permit_reasons(attendance: int | None, starts_on: dt.date | None, *, cross_province: bool,
                   permit_granted: bool, today: dt.date) -> list[str]:
    """Why the event may not start service yet for want of a permit (a lifecycle guard's reasons)."""
    need = permit_need(attendance, starts_on, cross_province=cross_province)
    if not need.required or permit_granted:
        return []
    return [f"尚未取得大型群众性活动安全许可（{need.authority}，《大型群众性活动安全管理条例》{need.article}）/ the safety "
            f"permit of Art.12 has not been recorded as granted; {need.note}"]
