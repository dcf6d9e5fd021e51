"""满意度调查 The satisfaction survey (seed 000 篇3 总结评估: 邀请参展方、观众对志愿服务进行满意度评价;
对服务对象、志愿者、合作方进行满意度调查，量化反馈结果).

Staff enter the answers collected from visitors, exhibitors and partners (paper or an online form),
a batch at a time: all or nothing, a bad row named. A volunteer who was rostered rates their own
experience once, from their account. Ratings are 1–5, optionally about one post, with a comment.
The summary (and the report) gives each group's count, average and spread, and each post's average;
who answered is never shown.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.sdk.tables import Assignment, Post

from .models_day import Feedback

PUBLIC = ("visitor", "exhibitor", "partner")
TITLES = {"visitor": "观众 visitors", "exhibitor": "参展方 exhibitors", "partner": "合作方 partners",
          "volunteer": "志愿者 volunteers"}


def _posts(ctx: Any, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(ctx.session.scalars(select(Post.id).where(Post.programme_id == ctx.programme.id, Post.id.in_(ids))))


def record_survey(ctx: Any, rows: list[dict[str, Any]]) -> int:
    """Store answers collected from the public; refuses the whole batch naming the first bad row."""
    known = _posts(ctx, {r["post_id"] for r in rows if r.get("post_id")})
    for i, r in enumerate(rows):
        if r.get("post_id") and r["post_id"] not in known:
            raise InvalidInput(f"第 {i + 1} 条：没有岗位 {r['post_id']} / responses[{i}]: programme has no post "
                               f"{r['post_id']}", field=f"responses[{i}].post_id")
    ctx.session.add_all([Feedback(programme_id=ctx.programme.id, respondent=r["respondent"], rating=r["rating"],
                                  post_id=r.get("post_id"), comment=r.get("comment"), entered_by=ctx.actor)
                         for r in rows])
    ctx.session.flush()
    return len(rows)


def record_own(ctx: Any, volunteer_id: int, rating: int, post_id: int | None, comment: str | None) -> None:
    """A rostered volunteer's own rating of the event, once."""
    served = ctx.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.programme_id == ctx.programme.id, Assignment.volunteer_id == volunteer_id,
        Assignment.status == "assigned"))
    if not served:
        raise Forbidden("只有排过班的志愿者可以评价 / only volunteers who were rostered rate the event")
    if post_id is not None and not _posts(ctx, {post_id}):
        raise InvalidInput(f"没有岗位 {post_id} / programme has no post {post_id}", field="post_id")
    if ctx.session.scalar(select(Feedback.id).where(Feedback.programme_id == ctx.programme.id,
                                                    Feedback.volunteer_id == volunteer_id)) is not None:
        raise Conflict("您已评价过 / you have already rated this event")
    ctx.session.add(Feedback(programme_id=ctx.programme.id, respondent="volunteer", rating=rating, post_id=post_id,
                             comment=comment, volunteer_id=volunteer_id, entered_by=ctx.actor))
    ctx.session.flush()


def summary(session: Any, programme_id: str) -> dict[str, Any]:
    mine = Feedback.programme_id == programme_id
    spread: dict[str, dict[int, int]] = defaultdict(dict)
    for who, rating, n in session.execute(select(Feedback.respondent, Feedback.rating, func.count()).where(mine)
                                          .group_by(Feedback.respondent, Feedback.rating)):
        spread[who][rating] = n
    posts = session.execute(select(Feedback.post_id, Post.name, func.count(), func.avg(Feedback.rating))
                            .join(Post, Post.id == Feedback.post_id).where(mine)
                            .group_by(Feedback.post_id, Post.name).order_by(Feedback.post_id)).all()
    comments = session.execute(select(Feedback.respondent, Feedback.rating, Feedback.post_id, Feedback.comment).where(
        mine, Feedback.comment.is_not(None)).order_by(Feedback.id.desc()).limit(200))
    return {
        "by_respondent": {who: _group(who, counts) for who, counts in sorted(spread.items())},
        "by_post": [{"post_id": p, "post": name, "count": n, "average": round(float(avg), 2)}
                    for p, name, n, avg in posts],
        "comments": [{"respondent": who, "rating": rating, "post_id": p, "comment": c} for who, rating, p, c in comments],
    }


def _group(who: str, counts: dict[int, int]) -> dict[str, Any]:
    n = sum(counts.values())
    return {"title": TITLES[who], "count": n, "average": round(sum(k * v for k, v in counts.items()) / n, 2),
            "spread": {str(k): counts.get(k, 0) for k in range(1, 6)}}


def figure(session: Any, programme_id: str) -> str:
    """The report's line: each group's average and count, or — without answers."""
    groups = summary(session, programme_id)["by_respondent"]
    return "; ".join(f"{g['title']} {g['average']:.2f} (n={g['count']})" for g in groups.values()) or "—"
