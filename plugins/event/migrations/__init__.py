"""Alembic revisions of the event plan type (branch ``event``; see ``volunteer_migration_dirs``).

A package only so that a wheel carries these files; Alembic skips ``__init__.py`` when it scans for revisions.
"""
