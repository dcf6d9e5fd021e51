"""Pages for volunteers (phone first)."""
