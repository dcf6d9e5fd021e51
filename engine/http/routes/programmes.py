"""Programmes: list, load from YAML (validated, every problem reported), show."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.http.deps import AccessDep, CurrentUser, EngineDep, SessionDep, require_superuser
from engine.programme import LoadedProgramme
from engine.store.models import ProgrammeRow

router = APIRouter(tags=["programmes"])
Name = Annotated[str, Field(min_length=1, max_length=63)]


def programme_summary(p: LoadedProgramme) -> dict[str, Any]:
    c = p.config
    return {
        "id": c.id, "name": c.name, "plan_type": p.plan_type_id, "description": c.description,
        "organisation": c.organisation.model_dump(), "period": c.period.model_dump(mode="json"),
        "roles": {k: v.title for k, v in c.roles.items()},
        "workflows": {name: {"title": w.definition.title, "subject": w.definition.subject,
                             "version": w.version, "states": list(w.definition.states)}
                      for name, w in p.workflows.items()},
    }


@router.get("/programmes")
def list_programmes(user: CurrentUser, engine: EngineDep, session: SessionDep) -> list[dict[str, Any]]:
    """Programmes you hold a role in (operators see all)."""
    rows = list(session.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)))
    mine = engine.auth.programmes_of(session, user)
    return [{"id": r.id, "name": r.name, "plan_type": r.plan_type, "loaded_at": r.loaded_at.isoformat()}
            for r in rows if user.is_superuser or r.id in mine]


class LoadIn(BaseModel):
    yaml: str = Field(max_length=1_000_000, description="the programme file's text")
    filename: str | None = Field(default=None, max_length=200, description="name used in error messages")
    migrate: dict[Name, dict[Name, Name]] = Field(default_factory=dict,
                                               description="workflow → {old state: new state} for stranded instances")


@router.post("/programmes", status_code=status.HTTP_201_CREATED, dependencies=[Depends(require_superuser)])
def load_programme(body: Annotated[LoadIn, Body()], engine: EngineDep, session: SessionDep,
                   user: CurrentUser) -> dict[str, Any]:
    """Load (or reload) a programme from YAML. 422 lists every problem with file:line:column;
    409 lists instances a changed definition would strand. Nothing is stored unless it all passes."""
    loaded = engine.load(body.yaml, filename=body.filename or "programme.yaml", migrate=body.migrate,
                         actor=user.username, session=session)
    return programme_summary(loaded)


@router.get("/programmes/{programme_id}")
def show_programme(access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """The programme's configuration summary and its lifecycle state."""
    p = access.programme
    out = programme_summary(p)
    inst = engine.workflows.find(session, p.id, "lifecycle", "programme", p.id)
    out["lifecycle"] = {"instance": inst.id, "state": inst.state, "version": inst.version} if inst else None
    out["your_roles"] = sorted(access.roles)
    return out
