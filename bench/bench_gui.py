"""Benchmark: the desktop window's start-up and the task filter's latency.

Run: python bench/bench_gui.py [--tasks 1000] [--filter-tasks 10000] [--rounds 5]

1. Start-up: the time from starting a process to the first painted main window, for `liaison-desk` on a workspace
   of ``--tasks`` tasks (through ui.app.main, the real start-up path) against a bare PySide6 QMainWindow. Each start
   is a fresh subprocess; the parent takes the time before spawning it and the child prints the time once its
   window has painted (the turn of the event loop after the window's first paint event). Prints the medians and
   their ratio (aim: within 2x).
2. Filter latency: a workspace of ``--filter-tasks`` tasks in the task list, a search typed one character at a
   time and then deleted again, through the search box and the proxy. Prints per keystroke the time to filter and
   the time to filter and repaint (aim: under 50 ms a keystroke).

Without a display, Qt's offscreen platform is used (set QT_QPA_PLATFORM to choose another).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from liaison_app.importing import import_text  # noqa: E402
from liaison_app.workspace import Workspace  # noqa: E402

SEARCH = "推进政务服务标准化"

_GROUPS = ("推进政务服务标准化便利化", "深化“一件事”集成服务", "提升“随申办”服务能级", "强化电子证照应用",
           "优化“好差评”制度", "加强数据共享与应用", "夯实基础支撑")
_VERBS = ("全面梳理", "持续优化", "深入推进", "健全完善", "加快推进", "组织开展", "积极推动")
_OBJECTS = ("行政许可事项办事指南", "高频事项办理流程", "电子证照归集和调用机制", "政务服务标准化便利化",
            "窗口无差别受理服务", "数据共享交换清单", "告知承诺制事项清单", "帮办代办服务体系")
_GOALS = ("申请材料减少30%以上", "全程网办率达到90%", "按时办结率100%", "形成可复制可推广的经验",
          "企业群众满意度明显提升")
_UNITS = ("法制科", "水气科", "土壤科", "环评科", "办公室", "执法大队", "监测站", "信息中心", "行政审批科",
          "规划财务科")
_DEADLINES = ("3 月底", "6 月底", "9 月底", "12 月底", "全年", "三季度", "持续推进", "10 月底")


def task_table(rows: int, *, seed: int = 11) -> str:
    """A tab-separated task table as copied out of Word: header, then numbered rows with 1–3 units each."""
    rnd = random.Random(seed)
    lines = ["序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点"]
    for n in range(1, rows + 1):
        content = f"{rnd.choice(_VERBS)}{rnd.choice(_OBJECTS)}，{rnd.choice(_VERBS)}{rnd.choice(_OBJECTS)}，" \
                  f"实现{rnd.choice(_GOALS)}（第{n}项）。"
        lead, *helpers = rnd.sample(_UNITS, rnd.randint(1, 3))
        lines.append(f"{n}\t{_GROUPS[(n // 12) % len(_GROUPS)]}\t{content}\t{lead}\t{'、'.join(helpers)}"
                     f"\t{rnd.choice(_DEADLINES)}")
    return "\n".join(lines) + "\n"


def make_workspace(root: Path, tasks: int) -> Path:
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.set_setting("liaison", "张三")
        import_text(ws, task_table(tasks), name=f"{tasks}项任务.txt", year=2023)
    return root


# ----- 1. start-up -------------------------------------------------------------------------------------------------
_REPORT_FIRST_PAINT = """
import sys, time
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

class FirstPaint(QObject):
    def __init__(self):
        super().__init__()
        self.seen = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(f"{time.time():.6f}", flush=True)
        QCoreApplication.exit(0)

first_paint = FirstPaint()
"""

BARE = _REPORT_FIRST_PAINT + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 860)
window.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""

DESK = _REPORT_FIRST_PAINT + """
from PySide6.QtCore import QSettings
from ui import app as desk
from ui.main_window import MainWindow

# Settings go to a scratch folder: the benchmark must neither read nor change the user's.
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
show = MainWindow.show

def show_and_watch(self):
    self.installEventFilter(first_paint)
    show(self)

MainWindow.show = show_and_watch
sys.exit(desk.main(["--workspace", sys.argv[1]]))
"""


def time_start(code: str, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO,
                         timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"start-up run failed:\n{out.stderr}")
    painted = float(out.stdout.split()[-1])
    return painted - started


def compile_bytecode() -> None:
    """Installed copies (pip compiles on install) and the frozen build (bytecode in its archive) never compile our
    modules at start-up; a checkout run with PYTHONDONTWRITEBYTECODE=1 would, every time. Measure what users get."""
    import compileall

    for package in ("liaison_app", "ui"):
        compileall.compile_dir(REPO / package, quiet=1)


def bench_startup(tasks: int, rounds: int, scratch: Path) -> None:
    compile_bytecode()
    ws = make_workspace(scratch / "startup", tasks)
    settings = scratch / "settings"
    bare: list[float] = []
    desk: list[float] = []
    time_start(BARE)  # warm the file cache for both
    time_start(DESK, str(ws), str(settings))
    for _ in range(rounds):
        bare.append(time_start(BARE))
        desk.append(time_start(DESK, str(ws), str(settings)))
    b, d = statistics.median(bare), statistics.median(desk)
    print(f"start-up to first paint ({tasks} tasks, median of {rounds}):")
    print(f"  bare QMainWindow  {b * 1000:7.0f} ms   ({', '.join(f'{x * 1000:.0f}' for x in bare)})")
    print(f"  liaison-desk      {d * 1000:7.0f} ms   ({', '.join(f'{x * 1000:.0f}' for x in desk)})")
    print(f"  ratio             {d / b:7.2f}x   (aim: within 2x)")


# ----- 2. filter latency -----------------------------------------------------------------------------------------
def bench_filter(tasks: int, scratch: Path) -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from liaison_app.catalog import ALL_DEPARTMENTS
    from ui.app import use_chinese_font
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_chinese_font(app)
    root = make_workspace(scratch / "filter", tasks)
    with Workspace.open(root) as ws:
        started = time.perf_counter()
        window = MainWindow(ws, remember=False)
        window.set_department(ALL_DEPARTMENTS)
        loaded = time.perf_counter() - started
        window.resize(1400, 860)
        window.show_view("tasks")
        window.show()
        app.processEvents()
        view = window.tasks_view
        print(f"filter latency ({view.model.rowCount()} tasks, every unit; window built and loaded in "
              f"{loaded * 1000:.0f} ms):")
        print("  keystroke        shown   filter ms   filter+paint ms")
        typed = [SEARCH[:i] for i in range(1, len(SEARCH) + 1)]
        deleted = [SEARCH[:i] for i in range(len(SEARCH) - 1, -1, -1)]
        filter_times: list[float] = []
        total_times: list[float] = []
        for text in typed + deleted:
            t0 = time.perf_counter()
            view.search.setText(text)
            t1 = time.perf_counter()
            window.repaint()
            app.processEvents()
            t2 = time.perf_counter()
            filter_times.append(t1 - t0)
            total_times.append(t2 - t0)
            label = text or "(empty)"
            print(f"  {label:<{16 - sum(1 for c in label if ord(c) > 127)}} {view.proxy.rowCount():6d}"
                  f"   {(t1 - t0) * 1000:9.1f}   {(t2 - t0) * 1000:15.1f}")
        print(f"  median {statistics.median(filter_times) * 1000:.1f} ms filter, "
              f"{statistics.median(total_times) * 1000:.1f} ms with repaint; worst "
              f"{max(filter_times) * 1000:.1f} / {max(total_times) * 1000:.1f} ms (aim: under 50 ms)")
        window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=textwrap.dedent(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000, help="tasks in the start-up workspace")
    parser.add_argument("--filter-tasks", type=int, default=10_000, help="tasks in the filter workspace")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        scratch = Path(tmp)
        bench_startup(args.tasks, args.rounds, scratch)
        bench_filter(args.filter_tasks, scratch)


if __name__ == "__main__":
    main()
