"""Programme configuration: YAML with positions, layered defaults, pydantic models, checks."""

from engine.config.loader import check_files, load_programme
from engine.config.models import ProgrammeConfig, WorkflowDef

__all__ = ["ProgrammeConfig", "WorkflowDef", "check_files", "load_programme"]
