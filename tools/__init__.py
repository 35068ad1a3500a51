"""Maintenance tools for the lessons (not part of the installed helpers package)."""
