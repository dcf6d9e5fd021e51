"""Operator settings from the environment (``VOLUNTEER_*``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOLUNTEER_", extra="ignore")

    database_url: str = "sqlite:///volunteer.db"
    token_ttl_hours: int = 12
    admin_password: str | None = None


def get_settings() -> Settings:
    return Settings()
