"""Legal aid's scheduled work (``volunteer_scheduled``, see docs/scheduled-work.md).

* Deemed withdrawal (视为撤回申请, 《法律援助法》第四十三条第二款): a case whose single supplement request
  (第四十三条第二款 一次性告知) went unanswered for the programme's ``supplement.response_days`` is moved
  to ``withdrawn`` by the ``deemed_withdrawn`` transition, acting as ``system``: its guard checks the
  period again, its action writes the reason, and the transition log keeps who and when. Documents
  that arrived late are left to intake staff (the ``verify`` guard already refuses them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.sdk.tables import WorkflowInstance

from .cases import CASE_WORKFLOW, rules_of
from .law import is_deemed_withdrawn
from .models import Case

__all__ = ["deemed_withdrawals"]

OPEN_BEFORE_DECISION = ("registered", "prechecked", "verified", "cleared")


def deemed_withdrawals(ctx: Any) -> list[int]:
    """Withdraw every case whose supplement request ran out unanswered by ``ctx.now``; their ids."""
    programme, today = ctx.programme, ctx.today
    rules = rules_of(programme)
    rows = ctx.session.execute(select(Case, WorkflowInstance.id).join(WorkflowInstance, (
        WorkflowInstance.programme_id == Case.programme_id) & (WorkflowInstance.workflow == CASE_WORKFLOW)
        & (WorkflowInstance.subject_type == "case") & (WorkflowInstance.subject_id == _str(Case.id))).where(
        Case.programme_id == programme.id, Case.supplement_requested_on.is_not(None),
        Case.supplement_received_on.is_(None), WorkflowInstance.state.in_(OPEN_BEFORE_DECISION))).all()
    done: list[int] = []
    for case, instance_id in rows:
        if is_deemed_withdrawn(case.supplement_requested_on, None, today, rules) and \
                ctx.fire(instance_id, "deemed_withdrawn").ok:
            done.append(case.id)
    return done


def _str(col: Any) -> Any:
    from sqlalchemy import String, cast

    return cast(col, String)
