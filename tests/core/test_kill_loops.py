"""SIGKILL at random moments of attach, import and packet: no corrupt database, no acknowledged write lost, nothing
left over after `check --repair`.

The suite runs a few rounds of each; set LIAISON_KILL_ROUNDS=200 for the full loop (the counts are printed; run with
-s to see them): ``LIAISON_KILL_ROUNDS=200 python -m pytest tests/core/test_kill_loops.py -s``.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from liaison_app.checks import run_checks
from liaison_app.packets.package import leftover_partials
from liaison_app.packets.verify import verify_packet
from liaison_app.workspace import Workspace, copy_workspace
from tests.conftest import KILLED_RETURNCODE, REPO_ROOT, cli_env, kill_hard

pytestmark = [pytest.mark.slow]

ROUNDS = int(os.environ.get("LIAISON_KILL_ROUNDS", "3"))
CHILD = Path(__file__).with_name("kill_child.py")
PASSWORD = "hardening-test"  # conftest.py
# How long after "ready" a kill may land: a little more than one operation takes here.
WINDOW = {"attach": 0.4, "import": 0.6, "packet": 3.0}


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _run_and_kill(args: list[str], delay: float) -> tuple[list[str], str]:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        cwd=REPO_ROOT,
    )
    assert child.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "ready":
                ready.set()
            lines.append(line.strip())
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ready.wait(60)
    time.sleep(delay)
    kill_hard(child)
    _, err = child.communicate()
    reader.join(10)
    assert child.returncode == KILLED_RETURNCODE, err
    return [ln for ln in lines if ln.startswith("ack ")], err


@pytest.mark.parametrize("mode", ["attach", "import", "packet"])
def test_sigkill_loop(mode, built, tmp_path):
    root = tmp_path / "ws"
    copy_workspace(built.workspace, root)
    scratch = tmp_path / "scratch"
    rng = random.Random(f"kill-{mode}")
    acked: list[list[str]] = []
    corrupt = lost = leftovers = repaired = 0
    checked_zips: set[str] = set()
    for round_no in range(ROUNDS):
        extra = [str(built.identity_file), PASSWORD] if mode == "packet" else []
        acks, err = _run_and_kill(
            [mode, str(root), str(scratch), str(round_no), *extra], rng.uniform(0, WINDOW[mode])
        )
        acked.extend(a.split()[1:] for a in acks)
        with Workspace.open(root) as ws:
            report = run_checks(ws, repair=True)
            corrupt += bool(report.sections["数据库"])
            repaired += sum("中断" in note for note in report.notes)
            assert report.ok, f"round {round_no}: {report.problems}"
            for ack in acked:
                if mode == "attach":
                    ev_id, sha = int(ack[0]), ack[1]
                    row = ws.conn.execute("SELECT sha256 FROM evidence WHERE id = ?", (ev_id,)).fetchone()
                    lost += row is None or row[0] != sha or _sha(ws.vault_dir / sha[:2] / sha) != sha
                elif mode == "import":
                    source_id, rows = ack
                    if source_id != "None":
                        n = ws.conn.execute(
                            "SELECT count(*) FROM tasks WHERE source_id = ?", (int(source_id),)
                        ).fetchone()[0]
                        lost += n != int(rows)
                else:
                    name, sha = ack
                    lost += not (scratch / name).is_file() or _sha(scratch / name) != sha
            tmp = ws.vault_dir / "tmp"
            leftovers += (
                len(leftover_partials(scratch))
                + len(leftover_partials(ws.packets_dir))
                + (len(list(tmp.iterdir())) if tmp.is_dir() else 0)
            )
        if mode == "packet":  # every finished packet is whole, acknowledged or not
            for z in sorted(scratch.glob("*.zip")):
                if z.name not in checked_zips:
                    assert verify_packet(z, trusted=[built.identity.certificate]).intact, z.name
                    checked_zips.add(z.name)
    print(
        f"\n{mode}: {ROUNDS} SIGKILL rounds, {len(acked)} acknowledged operations; "
        f"{corrupt} corrupt databases, {lost} lost acknowledged writes, {leftovers} leftovers after check --repair "
        f"(it removed the leftovers of {repaired} interrupted operations)"
    )
    assert (corrupt, lost, leftovers) == (0, 0, 0)
    if ROUNDS >= 20:  # a few rounds on a busy machine may all be killed before the first packet is done
        assert acked, "the child got some work done between kills"
