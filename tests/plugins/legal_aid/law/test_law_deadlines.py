"""Deadlines: calendar days (the law says 日), the single supplement request, withdrawal."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from plugins.legal_aid.law import (
    DeadlineKind,
    DeadlineStatus,
    Party,
    case_deadlines,
    criminal_notice_deadlines,
    due_or_overdue,
    is_deemed_withdrawn,
    objection_deadlines,
)

SAT = date(2024, 3, 2)  # a Saturday


def by_kind(deadlines, kind, *, void: bool = False):
    return [d for d in deadlines if d.kind is kind and (d.status is DeadlineStatus.VOID) is void]


def test_decision_within_seven_calendar_days_start_day_not_counted():
    [decision] = case_deadlines(date(2024, 3, 1))
    assert decision.kind is DeadlineKind.DECISION
    assert decision.due == date(2024, 3, 8)
    assert decision.article == "《法律援助法》第四十三条第一款"
    assert decision.party is Party.AGENCY
    assert decision.status is DeadlineStatus.PENDING


def test_weekends_are_not_skipped_or_rolled_forward():
    [decision] = case_deadlines(SAT)
    assert decision.due == date(2024, 3, 9)  # also a Saturday: no move to Monday
    assert decision.due.weekday() == 5
    deadlines = case_deadlines(SAT, decided_on=date(2024, 3, 7), aid_granted=True)  # Thursday
    [assignment] = by_kind(deadlines, DeadlineKind.ASSIGNMENT)
    assert assignment.due == date(2024, 3, 10)  # Sunday
    assert assignment.article == "《法律援助法》第四十三条第一款"


def test_pending_then_overdue_on_the_day_after_due():
    received = date(2024, 3, 1)
    assert case_deadlines(received, today=date(2024, 3, 8))[0].status is DeadlineStatus.PENDING
    assert case_deadlines(received, today=date(2024, 3, 9))[0].status is DeadlineStatus.OVERDUE


def test_late_decision_is_met_but_flagged_late():
    [decision, _assignment] = case_deadlines(date(2024, 3, 1), decided_on=date(2024, 3, 9))
    assert decision.status is DeadlineStatus.MET
    assert decision.met_late
    [on_time, _] = case_deadlines(date(2024, 3, 1), decided_on=date(2024, 3, 8))
    assert not on_time.met_late


def test_assignment_three_days_after_grant_and_met_when_assigned():
    deadlines = case_deadlines(
        date(2024, 3, 1), decided_on=date(2024, 3, 5), aid_granted=True, assigned_on=date(2024, 3, 8)
    )
    [assignment] = by_kind(deadlines, DeadlineKind.ASSIGNMENT)
    assert assignment.due == date(2024, 3, 8)
    assert assignment.status is DeadlineStatus.MET


def test_refusal_voids_assignment():
    deadlines = case_deadlines(date(2024, 3, 1), decided_on=date(2024, 3, 5), aid_granted=False)
    [assignment] = by_kind(deadlines, DeadlineKind.ASSIGNMENT, void=True)
    assert "书面告知" in assignment.note.zh


def test_supplement_restarts_the_decision_period_by_default():
    deadlines = case_deadlines(
        date(2024, 3, 1), supplement_requested_on=date(2024, 3, 3), supplement_received_on=date(2024, 3, 10)
    )
    [original] = by_kind(deadlines, DeadlineKind.DECISION, void=True)
    assert original.due == date(2024, 3, 8)
    [supplement] = by_kind(deadlines, DeadlineKind.SUPPLEMENT)
    assert supplement.due == date(2024, 3, 18)  # 15 days, programme default
    assert supplement.status is DeadlineStatus.MET
    assert supplement.party is Party.APPLICANT
    assert supplement.article == "《法律援助法》第四十三条第二款"
    [decision] = by_kind(deadlines, DeadlineKind.DECISION)
    assert decision.due == date(2024, 3, 17)  # 7 days from the documents' arrival


def test_supplement_can_pause_the_decision_period_instead(make_rules):
    rules = make_rules(supplement={"clock": "pause"})
    deadlines = case_deadlines(
        date(2024, 3, 1),
        supplement_requested_on=date(2024, 3, 3),
        supplement_received_on=date(2024, 3, 10),
        rules=rules,
    )
    [decision] = by_kind(deadlines, DeadlineKind.DECISION)
    assert decision.due == date(2024, 3, 15)  # 8 March + the 7 days spent waiting


def test_no_decision_deadline_while_the_supplement_is_outstanding():
    deadlines = case_deadlines(
        date(2024, 3, 1), supplement_requested_on=date(2024, 3, 3), today=date(2024, 3, 10)
    )
    assert by_kind(deadlines, DeadlineKind.DECISION) == []
    [supplement] = by_kind(deadlines, DeadlineKind.SUPPLEMENT)
    assert supplement.status is DeadlineStatus.PENDING


def test_supplement_not_supplied_within_the_period_counts_as_withdrawn():
    requested = date(2024, 3, 3)
    due = date(2024, 3, 18)
    assert not is_deemed_withdrawn(requested, None, due)
    assert is_deemed_withdrawn(requested, None, date(2024, 3, 19))
    deadlines = case_deadlines(date(2024, 3, 1), supplement_requested_on=requested, today=date(2024, 3, 19))
    [supplement] = by_kind(deadlines, DeadlineKind.SUPPLEMENT)
    assert supplement.status is DeadlineStatus.OVERDUE
    assert "视为撤回申请" in supplement.note.zh
    assert by_kind(deadlines, DeadlineKind.DECISION) == []


def test_documents_after_the_period_do_not_revive_the_application():
    requested = date(2024, 3, 3)
    assert is_deemed_withdrawn(requested, date(2024, 3, 19), date(2024, 3, 19))
    assert not is_deemed_withdrawn(requested, date(2024, 3, 18), date(2024, 3, 30))
    deadlines = case_deadlines(
        date(2024, 3, 1), supplement_requested_on=requested, supplement_received_on=date(2024, 3, 19)
    )
    [supplement] = by_kind(deadlines, DeadlineKind.SUPPLEMENT)
    assert supplement.status is DeadlineStatus.OVERDUE
    assert by_kind(deadlines, DeadlineKind.DECISION) == []
    assert by_kind(deadlines, DeadlineKind.ASSIGNMENT) == []


def test_supplement_period_is_a_programme_setting(make_rules):
    rules = make_rules(supplement={"response_days": 5})
    assert is_deemed_withdrawn(date(2024, 3, 3), None, date(2024, 3, 9), rules)
    assert not is_deemed_withdrawn(date(2024, 3, 3), None, date(2024, 3, 8), rules)


def test_statutory_deadlines_may_be_shortened_not_lengthened(make_rules):
    rules = make_rules(deadlines={"decision_days": 5})
    assert case_deadlines(date(2024, 3, 1), rules=rules)[0].due == date(2024, 3, 6)
    with pytest.raises(ValidationError):
        make_rules(deadlines={"decision_days": 8})


def test_criminal_notice_assignment_within_three_days():
    [d] = criminal_notice_deadlines(SAT, today=date(2024, 3, 6))
    assert d.due == date(2024, 3, 5)
    assert d.status is DeadlineStatus.OVERDUE
    assert d.article == "《法律援助法》第三十六条"


def test_objection_review_within_five_days():
    [d] = objection_deadlines(date(2024, 3, 1), reviewed_on=date(2024, 3, 6))
    assert d.due == date(2024, 3, 6)
    assert d.status is DeadlineStatus.MET
    assert d.party is Party.JUSTICE_BUREAU
    assert d.article == "《法律援助法》第四十九条第二款"


def test_impossible_date_orders_are_rejected():
    with pytest.raises(ValueError, match="before"):
        case_deadlines(date(2024, 3, 5), decided_on=date(2024, 3, 1))
    with pytest.raises(ValueError, match="without supplement_requested_on"):
        case_deadlines(date(2024, 3, 1), supplement_received_on=date(2024, 3, 2))
    with pytest.raises(ValueError, match="outstanding"):
        case_deadlines(
            date(2024, 3, 1), supplement_requested_on=date(2024, 3, 2), decided_on=date(2024, 3, 4)
        )


def test_due_or_overdue_lists_open_deadlines_earliest_first():
    deadlines = (
        case_deadlines(date(2024, 3, 1))  # decision due 8 March
        + criminal_notice_deadlines(date(2024, 3, 1))  # due 4 March
        + objection_deadlines(date(2024, 3, 1), reviewed_on=date(2024, 3, 2))  # met: never listed
        + case_deadlines(date(2024, 3, 1), decided_on=date(2024, 3, 2), aid_granted=False)  # met + void
    )
    today = date(2024, 3, 5)
    listed = due_or_overdue(deadlines, today)
    assert [(d.kind, d.status) for d in listed] == [
        (DeadlineKind.CRIMINAL_NOTICE_ASSIGNMENT, DeadlineStatus.OVERDUE)
    ]
    soon = due_or_overdue(deadlines, today, within_days=3)
    assert [(d.kind, d.due, d.status) for d in soon] == [
        (DeadlineKind.CRIMINAL_NOTICE_ASSIGNMENT, date(2024, 3, 4), DeadlineStatus.OVERDUE),
        (DeadlineKind.DECISION, date(2024, 3, 8), DeadlineStatus.PENDING),
    ]


def test_due_or_overdue_keeps_a_lapsed_supplement_for_closing_as_withdrawn():
    deadlines = case_deadlines(date(2024, 3, 1), supplement_requested_on=date(2024, 3, 3))
    [listed] = due_or_overdue(deadlines, date(2024, 3, 19))
    assert listed.kind is DeadlineKind.SUPPLEMENT
    assert listed.status is DeadlineStatus.OVERDUE
