"""HTTP routes of the rewards stage (under /api/v1/programmes/{programme_id}/…)."""

from fastapi import APIRouter

router = APIRouter(tags=["rewards"])
