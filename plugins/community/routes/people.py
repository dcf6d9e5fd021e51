"""Routes: a volunteer's standing, the station network, backbone volunteers, mentoring, star nominations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.inputs import Id, Year
from engine.sdk.http import SessionDep
from plugins.community import mentoring, network, standing
from plugins.community.backbone import backbone_volunteers, current_year
from plugins.community.models import Mentorship
from plugins.community.routes.common import MANAGERS, PREFIX, STAFF, TAGS, CommunityCtx, CommunityDep, done, reach

router = APIRouter(prefix=PREFIX, tags=TAGS)

# ------------------------------------------------------------------ standing, network, backbone
@router.get("/standing")
def my_standing(access: CommunityDep, ctx: CommunityCtx, session: SessionDep) -> dict[str, Any]:
    """The caller's own points, lifetime points, hours this year, backbone status, star and streak."""
    return standing.standing(ctx, reach(session, access, None, what="standing"))


@router.get("/standing/{volunteer_id}")
def volunteer_standing(volunteer_id: Id, access: CommunityDep, ctx: CommunityCtx, session: SessionDep) -> dict[str, Any]:
    return standing.standing(ctx, reach(session, access, volunteer_id, what="standing"))


@router.get("/network")
def get_network(access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """The station → grid → building tree with hours, needs and volunteers, rolled up."""
    return {"network": network.tree(session, access.programme)}


@router.get("/backbone")
def list_backbone(access: CommunityDep, session: SessionDep, year: Year | None = None) -> dict[str, Any]:
    access.require(*STAFF, what="the backbone list")
    rules, tz = access.programme.rules, access.programme.config.timezone
    year = year or current_year(rules, tz)  # type: ignore[arg-type]
    rows = backbone_volunteers(session, rules, tz, access.programme.id, year)  # type: ignore[arg-type]
    return {"year": year, "volunteers": [{"volunteer_id": v, "name": n, "hours": round(m / 60, 2)} for v, n, m in rows]}


# ------------------------------------------------------------------ mentoring
class PairIn(BaseModel):
    mentor_id: Id
    mentee_id: Id


@router.post("/mentorships", status_code=201)
def pair(body: PairIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    access.require(*MANAGERS, what="pairing a mentor")
    row = mentoring.pair(ctx, body.mentor_id, body.mentee_id)
    return _pair_view(row)


@router.get("/mentorships")
def list_pairs(access: CommunityDep, session: SessionDep) -> list[dict[str, Any]]:
    access.require(*STAFF, what="the mentoring pairs")
    rows = session.scalars(select(Mentorship).where(Mentorship.programme_id == access.programme.id).order_by(Mentorship.id))
    return [_pair_view(r) for r in rows]


@router.post("/mentorships/{mentorship_id}/end")
def end_pair(mentorship_id: Id, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    access.require(*MANAGERS, what="ending a mentoring pair")
    return _pair_view(mentoring.end(ctx, mentorship_id))


def _pair_view(m: Mentorship) -> dict[str, Any]:
    return {"id": m.id, "mentor_id": m.mentor_id, "mentee_id": m.mentee_id, "status": m.status,
            "started_at": m.started_at, "completed_at": m.completed_at, "bonus_entry_id": m.bonus_entry_id}


# ------------------------------------------------------------------ stars
class NominationIn(BaseModel):
    volunteer_id: Id
    stars: int = Field(ge=1, le=10)
    reason: str = Field(min_length=2, max_length=2000)


@router.post("/stars/nominations", status_code=201)
def nominate(body: NominationIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    """Record a nomination (推荐) for the ``stars``-th level of the programme's scheme (``rules.levels``),
    through the engine's nominations; the level is decided again at once."""
    access.require(*MANAGERS, what="nominating for a star level")
    scheme = ctx.levels_policy.scheme
    if not 1 <= body.stars <= len(scheme):
        raise InvalidInput(f"本项目的星级方案没有 {body.stars} 星 / the programme's star scheme has no "
                           f"{body.stars}-star level (it has {len(scheme)})", field="stars")
    old = ctx.totals(body.volunteer_id).level
    ctx.nominate_level(body.volunteer_id, scheme[body.stars - 1].name, note=body.reason.strip())
    new = ctx.totals(body.volunteer_id).level
    return done(ctx.session, {"volunteer_id": body.volunteer_id, "stars": body.stars, "level_before": old, "level": new})


@router.get("/stars/nominations")
def list_nominations(access: CommunityDep, ctx: CommunityCtx) -> list[dict[str, Any]]:
    access.require(*STAFF, what="star nominations")
    names = [lv.name for lv in ctx.levels_policy.scheme]
    return [{"id": n.id, "volunteer_id": n.volunteer_id, "stars": names.index(n.level) + 1 if n.level in names else None,
             "level": n.level, "reason": n.note, "nominated_by": n.nominated_by, "created_at": n.created_at}
            for n in ctx.level_nominations()]
