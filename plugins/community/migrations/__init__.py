"""Alembic revisions of the community plan type (branch ``community``; see ``volunteer_migration_dirs``).

A package only so that a wheel carries these files; Alembic skips ``__init__.py`` when it scans for revisions.
"""
