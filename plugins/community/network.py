"""The station network (seed 001 §2(一)): 社区总站 → 网格分站 (300–500 户) → 楼栋小组 (20–30 户).

The tree is declared in ``rules.network`` and written to ``community_nodes`` when the programme
loads. Needs, projects, enrolments and service records carry a node code (the engine's ``node``
columns); a record's node is its own, else its project's, else its volunteer's enrolment's. Hours
roll up the tree through ``grid_code``: one ``GROUP BY`` gives hours per grid, and the station's
figure is the sum of everything, grids and unassigned included.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from engine.sdk.tables import Enrolment, Need, Project, ServiceRecord
from plugins.community.models import CommunityNode

UNASSIGNED = "(unassigned)"


def sync_network(session: Session, programme: Any) -> None:
    """Make ``community_nodes`` match ``rules.network`` (upsert by code; nodes no longer listed go)."""
    net = programme.rules.network
    wanted: dict[str, dict[str, Any]] = {}
    if net.station is not None:
        wanted[net.station.code] = dict(name=net.station.name, level="station", parent_code=None, grid_code=None,
                                        households=net.station.households, leader=net.station.leader)
    for grid in net.grids:
        wanted[grid.code] = dict(name=grid.name, level="grid", parent_code=net.station.code, grid_code=grid.code,
                                 households=grid.households, leader=grid.leader)
        for b in grid.buildings:
            wanted[b.code] = dict(name=b.name, level="building", parent_code=grid.code, grid_code=grid.code,
                                  households=b.households, leader=b.leader)
    rows = {n.code: n for n in session.scalars(select(CommunityNode).where(CommunityNode.programme_id == programme.id))}
    for position, (code, values) in enumerate(wanted.items()):
        row = rows.get(code) or CommunityNode(programme_id=programme.id, code=code)
        for key, value in {**values, "position": position}.items():
            setattr(row, key, value)
        session.add(row)
    gone = [c for c in rows if c not in wanted]
    if gone:
        session.execute(delete(CommunityNode).where(CommunityNode.programme_id == programme.id,
                                                    CommunityNode.code.in_(gone)))
    session.flush()


def record_node(programme_id: str) -> Any:
    """SQL for a record's node: its own, its project's, its volunteer's enrolment's."""
    return func.coalesce(ServiceRecord.node, Project.node, Enrolment.node)


def _records_with_node(programme_id: str, *columns: Any) -> Any:
    return (select(*columns)
            .select_from(ServiceRecord)
            .outerjoin(Project, Project.id == ServiceRecord.project_id)
            .outerjoin(Enrolment, and_(Enrolment.programme_id == programme_id,
                                       Enrolment.volunteer_id == ServiceRecord.volunteer_id))
            .where(ServiceRecord.programme_id == programme_id, ServiceRecord.verified_at.is_not(None)))


def minutes_by_node(session: Session, programme_id: str) -> dict[str | None, int]:
    node = record_node(programme_id).label("node")
    q = _records_with_node(programme_id, node, func.sum(ServiceRecord.minutes)).group_by(node)
    return {n: int(m or 0) for n, m in session.execute(q)}


def minutes_by_grid(session: Session, programme_id: str) -> dict[str, int]:
    """Verified minutes per grid code; the station's own and unknown nodes under ``(unassigned)``."""
    node = record_node(programme_id)
    q = (_records_with_node(programme_id, CommunityNode.grid_code, func.sum(ServiceRecord.minutes))
         .outerjoin(CommunityNode, and_(CommunityNode.programme_id == programme_id, CommunityNode.code == node))
         .group_by(CommunityNode.grid_code))
    return {(g or UNASSIGNED): int(m or 0) for g, m in session.execute(q)}


def tree(session: Session, programme: Any) -> dict[str, Any] | None:
    """The network as nested nodes, each with its own and rolled-up hours, needs and volunteers."""
    nodes = list(session.scalars(select(CommunityNode).where(CommunityNode.programme_id == programme.id)
                                 .order_by(CommunityNode.position)))
    if not nodes:
        return None
    minutes = minutes_by_node(session, programme.id)
    needs = dict(session.execute(select(Need.node, func.count()).where(Need.programme_id == programme.id)
                                 .group_by(Need.node)).all())
    people = dict(session.execute(select(Enrolment.node, func.count()).where(Enrolment.programme_id == programme.id)
                                  .group_by(Enrolment.node)).all())
    views: dict[str, dict[str, Any]] = {n.code: {"code": n.code, "name": n.name, "level": n.level, "households": n.households,
                      "leader": n.leader, "own": {"hours": round(minutes.get(n.code, 0) / 60, 2),
                                                  "needs": int(needs.get(n.code, 0)),
                                                  "volunteers": int(people.get(n.code, 0))},
                      "children": []} for n in nodes}
    root = None
    for n in nodes:
        if n.parent_code and n.parent_code in views:
            views[n.parent_code]["children"].append(views[n.code])
        elif root is None:
            root = views[n.code]
    known = set(views)
    unassigned = {"hours": round(sum(m for c, m in minutes.items() if c not in known) / 60, 2),
                  "needs": int(sum(v for c, v in needs.items() if c not in known)),
                  "volunteers": int(sum(v for c, v in people.items() if c not in known))}
    if root is not None:
        _roll_up(root)
        root["unassigned"] = unassigned  # the station answers for everything in the community
        root["total"] = {k: round(v + unassigned[k], 2) for k, v in root["total"].items()}
    return root


def _roll_up(view: dict[str, Any]) -> dict[str, float]:
    totals = dict(view["own"])
    for child in view["children"]:
        for key, value in _roll_up(child).items():
            totals[key] += value
    totals["hours"] = round(totals["hours"], 2)
    view["total"] = totals
    return totals


def node_codes(session: Session, programme_id: str) -> set[str]:
    return set(session.scalars(select(CommunityNode.code).where(CommunityNode.programme_id == programme_id)))


def check_node(known: set[str], code: str | None) -> list[str]:
    """Reasons a node code is not in the programme's network (empty when it is, or when no network is set)."""
    if code is None or not known or code in known:
        return []
    return [f"网点 {code!r} 不在本社区网络中 / node {code!r} is not in this community's network; known: "
            f"{', '.join(sorted(known))}"]
