"""Benchmark: signed packets for 100 and for 1,000 tasks, 2 evidence files per task, a fifth of them photos and a
fifth one-page PDFs (both get thumbnails in the report).

Run: python bench/bench_packet.py [--small 100] [--large 1000] [--keep DIR]
Prints, for each size, the time to build the packet (gather, PDF, signing, Excel, zip) and to verify it, the PDF and
zip sizes, and the ratio of the two build times (cost should grow linearly: aim for the large within 12x the small).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from liaison_app import catalog, evidence, progress  # noqa: E402
from liaison_app.importing import import_text  # noqa: E402
from liaison_app.model import Status  # noqa: E402
from liaison_app.packets.identity import create_identity  # noqa: E402
from liaison_app.packets.package import build_packet  # noqa: E402
from liaison_app.packets.verify import verify_packet  # noqa: E402
from liaison_app.workspace import Workspace  # noqa: E402

DEPT = "法制科"
TODAY = dt.date(2023, 12, 20)
DEADLINES = ["3月底前", "6月底前", "9 月底", "三季度", "年底前", "全年", "持续推进", "10月31日前"]


def task_table(n: int) -> str:
    rnd = random.Random(n)
    lines = ["序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点"]
    for i in range(1, n + 1):
        group = f"（{(i - 1) // 10 + 1}）深化“一网通办”改革第{(i - 1) // 10 + 1}组任务"
        content = (f"第{i}项：对标全市最优标准，梳理行政许可事项{rnd.randint(3, 30)}项，"
                   "推进“两个免于提交”，拓展电子证照应用场景，按季度报送工作进展。")
        lead, coop = (DEPT, "办公室、审批科") if i % 3 else ("办公室", DEPT)
        lines.append(f"{i}\t{group}\t{content}\t{lead}\t{coop}\t{DEADLINES[i % len(DEADLINES)]}")
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


def make_minutes(path: Path, seed: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 770, f"Meeting minutes No. {seed}")
    c.setFont("Helvetica", 11)
    for i in range(30):
        c.drawString(72, 730 - 20 * i, f"{i + 1}. item {seed}-{i}: progress of the one-stop service reform")
    c.showPage()
    c.save()


def prepare(root: Path, files: Path, n: int) -> None:
    files.mkdir(parents=True)
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", DEPT)
        ws.set_setting("liaison", "张三")
        ws.set_setting("bureau", "上海市松江区生态环境局")
        import_text(ws, task_table(n), name=f"{n} 项任务分工表", year=2023)
        rows = catalog.list_tasks(ws, department=DEPT)
        for k, row in enumerate(rows):
            status = (Status.DONE, Status.DOING, Status.TODO, Status.DONE, Status.NA)[k % 5]
            progress.set_status(ws, "task", row.task.id, status, note=f"第{k + 1}项任务的工作记录。",
                                today=TODAY, completed_on=dt.date(2023, 1 + k % 12, 15) if status is Status.DONE
                                else None)
            paths = []
            for j in range(2):
                number = 2 * k + j
                if number % 5 == 0:
                    path = files / f"现场照片-{number}.jpg"
                    make_photo(path, number)
                elif number % 5 == 1:
                    path = files / f"会议纪要-{number}.pdf"
                    make_minutes(path, number)
                else:
                    path = files / f"工作记录-{number}.txt"
                    path.write_text(f"任务 {row.task.seq} 的佐证材料 {number}\n" * 200, encoding="utf-8")
                paths.append(path)
            evidence.attach_many(ws, paths, links=[("task", row.task.id)], evidence_date=dt.date(2023, 6, 1))


def run(base: Path, n: int, identity_path: Path) -> dict[str, float]:
    from liaison_app.packets.identity import load_identity

    root = base / f"ws-{n}"
    t0 = time.perf_counter()
    prepare(root, base / f"files-{n}", n)
    prep = time.perf_counter() - t0
    ident = load_identity(identity_path, "bench-password")
    with Workspace.open(root) as ws:
        t0 = time.perf_counter()
        result = build_packet(ws, period="2023", identity=ident, out_dir=base / f"out-{n}", today=TODAY)
        build = time.perf_counter() - t0
    import zipfile

    pdf_size = zipfile.ZipFile(result.path).getinfo("report.pdf").file_size
    t0 = time.perf_counter()
    check = verify_packet(result.path, trusted=[ident.certificate])
    verify = time.perf_counter() - t0
    assert check.intact, check.problems
    print(f"{n:>5} tasks: prepare {prep:6.1f} s | build {build:6.2f} s | verify {verify:5.2f} s | "
          f"PDF {pdf_size / 1e6:6.2f} MB | zip {result.size / 1e6:6.2f} MB | evidence {len(result.content.evidence)}"
          f" (previews: {sum(1 for e in result.content.evidence if e.is_image or e.is_pdf)})")
    return {"build": build, "verify": verify, "pdf": pdf_size, "zip": result.size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--keep", metavar="DIR", help="keep the workspaces and packets in DIR")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-packet-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        identity_path = base / "bench.p12"
        identity_path.unlink(missing_ok=True)
        create_identity(identity_path, name="张三", department=DEPT, password="bench-password")
        small = run(base, args.small, identity_path)
        large = run(base, args.large, identity_path)
        ratio = large["build"] / small["build"]
        scale = args.large / args.small
        print(f"build time ratio {args.large}/{args.small} tasks: {ratio:.1f}x for {scale:.0f}x the tasks "
              f"(aim: within {1.2 * scale:.0f}x) -> {'OK' if ratio <= 1.2 * scale else 'SLOWER THAN LINEAR'}")
        print(f"PDF size ratio {large['pdf'] / small['pdf']:.1f}x, zip size ratio {large['zip'] / small['zip']:.1f}x")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
