"""Fixtures for the desktop window tests: one sample workspace built per session and copied per test, and
per-user settings redirected to the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from liaison_app import paths
from liaison_app.importing import import_file
from liaison_app.workspace import Workspace, copy_workspace


@pytest.fixture(scope="session")
def sample_workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: a workspace for 法制科 (liaison 张三) with both bundled sample tables imported. Never modify it."""
    root = tmp_path_factory.mktemp("ui-template") / "workspace"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.set_setting("liaison", "张三")
        for table in paths.sample_tables():
            import_file(ws, table)
    return root


@pytest.fixture
def sample_workspace_dir(sample_workspace_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample workspace, closed (the test may open it, or hand it to a subprocess)."""
    root = tmp_path / "workspace"
    copy_workspace(sample_workspace_template, root)
    return root


@pytest.fixture
def sample_workspace(sample_workspace_dir: Path) -> Iterator[Workspace]:
    """The copied sample workspace, open for writing; closed at teardown."""
    ws = Workspace.open(sample_workspace_dir)
    yield ws
    ws.close()


@pytest.fixture(scope="session", autouse=True)
def job_worker_stopped_at_exit() -> Iterator[None]:
    """The background-job thread stops when the application quits; under pytest it never does, so stop it here."""
    yield
    from ui import jobs

    jobs.shutdown()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """QSettings (last workspace, window geometry) go to the test's folder, never the user's; no
    $LIAISON_WORKSPACE leaks in from the environment."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.delenv(paths.WORKSPACE_ENV, raising=False)
    return folder
