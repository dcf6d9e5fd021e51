"""Guards and actions named ``community.*`` in workflow YAML (see ``default.yaml``).

Guards only read and answer with reasons a coordinator can act on; actions run inside the
transition's transaction, after its guards passed (if one raises, the transition is not stored).
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.errors import InvalidInput
from engine.sdk import GuardContext
from engine.sdk.tables import CatalogueItem, LedgerEntry, Redemption, Volunteer
from plugins.community import appeals, dismissal
from plugins.community.catalogue import redemption_objections
from plugins.community.models import Appeal, Dismissal

MIN_NOTE = 2


def _note(ctx: GuardContext) -> str:
    return str(ctx.payload.get("note") or "").strip()


# ------------------------------------------------------------------ guards
def decision_noted(ctx: GuardContext) -> Iterable[str]:
    """The decision carries a written note (payload ``note``): the reason is part of the record."""
    if len(_note(ctx)) < MIN_NOTE:
        yield "请在 note 中写明决定理由 / write the reason for this decision in the payload's note"


def reviewer_not_party(ctx: GuardContext) -> Iterable[str]:
    """Nobody decides their own appeal."""
    appeal = ctx.session.get(Appeal, int(ctx.subject_id))
    if appeal is not None and appeals.actor_is_party(ctx.session, appeal, ctx.actor):
        yield "申诉人不能审核自己的申诉 / you cannot decide your own appeal"


def correction_valid(ctx: GuardContext) -> Iterable[str]:
    """A correction names the right amount (payload ``corrected_amount``), different from the entry's."""
    raw = ctx.payload.get("corrected_amount")
    if raw is None:
        yield "请给出更正后的数额 corrected_amount / give corrected_amount (0 to cancel the entry)"
        return
    try:
        amount = appeals.parse_amount(raw)
    except InvalidInput as exc:
        yield exc.message
        return
    appeal = ctx.session.get(Appeal, int(ctx.subject_id))
    entry = ctx.session.get(LedgerEntry, appeal.entry_id) if appeal else None
    if entry is not None and amount == entry.amount:
        yield f"更正数额与原记录相同（{amount}），应选择维持 / the corrected amount equals the entry's ({amount}): uphold instead"


def has_evidence(ctx: GuardContext) -> Iterable[str]:
    """At least one piece of evidence is on file before a dismissal case is reviewed."""
    if not dismissal.evidence(ctx.session, int(ctx.subject_id)):
        yield "尚无证据，请先补充证据 / no evidence on file yet: add evidence first"


def ground_established(ctx: GuardContext) -> Iterable[str]:
    """For ground (一) the refusals reach ``rules.dismissal.min_refusals`` (seed 003 附件4 第五条)."""
    case = ctx.session.get(Dismissal, int(ctx.subject_id))
    if case is None or case.ground != "repeated_refusal":
        return
    need = ctx.programme.rules.dismissal.min_refusals  # type: ignore[attr-defined]
    have = dismissal.refusals(ctx.session, ctx.programme.id, case)
    if have < need:
        yield (f"“多次不服从工作安排”需至少 {need} 次记录，现有 {have} 次（缺席及拒绝证据）/ repeated refusal needs at least "
               f"{need} recorded refusals or no-shows, {have} on file (seed 003 附件4 第五条（一）)")


def redeemer_still_eligible(ctx: GuardContext) -> Iterable[str]:
    """At approval the love-reward rule still holds (the volunteer is still a backbone volunteer)."""
    row = ctx.session.get(Redemption, int(ctx.subject_id))
    if row is None:
        return
    item = ctx.session.get(CatalogueItem, row.item_id)
    vol = ctx.session.get(Volunteer, row.volunteer_id)
    if item is not None and vol is not None:
        yield from redemption_objections(ctx.session, ctx.programme, vol, item)


# ------------------------------------------------------------------ actions
def apply_correction(ctx: GuardContext) -> None:
    """Correct the appealed entry: the right amount, then a reversing entry (same transaction)."""
    appeal = ctx.session.get(Appeal, int(ctx.subject_id))
    assert appeal is not None
    amount = appeals.parse_amount(ctx.payload["corrected_amount"])
    written = appeals.apply_correction(ctx, appeal, amount, note=_note(ctx))
    appeals.record_decision(appeal, "corrected", _note(ctx), ctx.actor, amount, written)


def record_appeal_decision(ctx: GuardContext) -> None:
    """Stamp an upheld or withdrawn appeal with who, when and why."""
    appeal = ctx.session.get(Appeal, int(ctx.subject_id))
    assert appeal is not None
    appeals.record_decision(appeal, ctx.dest, _note(ctx) or None, ctx.actor)


def record_dismissal_decision(ctx: GuardContext) -> None:
    """Stamp a dismissal case with the decision; ``report_upstream`` also records to whom (payload ``to``)."""
    case = ctx.session.get(Dismissal, int(ctx.subject_id))
    assert case is not None
    if ctx.dest == "reported":
        case.reported_to = str(ctx.payload.get("to") or "上级志愿服务组织 / the higher volunteer organisation")[:200]
        return
    case.decision, case.decision_note, case.decided_by, case.decided_at = ctx.dest, _note(ctx), ctx.actor, ctx.now


GUARDS = (decision_noted, reviewer_not_party, correction_valid, has_evidence, ground_established, redeemer_still_eligible)
ACTIONS = (apply_correction, record_appeal_decision, record_dismissal_decision)
