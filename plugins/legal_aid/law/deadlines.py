"""Deadlines of a legal-aid case, for a coordinator's to-do list.

How days are counted (our reading):

* **Calendar days.** 《法律援助法》 says 日 (第四十三条 七日、三日; 第三十六条 三日;
  第四十九条 五日), not 工作日, so weekends and public holidays are counted like any other
  day. Where a Chinese law means working days it says so (e.g. 《行政许可法》第八十二条:
  以工作日计算). No rolling forward to the next working day is applied: the law does not say
  so, and doing it would need the State Council's yearly holiday and make-up-day calendar.
* **The start day is not counted.** "自收到法律援助申请之日起七日内": received on 1 March, the decision is due
  by 8 March. This follows the general rule of Chinese law that 开始的当日不计入 (《民法典》第二百零一条; not
  among the texts bundled with this project). ``due`` is the last day on which the act is still on time.

The supplement request (第四十三条第二款): the agency tells the applicant **once**, all at once (一次性告知),
what is missing; if the applicant does not supply it, the application counts as withdrawn (视为撤回申请).
The law gives no period for the answer and does not say what happens to the 7-day decision period while
the agency waits. Both are programme choices in :class:`~.rules.SupplementRules`: ``response_days``
(default 15) and ``clock`` — ``restart`` (default: a fresh decision period from the day the documents
arrive) or ``pause`` (the waiting days are not counted). Documents arriving after the period do not revive
the application; they can start a new one.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .articles import LA_36, LA_43, LA_49, Bilingual
from .ending import AppealInfo, EndingGround, EndingGroundInfo, appeal_info, ending_grounds
from .rules import DeadlineRules, LegalAidRules, SupplementClock, SupplementRules

__all__ = [
    "AppealInfo",
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "EndingGround",
    "EndingGroundInfo",
    "Party",
    "appeal_info",
    "case_deadlines",
    "criminal_notice_deadlines",
    "due_or_overdue",
    "ending_grounds",
    "is_deemed_withdrawn",
    "objection_deadlines",
]


class DeadlineStatus(StrEnum):
    PENDING = "pending"
    """Not done yet, and not past due (or no ``today`` given)."""
    MET = "met"
    """Done; see ``completed_on`` and :attr:`Deadline.met_late`."""
    OVERDUE = "overdue"
    """Past due and not done — or, for the applicant's supplement, done too late."""
    VOID = "void"
    """No longer applies (superseded, application withdrawn, aid refused)."""


class DeadlineKind(StrEnum):
    DECISION = "decision"
    SUPPLEMENT = "supplement"
    ASSIGNMENT = "assignment"
    CRIMINAL_NOTICE_ASSIGNMENT = "criminal_notice_assignment"
    OBJECTION_REVIEW = "objection_review"


class Party(StrEnum):
    """Who has to act by the deadline."""

    AGENCY = "agency"
    APPLICANT = "applicant"
    JUSTICE_BUREAU = "justice_bureau"


_NAMES: dict[DeadlineKind, Bilingual] = {
    DeadlineKind.DECISION: Bilingual(
        zh="审查并作出是否给予法律援助的决定", en="decide whether to grant legal aid"
    ),
    DeadlineKind.SUPPLEMENT: Bilingual(
        zh="申请人补充材料或作出说明", en="applicant supplies missing documents"
    ),
    DeadlineKind.ASSIGNMENT: Bilingual(zh="指派法律援助人员", en="assign legal-aid personnel"),
    DeadlineKind.CRIMINAL_NOTICE_ASSIGNMENT: Bilingual(
        zh="收到通知后指派律师并通知办案机关", en="assign a lawyer after a notice and inform the authority"
    ),
    DeadlineKind.OBJECTION_REVIEW: Bilingual(
        zh="司法行政部门审查异议", en="justice bureau reviews the objection"
    ),
}


class Deadline(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DeadlineKind
    name: Bilingual
    due: date
    """Last day on which the act is on time (calendar days, start day not counted)."""
    article: str
    party: Party
    status: DeadlineStatus
    completed_on: date | None = None
    note: Bilingual | None = None

    @property
    def met_late(self) -> bool:
        """Done, but after the due date."""
        return self.completed_on is not None and self.completed_on > self.due


def _status(due: date, completed_on: date | None, today: date | None) -> DeadlineStatus:
    if completed_on is not None:
        return DeadlineStatus.MET
    if today is not None and today > due:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.PENDING


def _deadline(
    kind: DeadlineKind,
    due: date,
    article: str,
    party: Party,
    *,
    completed_on: date | None = None,
    today: date | None = None,
    status: DeadlineStatus | None = None,
    note: Bilingual | None = None,
) -> Deadline:
    return Deadline(
        kind=kind,
        name=_NAMES[kind],
        due=due,
        article=article,
        party=party,
        status=status or _status(due, completed_on, today),
        completed_on=completed_on,
        note=note,
    )


def _timing(rules: LegalAidRules | None) -> tuple[DeadlineRules, SupplementRules]:
    if rules is None:
        return DeadlineRules(), SupplementRules()
    return rules.deadlines, rules.supplement


def _check_order(**dates: date | None) -> None:
    """Each given date must not precede the previous given one, in keyword order."""
    previous: tuple[str, date] | None = None
    for name, value in dates.items():
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise ValueError(f"{name} ({value}) is before {previous[0]} ({previous[1]})")
        previous = (name, value)


def is_deemed_withdrawn(
    supplement_requested_on: date | None,
    supplement_received_on: date | None,
    today: date,
    rules: LegalAidRules | None = None,
) -> bool:
    """Whether the application counts as withdrawn (视为撤回申请, 《法律援助法》第四十三条第二款).

    True when documents were requested and did not arrive within the programme's ``response_days``
    (the law itself sets no period) — whether they never came or came too late.
    """
    if supplement_requested_on is None:
        return False
    _, supplement = _timing(rules)
    due = supplement_requested_on + timedelta(days=supplement.response_days)
    if supplement_received_on is not None:
        return supplement_received_on > due
    return today > due


def case_deadlines(
    received_on: date,
    decided_on: date | None = None,
    supplement_requested_on: date | None = None,
    supplement_received_on: date | None = None,
    rules: LegalAidRules | None = None,
    *,
    aid_granted: bool | None = None,
    assigned_on: date | None = None,
    today: date | None = None,
) -> list[Deadline]:
    """The deadlines of an application, in order.

    * decision — 7 days from receipt (《法律援助法》第四十三条第一款); after a supplement request the
      original period is void and a new one runs from the documents' arrival (``restart``) or is extended
      by the waiting days (``pause``);
    * supplement — the applicant's period to supply documents (第四十三条第二款; period is a programme
      choice); missing it means the application counts as withdrawn and later deadlines are void;
    * assignment — 3 days from a decision to grant aid (第四十三条第一款); void when aid is refused
      (``aid_granted=False``; a refusal must be notified in writing with reasons).

    Without ``today`` an unfinished deadline is ``pending``; with it, past-due ones are ``overdue``.
    A date "on" is the day the act happened. Dates must be in a possible order, else ``ValueError``.
    """
    _check_order(
        received_on=received_on,
        supplement_requested_on=supplement_requested_on,
        supplement_received_on=supplement_received_on,
        decided_on=decided_on,
        assigned_on=assigned_on,
    )
    if supplement_received_on is not None and supplement_requested_on is None:
        raise ValueError("supplement_received_on given without supplement_requested_on")
    if assigned_on is not None and decided_on is None:
        raise ValueError("assigned_on given without decided_on")
    timing, supplement = _timing(rules)
    decision_article = LA_43.cite(1)
    original_due = received_on + timedelta(days=timing.decision_days)
    out: list[Deadline] = []
    withdrawn = False
    decision_due: date | None = original_due

    if supplement_requested_on is not None:
        late_request = supplement_requested_on > original_due
        out.append(
            _deadline(
                DeadlineKind.DECISION,
                original_due,
                decision_article,
                Party.AGENCY,
                status=DeadlineStatus.VOID,
                note=Bilingual(
                    zh="已一次性告知补充材料，原审查期限不再适用"
                    + ("（告知时原期限已届满）" if late_request else ""),
                    en="Superseded by the request for missing documents"
                    + (" (made after this deadline had passed)" if late_request else ""),
                ),
            )
        )
        supplement_due = supplement_requested_on + timedelta(days=supplement.response_days)
        withdrawn = is_deemed_withdrawn(
            supplement_requested_on, supplement_received_on, today or date.min, rules
        )
        withdrawn_note = Bilingual(
            zh=f"申请人未在{supplement.response_days}日内补充材料或作出说明，视为撤回申请（本期限为项目设定）",
            en=f"Not supplied within {supplement.response_days} days (programme setting): the application "
            "counts as withdrawn",
        )
        late = supplement_received_on is not None and supplement_received_on > supplement_due
        out.append(
            _deadline(
                DeadlineKind.SUPPLEMENT,
                supplement_due,
                LA_43.cite(2),
                Party.APPLICANT,
                completed_on=supplement_received_on,
                today=today,
                status=DeadlineStatus.OVERDUE if late else None,
                note=withdrawn_note if withdrawn else None,
            )
        )
        if supplement_received_on is None or withdrawn:
            decision_due = None
            if decided_on is not None and not withdrawn:
                raise ValueError(
                    "decided_on given while the supplement is outstanding; record its arrival first"
                )
        elif supplement.clock is SupplementClock.RESTART:
            decision_due = supplement_received_on + timedelta(days=timing.decision_days)
        else:
            decision_due = original_due + (supplement_received_on - supplement_requested_on)

    if decision_due is not None:
        note = None
        if supplement_requested_on is not None:
            note = Bilingual(
                zh="补充材料后重新计算审查期限"
                if supplement.clock is SupplementClock.RESTART
                else "补充材料期间不计入审查期限",
                en="Decision period restarted when the documents arrived"
                if supplement.clock is SupplementClock.RESTART
                else "Days spent waiting for documents are not counted",
            )
        out.append(
            _deadline(
                DeadlineKind.DECISION,
                decision_due,
                decision_article,
                Party.AGENCY,
                completed_on=decided_on,
                today=today,
                note=note,
            )
        )

    if decided_on is not None and not withdrawn:
        assignment_due = decided_on + timedelta(days=timing.assignment_days)
        if aid_granted is False:
            out.append(
                _deadline(
                    DeadlineKind.ASSIGNMENT,
                    assignment_due,
                    decision_article,
                    Party.AGENCY,
                    status=DeadlineStatus.VOID,
                    note=Bilingual(
                        zh="决定不给予法律援助：应书面告知申请人并说明理由，申请人可依第四十九条提出异议",
                        en="Aid refused: tell the applicant in writing with reasons; they may object under "
                        "Art.49",
                    ),
                )
            )
        else:
            out.append(
                _deadline(
                    DeadlineKind.ASSIGNMENT,
                    assignment_due,
                    decision_article,
                    Party.AGENCY,
                    completed_on=assigned_on,
                    today=today,
                )
            )
    return out


def criminal_notice_deadlines(
    notice_received_on: date,
    assigned_on: date | None = None,
    rules: LegalAidRules | None = None,
    *,
    today: date | None = None,
) -> list[Deadline]:
    """Assign a lawyer within 3 days of a court/procuratorate/police notice (《法律援助法》第三十六条).

    Applies to the 第二十五条第一款 and 第二十八条 cases (counsel appointed without application).
    """
    _check_order(notice_received_on=notice_received_on, assigned_on=assigned_on)
    timing, _ = _timing(rules)
    due = notice_received_on + timedelta(days=timing.criminal_notice_assignment_days)
    return [
        _deadline(
            DeadlineKind.CRIMINAL_NOTICE_ASSIGNMENT,
            due,
            LA_36.cite(),
            Party.AGENCY,
            completed_on=assigned_on,
            today=today,
        )
    ]


def objection_deadlines(
    objection_received_on: date,
    reviewed_on: date | None = None,
    rules: LegalAidRules | None = None,
    *,
    today: date | None = None,
) -> list[Deadline]:
    """The justice bureau reviews an objection within 5 days of receipt (《法律援助法》第四十九条第二款)."""
    _check_order(objection_received_on=objection_received_on, reviewed_on=reviewed_on)
    timing, _ = _timing(rules)
    due = objection_received_on + timedelta(days=timing.objection_review_days)
    return [
        _deadline(
            DeadlineKind.OBJECTION_REVIEW,
            due,
            LA_49.cite(2),
            Party.JUSTICE_BUREAU,
            completed_on=reviewed_on,
            today=today,
        )
    ]


def due_or_overdue(deadlines: list[Deadline], today: date, within_days: int = 0) -> list[Deadline]:
    """Open deadlines due by ``today + within_days`` or already overdue, earliest first.

    Met and void deadlines are left out; the status of each returned deadline is as of ``today``.
    An applicant's supplement that came too late stays listed as overdue until the coordinator closes
    the application as withdrawn.
    """
    horizon = today + timedelta(days=within_days)
    open_: list[Deadline] = []
    for d in deadlines:
        if d.status is DeadlineStatus.VOID:
            continue
        if d.status is DeadlineStatus.MET:
            continue
        if d.due > horizon and d.status is not DeadlineStatus.OVERDUE:
            continue
        status = d.status if d.completed_on is not None else _status(d.due, None, today)
        open_.append(d.model_copy(update={"status": status}))
    return sorted(open_, key=lambda d: (d.due, d.kind.value))
