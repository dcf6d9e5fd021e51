"""The same search on PostgreSQL, when VOLUNTEER_DATABASE_URL points at one.

Uses a private, randomly named copy of the key table that the test creates
and drops, so it never touches a real la_conflict_keys table in that database.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import MetaData, create_engine

from plugins.legal_aid.conflict import ConflictIndex, PartyRecord

URL = os.environ.get("VOLUNTEER_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="VOLUNTEER_DATABASE_URL is not a PostgreSQL URL"
)


def test_search_on_postgresql() -> None:
    engine = create_engine(URL)
    md = MetaData()
    index = ConflictIndex(md, table_name=f"la_conflict_keys_t{uuid.uuid4().hex[:12]}")
    try:
        md.create_all(engine)
        with engine.begin() as c:
            index.add_many(
                c,
                [
                    PartyRecord("party:1", "person", ["张小明"], "11010519491231002X"),
                    PartyRecord("party:2", "person", ["張偉"], None),
                    PartyRecord("party:3", "org", ["北京某某科技有限公司", "北京旧名科技有限公司"], None),
                ],
            )
        with engine.connect() as c:
            assert index.search(c, "person", [], "11010519491231002x")[0].rule == "id_number"
            assert index.search(c, "person", ["张伟"])[0].rule == "traditional_form"
            assert index.search(c, "person", ["xiaoming zhang"])[0].rule == "pinyin"
            assert index.search(c, "person", ["Zhang Xioaming"])[0].rule == "near_spelling"
            assert index.search(c, "org", ["某某科技"])[0].rule == "org_short_name"
            assert index.search(c, "org", ["旧名科技"])[0].rule == "org_alias"
            assert index.search(c, "org", ["某某科枝"])[0].rule == "near_spelling"
            assert index.search(c, "person", ["张"]) == []
    finally:
        md.drop_all(engine)
        engine.dispose()
