"""Public opportunities: the open shifts of programmes that opted in with ``recruitment.public: true``.

What an anonymous visitor may see, and nothing else: the programme's name, the post and its
project, when and where, how many places are free. No person, no configuration, no server detail
(docs/security.md). A programme whose file cannot be read is left out silently.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import VolunteerEngineError
from engine.stages.design import service as design
from engine.stages.design.models import Post, Project
from engine.store.models import ProgrammeRow

MAX_PER_PROGRAMME = 20


def public_opportunities(engine: Any, session: Session) -> list[dict[str, Any]]:
    out = []
    for pid in session.scalars(select(ProgrammeRow.id).order_by(ProgrammeRow.id)):
        try:
            programme = engine.programme(pid, session)
        except VolunteerEngineError:
            continue
        if not programme.config.recruitment.public:
            continue
        tz = programme.config.tz
        today = timeutil.today(programme.config.timezone)
        shifts = [r for r in design.list_shifts(session, programme, date_from=today, limit=200)
                  if r.shift.capacity - r.assigned > 0][:MAX_PER_PROGRAMME]
        if not shifts:
            continue
        names = dict(session.execute(select(Post.id, Post.name).where(Post.programme_id == pid)).all())
        projects = dict(session.execute(select(Post.id, Project.name).join(Project, Project.id == Post.project_id)
                                        .where(Post.programme_id == pid)).all())
        out.append({"id": pid, "name": programme.config.name, "shifts": [{
            "post": names.get(r.shift.post_id, ""), "project": projects.get(r.shift.post_id, ""),
            "starts_at": r.shift.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "ends_at": r.shift.ends_at.astimezone(tz).strftime("%H:%M"),
            "place": r.shift.place or "", "free": r.shift.capacity - r.assigned} for r in shifts]})
    return out
