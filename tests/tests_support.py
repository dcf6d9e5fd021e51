"""Helpers shared by tests, importable from any test module (``from tests_support import …``)."""

from __future__ import annotations

import httpx

from engine.core import VolunteerEngine

PASSWORD = "correct-horse-42"
ROLE_USERS = {
    "admin": "admin1",
    "coordinator": "coord1",
    "team_leader": "leader1",
    "supervisor": "super1",
    "volunteer": "vol1",
}


def make_users(eng: VolunteerEngine, programme_id: str, roles: dict[str, str] | None = None) -> dict[str, str]:
    """One account per role in the programme, plus an operator (root) and an outsider; returns role → username."""
    roles = roles or ROLE_USERS
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "outsider", PASSWORD)
        known = set(eng.programme(programme_id, s).config.roles)
        for role, username in roles.items():
            u = eng.auth.create_user(s, username, PASSWORD, display_name=f"{role} user")
            eng.auth.grant(s, u, programme_id, role, known_roles=known)
    return dict(roles)


class Api:
    """An HTTP client factory for one live server; ``as_(username)`` gives a logged-in client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: list[httpx.Client] = []

    def anonymous(self) -> httpx.Client:
        c = httpx.Client(base_url=self.url + "/api/v1", timeout=60)
        self._clients.append(c)
        return c

    def as_(self, username: str, password: str = PASSWORD) -> httpx.Client:
        c = self.anonymous()
        r = c.post("/auth/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return c

    def close(self) -> None:
        for c in self._clients:
            c.close()


def open_design(eng: VolunteerEngine, programme_id: str, *, session: object = None) -> None:
    """Bring a programme from 采集需求 to 设计项目 as an admin would: record a need, fire start_design."""
    from engine.stages.needs.schemas import NeedIn
    from engine.stages.needs.service import create_need
    from engine.testing import advance_to

    def run(s: object) -> None:
        prog = eng.programme(programme_id, s)  # type: ignore[arg-type]
        if eng.lifecycle(s, prog).state == "needs":  # type: ignore[arg-type]
            create_need(s, prog, eng.host, NeedIn(title="阶段需求 Stage need", beneficiary_group="居民",  # type: ignore[arg-type]
                                                  category="综合", source="survey", frequency=1, urgency=1,
                                                  people_affected=1), actor="admin1")
            advance_to(eng, programme_id, "design", session=s)

    if session is not None:
        run(session)
    else:
        with eng.session() as s:
            run(s)


def open_recruitment(eng: VolunteerEngine, programme_id: str, project_id: int, *, session: object = None) -> None:
    """From 设计项目 to 招募注册: the project (which has a post) answers a need, fire open_recruitment."""
    from sqlalchemy import select

    from engine.stages.needs.models import Need
    from engine.stages.needs.service import link_project
    from engine.testing import advance_to

    def run(s: object) -> None:
        open_design(eng, programme_id, session=s)
        prog = eng.programme(programme_id, s)  # type: ignore[arg-type]
        if eng.lifecycle(s, prog).state == "design":  # type: ignore[arg-type]
            need = s.scalars(select(Need.id).where(Need.programme_id == programme_id)).first()  # type: ignore[attr-defined]
            link_project(s, prog, need, project_id, actor="admin1")  # type: ignore[arg-type]
            advance_to(eng, programme_id, "recruitment", session=s)

    if session is not None:
        run(session)
    else:
        with eng.session() as s:
            run(s)


def bring_to(eng: VolunteerEngine, programme_id: str, stage: str) -> None:
    """Fire the lifecycle's real triggers up to ``stage`` (design → recruitment → training → service …),
    first recording what each default guard asks for, as an admin would: a need, a project answering it
    with a post, a volunteer with a signed agreement rostered on a past shift. That assignment and its
    shift are cancelled once service has begun, so they count in no test's figures."""
    import datetime as dt
    import secrets

    from sqlalchemy import select, update

    from engine.stages.design.models import Post, Project, Shift
    from engine.stages.needs.models import Need
    from engine.stages.needs.service import link_project
    from engine.stages.recruitment.models import Application, Volunteer
    from engine.stages.service.models import Assignment
    from engine.store.models import WorkflowInstance
    from engine.testing import advance_to

    order = ["needs", "design", "recruitment", "training", "service"]
    with eng.session() as s:
        prog = eng.programme(programme_id, s)
        if eng.lifecycle(s, prog).state != "needs":
            advance_to(eng, programme_id, stage, session=s)
            return
        open_design(eng, programme_id, session=s)
        if stage == "design":
            return
        project = Project(programme_id=programme_id, name="阶段夹具 Stage fixture")
        s.add(project)
        s.flush()
        post = Post(programme_id=programme_id, project_id=project.id, name="阶段岗位 Stage post", capacity=1,
                    category="routine", required_courses=[])
        s.add(post)
        s.flush()
        need = s.scalars(select(Need.id).where(Need.programme_id == programme_id)).first()
        link_project(s, prog, need, project.id, actor="admin1")  # type: ignore[arg-type]
        advance_to(eng, programme_id, "recruitment", session=s)
        if stage == "recruitment":
            return
        vol = Volunteer(name="阶段志愿者", gender="female", birth_date=dt.date(1990, 1, 1),
                        id_number=f"1101011990010{secrets.randbelow(100000):05d}")
        s.add(vol)
        s.flush()
        app = Application(programme_id=programme_id, post_id=post.id, volunteer_id=vol.id)
        s.add(app)
        s.flush()
        inst = eng.workflows.start(s, prog, "application", "application", app.id, actor="test")
        s.execute(update(WorkflowInstance).where(WorkflowInstance.id == inst.id).values(state="agreed"))
        start = dt.datetime(prog.config.period.start.year, prog.config.period.start.month, prog.config.period.start.day,
                            9, tzinfo=dt.UTC)
        shift = Shift(programme_id=programme_id, post_id=post.id, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                      capacity=1, checkin_code=secrets.token_hex(8))
        s.add(shift)
        s.flush()
        assignment = Assignment(programme_id=programme_id, shift_id=shift.id, volunteer_id=vol.id, assigned_by="admin1")
        s.add(assignment)
        s.flush()
        advance_to(eng, programme_id, stage if stage in order else "service", session=s)
        assignment.status = "cancelled"
        shift.cancelled_at = shift.starts_at
        s.flush()
        if stage not in order:
            advance_to(eng, programme_id, stage, session=s)
