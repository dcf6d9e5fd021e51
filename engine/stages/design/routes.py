"""HTTP routes of the design stage (under /api/v1/programmes/{programme_id}/…)."""

from fastapi import APIRouter

router = APIRouter(tags=["design"])
