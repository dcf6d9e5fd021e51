"""Pages for coordinators, team leaders, supervisors and admins."""
