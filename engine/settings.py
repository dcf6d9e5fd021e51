"""Operator settings from the environment (``VOLUNTEER_*``)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


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

    # Certificates (engine.certificates): public verification lookups allowed per client address.
    verify_rate: str = Field(default="30/minute", description="certificate and bundle lookups per client address "
                             "in a moving window (`limits` notation); stored where login failures are")

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


    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then ``VOLUNTEER_*`` variables, then the project file (volunteer.toml), then defaults."""
        return init_settings, env_settings, dotenv_settings, file_secret_settings, ProjectFileSource(settings_cls)


PROJECT_FILE = "volunteer.toml"


def find_project_file(start: Path | None = None) -> Path | None:
    """The nearest ``volunteer.toml`` in the current folder or a folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def project_values(path: Path | None = None) -> dict[str, Any]:
    """The project file's settings (top level, or a ``[volunteer]`` table); a relative SQLite path in
    ``database_url`` is resolved against the file's folder, so every command finds the same database."""
    path = path or find_project_file()
    if path is None:
        return {}
    with path.open("rb") as f:
        data = tomllib.load(f)
    values = dict(data.get("volunteer", data))
    url = values.get("database_url")
    if isinstance(url, str) and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url.removeprefix("sqlite:///")
        if rel and rel != ":memory:" and not Path(rel).is_absolute():
            values["database_url"] = f"sqlite:///{(path.parent / rel).resolve()}"
    return {k: v for k, v in values.items() if not isinstance(v, dict)}


class ProjectFileSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return project_values().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        known = set(self.settings_cls.model_fields)
        return {k: v for k, v in project_values().items() if k in known}


def database_source(explicit: str | None = None) -> tuple[str, str]:
    """(url, where it came from): ``--database``, ``VOLUNTEER_DATABASE_URL``, the project file, or the default."""
    import os

    if explicit:
        return explicit, "--database"
    if os.environ.get("VOLUNTEER_DATABASE_URL"):
        return os.environ["VOLUNTEER_DATABASE_URL"], "VOLUNTEER_DATABASE_URL"
    path = find_project_file()
    if path is not None and "database_url" in project_values(path):
        return str(project_values(path)["database_url"]), str(path)
    return Settings.model_fields["database_url"].default, "default"


def get_settings() -> Settings:
    return Settings()
