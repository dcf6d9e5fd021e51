"""A third-party plan type, as small as one can be: rules, a default layer, a guard."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from engine import PlanType, hookimpl


class DemoRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_helpers: int = Field(default=2, ge=1, description="helpers needed before service starts")


@hookimpl
def volunteer_register_plan_types(register):
    register.add(PlanType(id="demo", title="演示 Demo", rules_model=DemoRules,
                          default_yaml=Path(__file__).with_name("default.yaml")))


def has_note(ctx):
    if not ctx.payload.get("note"):
        yield "请写明说明 / a note is required"


@hookimpl
def volunteer_register_guards(register):
    register.add("demo.has_note", has_note)


@hookimpl
def volunteer_web_pages():
    from vol_plan_demo.pages import web_pages  # only when the web app mounts: the API alone needs no jinja

    return web_pages()
