"""The engine's generic instance routes and the case-file rule (《法律援助法》第二十一条: 法律援助人员
应当保守在法律援助活动中知悉的国家秘密、商业秘密, 不得泄露当事人的隐私; seed 000 篇5 保密原则).

* ``volunteer_instance_filter`` — ``GET …/instances`` leaves out the case and document instances a
  reader may not open (a team leader no longer sees which case ids exist and in what state);
* ``volunteer_instance_read`` — every case instance shown (in a list, opened, its log, fired) or refused
  is written to the case's read log at the level the reader had: ``full``, ``masked`` (a list row of
  an admin or coordinator) or ``refused``. A document's read is logged on its case.

The engine commits the request's unit of work (a refused look before its 403): nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.sdk import InstanceView

from .access import FULL_ROLES, MASKED_ROLES, View, document_view_level, level_for, log_reads, member_case_ids
from .models import LegalDocument

__all__ = ["hidden_instances", "log_instance_reads"]

CASE, DOCUMENT = "case", "legal_document"


def _levels(session: Session, programme: Any, instances: Sequence[InstanceView], user: Any,
            roles: frozenset[str]) -> dict[int, tuple[int | None, View]]:
    """instance id → (the case it belongs to, this reader's level), for case and document instances."""
    ours = [i for i in instances if i.subject_type in (CASE, DOCUMENT)]
    if not ours:
        return {}
    mine = member_case_ids(session, programme.id, user.id) if not roles & FULL_ROLES else set()
    doc_ids = [int(i.subject_id) for i in ours if i.subject_type == DOCUMENT]
    docs = {d.id: d for d in session.scalars(select(LegalDocument).where(LegalDocument.id.in_(doc_ids)))} \
        if doc_ids else {}
    out: dict[int, tuple[int | None, View]] = {}
    for inst in ours:
        if inst.subject_type == CASE:
            cid = int(inst.subject_id)
            out[inst.id] = (cid, level_for(roles, cid in mine))
            continue
        doc = docs.get(int(inst.subject_id))
        if doc is None:
            out[inst.id] = (None, View.REFUSED)
        else:
            out[inst.id] = (doc.case_id, document_view_level(session, programme, doc, user.id, roles))
    return out


def hidden_instances(session: Session, programme: Any, instances: Sequence[InstanceView], user: Any,
                     roles: frozenset[str]) -> list[int]:
    """The case and document instances this reader may not open: left out of the engine's list."""
    return [iid for iid, (_, level) in _levels(session, programme, instances, user, roles).items()
            if level is View.REFUSED]


def log_instance_reads(session: Session, programme: Any, instances: Sequence[InstanceView], user: Any,
                       roles: frozenset[str], what: str, allowed: bool) -> None:
    """One read-log row per case shown (or refused) through an engine route, at the reader's level."""
    levels = _levels(session, programme, instances, user, roles)
    kinds = {i.id: i.subject_type for i in instances}
    by_key: dict[tuple[str, View], list[int]] = {}
    for iid, (case_id, level) in levels.items():
        if case_id is None:
            continue
        if not allowed:
            level = View.REFUSED
        elif level is View.REFUSED:  # the engine's default let a staff role through: say what they saw
            level = View.MASKED if roles & MASKED_ROLES else View.REFUSED
        label = what if kinds[iid] == CASE else f"document_{what}"
        by_key.setdefault((label, level), []).append(case_id)
    for (label, level), case_ids in by_key.items():
        log_reads(session, programme.id, case_ids, user.username, roles, label, level)
