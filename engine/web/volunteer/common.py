"""What several volunteer pages need: the reader's own volunteer profile, posts and shifts by id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.http.deps import Access
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import Assignment


def own_volunteer(session: Session, access: Access) -> Volunteer | None:
    return session.scalar(select(Volunteer).where(Volunteer.user_id == access.user.id))


def posts_by_id(session: Session, programme_id: str) -> dict[int, tuple[Post, Project]]:
    rows = session.execute(select(Post, Project).join(Project, Project.id == Post.project_id)
                           .where(Post.programme_id == programme_id))
    return {post.id: (post, project) for post, project in rows}


def my_assignments(session: Session, access: Access, volunteer_id: int, *, upcoming_only: bool = False,
                   now: Any = None, limit: int = 200) -> list[tuple[Assignment, Shift, Post]]:
    """The volunteer's assignments here with their shift and post, soonest first (one query)."""
    q = (select(Assignment, Shift, Post).join(Shift, Shift.id == Assignment.shift_id)
         .join(Post, Post.id == Shift.post_id)
         .where(Assignment.programme_id == access.programme.id, Assignment.volunteer_id == volunteer_id))
    if upcoming_only:
        q = q.where(Shift.ends_at >= now, Assignment.status == "assigned")
    return [tuple(r) for r in session.execute(q.order_by(Shift.starts_at).limit(limit))]  # type: ignore[misc]
