"""The notification core's own plugin: the built-in senders, the engine's templates, the routes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter

    from engine.notify.senders import SenderRegistry


@hookimpl
def volunteer_notification_senders(register: SenderRegistry) -> None:
    from engine.notify.senders import ConsoleSender, ConsoleSmsSender, FileSender, FileSmsSender
    from engine.notify.smtp import SmtpSender

    register.add(ConsoleSender())
    register.add(FileSender())
    register.add(ConsoleSmsSender())
    register.add(FileSmsSender())
    register.add(SmtpSender())


@hookimpl
def volunteer_notification_templates() -> Path:
    return Path(__file__).with_name("templates")


@hookimpl
def volunteer_api_routers() -> list[APIRouter]:
    from engine.notify.routes import router

    return [router]
