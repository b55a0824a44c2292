"""A writer killed with SIGKILL at random moments never leaves a damaged workspace or loses a committed write."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from liaison_app.checks import run_checks
from liaison_app.workspace import Workspace
from tests.conftest import KILLED_RETURNCODE, cli_env, kill_hard

CHILD = r"""
import sys
from liaison_app.workspace import Workspace
ws = Workspace.open(sys.argv[1])
start = int(sys.argv[2])
i = start
while True:
    with ws.transaction():
        ws.conn.execute("INSERT INTO departments(name, first_seen) VALUES (?, 'crash-test')", (f"单位{i}",))
        ws.audit("department.add", f"department:单位{i}", {"round": sys.argv[3]})
    # Printed only after COMMIT returned: the parent holds us to every number it reads.
    print(i, flush=True)
    i += 1
"""


def test_killed_writer_loses_nothing_it_reported(workspace_dir: Path) -> None:
    rng = random.Random(20231)
    reported: set[int] = set()
    next_start = 0
    for round_no in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(workspace_dir), str(next_start), str(round_no)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(),
        )
        assert child.stdout is not None
        # Let it commit a random number of writes, then kill it at an arbitrary point of the next one.
        for _ in range(rng.randint(1, 25)):
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else ""
            reported.add(int(line))
        kill_hard(child)
        rest, _ = child.communicate()
        reported.update(int(x) for x in rest.split())
        assert child.returncode == KILLED_RETURNCODE

        with Workspace.open(workspace_dir) as ws:
            report = run_checks(ws)
            assert report.ok, report.problems
            present = {
                int(name.removeprefix("单位"))
                for (name,) in ws.conn.execute("SELECT name FROM departments WHERE first_seen = 'crash-test'")
            }
        assert reported <= present, f"round {round_no}: lost {sorted(reported - present)}"
        next_start = max(present | reported) + 1
    assert len(reported) >= 20
