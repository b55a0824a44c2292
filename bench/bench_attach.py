"""Benchmark: attach 1 GiB of evidence (a few large files, many small) against copy + hash with the standard library.

Run: python bench/bench_attach.py [--gib 1.0] [--keep DIR]
The baseline copies each file with shutil.copyfile and hashes it with hashlib.sha256 (no fsync, no database).
Prints both times, their ratio, and the peak RSS while attaching.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from liaison_app import evidence  # noqa: E402
from liaison_app.workspace import Workspace  # noqa: E402

MiB = 1 << 20


def peak_rss() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def reset_peak_rss() -> bool:
    """Linux lets a process reset its own peak RSS ("5" into clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def flush() -> None:
    if hasattr(os, "sync"):
        os.sync()


def generate(folder: Path, total: int) -> list[Path]:
    """Half the bytes in 4 large files, half in 256 KiB files; every file has distinct content."""
    folder.mkdir(parents=True, exist_ok=True)
    block = os.urandom(MiB)
    files: list[Path] = []
    large = total // 2 // 4
    sizes = [large] * 4 + [256 * 1024] * ((total - 4 * large) // (256 * 1024))
    for i, size in enumerate(sizes):
        path = folder / (f"大文件-{i}.mp4" if size == large else f"照片-{i:05d}.jpg")
        with open(path, "wb") as fh:
            left, n = size, 0
            while left:
                chunk = (i.to_bytes(4, "little") + n.to_bytes(4, "little") + block[8:])[: min(MiB, left)]
                fh.write(chunk)
                left -= len(chunk)
                n += 1
        files.append(path)
    return files


def baseline(files: list[Path], out: Path, *, durable: bool = False) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    for i, src in enumerate(files):
        shutil.copyfile(src, out / f"{i}")
        h = hashlib.sha256()
        with open(src, "rb") as fh:
            while chunk := fh.read(MiB):
                h.update(chunk)
        h.hexdigest()
    if durable:
        flush()
    return time.perf_counter() - start


def ours(files: list[Path], root: Path) -> tuple[float, int]:
    shutil.rmtree(root, ignore_errors=True)
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.conn.execute("INSERT INTO tasks(content) VALUES ('基准任务')")
        reset_peak_rss()
        start = time.perf_counter()
        evidence.attach_many(ws, files, links=[("task", 1)])
        elapsed = time.perf_counter() - start
        rss = peak_rss()
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2, help="alternate runs; the best of each is kept")
    parser.add_argument("--dir", help="work folder (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-attach-"))
    try:
        files = generate(work / "src", int(args.gib * (1 << 30)))
        total = sum(f.stat().st_size for f in files)
        print(f"{len(files)} files, {total / MiB:.0f} MiB in {work}")
        base_times, durable_times, our_times, rss = [], [], [], 0
        for _ in range(args.rounds):
            # Flush between runs so that neither pays for writing back the other's data.
            flush()
            base_times.append(baseline(files, work / "copy"))
            flush()
            durable_times.append(baseline(files, work / "copy", durable=True))
            flush()
            t, r = ours(files, work / "ws")
            our_times.append(t)
            rss = max(rss, r)
        b, o = min(base_times), min(our_times)
        print(f"baseline shutil.copyfile + hashlib.sha256: {b:.2f} s ({total / MiB / b:.0f} MiB/s)")
        print(f"liaison attach_many (hash while copying, fsync, rename, one commit): {o:.2f} s "
              f"({total / MiB / o:.0f} MiB/s)")
        d = min(durable_times)
        print(f"baseline + one os.sync() at the end (as durable as attach): {d:.2f} s")
        print(f"ratio attach / baseline: {o / b:.2f}x   (attach / durable baseline: {o / d:.2f}x)")
        print(f"peak RSS while attaching: {rss / MiB:.1f} MiB (largest file {max(f.stat().st_size for f in files) / MiB:.0f} MiB)")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
