"""Crash safety: a process attaching files is killed with SIGKILL at random moments; nothing reported done is lost
and the check finds nothing wrong beyond temporary leftovers, which it cleans."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_app import evidence
from liaison_app.checks import run_checks
from liaison_app.workspace import Workspace
from tests.conftest import KILLED_RETURNCODE, kill_hard

from .helpers import Factory

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 24


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@pytest.mark.slow
def test_sigkill_while_attaching_loses_nothing_reported_done(workspace_dir, tmp_path):
    with Workspace.open(workspace_dir) as ws:
        task_id = Factory(ws).task("收集佐证材料")
    src_dir = tmp_path / "sources"
    src_dir.mkdir()
    rng = random.Random(20230508)
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    reported: dict[int, str] = {}
    cleaned_rounds = 0
    for round_no in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("crash_child.py")), str(workspace_dir), str(src_dir),
             str(task_id), str(round_no)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=REPO,
        )
        lines: list[str] = []
        kill_after = rng.randint(1, 30)
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line)
            if len(lines) >= kill_after:
                break
        kill_hard(child)
        rest, err = child.communicate()
        assert child.returncode == KILLED_RETURNCODE, err
        lines.extend(rest.splitlines())
        for line in lines:
            if line.startswith("done "):
                _, ev_id, sha = line.split()
                reported[int(ev_id)] = sha

        with Workspace.open(workspace_dir) as ws:
            report = run_checks(ws)
            assert report.ok, f"round {round_no}: {report.problems}"
            cleaned_rounds += any("中断" in n for n in report.notes)
            for ev_id, sha in reported.items():
                ev = evidence.get_evidence(ws, ev_id)
                assert ev.sha256 == sha
                assert sha256_of(evidence.vault_path(ws, sha)) == sha
            assert evidence.check_vault(ws, clean_temp=False) == [], "the check left nothing to clean"
    assert len(reported) >= ROUNDS // 2, "the child got some work done between kills"
    print(f"{len(reported)} attaches reported done; leftovers cleaned after {cleaned_rounds} of {ROUNDS} kills")
