"""装备发放与回收 Equipment issue and return (seed 000 篇3 物资与设备保障: 服装、工具、通讯设备、标识;
seed 004 四、1 袖章、马甲、T恤、徽章、遮阳帽、小旗帜). What is still out at the end is listed per item."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from engine.errors import Conflict, NotFound

from .models import EquipmentIssue


def issue(ctx: Any, volunteer_id: int, item: str, code: str | None) -> EquipmentIssue:
    ctx.volunteer(volunteer_id)  # 404 unless the volunteer is in this programme
    if code and ctx.session.scalar(select(EquipmentIssue.id).where(
            EquipmentIssue.programme_id == ctx.programme.id, EquipmentIssue.code == code,
            EquipmentIssue.returned_at.is_(None))) is not None:
        raise Conflict(f"编号 {code} 的装备尚未归还，不能再发 / item {code} is out and not yet returned", field="code")
    row = EquipmentIssue(programme_id=ctx.programme.id, volunteer_id=volunteer_id, item=item, code=code,
                         issued_by=ctx.actor, issued_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    return row


def give_back(ctx: Any, issue_id: int) -> EquipmentIssue:
    row = ctx.session.get(EquipmentIssue, issue_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有发放记录 {issue_id} / no equipment issue {issue_id}", field="issue_id")
    if row.returned_at is not None:
        raise Conflict(f"发放记录 {issue_id} 已归还 / issue {issue_id} was already returned")
    row.returned_at, row.returned_to = ctx.now, ctx.actor
    ctx.session.flush()
    return row


def outstanding(ctx: Any) -> dict[str, Any]:
    rows = list(ctx.session.scalars(select(EquipmentIssue).where(EquipmentIssue.programme_id == ctx.programme.id,
                                                                 EquipmentIssue.returned_at.is_(None))
                                    .order_by(EquipmentIssue.id)))
    return {"by_item": dict(Counter(r.item for r in rows)),
            "items": [{"id": r.id, "volunteer_id": r.volunteer_id, "item": r.item, "code": r.code,
                       "issued_at": r.issued_at.isoformat()} for r in rows]}
