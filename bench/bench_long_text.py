"""Benchmark: the PDF report of one task whose text is 80k, 160k and 320k characters long.

Run: python bench/bench_long_text.py [--base 80000]
Prints each render time and its ratio to the first: about 2x and 4x when layout is linear in the text's length
(it was quadratic: 80k 3.2 s, 160k 10.7 s, 320k 39.8 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from liaison_app.packets.content import gather  # noqa: E402
from liaison_app.packets.pdf import render_pdf_bytes  # noqa: E402
from liaison_app.workspace import Workspace, now_iso  # noqa: E402


def content_with_text(root: Path, length: int):  # type: ignore[no-untyped-def]
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        sentence = "推进一网通办改革，优化营商环境，提升政务服务效能。"
        text = (sentence * (length // len(sentence) + 1))[:length]
        src = ws.conn.execute(
            "INSERT INTO sources(file_name, sha256, title, year, imported_at) VALUES (?,?,?,?,?)",
            ("bench.txt", "0" * 64, "基准", 2023, now_iso()),
        ).lastrowid
        task = ws.conn.execute(
            "INSERT INTO tasks(source_id, seq, group_name, content, lead_text, cooperating_text,"
            " deadline_text, cells_json) VALUES (?,?,?,?,?,?,?,?)",
            (src, "1", "基准", text, "法制科", "", "全年", "{}"),
        ).lastrowid
        ws.conn.execute("INSERT INTO task_departments VALUES (?, '法制科', 'lead')", (task,))
        return gather(ws, "2023")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=80_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        render_pdf_bytes(content_with_text(Path(tmp) / "warm", 100))  # font loading is not what is measured
        first = None
        for factor in (1, 2, 4):
            content = content_with_text(Path(tmp) / f"ws{factor}", args.base * factor)
            start = time.perf_counter()
            render_pdf_bytes(content)
            took = time.perf_counter() - start
            first = first or took
            print(
                f"{args.base * factor:>8} characters: {took:6.2f} s  ratio {took / first:4.1f}x "
                f"(linear: {factor}x)"
            )


if __name__ == "__main__":
    main()
