"""Guards (``legal_aid.*``) of the ``case`` and ``legal_document`` workflows, each reason citing its rule.

Guards only read; the actions that follow a passed transition write the decisions, dates and
memberships in the same transaction (``legal_aid.record_*``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select

from engine.errors import VolunteerEngineError
from engine.sdk import GuardContext
from engine.sdk.tables import User

from .access import profile_of_user
from .assignment import assignment_problems, get_profile
from .cases import active_lawyers, precheck, rules_of
from .conflict_rules import Severity
from .conflicts import check_case
from .duelist import last_reports
from .law import DeadlineStatus, EndingGround, Outcome, RuleId, is_deemed_withdrawn
from .law.articles import LA_43, LA_48
from .law.results import Decision
from .models import Case, LegalDocument
from .models import LegalVolunteerProfile as Profile
from .qualifications import may_review, needs_review, reason, today_in

__all__ = ["GUARDS", "RESULTS"]

RESULTS = ("won", "mediated", "lost", "withdrawn", "referred")
"""Closure results (seed 000 篇5 结案: 胜诉、调解、败诉、撤回、转介)."""


def _case(ctx: GuardContext) -> Case:
    case = ctx.session.get(Case, int(ctx.subject_id))
    assert case is not None, f"case {ctx.subject_id} not found"
    return case


def actor_profile(ctx: GuardContext) -> Profile | None:
    uid = ctx.session.scalar(select(User.id).where(User.username == ctx.actor))
    return profile_of_user(ctx.session, ctx.programme.id, uid) if uid is not None else None


def _rule_text(r: object) -> str:
    return f"{r.explanation.zh}（{r.article}）/ {r.explanation.en}"  # type: ignore[attr-defined]


def eligible(ctx: GuardContext) -> Iterable[str]:
    """The pre-check of 《法律援助法》 passes: scope, not represented, means (documents come later)."""
    res = precheck(_case(ctx), rules_of(ctx.programme), today_in(ctx.programme))
    if res.decision is Decision.NOT_ELIGIBLE:
        yield from (_rule_text(r) for r in res.rules if r.outcome is Outcome.FAILED
                    and r.rule is not RuleId.DOCUMENTS_COMPLETE)
        yield f"{res.summary.zh} / {res.summary.en}"


def documents_complete(ctx: GuardContext) -> Iterator[str]:
    """Every document the pre-check asks for is in (《法律援助法》第四十三条第二款); provisional aid may
    proceed first (第四十四条第二款). An outstanding supplement request must be answered first."""
    case = _case(ctx)
    rules, today = rules_of(ctx.programme), today_in(ctx.programme)
    res = precheck(case, rules, today)
    if res.decision is Decision.NOT_ELIGIBLE:
        yield from eligible(ctx)
        return
    if case.supplement_requested_on is not None and case.supplement_received_on is None:
        if is_deemed_withdrawn(case.supplement_requested_on, None, today, rules):
            yield reason(f"申请人未在{rules.supplement.response_days}日内补充材料，视为撤回申请",
                         "the applicant did not supply the documents in time: the application counts as withdrawn",
                         LA_43.cite(2))
        else:
            yield reason(f"已于 {case.supplement_requested_on} 告知补充材料，尚未收到",
                         f"documents requested on {case.supplement_requested_on} have not arrived", LA_43.cite(2))
        return
    if res.decision is Decision.NEEDS_DOCUMENTS:
        yield _rule_text(res.rule(RuleId.DOCUMENTS_COMPLETE))


def conflicts_cleared(ctx: GuardContext) -> Iterator[str]:
    """No conflict forbids the programme itself from taking the case (《律师法》第三十九条; 规范第五十一条)."""
    case = _case(ctx)
    for h in check_case(ctx.session, ctx.programme.id, rules_of(ctx.programme), case, None, today_in(ctx.programme)):
        if h.severity == Severity.FORBIDDEN:
            yield h.reason()


def assignable(ctx: GuardContext) -> Iterator[str]:
    """The lawyer in ``payload.profile_id`` may represent: licence, duties, experience, expertise, conflicts."""
    pid = ctx.payload.get("profile_id")
    if pid in (None, ""):
        yield "请指定律师志愿者 profile_id / please name the lawyer to assign: payload.profile_id"
        return
    try:
        prof = get_profile(ctx.session, ctx.programme, pid)
    except VolunteerEngineError as exc:
        yield exc.message
        return
    reasons, _ = assignment_problems(ctx.session, ctx.programme, _case(ctx), prof, "lawyer")
    yield from reasons


def consent_recorded(ctx: GuardContext) -> Iterator[str]:
    """The client's informed consent is on record before any service (seed 000 篇5 知情同意)."""
    if _case(ctx).consent_signed_on is None:
        yield ("尚未记录受援人的知情同意（服务内容、范围、风险、志愿者身份）（000 篇5 伦理审查：知情同意）/ the client's "
               "informed consent (content, scope, risks, volunteer's identity) is not recorded")


def actor_is_case_lawyer(ctx: GuardContext) -> Iterator[str]:
    """The person firing is an assigned lawyer of this case."""
    prof = actor_profile(ctx)
    ids = {m.profile_id for m in active_lawyers(ctx.session, _case(ctx))}
    if prof is None or prof.id not in ids:
        yield "只有本案指派的律师可以执行 / only a lawyer assigned to this case may do this"


def evaluation_complete(ctx: GuardContext) -> Iterator[str]:
    """Merits, risk and resources assessed; accept or decline recommended with reasons (000 篇5 评估流程)."""
    missing = [k for k in ("merits", "risk", "resources", "reasons") if not str(ctx.payload.get(k) or "").strip()]
    if missing:
        yield f"评估须写明案件评估、风险评估、资源匹配和理由，缺少：{', '.join(missing)} / the evaluation needs: " \
              f"{', '.join(missing)}"
    if ctx.payload.get("recommendation") not in ("accept", "decline"):
        yield "请给出建议 recommendation: accept 或 decline / recommendation must be 'accept' or 'decline'"


def reports_current(ctx: GuardContext) -> Iterator[str]:
    """The lawyer has reported to the supervisor, and the last report is within the interval."""
    case = _case(ctx)
    rules, today = rules_of(ctx.programme), today_in(ctx.programme)
    last = last_reports(ctx.session, [case.id]).get(case.id)
    days = rules.reporting.report_interval_days
    if last is None:
        yield "尚未向督导汇报案件进展（000 篇5 定期汇报）/ no progress report to the supervisor yet"
    elif (today - last).days > days:
        yield (f"上次汇报为 {last}，已超过 {days} 日，请先汇报（项目设定 reporting.report_interval_days）/ the last report "
               f"was on {last}, more than {days} days ago: report first")


def closure_complete(ctx: GuardContext) -> Iterator[str]:
    """Result, client feedback and the closure report (000 篇5 结案流程: 成果反馈、结案报告)."""
    p = ctx.payload
    if p.get("result") not in RESULTS:
        yield f"请选择结案结果 result: {', '.join(RESULTS)} / result must be one of: {', '.join(RESULTS)}"
    if len(str(p.get("closure_report") or "").strip()) < 10:
        yield "请填写结案报告 closure_report（服务过程、结果和经验）/ the closure report is missing or too short"
    sat = p.get("client_satisfaction")
    if not (isinstance(sat, int) and 1 <= sat <= 5) and not str(p.get("feedback_declined") or "").strip():
        yield ("请记录受援人评价 client_satisfaction（1-5），或在 feedback_declined 中说明未能取得评价的原因 / record the "
               "client's satisfaction (1-5) or why none was given (feedback_declined)")


def ending_ground(ctx: GuardContext) -> Iterator[str]:
    """Ending aid needs one of the eight grounds of 《法律援助法》第四十八条第一款."""
    g = ctx.payload.get("ground")
    if g not in {e.value for e in EndingGround}:
        listed = "; ".join(f"{e.value}={e.article}" for e in EndingGround)
        yield f"请选择终止理由 ground（{LA_48.cite(1)}）/ ground must be one of: {listed}"
    if not str(ctx.payload.get("reason") or "").strip():
        yield "请写明终止的事实和理由 reason / please state the facts: reason"


def no_deadline_overdue(ctx: GuardContext) -> Iterator[str]:  # pragma: no cover - optional, for programmes
    """Optional: refuse while a legal deadline of the case is overdue (use as a reminder gate)."""
    from .duelist import case_deadline_list

    case = _case(ctx)
    for d in case_deadline_list(case, rules_of(ctx.programme), None, today_in(ctx.programme)):
        if d["status"] == DeadlineStatus.OVERDUE.value and d["kind"] != "supervisor_report":
            yield f"期限已过：{d['name_zh']}（{d['article']}，{d['due']}）/ overdue: {d['name_en']}"


# ------------------------------------------------------------------ documents


def _doc(ctx: GuardContext) -> LegalDocument:
    doc = ctx.session.get(LegalDocument, int(ctx.subject_id))
    assert doc is not None
    return doc


def document_reviewer(ctx: GuardContext) -> Iterator[str]:
    """The reviewer is a senior (资深律师, or another reviewer kind the programme allows), not the drafter."""
    doc = _doc(ctx)
    prof = actor_profile(ctx)
    rules, today = rules_of(ctx.programme), today_in(ctx.programme)
    if prof is None or not may_review(prof, rules, today):
        yield ("只有资深律师志愿者可以审核文书（000 篇5 审核流程；项目设定 staffing）/ only a senior lawyer volunteer may "
               "review documents")
    elif prof.id == doc.drafter_profile_id:
        yield "起草人不能审核自己起草的文书 / the drafter may not review their own document"


def document_reviewed(ctx: GuardContext) -> Iterator[str]:
    """A document drafted by a student or a junior goes out only after a senior's review."""
    doc = _doc(ctx)
    drafter = ctx.session.get(Profile, doc.drafter_profile_id)
    rules, today = rules_of(ctx.programme), today_in(ctx.programme)
    if drafter is not None and needs_review(drafter, rules, today) and doc.reviewed_on is None:
        yield ("学生或初级律师起草的文书须经资深律师审核后方可发出（000 篇5 审核流程）/ a document drafted by a student or "
               "a junior must be reviewed by a senior lawyer before it goes out")


def supplement_overdue(ctx: GuardContext) -> Iterator[str]:
    """The single supplement request went unanswered past the programme's ``response_days``: the
    application counts as withdrawn (《法律援助法》第四十三条第二款 申请人未按要求补充材料……视为撤回申请)."""
    case = _case(ctx)
    rules = rules_of(ctx.programme)
    if case.supplement_requested_on is None:
        yield reason("没有补充材料的要求", "no documents were requested", LA_43.cite(2))
    elif case.supplement_received_on is not None:
        yield reason(f"已于 {case.supplement_received_on} 收到补充材料", "the documents arrived", LA_43.cite(2))
    elif not is_deemed_withdrawn(case.supplement_requested_on, None, ctx.today, rules):
        yield reason(f"补充材料期限（{rules.supplement.response_days}日）尚未届满",
                     f"the {rules.supplement.response_days} days to supply the documents have not run out",
                     LA_43.cite(2))


GUARDS = {
    "legal_aid.supplement_overdue": supplement_overdue,
    "legal_aid.eligible": eligible,
    "legal_aid.documents_complete": documents_complete,
    "legal_aid.conflicts_cleared": conflicts_cleared,
    "legal_aid.assignable": assignable,
    "legal_aid.consent_recorded": consent_recorded,
    "legal_aid.actor_is_case_lawyer": actor_is_case_lawyer,
    "legal_aid.evaluation_complete": evaluation_complete,
    "legal_aid.reports_current": reports_current,
    "legal_aid.closure_complete": closure_complete,
    "legal_aid.ending_ground": ending_ground,
    "legal_aid.no_deadline_overdue": no_deadline_overdue,
    "legal_aid.document_reviewer": document_reviewer,
    "legal_aid.document_reviewed": document_reviewed,
}
