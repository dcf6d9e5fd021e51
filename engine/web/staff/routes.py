"""Every staff page router, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from engine.web.staff import (
        appeals,
        applications,
        certificates,
        dashboard,
        design,
        imports,
        incidents,
        needs,
        records,
        reports,
        roster,
    )

    return [m.router for m in (dashboard, needs, design, applications, roster, incidents, records, certificates, imports,
                               reports, appeals)]
