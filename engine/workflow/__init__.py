"""Workflows compiled from YAML into ``transitions`` machines, fired against the store."""

from engine.workflow.context import GuardContext

__all__ = ["GuardContext"]
