"""Shared fixtures: real workspaces on disk, the CLI run as a real subprocess, Qt offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# pytest-qt aborts without a display; offscreen renders real widgets without one.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.name == "nt":
        # Offscreen on Windows reads fonts from Qt's own lib\fonts folder, which Qt no longer fills: use the system's.
        os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"))

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "resources" / "samples"
SEED_DISTRICT = next(SAMPLES.glob("松江区*.txt"))
"""000_…: 沪松环〔2023〕14号 — 27 tasks and the indicator table."""
SEED_CITY = next(SAMPLES.glob("市绿化市容局*.txt"))
"""003_…: 沪绿容〔2023〕177号 — 49 tasks with deadlines and the 18 items."""


KILLED_RETURNCODE = 1 if os.name == "nt" else -9
"""What a process ended by ``kill_hard`` returns: -SIGKILL on POSIX, TerminateProcess's exit code 1 on Windows."""


def kill_hard(child: subprocess.Popen) -> None:
    """End a child at once, with no chance to clean up: SIGKILL on POSIX, TerminateProcess on Windows (the same
    thing that happens when the power fails or Task Manager ends the program)."""
    child.kill()


def cli_env(workspace: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("LIAISON_WORKSPACE", None)
    if workspace is not None:
        env["LIAISON_WORKSPACE"] = str(workspace)
    return env


def run_cli(*args: str | os.PathLike[str], workspace: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `liaison ARGS` in a fresh interpreter, exactly as a user would, and capture its output."""
    full_env = cli_env(workspace)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "liaison_app", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=full_env, input=input, timeout=timeout,
        cwd=REPO_ROOT,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """A fresh, initialised workspace folder for 法制科 (closed, so the test may open it or run the CLI on it)."""
    from liaison_app.workspace import Workspace

    root = tmp_path / "ws"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.set_setting("liaison", "张三")
    return root


@pytest.fixture
def workspace(workspace_dir: Path):
    """The fresh workspace, opened for writing."""
    from liaison_app.workspace import Workspace

    ws = Workspace.open(workspace_dir)
    yield ws
    ws.close()
