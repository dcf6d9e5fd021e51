"""HTTP routes of the legal-aid plan type, under ``/api/v1/programmes/{programme_id}/legal-aid/…``."""
