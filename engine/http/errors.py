"""One error body for every refusal, declared in the OpenAPI document on every operation.

Every 4xx the API sends has the shape of :class:`ErrorBody`: ``{"detail": {"error": <kind>,
"message": <Chinese / English>, "field": <where, if one field is to blame>, …}}`` — whether it
comes from an engine error (:mod:`engine.errors`), from request validation (a wrong type, a value
out of range: ``field`` is e.g. ``body.volunteer_id`` or ``query.limit``), or from the framework
(an unknown path, a body too large). The request's own values are never echoed back: a lone
surrogate or a megabyte of text stays where it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

#: Statuses any operation may answer with; each is declared with :class:`ErrorBody`.
ERROR_STATUSES = {
    "400": "请求有误 / bad request",
    "401": "需要登录 / authentication required",
    "403": "无权执行 / not allowed for your roles",
    "404": "不存在 / not found",
    "409": "状态冲突 / conflict with the current state",
    "413": "请求体过大 / request body too large",
    "422": "输入有误 / invalid input (the field is named)",
    "429": "请求过于频繁 / too many attempts: wait for Retry-After seconds",
}
_TITLES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
           409: "Conflict", 413: "RequestTooLarge", 415: "UnsupportedMediaType", 429: "TooManyRequests"}
_MESSAGES = {404: "没有这个地址 / no such path", 405: "不支持该方法 / method not allowed on this path",
             413: "请求体过大 / the request body is too large"}


class Problem(BaseModel):
    field: str = Field(description="where: body.<name>, query.<name>, path.<name>, header.<name>")
    message: str


class ConfigProblem(BaseModel):
    """One problem of a programme file (``ConfigError``), positioned for an editor."""

    file: str
    line: int
    column: int
    path: str = Field(description="the YAML key path, e.g. rules.points.rate")
    message: str
    expected: str = ""


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    error: str = Field(description="kind of error, e.g. InvalidInput, NotFound, Forbidden, GuardsFailed")
    message: str = Field(description="中文 / English, naming what is wrong and where")
    field: str | None = Field(default=None, description="the field to blame, when there is one")
    problems: list[Problem | ConfigProblem] | None = Field(
        default=None, description="every invalid field when input was invalid; for a programme file, every problem "
        "with its line and column")


class ErrorBody(BaseModel):
    detail: ErrorDetail


def clean(text: str) -> str:
    """Text that can always be encoded as UTF-8 (lone surrogates become U+FFFD)."""
    return text.encode("utf-8", "replace").decode("utf-8") if text else text


def field_name(loc: Sequence[Any]) -> str:
    return ".".join(clean(str(p)) for p in loc) or "body"


def validation_body(errors: Sequence[Any]) -> dict[str, Any]:
    problems = [{"field": field_name(e.get("loc", ())), "message": clean(str(e.get("msg", "")))} for e in errors[:50]]
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
    more = f"（另有 {len(problems) - 1} 处 / and {len(problems) - 1} more）" if len(problems) > 1 else ""
    message = f"输入有误：{first['field']} / invalid input at {first['field']}: {first['message']}{more}"
    return {"detail": {"error": "InvalidInput", "message": message, "field": first["field"], "problems": problems}}


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422, content=validation_body(exc.errors()))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else ""
    message = _MESSAGES.get(status) or clean(detail) or str(status)
    return JSONResponse(status_code=status, headers=getattr(exc, "headers", None),
                        content={"detail": {"error": _TITLES.get(status, "HTTPError"), "message": message}})


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Put :class:`ErrorBody` under every 4xx status of every operation (replacing FastAPI's own 422)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    defs = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(defs.pop("$defs", {}))
    components["ErrorBody"] = defs
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"][status] = {"description": description,
                                                  "content": {"application/json": {"schema": ref}}}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    """Register the handlers and make the app's OpenAPI document declare the error body."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
