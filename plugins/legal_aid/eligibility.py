"""The recruitment stage's eligibility hook: posts that need a licensed lawyer or an organised student.

A post lists what it needs in ``qualifications``; two words mean something to this plan type:
``licensed_lawyer`` (a lawyer's licence valid on the day, 《律师法》第五条、第十三条) and ``law_student``
(a law student organised by a university or research institute, 《法律援助法》第十七条第二款).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .law.articles import LA_17, LL_13
from .models import LegalVolunteerProfile as Profile
from .qualifications import licence_valid, reason
from .rules import VolunteerKind

__all__ = ["post_problems"]


def post_problems(session: Session, programme: Any, volunteer: Any, post: Any, on: dt.date) -> list[str]:
    needs = set(post.qualifications or [])
    if not needs & {"licensed_lawyer", "law_student"}:
        return []
    prof = session.scalars(select(Profile).where(Profile.programme_id == programme.id,
                                                 Profile.volunteer_id == volunteer.id)).first()
    out: list[str] = []
    lawyer = prof is not None and prof.kind == VolunteerKind.LAWYER and licence_valid(prof, on)
    if "licensed_lawyer" in needs and not lawyer:
        out.append(reason(f"岗位「{post.name}」须由持有效执业证的律师担任", f"post {post.name!r} needs a lawyer with a "
                          f"licence valid on {on}", LL_13.cite()))
    if "law_student" in needs and (prof is None or prof.kind != VolunteerKind.LAW_STUDENT or not prof.institution):
        out.append(reason(f"岗位「{post.name}」须由高等院校、科研机构组织的法学专业学生担任",
                          f"post {post.name!r} needs a law student organised by a university or research institute",
                          LA_17.cite(2)))
    return out
