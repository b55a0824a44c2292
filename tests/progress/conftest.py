"""Fixtures for progress, evidence and case tests."""

from __future__ import annotations

import pytest

from liaison_app.workspace import Workspace

from .helpers import Factory


@pytest.fixture
def make(workspace: Workspace) -> Factory:
    """Insert tasks/indicators into the open ``workspace`` (autocommit: the connection has no open transaction)."""
    return Factory(workspace)
