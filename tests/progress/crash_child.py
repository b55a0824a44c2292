"""Child process for test_crash: attaches freshly written files in a loop until it is killed.

Prints "p" after every copied chunk (so the parent can kill it mid-copy) and "done ID SHA256" after every attach
that returned.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from liaison_app import evidence
from liaison_app.workspace import Workspace


def main() -> None:
    root, src_dir, task_id, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    ws = Workspace.open(root)
    out = sys.stdout
    n = 0
    previous: list[Path] = []
    while True:
        n += 1
        if previous and rng.random() < 0.2:
            src = rng.choice(previous)  # the same content again: stored once
        else:
            src = src_dir / f"{seed}-{n}-证据.bin"
            size = rng.choice([0, 1, 1000, 300_000, evidence.CHUNK_SIZE + 5, 3 * evidence.CHUNK_SIZE])
            src.write_bytes(os.urandom(size))
            previous.append(src)
        ev = evidence.attach(ws, src, links=[("task", task_id)],
                             progress=lambda done, total, msg: (out.write("p\n"), out.flush()))
        out.write(f"done {ev.id} {ev.sha256}\n")
        out.flush()


if __name__ == "__main__":
    main()
