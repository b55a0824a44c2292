"""Child process for test_kill_loops: does one kind of work in a loop until it is killed with SIGKILL.

    python kill_child.py attach|import|packet WORKSPACE SCRATCH SEED [IDENTITY PASSWORD]

Prints "ready" once the workspace is open, then one "ack ..." line after every operation that returned (its change
is committed: the parent holds the workspace to every line it reads).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path


def main() -> None:
    mode, root, scratch, seed = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    from liaison_app import evidence
    from liaison_app.workspace import Workspace

    rng = random.Random(seed)
    scratch.mkdir(parents=True, exist_ok=True)
    ws = Workspace.open(root)
    task_id = ws.conn.execute("SELECT min(id) FROM tasks").fetchone()[0]
    identity = None
    if mode == "packet":
        from liaison_app.packets.identity import load_identity
        from liaison_app.packets.package import build_packet

        identity = load_identity(sys.argv[5], sys.argv[6])
    elif mode == "import":
        from liaison_app.importing import import_file
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        if mode == "attach":
            src = scratch / f"{seed}-{n}-现场照片.bin"
            src.write_bytes(os.urandom(rng.choice([0, 10, 70_000, evidence.CHUNK_SIZE * 3 + 1])))
            ev = evidence.attach(ws, src, links=[("task", task_id)])
            print(f"ack {ev.id} {ev.sha256}", flush=True)
        elif mode == "import":
            src = scratch / f"{seed}-{n}-分工表.txt"
            rows = [f"{i}\t任务{seed}-{n}-{i}：推进一网通办第{i}项工作\t法制科\t办公室" for i in range(1, 31)]
            src.write_text("序号\t任务内容\t牵头部门\t配合部门\n" + "\n".join(rows) + "\n", encoding="utf-8")
            rep = import_file(ws, src, year=2023)
            print(f"ack {rep.source_id} {rep.total('rows')}", flush=True)
        else:
            result = build_packet(ws, period="2023", identity=identity, out_dir=scratch)
            print(f"ack {result.path.name} {result.sha256}", flush=True)


if __name__ == "__main__":
    main()
