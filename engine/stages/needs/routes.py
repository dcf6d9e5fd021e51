"""HTTP routes of the needs stage, under /api/v1/programmes/{programme_id}/needs….

Recording and correcting needs: admin, coordinator, team_leader (team leaders visit homes).
Linking needs to projects and moving a need's workflow: admin, coordinator (it is design work;
the workflow's own roles decide who fires what). Reading, the report included: every member.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import PlainTextResponse

from engine.errors import GuardsFailed
from engine.http.deps import AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.needs import report, service
from engine.stages.needs.schemas import (
    SOURCE_TITLES,
    LinkIn,
    NeedFireIn,
    NeedIn,
    NeedOut,
    NeedPatch,
    ProjectRef,
    Source,
)

router = APIRouter(prefix="/programmes/{programme_id}", tags=["needs"])

RECORDERS = ("admin", "coordinator", "team_leader")
DESIGNERS = ("admin", "coordinator")


def need_out(r: service.RankedNeed) -> NeedOut:
    n = r.need
    return NeedOut(
        id=n.id, title=n.title, beneficiary_group=n.beneficiary_group, category=n.category, place=n.place,
        source=n.source, source_title=SOURCE_TITLES.get(n.source, n.source), frequency=n.frequency,
        urgency=n.urgency, people_affected=n.people_affected, node=n.node, notes=n.notes, created_by=n.created_by,
        created_at=n.created_at, state=r.state, state_title=r.state_title, instance_id=r.instance_id,
        instance_version=r.instance_version, score=round(r.score, 2), scored_by=r.scored_by, rank=r.rank,
        projects=[ProjectRef(id=pid, name=name) for pid, name in r.projects])


@router.post("/needs", status_code=status.HTTP_201_CREATED)
def create_need(body: NeedIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> NeedOut:
    """Record a need (采集需求); its ``need`` workflow starts in state *open*."""
    access.require(*RECORDERS, what="recording a need")
    need = service.create_need(session, access.programme, engine.host, body, actor=access.actor)
    return need_out(service.ranked_need(session, access.programme, engine.host, need.id))


@router.get("/needs")
def list_needs(
    access: AccessDep, engine: EngineDep, session: SessionDep,
    beneficiary_group: str | None = None, category: str | None = None, source: Source | None = None,
    node: str | None = None, state: str | None = None,
    project_id: Annotated[Id | None, Query(description="only needs this project answers")] = None,
    min_urgency: Annotated[int | None, Query(ge=1, le=5)] = None,
    sort: Literal["score", "urgency", "frequency", "people_affected", "created_at", "id"] = "score",
    order: Literal["desc", "asc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200, offset: Offset = 0,
) -> list[NeedOut]:
    """Needs with their priority score and programme-wide rank; filter, then sort (default: by score)."""
    ranked = service.rank_needs(session, access.programme, engine.host)
    rows = service.filter_needs(ranked, beneficiary_group=beneficiary_group, category=category, source=source,
                                node=node, state=state, project_id=project_id, min_urgency=min_urgency,
                                sort=sort, descending=order == "desc")
    return [need_out(r) for r in rows[offset:offset + limit]]


@router.get("/needs/report")
def needs_report(access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """《需求分析报告》as JSON: totals by beneficiary group, category, source, state; needs ranked."""
    return report.build_report(session, access.programme, engine.host)


@router.get("/needs/report.md", response_class=PlainTextResponse)
def needs_report_markdown(access: AccessDep, engine: EngineDep, session: SessionDep) -> PlainTextResponse:
    """《需求分析报告》as Markdown, for printing or pasting into a document."""
    text = report.render_markdown(report.build_report(session, access.programme, engine.host))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.get("/needs/{need_id}")
def show_need(need_id: Id, access: AccessDep, engine: EngineDep, session: SessionDep) -> NeedOut:
    return need_out(service.ranked_need(session, access.programme, engine.host, need_id))


@router.patch("/needs/{need_id}")
def update_need(need_id: Id, body: NeedPatch, access: AccessDep, engine: EngineDep, session: SessionDep) -> NeedOut:
    """Correct a recorded need (only the fields sent change)."""
    access.require(*RECORDERS, what="correcting a need")
    service.update_need(session, access.programme, need_id, body, actor=access.actor)
    return need_out(service.ranked_need(session, access.programme, engine.host, need_id))


@router.post("/needs/{need_id}/projects")
def link_project(need_id: Id, body: LinkIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> NeedOut:
    """Say that a project answers this need (idempotent)."""
    access.require(*DESIGNERS, what="linking a need to a project")
    service.link_project(session, access.programme, need_id, body.project_id, actor=access.actor)
    return need_out(service.ranked_need(session, access.programme, engine.host, need_id))


@router.delete("/needs/{need_id}/projects/{project_id}")
def unlink_project(need_id: Id, project_id: Id, access: AccessDep, engine: EngineDep,
                   session: SessionDep) -> NeedOut:
    """Remove a link; 409 if it is the last project of a planned or met need."""
    access.require(*DESIGNERS, what="unlinking a need from a project")
    service.unlink_project(session, access.programme, need_id, project_id, actor=access.actor)
    return need_out(service.ranked_need(session, access.programme, engine.host, need_id))


@router.post("/needs/{need_id}/fire")
def fire_need(need_id: Id, body: NeedFireIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> NeedOut:
    """Fire the need's workflow (plan, meet, drop, reopen) without looking up its instance.
    403: your roles may not; 409: wrong state or stale version; 422: guards refuse (logged)."""
    result = service.fire_need(session, access.programme, engine.host, need_id, body.trigger, actor=access.actor,
                               roles=access.roles, expected_version=body.expected_version, payload=body.payload)
    if not result.ok:
        session.commit()  # keep the refusal in the log
        raise GuardsFailed(body.trigger, result.reasons)
    return need_out(service.ranked_need(session, access.programme, engine.host, need_id))
