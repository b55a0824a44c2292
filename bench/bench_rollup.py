"""Benchmark: the office takes in 40 units' signed packets of 200 tasks and 2 evidence files each.

Run: python bench/bench_rollup.py [--units 40] [--tasks 200] [--keep DIR]
Prints, measured in the same run:
  * time to add each packet against verifying the same packet (the floor: adding is verifying plus a copy, reading
    report.xlsx and storing its rows), in-process, and against running `liaison verify` on it as a user would,
  * the office workspace's size against the packets' total (packets are kept as received, plus their rows),
  * the bureau view's filter latency per keystroke over every unit's tasks (aim under 50 ms), in the core and
    through the view's Qt model,
  * what importing sqlite-utils costs, and that starting `liaison` does not pay it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from liaison_app import catalog, evidence, progress  # noqa: E402
from liaison_app.importing import import_text  # noqa: E402
from liaison_app.model import Status  # noqa: E402
from liaison_app.packets.identity import create_identity  # noqa: E402
from liaison_app.packets.package import build_packet  # noqa: E402
from liaison_app.packets.verify import verify_packet  # noqa: E402
from liaison_app.rollup.store import add_packets, trust_certificates  # noqa: E402
from liaison_app.rollup.view import bureau_view, filter_tasks  # noqa: E402
from liaison_app.workspace import Workspace  # noqa: E402

BUREAU = "上海市松江区生态环境局"
TODAY = dt.date(2023, 12, 20)
PASSWORD = "bench-password"
DEADLINES = ["3月底前", "6月底前", "9 月底", "三季度", "年底前", "全年", "持续推进", "10月31日前"]


def unit_names(n: int) -> list[str]:
    return [f"第{i + 1:02d}科" for i in range(n)]


def task_table(units: list[str], per_unit: int) -> str:
    """Each unit leads half of its tasks and cooperates on the other half (the next unit leads those)."""
    rnd = random.Random(len(units))
    count = len(units) * per_unit // 2
    lines = ["序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点"]
    for i in range(1, count + 1):
        lead, coop = units[i % len(units)], units[(i + 1) % len(units)]
        content = (f"第{i}项：对标全市最优标准，梳理行政许可事项{rnd.randint(3, 30)}项，推进“两个免于提交”，"
                   f"拓展电子证照应用场景，按季度报送工作进展（{lead}牵头）。")
        lines.append(f"{i}\t第{(i - 1) // 20 + 1}组任务\t{content}\t{lead}\t{coop}\t{DEADLINES[i % len(DEADLINES)]}")
    return "\n".join(lines) + "\n"


def make_photo(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    img = Image.new("RGB", (1280, 960), (rnd.randrange(256), 160, 200))
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rnd.randrange(1280), rnd.randrange(960)
        draw.rectangle([x, y, x + rnd.randrange(200), y + rnd.randrange(200)],
                       fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    for _ in range(4000):
        draw.point((rnd.randrange(1280), rnd.randrange(960)), fill=(rnd.randrange(256),) * 3)
    img.save(path, "JPEG", quality=85)


def make_packets(base: Path, n_units: int, per_unit: int) -> tuple[list[Path], list[Path]]:
    units = unit_names(n_units)
    files = base / "files"
    files.mkdir(parents=True)
    root = base / "units-ws"
    packets, certs = [], []
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("bureau", BUREAU)
        ws.set_setting("liaison", "联络员")
        import_text(ws, task_table(units, per_unit), name="任务分工表", year=2023)
        for u_no, unit in enumerate(units):
            rows = catalog.list_tasks(ws, department=unit)
            for k, row in enumerate(rows):
                status = (Status.DONE, Status.DOING, Status.TODO, Status.DONE, Status.NA)[(k + u_no) % 5]
                progress.set_status(ws, "task", row.task.id, status, department=unit, today=TODAY,
                                    note=f"{unit}第{k + 1}项任务的工作记录。",
                                    completed_on=dt.date(2023, 1 + k % 12, 15) if status is Status.DONE else None)
            photo = files / f"{unit}-现场照片.jpg"
            make_photo(photo, u_no)
            note = files / f"{unit}-工作记录.txt"
            note.write_text(f"{unit} 的佐证材料\n" * 400, encoding="utf-8")
            lead_rows = [r for r in rows if r.role is not None and r.role.value == "lead"]
            evidence.attach_many(ws, [photo, note], links=[("task", lead_rows[0].task.id)],
                                 evidence_date=dt.date(2023, 6, 1))
        for unit in units:
            ident = create_identity(base / "ids" / f"{unit}.p12", name=f"{unit}联络员", department=unit,
                                    bureau=BUREAU, password=PASSWORD)
            cert = base / "ids" / f"{unit}.pem"
            cert.write_bytes(ident.certificate_pem())
            certs.append(cert)
            packets.append(build_packet(ws, period="2023", identity=ident, out_dir=base / "packets",
                                        department=unit, today=TODAY).path)
            print(f"\r  built {len(packets)}/{len(units)} packets", end="", flush=True)
    print()
    return packets, certs


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def startup_cost() -> None:
    code = ("import sys, time; t = time.perf_counter(); from liaison_app.cli import build_parser; build_parser(); "
            "print(time.perf_counter() - t, 'sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.split()
    code2 = "import time; t = time.perf_counter(); import sqlite_utils; print(time.perf_counter() - t)"
    imp = float(subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True).stdout)
    print(f"start-up: `liaison` parser with every command {float(out[0]) * 1000:.0f} ms, sqlite_utils imported: "
          f"{out[1]}; importing sqlite_utils alone costs {imp * 1000:.0f} ms (paid only when packets are taken in)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--keep", metavar="DIR", help="keep the workspaces and packets in DIR")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-rollup-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        packets, certs = make_packets(base, args.units, args.tasks)
        print(f"prepared {len(packets)} packets in {time.perf_counter() - t0:.0f} s")
        from liaison_app.packets.identity import load_certificates

        trusted = [c for p in certs for c in load_certificates(p)]
        with Workspace.open(base / "warm-up", create=True) as ws:  # imports (openpyxl, sqlite-utils) paid here
            ws.set_setting("bureau", BUREAU)
            add_packets(ws, [packets[0]], trust=trusted)
        office = base / "office"
        with Workspace.open(office, create=True) as ws:
            ws.set_setting("bureau", BUREAU)
            ws.set_setting("department", "办公室")
            trust_certificates(ws, trusted)
            verify_times, add_times = [], []
            for p in packets:
                t = time.perf_counter()
                result = verify_packet(p, trusted=trusted)
                verify_times.append(time.perf_counter() - t)
                assert result.intact and result.trusted
                t = time.perf_counter()
                outcome = add_packets(ws, [p])[0]
                add_times.append(time.perf_counter() - t)
                assert outcome.outcome == "added", outcome.message
            ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

            per_add, per_verify = statistics.mean(add_times), statistics.mean(verify_times)
            print(f"add per packet {per_add * 1000:.0f} ms vs verify_packet {per_verify * 1000:.0f} ms in-process: "
                  f"{per_add / per_verify:.2f}x the floor")
            cli = []
            for p in packets[:5]:
                t = time.perf_counter()
                r = subprocess.run([sys.executable, "-m", "liaison_app", "verify", str(p), "--json"],
                                   capture_output=True, cwd=Path(__file__).resolve().parent.parent)
                cli.append(time.perf_counter() - t)
                assert r.returncode == 0, r.stderr
            print(f"`liaison verify` of one packet (a fresh process, as a user runs it) {statistics.mean(cli) * 1000:.0f} ms: "
                  f"adding costs {per_add / statistics.mean(cli):.2f}x that per packet")
            total = sum(p.stat().st_size for p in packets)
            size = folder_size(office)
            db = (office / "liaison.sqlite3").stat().st_size
            print(f"office workspace {size / 1e6:.1f} MB vs packets {total / 1e6:.1f} MB: {size / total:.2f}x "
                  f"(of which the database {db / 1e6:.1f} MB)")

            t = time.perf_counter()
            view = bureau_view(ws, "2023", today=TODAY)
            build = time.perf_counter() - t
            reports = sum(len(x.reports) for x in view.tasks)
            print(f"bureau view: {len(view.tasks)} tasks, {reports} unit reports, {len(view.units)} units, "
                  f"built in {build * 1000:.0f} ms")
            tasks = list(view.tasks)
            hay = [x.haystack for x in tasks]
            typed = "两个免于提交 第1"
            core = []
            for i in range(1, len(typed) + 1):
                t = time.perf_counter()
                filter_tasks(tasks, text=typed[:i], haystacks=hay)
                core.append(time.perf_counter() - t)
            combos = []
            for unit in unit_names(args.units)[:9]:  # the first pass also fills each task's per-unit index
                t = time.perf_counter()
                filter_tasks(tasks, unit=unit, role="lead", status="doing", haystacks=hay)
                combos.append(time.perf_counter() - t)
            print(f"filter per keystroke (core): median {statistics.median(core) * 1000:.1f} ms, worst "
                  f"{max(core) * 1000:.1f} ms; unit+role+status first {combos[0] * 1000:.1f} ms (builds the "
                  f"index; the view does this when it loads), then median {statistics.median(combos[1:]) * 1000:.1f} "
                  f"ms (aim under 50 ms)")
            qt_filter(ws, typed)
        startup_cost()
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def qt_filter(ws: Workspace, typed: str) -> None:
    """The same keystrokes through the view itself: the model filters, the table view lays out the visible rows."""
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        print("PySide6 not installed: Qt filter latency not measured")
        return
    from ui.rollup_view import RollupView

    app = QApplication.instance() or QApplication([])
    view = RollupView(ws, today=TODAY)
    view.resize(1300, 800)
    view.show()
    app.processEvents()
    times = []
    for i in range(1, len(typed) + 1):
        t = time.perf_counter()
        view.search.setText(typed[:i])
        app.processEvents()
        times.append(time.perf_counter() - t)
    print(f"filter per keystroke (view, {view.model.rowCount()} rows left): median "
          f"{statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms (aim under 50 ms)")
    view.close()


if __name__ == "__main__":
    sys.exit(main())
