"""Server-rendered pages (jinja2) for coordinators and volunteers, usable on a phone."""
