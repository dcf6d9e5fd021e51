"""招募注册 Recruitment: the real-name volunteer registry (seed 003 附件1), applications, agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from engine.crypto import INDEX_LENGTH, EncryptedString, blind_index
from engine.store.base import Base, utcnow

ID_INDEX = "id_number"  # the blind index's purpose label for resident ID numbers


class Volunteer(Base):
    """A person, once across programmes: the resident ID number identifies them (unique).

    ID number and phone are stored encrypted (``engine.crypto``); the ID number is found and kept
    unique through its keyed blind index ``id_number_index`` (set whenever ``id_number`` is).
    """

    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(10))  # male | female
    birth_date: Mapped[dt.date]
    id_number: Mapped[str] = mapped_column(EncryptedString())
    id_number_index: Mapped[str] = mapped_column(String(INDEX_LENGTH), unique=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    skills: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    qualifications: Mapped[list[Any]] = mapped_column(default=list)
    availability: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("id_number")
    def _index_id_number(self, _key: str, value: str) -> str:
        self.id_number_index = blind_index(value, ID_INDEX)
        return value


def id_number_index(id_number: str) -> str:
    """The blind index to find a volunteer by ID number: ``Volunteer.id_number_index == id_number_index(n)``."""
    return blind_index(id_number, ID_INDEX)


class Enrolment(Base):
    """A volunteer registered with a programme (directly, or in a unit's batch)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    source: Mapped[str] = mapped_column(String(200), default="self")  # self | coordinator | batch:<unit>
    node: Mapped[str | None] = mapped_column(String(100), index=True)
    guardian_consent: Mapped[bool] = mapped_column(default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    # what was agreed, when: the registrant's own consent to keeping their details (志愿服务条例 第二十条)
    # and, for a minor, who gave the guardian's consent and how to reach them (志愿服务条例 第十五条; 003 附件4 第二条)
    consent_at: Mapped[dt.datetime | None] = mapped_column()
    guardian_relationship: Mapped[str | None] = mapped_column(String(30))
    guardian_phone: Mapped[str | None] = mapped_column(EncryptedString())  # a minor's guardian: encrypted at rest
    guardian_consent_at: Mapped[dt.datetime | None] = mapped_column()
    enrolled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # who recommended this person to the programme (推荐人), for rules.points.bonuses.referral
    referred_by: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)


class Application(Base):
    """An application to a post; its state lives in the ``application`` workflow instance."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("post_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the day the post's conditions (age …) are reckoned on when it is not the day of each check,
    # e.g. a call's "18 on the day of the event" (engine.sdk.roster.place_on_post eligible_on)
    eligible_on: Mapped[dt.date | None] = mapped_column()


class Agreement(Base):
    """志愿服务协议书 (seed 000 篇3); a minor's needs the guardian (志愿服务条例 第十五条)."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="志愿服务协议书")
    signed_on: Mapped[dt.date]
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
