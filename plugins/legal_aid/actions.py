"""Actions (``legal_aid.record_*``): what a passed transition writes, in the same transaction.

The dates they set drive the deadlines: ``decided_on`` and ``aid_granted`` (《法律援助法》第四十三条第一款:
decide within 7 days), ``assigned_on`` (assign within 3 days of the decision), ``closed_on``.
"""

from __future__ import annotations

from typing import Any

from engine.sdk import GuardContext

from .assignment import get_profile, join
from .cases import store_check
from .guards import actor_profile
from .law.articles import LA_43
from .models import Case, LegalDocument
from .qualifications import today_in

__all__ = ["ACTIONS"]


def _case(ctx: GuardContext) -> Case:
    case = ctx.session.get(Case, int(ctx.subject_id))
    assert case is not None
    return case


def _text(ctx: GuardContext, key: str) -> str | None:
    value = ctx.payload.get(key)
    return str(value).strip() if value not in (None, "") else None


def record_decision(ctx: GuardContext) -> None:
    """Conflicts cleared: the decision to give aid (第四十三条第一款); the check is kept."""
    case = _case(ctx)
    case.decided_on = today_in(ctx.programme)
    case.aid_granted = True
    store_check(ctx.session, ctx.programme, case, None, "intake", ctx.actor)


def record_assignment(ctx: GuardContext) -> None:
    """The lawyer named in ``payload.profile_id`` joins the case; ``assigned_on`` is set."""
    case = _case(ctx)
    prof = get_profile(ctx.session, ctx.programme, ctx.payload["profile_id"])
    join(ctx.session, ctx.programme, case, prof, "lawyer", actor=ctx.actor)


def record_evaluation(ctx: GuardContext) -> None:
    case = _case(ctx)
    prof = actor_profile(ctx)
    case.evaluation = {k: _text(ctx, k) for k in ("merits", "risk", "resources", "recommendation", "reasons")} | {
        "by": ctx.actor, "profile_id": prof.id if prof else None, "on": today_in(ctx.programme).isoformat()}


def _review(ctx: GuardContext, decision: str) -> None:
    case = _case(ctx)
    reviews: list[Any] = list((case.evaluation or {}).get("reviews", []))
    reviews.append({"decision": decision, "by": ctx.actor, "on": today_in(ctx.programme).isoformat(),
                    "note": _text(ctx, "note") or _text(ctx, "reason")})
    case.evaluation = {**(case.evaluation or {}), "reviews": reviews}


def record_acceptance(ctx: GuardContext) -> None:
    """The supervisor accepts the evaluation: the case is in progress."""
    _review(ctx, "accept")
    _case(ctx).accepted_on = today_in(ctx.programme)


def record_return(ctx: GuardContext) -> None:
    _review(ctx, f"return:{ctx.trigger}")


def record_decline(ctx: GuardContext) -> None:
    """Aid is refused: a written notice with reasons (第四十三条第一款) and the right to object (第四十九条)."""
    case = _case(ctx)
    today = today_in(ctx.programme)
    if case.evaluation is not None:
        _review(ctx, "decline")
    case.decline_reason = _text(ctx, "reason")
    if case.decided_on is None:
        case.decided_on, case.aid_granted = today, False
    case.closed_on = today


def record_referral(ctx: GuardContext) -> None:
    case = _case(ctx)
    case.referred_to = _text(ctx, "referred_to")
    case.decline_reason = _text(ctx, "reason")
    case.result = "referred"
    case.closed_on = today_in(ctx.programme)


def record_withdrawal(ctx: GuardContext) -> None:
    case = _case(ctx)
    case.decline_reason = _text(ctx, "reason")
    case.result = "withdrawn"
    case.closed_on = today_in(ctx.programme)


def record_deemed_withdrawal(ctx: GuardContext) -> None:
    """视为撤回申请 (《法律援助法》第四十三条第二款), taken by the scheduled path: the reason names the request
    and the period that ran out; the transition log keeps who (``system``) and when."""
    case = _case(ctx)
    days = ctx.programme.rules.supplement.response_days
    case.decline_reason = (f"申请人未在 {case.supplement_requested_on} 告知后 {days} 日内补充材料，视为撤回申请（{LA_43.cite(2)}）"
                           f" / the documents requested on {case.supplement_requested_on} were not supplied within "
                           f"{days} days: the application counts as withdrawn")
    case.result = "withdrawn"
    case.closed_on = ctx.today


def record_ending(ctx: GuardContext) -> None:
    """Aid ended on a ground of 第四十八条 (objection: 第四十九条)."""
    case = _case(ctx)
    case.ending_ground = _text(ctx, "ground")
    case.decline_reason = _text(ctx, "reason")
    case.closed_on = today_in(ctx.programme)


def record_closure(ctx: GuardContext) -> None:
    case = _case(ctx)
    case.result = _text(ctx, "result")
    sat = ctx.payload.get("client_satisfaction")
    case.client_satisfaction = sat if isinstance(sat, int) else None
    case.client_feedback = _text(ctx, "client_feedback") or _text(ctx, "feedback_declined")
    case.closure_report = _text(ctx, "closure_report")


def record_closed(ctx: GuardContext) -> None:
    _review(ctx, "approve_closure")
    _case(ctx).closed_on = today_in(ctx.programme)


def record_review(ctx: GuardContext) -> None:
    doc = ctx.session.get(LegalDocument, int(ctx.subject_id))
    assert doc is not None
    prof = actor_profile(ctx)
    doc.reviewer_profile_id = prof.id if prof else None
    doc.reviewed_on = today_in(ctx.programme)
    doc.review_note = _text(ctx, "note")


def record_sent(ctx: GuardContext) -> None:
    doc = ctx.session.get(LegalDocument, int(ctx.subject_id))
    assert doc is not None
    doc.sent_on = today_in(ctx.programme)


ACTIONS = {
    "legal_aid.record_decision": record_decision,
    "legal_aid.record_assignment": record_assignment,
    "legal_aid.record_evaluation": record_evaluation,
    "legal_aid.record_acceptance": record_acceptance,
    "legal_aid.record_return": record_return,
    "legal_aid.record_decline": record_decline,
    "legal_aid.record_referral": record_referral,
    "legal_aid.record_withdrawal": record_withdrawal,
    "legal_aid.record_deemed_withdrawal": record_deemed_withdrawal,
    "legal_aid.record_ending": record_ending,
    "legal_aid.record_closure": record_closure,
    "legal_aid.record_closed": record_closed,
    "legal_aid.record_review": record_review,
    "legal_aid.record_sent": record_sent,
}
