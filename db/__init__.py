"""Numbered SQL migrations; applied in order by liaison_app.workspace (PRAGMA user_version)."""
