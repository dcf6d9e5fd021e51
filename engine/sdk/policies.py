"""The engine's workplace policies for plan types (public): the work-time allowance (VTO) and
matching grants for volunteer time. Programmes write them under ``rules.allowance`` and
``rules.grants`` (or take them from a rule pack); a plan type reads the effective figures from
``ctx.programme.rules_policy`` and decides with the functions here (``docs/rules.md``)."""

from __future__ import annotations

from engine.rules import allowance, grants
from engine.rules.allowance import AllowancePolicy, Eligibility, Employee, PeriodBalance
from engine.rules.grants import Assessment, GrantPolicy, Line, Service, TeamGrant

__all__ = ["AllowancePolicy", "Assessment", "Eligibility", "Employee", "GrantPolicy", "Line", "PeriodBalance",
           "Service", "TeamGrant", "allowance", "grants"]
