"""Which conflict hits block an assignment, and whether a supervisor may waive them.

Pure functions: given what a hit connects (this case's party and its role, and either another case's
party or a volunteer's declared interest) and who is to be assigned, say *forbidden* (never waivable),
*waivable* (only with the client's signed informed consent and a supervisor's waiver) or *info* (shown,
does not block), with the rule and its article.

Sources:

* 《律师法》第三十九条 — never for both sides in one case; never in a matter that conflicts with one's own
  or a close relative's interests. 第四十一条 — former judges and prosecutors (checked on the profile, see
  :mod:`.qualifications`).
* 《律师执业行为规范》(全国律协) 第五十一条 — conflicts that may not be taken on even with consent: (一) both
  sides / own or relative's interest, (二) a close relative is the opponent's legal representative or agent,
  (三) having handled the matter as an official, judge, prosecutor or arbitrator, (五) colleagues on
  opposite sides of one civil, administrative or arbitration matter.
* 第五十二条 — conflicts the client may waive by signing informed consent: (一) a colleague is a close
  relative of the opponent (civil/arbitration), (二) the same in a criminal case (victim), (三) taking work
  from the opponent of a current client, (四) acting against a client the organisation serves, (五) acting
  for the opponent of a former client in the same matter within one year, (六) similar cases.

A legal-aid programme plays the part of the law firm: its volunteers on other cases are "colleagues" (同所
律师) for 第五十一条第五项 and 第五十二条第三、四项, as are lawyers who declare the same firm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .law import LAWYERS_LAW
from .law.articles import LL_39, zh_number

__all__ = [
    "CONDUCT_CODE",
    "Candidate",
    "DeclarationKind",
    "DeclarationSource",
    "PartyRole",
    "PartySource",
    "Severity",
    "Verdict",
    "classify",
    "code_cite",
]

CONDUCT_CODE = "《律师执业行为规范》"


def code_cite(article: int, item: int) -> str:
    """``《律师执业行为规范》第五十一条第二项``."""
    return f"{CONDUCT_CODE}第{zh_number(article)}条第{zh_number(item)}项"


class Severity(StrEnum):
    FORBIDDEN = "forbidden"
    WAIVABLE = "waivable"
    REVIEW = "review"
    """Only the birth date matched: a person looks before assigning; it does not block."""
    INFO = "info"


class PartyRole(StrEnum):
    """A party's role in a case."""

    CLIENT = "client"
    """受援人 / the client."""
    ADVERSE = "adverse"
    """对方当事人 / an adverse party."""
    OPPONENT_AGENT = "opponent_agent"
    """对方的法定代表人或代理人 / the opponent's legal representative or agent."""
    RELATED = "related"
    """第三人、利害关系人 / a related party."""


class DeclarationKind(StrEnum):
    """What a volunteer declares (seed 000 篇5: 主动申报……利害关系)."""

    SELF = "self"
    """The volunteer themself (written automatically for every profile)."""
    RELATIVE = "relative"
    """A close relative (近亲属)."""
    EMPLOYER = "employer"
    """An employer or an organisation the volunteer holds office in."""
    FIRM_CLIENT = "firm_client"
    """A current client of the volunteer's firm."""
    FORMER_CLIENT = "former_client"
    """A former client; ``ended_on`` says when the engagement ended."""
    FIRM_REPRESENTS = "firm_represents"
    """The volunteer's firm represents this party in a matter; ``case_id`` names the legal-aid case when it
    is this very case (then never waivable)."""
    FORMER_OFFICIAL = "former_official"
    """A party to a matter the volunteer handled as official, judge, prosecutor or arbitrator."""
    OTHER = "other"


@dataclass(frozen=True)
class PartySource:
    """The other end of a hit on a party of another case."""

    role: str
    case_id: int
    case_open: bool
    closed_on: dt.date | None
    members: frozenset[int]
    same_matter: bool


@dataclass(frozen=True)
class DeclarationSource:
    """The other end of a hit on a declared interest."""

    profile_id: int
    kind: str
    ended_on: dt.date | None
    firm: str | None
    same_case: bool = False  # firm_represents: the declaration names the case being checked


@dataclass(frozen=True)
class Candidate:
    """The volunteer to be assigned."""

    profile_id: int
    firm: str | None


@dataclass(frozen=True)
class Verdict:
    severity: Severity
    rule: str
    article: str
    zh: str
    en: str

    @property
    def blocks(self) -> bool:
        return self.severity in (Severity.FORBIDDEN, Severity.WAIVABLE)


def _v(severity: Severity, rule: str, article: str, zh: str, en: str) -> Verdict:
    return Verdict(severity, rule, article, zh, en)


_INFO_ONLY = _v(Severity.INFO, "noted", "", "记录在案，不构成利益冲突", "recorded; not a conflict of interest")
_ADVERSE = (PartyRole.ADVERSE, PartyRole.OPPONENT_AGENT)


def classify(query_role: str, source: PartySource | DeclarationSource, candidate: Candidate | None, *,
             criminal: bool, today: dt.date, former_client_years: int = 1) -> Verdict:
    """Classify one hit. ``candidate`` None: the intake check, which judges the organisation only."""
    if isinstance(source, DeclarationSource):
        return _declaration(query_role, source, candidate, criminal=criminal, today=today,
                            years=former_client_years)
    return _party(query_role, source, candidate, today=today, years=former_client_years)


_REVIEW = _v(Severity.REVIEW, "birth_date_only", "",
             "仅出生日期相同（当事人登记的出生日期或身份证号中的出生日期），姓名不符：请人工核对是否同一人，不阻止指派",
             "only the date of birth matches (as given, or read from the ID number), not the name: check by hand "
             "whether it is the same person; does not block")


def review(match_rule: str) -> Verdict | None:
    """The low "review" tier: a hit on the birth date alone is shown for a person to look at, whoever is
    assigned (WAVE2: date of birth alone is a low review tier; with any name key it corroborates)."""
    return _REVIEW if match_rule == "birth_date" else None


def _within(ended: dt.date | None, today: dt.date, years: int) -> bool:
    if ended is None:
        return False
    try:
        limit = ended.replace(year=ended.year + years)
    except ValueError:  # 29 February
        limit = ended.replace(year=ended.year + years, day=28)
    return today <= limit


def _declaration(role: str, src: DeclarationSource, cand: Candidate | None, *, criminal: bool,
                 today: dt.date, years: int) -> Verdict:
    if cand is None:
        return _v(Severity.INFO, "declared_interest", "", "与志愿者申报的利益相符，指派该志愿者时将审查",
                  "matches a volunteer's declared interest; checked when that volunteer is assigned")
    kind = src.kind
    if kind == DeclarationKind.FIRM_REPRESENTS:
        return _firm_represents(role, src, cand)
    if src.profile_id != cand.profile_id:
        colleague = bool(cand.firm and src.firm and cand.firm.strip() == src.firm.strip())
        if colleague and kind == DeclarationKind.RELATIVE and role in _ADVERSE:
            item = 2 if criminal else 1
            return _v(Severity.WAIVABLE, "colleague_relative_of_opponent", code_cite(52, item),
                      "同所其他律师是对方当事人的近亲属，须告知受援人并经其签署知情同意书方可承办",
                      "a colleague at the same firm is a close relative of the opponent: only with the client's "
                      "signed informed consent")
        return _v(Severity.INFO, "other_volunteer_interest", "", "与其他志愿者申报的利益相符，不影响本次指派",
                  "matches another volunteer's declared interest; does not affect this assignment")
    both = f"{LL_39.cite()}、{code_cite(51, 1)}"
    if kind == DeclarationKind.FORMER_OFFICIAL:
        return _v(Severity.FORBIDDEN, "handled_as_official", code_cite(51, 3),
                  "该志愿者曾以行政机关工作人员、审判人员、检察人员或仲裁员身份亲自处理该事项，不得承办，不可豁免",
                  "the volunteer handled this matter as an official, judge, prosecutor or arbitrator: may not act, "
                  "cannot be waived")
    if kind in (DeclarationKind.SELF, DeclarationKind.RELATIVE, DeclarationKind.EMPLOYER):
        who_zh = {"self": "本人", "relative": "近亲属", "employer": "任职单位"}[kind]
        who_en = {"self": "the volunteer themself", "relative": "a close relative",
                  "employer": "the volunteer's employer"}[kind]
        if role == PartyRole.OPPONENT_AGENT and kind == DeclarationKind.RELATIVE:
            return _v(Severity.FORBIDDEN, "relative_acts_for_opponent", code_cite(51, 2),
                      "志愿者的近亲属是对方当事人的法定代表人或代理人，不得承办，不可豁免",
                      "a close relative of the volunteer is the opponent's legal representative or agent: may not "
                      "act, cannot be waived")
        if kind == DeclarationKind.SELF and role == PartyRole.CLIENT:
            return _v(Severity.FORBIDDEN, "own_matter", both,
                      "受援人即志愿者本人，不得承办本人的法律事务，不可豁免",
                      "the client is the volunteer themself: may not act in one's own matter, cannot be waived")
        if role in _ADVERSE:
            return _v(Severity.FORBIDDEN, "own_interest", both,
                      f"对方当事人是志愿者的{who_zh}，属于与本人或其近亲属有利益冲突的法律事务，不可豁免",
                      f"the opponent is {who_en}: a matter conflicting with the volunteer's own or a close "
                      f"relative's interests ({LAWYERS_LAW} Art.39), cannot be waived")
        return _v(Severity.WAIVABLE, "declared_interest", code_cite(52, 6),
                  f"当事人是志愿者申报的{who_zh}，须受援人知情同意并经督导豁免",
                  f"a party is {who_en} as declared: only with the client's informed consent and a supervisor's "
                  "waiver")
    if kind == DeclarationKind.FIRM_CLIENT:
        if role == PartyRole.CLIENT:
            return _INFO_ONLY
        if role == PartyRole.ADVERSE:
            return _v(Severity.WAIVABLE, "against_firm_client", code_cite(52, 4),
                      "对方当事人是志愿者所在律所的现有委托人，须受援人签署知情同意书",
                      "the opponent is a current client of the volunteer's firm: only with the client's signed "
                      "informed consent")
        return _v(Severity.WAIVABLE, "firm_client_involved", code_cite(52, 6),
                  "当事人是志愿者所在律所的现有委托人，须受援人知情同意",
                  "a party is a current client of the volunteer's firm: only with informed consent")
    if kind == DeclarationKind.FORMER_CLIENT:
        if role in _ADVERSE and _within(src.ended_on, today, years):
            return _v(Severity.WAIVABLE, "against_former_client", code_cite(52, 5),
                      f"对方当事人是志愿者{years}年内的原委托人，须受援人签署知情同意书",
                      f"the opponent was the volunteer's client within {years} year(s): only with the client's "
                      "signed informed consent")
        return _INFO_ONLY
    return _v(Severity.WAIVABLE, "declared_interest", code_cite(52, 6), "与志愿者申报的利益相符，须受援人知情同意",
              "matches an interest the volunteer declared: only with informed consent")


def _firm_represents(role: str, src: DeclarationSource, cand: Candidate) -> Verdict:
    """The volunteer's firm (or the volunteer's colleague at it) represents a party.

    Same case, party on the other side: the firm would act for both sides of one dispute — 《律师法》第三十九条
    and 规范第五十一条第一、五项, never waivable. Another matter, party adverse here: acting against a
    current client of the firm — 规范第五十二条第三、四项, waivable with the client's signed informed consent.
    The party on the client's side: the same side, not a conflict."""
    colleague = src.profile_id == cand.profile_id or bool(cand.firm and src.firm and
                                                          cand.firm.strip() == src.firm.strip())
    if not colleague:
        return _v(Severity.INFO, "other_volunteer_interest", "", "与其他律所的申报相符，不影响本次指派",
                  "matches a declaration about another firm; does not affect this assignment")
    if role == PartyRole.CLIENT or role == PartyRole.RELATED:
        return _INFO_ONLY
    if src.same_case:
        return _v(Severity.FORBIDDEN, "firm_both_sides", f"{LL_39.cite()}、{code_cite(51, 1)}、{code_cite(51, 5)}",
                  "志愿者所在律所在本案中代理对方当事人，同一律所不得代理争议双方，不可豁免",
                  "the volunteer's firm represents the other side in this very case: one firm never acts for both "
                  "sides, cannot be waived")
    return _v(Severity.WAIVABLE, "firm_represents_opponent", f"{code_cite(52, 3)}、{code_cite(52, 4)}",
              "对方当事人是志愿者所在律所在另一事项中的委托人，须受援人签署知情同意书",
              "the opponent is represented by the volunteer's firm in another matter: only with the client's "
              "signed informed consent")


def _party(role: str, src: PartySource, cand: Candidate | None, *, today: dt.date, years: int) -> Verdict:
    opposite = {role, src.role} == {PartyRole.CLIENT, PartyRole.ADVERSE}
    if not opposite:
        return _v(Severity.INFO, "same_side_or_related", "", "在其他案件中出现（同一方或关系人），不构成利益冲突",
                  "appears in another case on the same side or as a related party; not a conflict")
    mine = cand is not None and cand.profile_id in src.members
    if src.same_matter and src.case_open:
        if mine:
            return _v(Severity.FORBIDDEN, "both_sides", f"{LL_39.cite()}、{code_cite(51, 1)}",
                      "该志愿者在同一纠纷中代理对方当事人，不得为双方代理，不可豁免",
                      "the volunteer acts for the other side of the same dispute: never both sides, cannot be "
                      "waived")
        return _v(Severity.FORBIDDEN, "colleagues_opposite_sides", code_cite(51, 5),
                  "本项目已在同一纠纷中为对方当事人提供援助，同一机构的志愿者不得代理争议双方，不可豁免，应转介",
                  "the programme already acts for the other side of the same dispute: colleagues may not act for "
                  "both sides, cannot be waived; refer the case out")
    if src.same_matter:
        if mine and _within(src.closed_on, today, years):
            return _v(Severity.WAIVABLE, "against_former_client", code_cite(52, 5),
                      f"该志愿者{years}年内曾在同一事项中代理对方当事人，须受援人签署知情同意书",
                      f"the volunteer acted for the opponent in the same matter within {years} year(s): only with "
                      "the client's signed informed consent")
        return _v(Severity.INFO, "former_matter", "", "同一纠纷的已结案件，不构成利益冲突",
                  "a closed case of the same dispute; not a conflict")
    if not src.case_open:
        return _v(Severity.INFO, "former_case", "", "在已结案件中是对方，不构成利益冲突",
                  "on the other side of a closed case; not a conflict")
    if role == PartyRole.ADVERSE:
        return _v(Severity.WAIVABLE, "against_current_client", code_cite(52, 4),
                  "对方当事人是本项目正在援助的受援人，须受援人签署知情同意书",
                  "the opponent is a current client of the programme: only with the client's signed informed "
                  "consent")
    return _v(Severity.WAIVABLE, "opponent_of_current_client", code_cite(52, 3),
              "受援人是本项目另一在办案件受援人的对方当事人，须受援人签署知情同意书",
              "the client is the opponent of a current client of the programme: only with the client's signed "
              "informed consent")
