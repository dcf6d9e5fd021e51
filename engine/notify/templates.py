"""Notification templates: a name and data in, Chinese first and English alongside out.

A template ``NAME`` is two jinja2 files in a template folder (the engine's,
``engine/notify/templates/``, and those plugins return from ``volunteer_notification_templates``):
``NAME.zh.j2`` and ``NAME.en.j2``. Each defines the blocks ``subject`` and ``body``, and may define
``short`` (one line for SMS-sized channels; default: the subject)::

    {% block subject %}班次提醒：{{ post }}{% endblock %}
    {% block body %}{{ recipient.name }}，您好：
    您在 {{ starts_at | local }} 有一个班次。{% endblock %}

The data is what ``enqueue`` was given (JSON-able; datetimes are stored as ISO text), plus
``recipient.name`` and ``programme.id`` / ``programme.name``. The filter ``local`` shows an ISO
time in the programme's time zone (``YYYY-MM-DD HH:MM``). A missing variable is an error, found
when the message is enqueued.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, pass_context
from jinja2.runtime import Context

from engine.errors import InvalidInput
from engine.notify.senders import Part, once_per_host

if TYPE_CHECKING:
    from engine.plugins import PluginHost

HOOK = "volunteer_notification_templates"
LANGUAGES = ("zh", "en")
SEPARATOR = "\n\n————————\n\n"
ZONE = "_programme_zone"


@pass_context
def _local(ctx: Context, value: str) -> str:
    """An ISO time (as stored) in the programme's zone, for people to read."""
    when = dt.datetime.fromisoformat(value)
    zone = ctx.get(ZONE)
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M") if zone is not None else when.isoformat()


class Templates:
    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.env = Environment(loader=FileSystemLoader([str(f) for f in folders]), undefined=StrictUndefined,
                               autoescape=False, keep_trailing_newline=False)
        self.env.filters["local"] = _local

    def names(self) -> list[str]:
        found = {name.rsplit(".", 2)[0] for name in self.env.list_templates(extensions=["j2"])}
        return sorted(n for n in found if all(f"{n}.{lang}.j2" in self.env.list_templates() for lang in LANGUAGES))

    def render(self, name: str, data: dict[str, Any], *, zone: ZoneInfo | None = None) -> dict[str, Part]:
        """Each language's subject, body and short text; InvalidInput naming the template when a
        file is missing or the data does not fit it."""
        parts: dict[str, Part] = {}
        for lang in LANGUAGES:
            filename = f"{name}.{lang}.j2"
            try:
                template = self.env.get_template(filename)
                ctx = template.new_context({**data, ZONE: zone}, shared=False)
                blocks = {b: "".join(template.blocks[b](ctx)).strip() for b in ("subject", "body", "short")
                          if b in template.blocks}
            except TemplateNotFound:
                raise InvalidInput(f"没有通知模板 {filename} / no notification template {filename!r} (a template "
                                   f"needs {name}.zh.j2 and {name}.en.j2) in: "
                                   f"{', '.join(str(f) for f in self.folders)}", field="template") from None
            except (TemplateError, ValueError, TypeError) as exc:
                raise InvalidInput(f"通知模板 {filename} 无法生成 / template {filename!r} cannot be rendered with "
                                   f"this data: {exc}", field="data") from None
            if not blocks.get("subject") or not blocks.get("body"):
                raise InvalidInput(f"通知模板 {filename} 缺少 subject 或 body 块 / template {filename!r} needs a "
                                   f"non-empty subject and body block", field="template")
            parts[lang] = Part(blocks["subject"], blocks["body"], blocks.get("short") or blocks["subject"])
        return parts


def bilingual(parts: dict[str, Part]) -> Part:
    """Chinese first, English alongside (one line when both say the same)."""
    zh, en = parts["zh"], parts["en"]

    def join(a: str, b: str, sep: str) -> str:
        return a if a == b else f"{a}{sep}{b}"

    return Part(join(zh.subject, en.subject, " / "), join(zh.body, en.body, SEPARATOR), join(zh.short, en.short, " / "))


def templates(host: PluginHost) -> Templates:
    """The templates of the engine and every plugin of ``host`` (folders asked for once per host)."""
    def build() -> Templates:
        folders: list[Path] = []
        for value in host.call(HOOK):
            items = value if isinstance(value, list | tuple) else [value]
            folders.extend(Path(v) for v in items)
        return Templates(folders)

    return once_per_host(host, "templates", build)
