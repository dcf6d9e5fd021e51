"""The burst check-in path accepts exactly what the shared checks accept, and refuses in their words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update
from svc_helpers import SERVICE_YAML, T0, Site, minutes
from tests_support import PASSWORD, make_users

from engine.errors import Conflict, Forbidden, NotFound, Unauthorized
from engine.stages.service import burst, roster
from engine.store.models import ApiToken, User


@pytest.fixture
def rostered(eng: Any, prog: Any, site: Site) -> dict[str, Any]:
    make_users(eng, prog.id)
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0)
        root = eng.auth.user(s, "root")
        out: dict[str, Any] = {"code": sh.checkin_code}
        for name in ("vol1", "root"):
            user = eng.auth.user(s, name)
            v = site.ready(s, post, name, user_id=user.id)
            roster.assign(s, prog, eng.host, sh.id, v.id, actor="coord1", now=T0 - dt.timedelta(days=1))
            out[name] = eng.auth.issue_token(s, user)
        out["outsider"] = eng.auth.issue_token(s, eng.auth.user(s, "outsider"))
        assert root.is_superuser
    return out


def test_accepts_and_repeats(eng: Any, prog: Any, rostered: dict[str, Any]) -> None:
    row, created = burst.check_in(eng, prog.id, rostered["vol1"], rostered["code"], now=T0)
    again, created_again = burst.check_in(eng, prog.id, rostered["vol1"], rostered["code"], now=T0 + minutes(1))
    assert (created, created_again, again.id, row.checked_in_by, row.method) == (True, False, row.id, "vol1", "code")
    # an operator holds no role here but passes programme_access as admin, as on every other route
    assert burst.check_in(eng, prog.id, rostered["root"], rostered["code"], now=T0)[1] is True


def test_refusals_are_the_shared_ones(eng: Any, prog: Any, rostered: dict[str, Any]) -> None:
    code = rostered["code"]
    with pytest.raises(Unauthorized, match="authentication required"):
        burst.check_in(eng, prog.id, None, code, now=T0)
    with pytest.raises(Unauthorized, match="invalid or expired token"):
        burst.check_in(eng, prog.id, "not-a-token", code, now=T0)
    with pytest.raises(Forbidden, match="no role in programme"):
        burst.check_in(eng, prog.id, rostered["outsider"], code, now=T0)
    with pytest.raises(NotFound, match="no programme"):
        burst.check_in(eng, "elsewhere", rostered["vol1"], code, now=T0)
    with pytest.raises(NotFound, match="check-in code"):
        burst.check_in(eng, prog.id, rostered["vol1"], "nope", now=T0)
    with pytest.raises(Conflict, match="check-in opens"):
        burst.check_in(eng, prog.id, rostered["vol1"], code, now=T0 - minutes(31))
    with eng.session() as s:
        s.execute(update(ApiToken).values(expires_at=dt.datetime.now(dt.UTC) - minutes(1)))
    with pytest.raises(Unauthorized, match="invalid or expired token"):
        burst.check_in(eng, prog.id, rostered["vol1"], code, now=T0)


def test_disabled_account_refused(eng: Any, prog: Any, rostered: dict[str, Any]) -> None:
    with eng.session() as s:
        s.execute(update(User).where(User.username == "vol1").values(active=False))
    with pytest.raises(Unauthorized, match="account disabled"):
        burst.check_in(eng, prog.id, rostered["vol1"], rostered["code"], now=T0)


def test_reloaded_programme_is_followed(eng: Any, prog: Any, rostered: dict[str, Any]) -> None:
    """The cached programme is used only while its stored hash matches: a changed check-in window applies."""
    with pytest.raises(Conflict, match="check-in opens"):
        burst.check_in(eng, prog.id, rostered["vol1"], rostered["code"], now=T0 - minutes(45))
    eng.load(SERVICE_YAML.format(id=prog.id, org="测试志愿服务站").replace(
        "checkin_opens_minutes_before: 30", "checkin_opens_minutes_before: 60"), filename="svc-test.yaml")
    assert burst.check_in(eng, prog.id, rostered["vol1"], rostered["code"], now=T0 - minutes(45))[1] is True


def test_revoked_token_refused_over_http(api: Any, eng: Any, prog: Any, rostered: dict[str, Any]) -> None:
    c = api.anonymous()
    c.headers["Authorization"] = f"Bearer {rostered['vol1']}"
    with eng.session() as s:
        eng.auth.revoke(s, rostered["vol1"])
    r = c.post(f"/programmes/{prog.id}/checkin", json={"code": rostered["code"]})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert api.as_("outsider", PASSWORD).post(f"/programmes/{prog.id}/checkin",
                                              json={"code": rostered["code"]}).status_code == 403
