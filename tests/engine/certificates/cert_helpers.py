"""Shared helpers of the certificate tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from svc_helpers import T0, Site, minutes

from engine.stages.records import service as records

NOW = T0 + dt.timedelta(days=10)


def served(eng: Any, prog: Any, site: Site, s: Any, name: str = "张三", **kw: Any) -> Any:
    """张三 served 120 + 90 minutes at 入口引导 (two verified records)."""
    post = site.post(s, site.project(s, "入口引导"), "入口引导员")
    v = site.volunteer(s, name, **kw)
    for d, m in ((0, 120), (1, 90)):
        records.enter_record(s, prog, eng.host, volunteer_id=v.id, started_at=T0 + dt.timedelta(days=d),
                             ended_at=T0 + dt.timedelta(days=d) + minutes(m), post_id=post.id, content="入口引导",
                             actor="coord1", now=NOW)
    return v
