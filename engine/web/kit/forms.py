"""Forms: turn what a person typed into the API's own request model, and every refusal — a
pydantic constraint, an engine error naming a field, a guard's reasons — into messages shown
next to the field, with what they typed kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from engine.errors import GuardsFailed, InvalidInput, VolunteerEngineError

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

_PYDANTIC_ZH = {
    "missing": "必填", "string_too_short": "太短", "string_too_long": "太长", "greater_than_equal": "太小",
    "less_than_equal": "太大", "greater_than": "太小", "less_than": "太大", "int_parsing": "须为整数",
    "decimal_parsing": "须为数字", "float_parsing": "须为数字", "date_from_datetime_parsing": "日期格式有误",
    "date_parsing": "日期格式有误", "datetime_parsing": "时间格式有误", "datetime_from_date_parsing": "时间格式有误",
    "literal_error": "不是可选值", "enum": "不是可选值", "bool_parsing": "须为是/否", "value_error": "取值有误",
    "string_pattern_mismatch": "格式有误",
}


@dataclass
class FormState:
    """What was typed (``values``), and what is wrong: by field, and for the form as a whole."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.general

    def add(self, name: str | None, message: str) -> None:
        if name:
            self.errors.setdefault(name, []).append(message)
        else:
            self.general.append(message)


def form_values(form: Any, *, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """A submitted form as a dict: empty fields dropped, the CSRF field left out, ``lists`` kept as lists."""
    out: dict[str, Any] = {}
    for key in form:
        if key == "csrf":
            continue
        if key in lists:
            out[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
        else:
            value = form.get(key)
            if isinstance(value, str) and value.strip() != "":
                out[key] = value.strip()
    return out


def parse(model: type[M], data: dict[str, Any], state: FormState) -> M | None:
    """``model`` from ``data``, or None with every constraint it breaks noted by field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
            name = loc[0] if loc else None
            zh = _PYDANTIC_ZH.get(str(err.get("type")), "取值有误")
            state.add(name, f"{zh} / {err.get('msg', 'invalid')}")
        return None


def attempt(session: Session, state: FormState, fn: Callable[[], R]) -> R | None:
    """Run an action; on an engine error roll back, note the reason(s) (by field where named) and
    return None, so the page can show the form again with what was typed."""
    try:
        return fn()
    except GuardsFailed as exc:
        session.rollback()
        for reason in exc.reasons:
            state.add(None, reason)
    except InvalidInput as exc:
        session.rollback()
        reasons = exc.details.get("reasons")
        if isinstance(reasons, list) and reasons:
            for reason in reasons:
                state.add(exc.field, str(reason))
        else:
            state.add(exc.field, exc.message)
    except VolunteerEngineError as exc:
        session.rollback()
        state.add(getattr(exc, "field", None), exc.message)
    return None


async def _submitted(request: Request) -> FormData:
    """The submitted form, read before a synchronous page handler runs in the thread pool."""
    return await request.form()


FormDep = Annotated[FormData, Depends(_submitted)]


def submit(session: Session, state: FormState, model: type[M], data: dict[str, Any],
           call: Callable[[M], R]) -> R | None:
    """Parse ``data`` into the API's request ``model`` and run ``call`` with it; None (and reasons in
    ``state``) when either refuses."""
    body = parse(model, data, state)
    if body is None:
        return None
    return attempt(session, state, lambda: call(body))
