"""HTTP routes of the recruitment stage (under /api/v1/programmes/{programme_id}/…)."""

from fastapi import APIRouter

router = APIRouter(tags=["recruitment"])
