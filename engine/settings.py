"""Operator settings from the environment (``VOLUNTEER_*``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOLUNTEER_", extra="ignore")

    database_url: str = "sqlite:///volunteer.db"
    token_ttl_hours: int = 12
    admin_password: str | None = None
    admin_password_file: str = Field(default="volunteer-admin-password.txt", description="where `volunteer serve` "
                                     "writes a generated operator password when it has no terminal (mode 0600)")
    # Accounts and sessions (docs/security.md)
    login_throttle: str = Field(default="10/15 minutes", description="failed logins allowed per account and client "
                                "address in a moving window, in the `limits` notation (e.g. 10/15 minutes)")
    rate_limit_storage_url: str = Field(default="memory://", description="where failure counts are kept: memory:// "
                                        "(one process) or e.g. redis://host:6379 (several processes share them)")
    password_hash_concurrency: int = Field(default=0, ge=0, description="password hashes computed at once; "
                                           "0: half the CPU cores (at least one)")
    signup_throttle: str = Field(default="5/hour", description="self sign-ups allowed per client address in a "
                                 "moving window (`limits` notation); docs/security.md")
    password_min_length: int = Field(default=10, ge=8, le=128)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, description="largest request body accepted")

    # Scheduled work (engine.scheduling): `volunteer serve` runs it in-process unless off.
    scheduler: bool = True
    scheduler_every: int = Field(default=60, ge=1, description="seconds between ticks (one due slot each)")
    # Notifications (engine.notify): which senders deliver, links in messages, SMTP.
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str | None = None
    notify_senders: str = "console"
    notify_file_dir: str = "outbox"
    notify_max_attempts: int = Field(default=8, ge=1)
    notify_lease_seconds: int = Field(default=600, ge=30)
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "志愿服务 Volunteer Engine <noreply@localhost>"
    smtp_timeout: float = Field(default=30, gt=0)


def get_settings() -> Settings:
    return Settings()
