"""Conflict-of-interest checks against every case and declaration of the programme.

Every party and every declared interest is written to the conflict index when it is stored
(:func:`index_party`, :func:`index_declaration`). A check searches the index once per party of the case
(one indexed SQL statement each, :class:`plugins.legal_aid.conflict.ConflictIndex`), loads what the hits
point at in a few set-based queries, and classifies each hit for the volunteer to be assigned
(:mod:`.conflict_rules`). Each hit says which case or declaration, which party, which matching rule
and how closely (score 0-100), whether it blocks, whether it may be waived, and why (with the article).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.sdk.tables import Volunteer

from .conflict import Hit
from .conflict.keys import PartyKind
from .conflict_rules import Candidate, DeclarationSource, PartySource, Severity, classify, review
from .law import MatterType
from .models import CONFLICT_INDEX, Case, CaseMember, CaseParty, ConflictWaiver, InterestDeclaration
from .models import LegalVolunteerProfile as Profile
from .rules import PlanRules

__all__ = [
    "ConflictHit", "Gathered", "blocking", "check_case", "classify_hits", "gather", "index_declaration",
    "index_party", "waivers_of",
]


def _names(name: str, aliases: list[Any] | None) -> list[str]:
    return [name, *[str(a) for a in (aliases or []) if str(a).strip()]]


def index_party(session: Session, party: CaseParty) -> None:
    """(Re)write the index keys of a case party (``party:<id>``)."""
    conn = session.connection()
    ref = f"party:{party.id}"
    CONFLICT_INDEX.remove(conn, ref)
    kind: PartyKind = "org" if party.kind == "org" else "person"
    CONFLICT_INDEX.add(conn, ref, kind, _names(party.name, party.aliases), party.id_number, display_name=party.name,
                       birth_date=_iso(party.birth_date))


def index_declaration(session: Session, decl: InterestDeclaration) -> None:
    """(Re)write the index keys of a declared interest (``declaration:<id>``)."""
    conn = session.connection()
    ref = f"declaration:{decl.id}"
    CONFLICT_INDEX.remove(conn, ref)
    kind: PartyKind = "org" if decl.party_kind == "org" else "person"
    CONFLICT_INDEX.add(conn, ref, kind, _names(decl.name, decl.aliases), decl.id_number, display_name=decl.name,
                       birth_date=_iso(decl.birth_date))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass
class ConflictHit:
    """One hit, explained: what matched, how closely, and what it means for the assignment."""

    party_ref: str
    query_party_id: int
    query_name: str
    query_role: str
    matched: str
    match_rule: str
    score: float
    source: str  # case | declaration
    other_name: str
    other_case_id: int | None
    other_case_number: str | None
    other_role: str | None
    declaration_kind: str | None
    declared_by: str | None
    declared_by_profile: int | None
    severity: str
    conflict_rule: str
    article: str
    explanation_zh: str
    explanation_en: str
    waived: bool = False

    @property
    def blocks(self) -> bool:
        return self.severity in (Severity.FORBIDDEN, Severity.WAIVABLE) and not self.waived

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "blocks": self.blocks}

    def reason(self) -> str:
        where = (f"案件 {self.other_case_number} 的{_ROLE_ZH.get(self.other_role or '', self.other_role)}"
                 if self.source == "case" else f"{self.declared_by} 申报的利益（{self.declaration_kind}）")
        where_en = (f"case {self.other_case_number}, {self.other_role}" if self.source == "case"
                    else f"interest declared by {self.declared_by} ({self.declaration_kind})")
        kind = "不可豁免" if self.severity == Severity.FORBIDDEN else "可经受援人书面知情同意后由督导豁免"
        kind_en = "cannot be waived" if self.severity == Severity.FORBIDDEN else \
            "a supervisor may waive it with the client's signed informed consent"
        return (f"利益冲突：{_ROLE_ZH.get(self.query_role, self.query_role)}「{self.query_name}」与{where}「{self.other_name}」"
                f"相符（{self.match_rule}：「{self.matched}」，{self.score:g} 分）；{self.explanation_zh}（{self.article}）；{kind} / "
                f"conflict: {self.query_role} {self.query_name!r} matches {where_en} {self.other_name!r} "
                f"({self.match_rule} on {self.matched!r}, score {self.score:g}); {self.explanation_en}; {kind_en} "
                f"[{self.party_ref}]")


_ROLE_ZH = {"client": "受援人", "adverse": "对方当事人", "opponent_agent": "对方代理人", "related": "关系人"}


def _search(session: Session, case: Case, parties: list[CaseParty], min_score: float) -> list[tuple[CaseParty, Hit]]:
    conn = session.connection()
    own = {f"party:{p.id}" for p in parties}
    out: list[tuple[CaseParty, Hit]] = []
    for p in parties:
        kind: PartyKind = "org" if p.kind == "org" else "person"
        for hit in CONFLICT_INDEX.search(conn, kind, _names(p.name, p.aliases), p.id_number, limit=None,
                                         birth_date=_iso(p.birth_date)):
            # the birth-date-alone tier is always reported (for review), whatever min_score says
            if hit.party_ref not in own and (hit.score >= min_score or hit.rule == "birth_date"):
                out.append((p, hit))
    return out


def _ids(found: list[tuple[CaseParty, Hit]], prefix: str) -> set[int]:
    return {int(h.party_ref.split(":", 1)[1]) for _, h in found if h.party_ref.startswith(prefix + ":")}


@dataclass
class Gathered:
    """What a case's hits point at, loaded once and classified for any number of candidates."""

    case: Case
    found: list[tuple[CaseParty, Hit]]
    parties: dict[int, CaseParty]
    cases: dict[int, Case]
    members: dict[int, set[int]]
    decls: dict[int, tuple[InterestDeclaration, str, str | None]]
    crossed: dict[int, set[tuple[str, str]]]


def gather(session: Session, programme_id: str, rules: PlanRules, case: Case) -> Gathered:
    """Search every party of ``case`` and load what the hits point at (a few set-based queries)."""
    parties = list(session.scalars(select(CaseParty).where(CaseParty.case_id == case.id)))
    found = _search(session, case, parties, rules.conflict.min_score)
    party_rows = {p.id: p for p in session.scalars(select(CaseParty).where(
        CaseParty.id.in_(_ids(found, "party")), CaseParty.programme_id == programme_id))}
    case_ids = {p.case_id for p in party_rows.values()}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    members: dict[int, set[int]] = {}
    for cid, pid in session.execute(select(CaseMember.case_id, CaseMember.profile_id).where(
            CaseMember.case_id.in_(case_ids))):
        members.setdefault(cid, set()).add(pid)
    decls = {d.id: (d, name, firm) for d, name, firm in session.execute(
        select(InterestDeclaration, Volunteer.name, Profile.firm)
        .join(Profile, Profile.id == InterestDeclaration.profile_id)
        .join(Volunteer, Volunteer.id == Profile.volunteer_id)
        .where(InterestDeclaration.id.in_(_ids(found, "declaration")),
               InterestDeclaration.programme_id == programme_id))}
    crossed: dict[int, set[tuple[str, str]]] = {}
    for q, h in found:
        other = party_rows.get(int(h.party_ref.split(":")[1])) if h.party_ref.startswith("party:") else None
        if other is not None:
            crossed.setdefault(other.case_id, set()).add((q.role, other.role))
    return Gathered(case, found, party_rows, cases, members, decls, crossed)


def classify_hits(g: Gathered, rules: PlanRules, candidate: Profile | None, waived: set[str],
                  today: dt.date) -> list[ConflictHit]:
    """Classify every gathered hit for ``candidate`` (``None``: the programme as a whole, at intake)."""
    cand = Candidate(candidate.id, candidate.firm) if candidate is not None else None
    criminal = _criminal(g.case)
    out: list[ConflictHit] = []
    for q, h in g.found:
        kind, num = h.party_ref.split(":", 1)
        if kind == "party" and int(num) in g.parties:
            o = g.parties[int(num)]
            oc = g.cases[o.case_id]
            pairs = g.crossed.get(o.case_id, set())
            same = ("client", "adverse") in pairs and ("adverse", "client") in pairs
            src: PartySource | DeclarationSource = PartySource(
                o.role, o.case_id, oc.closed_on is None, oc.closed_on, frozenset(g.members.get(o.case_id, ())), same)
            extra: dict[str, Any] = {
                "source": "case", "other_name": o.name, "other_case_id": oc.id, "other_case_number": oc.number,
                "other_role": o.role,
                     "declaration_kind": None, "declared_by": None, "declared_by_profile": None}
        elif kind == "declaration" and int(num) in g.decls:
            d, vname, firm = g.decls[int(num)]
            src = DeclarationSource(d.profile_id, d.kind, d.ended_on, firm, same_case=d.case_id == g.case.id)
            extra = {"source": "declaration", "other_name": d.name, "other_case_id": None, "other_case_number": None,
                     "other_role": None,
                     "declaration_kind": d.kind, "declared_by": vname, "declared_by_profile": d.profile_id}
        else:
            continue  # another programme's party or declaration: not this programme's business
        v = review(h.rule) or classify(q.role, src, cand, criminal=criminal, today=today,
                                       former_client_years=rules.conflict.former_client_years)
        out.append(ConflictHit(
            party_ref=h.party_ref, query_party_id=q.id, query_name=h.query, query_role=q.role, matched=h.matched,
            match_rule=h.rule, score=h.score, severity=v.severity.value, conflict_rule=v.rule, article=v.article,
            explanation_zh=v.zh, explanation_en=v.en, waived=h.party_ref in waived and v.severity == Severity.WAIVABLE,
            **extra))
    order = {Severity.FORBIDDEN.value: 0, Severity.WAIVABLE.value: 1, Severity.REVIEW.value: 2, Severity.INFO.value: 3}
    return sorted(out, key=lambda x: (order[x.severity], -x.score, x.party_ref))


def waivers_of(session: Session, case_id: int, profile_id: int) -> set[str]:
    return set(session.scalars(select(ConflictWaiver.party_ref).where(
        ConflictWaiver.case_id == case_id, ConflictWaiver.profile_id == profile_id)))


def check_case(session: Session, programme_id: str, rules: PlanRules, case: Case,
               candidate: Profile | None, today: dt.date) -> list[ConflictHit]:
    """Search every party of ``case`` against the programme's cases and declarations; classify each hit
    for ``candidate`` (``None``: the intake check, which judges the programme as a whole)."""
    g = gather(session, programme_id, rules, case)
    waived = waivers_of(session, case.id, candidate.id) if candidate is not None else set()
    return classify_hits(g, rules, candidate, waived, today)


def blocking(hits: list[ConflictHit]) -> list[ConflictHit]:
    return [h for h in hits if h.blocks]


def _criminal(case: Case) -> bool:
    try:
        return MatterType(case.application.get("matter", "other")).is_criminal
    except ValueError:
        return False
