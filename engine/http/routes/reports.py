"""The programme report: JSON for integrations, Markdown for people (年度总结报告)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from engine.http.deps import AccessDep, EngineDep, SessionDep
from engine.reports import build_report, render_markdown

router = APIRouter(tags=["reports"])
STAFF = ("admin", "coordinator", "supervisor")


@router.get("/programmes/{programme_id}/report")
def report(access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Every section of the programme report: the engine's and the plan type's."""
    access.require(*STAFF, what="the programme report")
    sections = build_report(session, access.programme, engine.host)
    return {"programme": access.programme.id, "sections": [s.to_dict() for s in sections]}


@router.get("/programmes/{programme_id}/report.md", response_class=PlainTextResponse)
def report_markdown(access: AccessDep, engine: EngineDep, session: SessionDep) -> str:
    access.require(*STAFF, what="the programme report")
    return render_markdown(access.programme, build_report(session, access.programme, engine.host))
