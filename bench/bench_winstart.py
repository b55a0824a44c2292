"""Benchmark: start-up of the installed Windows program under Wine against a bare PySide6 window, in one run.

Run after `bash bootstrap.sh windows-build`:  python3 bench/bench_winstart.py [--rounds 5]

The installer in dist/ is installed silently into a Wine prefix of the benchmark's own (created on the first run,
removed with --clean), and the installed liaison.exe makes the demo workspace. Then, alternating, each round times:

- the installed ``liaison-desk.exe --screenshot`` on the demo workspace (the 任务清单 view: the frozen program's
  real start-up path, the workspace opened, the task list filled, the window rendered and saved as PNG);
- a bare PySide6 script that shows a QMainWindow of the same size and saves its grab as PNG, run by the build's
  Windows CPython 3.11 with the same PySide6 (tools/windows/requirements.txt).

Each time is from spawning ``wine`` to the program's exit, offscreen, with one wineserver kept running so that
Wine's own start is not counted. One warm-up of each is not counted. Prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WL_HOME = Path(os.environ.get("LIAISON_WINE_HOME")
               or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "liaison-desk" / "wine-build")
PREFIX = WL_HOME / "bench-prefix"
PYTHON_EXE = WL_HOME / "python" / "python.exe"

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("联络员工作台"))
window.resize(1400, 860)
window.show()
app.processEvents()
sys.exit(0 if window.grab().save(sys.argv[1], "PNG") else 1)
"""


def wine_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(WINEPREFIX=str(PREFIX), WINEARCH="win64", WINEDEBUG="-all", LANG="zh_CN.UTF-8",
               LC_ALL="zh_CN.UTF-8", WINEDLLOVERRIDES="winemenubuilder.exe=d")
    env.pop("LIAISON_PDF_FONT", None)
    return env


def wine(*args: str | Path, check: bool = True) -> tuple[int, str]:
    """Run a Windows program; its exit status and output. Standard streams are a pipe: a Windows program cannot
    open a Unix file as its stdout under Wine. The pipe is read by a thread and the program's exit is what is
    waited for, since Wine's own services started by the first program keep the pipe open after it has exited."""
    proc = subprocess.Popen(["wine", *map(str, args)], env=wine_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: proc.stdout.read(4096), b"")), daemon=True)
    reader.start()
    status = proc.wait()
    reader.join(timeout=2)
    output = b"".join(chunks).decode("gbk", "replace")
    if check and status != 0:
        sys.exit(f"bench: wine {' '.join(map(str, args))} failed ({status}):\n{output[-2000:]}")
    return status, output


def winpath(path: Path) -> str:
    return subprocess.run(["winepath", "-w", str(path)], env=wine_env(), capture_output=True, text=True,
                          check=True).stdout.strip()


def unixpath(path: str) -> Path:
    return Path(subprocess.run(["winepath", "-u", path], env=wine_env(), capture_output=True, text=True,
                               check=True).stdout.strip())


def setup() -> tuple[Path, str, str]:
    """Install the program into the benchmark's prefix; return the install folder, the demo workspace and a
    folder for the screenshots (all three as Windows paths)."""
    installers = sorted((REPO / "dist").glob("LiaisonDesk-*-setup.exe"))
    if not installers or not PYTHON_EXE.is_file():
        sys.exit("bench: run `bash bootstrap.sh windows-build` first (it makes the installer and the Windows CPython)")
    if not (PREFIX / "system.reg").is_file():
        print("bench: creating the benchmark's Wine prefix", flush=True)
        subprocess.run(["wineboot", "-i"], env=wine_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        subprocess.run(["wineserver", "-w"], env=wine_env(), check=False)
    # Wine 8 lacks bcryptprimitives!ProcessPrng (cryptography needs it): the test lane's shim, as in the build's smoke
    # test. A Wine gap; never part of the product.
    shim = PREFIX / "drive_c" / "windows" / "system32" / "bcryptprimitives.dll"
    if not shim.is_file():
        built = WL_HOME / "smoke-prefix" / "drive_c" / "windows" / "system32" / "bcryptprimitives.dll"
        built = built if built.is_file() else WL_HOME / "prefix" / "drive_c" / "windows" / "system32" / shim.name
        shutil.copy2(built, shim)
    # Wine drops the Unix environment's QT_* variables: the offscreen platform (no display) goes into the prefix's.
    wine("reg", "add", r"HKCU\Environment", "/v", "QT_QPA_PLATFORM", "/t", "REG_SZ", "/d", "offscreen", "/f")
    subprocess.Popen(["wineserver", "-p"], env=wine_env()).wait()
    print(f"bench: installing {installers[-1].name} silently", flush=True)
    wine(installers[-1], "/S", "/NODESKTOP")  # (NSIS installs synchronously; only its uninstaller returns early)
    local = wine("cmd", "/c", "echo %LOCALAPPDATA%")[1].strip().splitlines()[-1].strip()
    install = unixpath(local + r"\Programs\LiaisonDesk")
    out = local + r"\LiaisonDesk\bench-demo"
    if not (unixpath(out) / "workspace" / "liaison.sqlite3").is_file():
        print("bench: making the demo workspace with the installed liaison.exe", flush=True)
        wine(install / "liaison.exe", "demo", "--out", out)
    return install, out + r"\workspace", local + r"\LiaisonDesk"


def timed(*args: str | Path) -> float:
    start = time.perf_counter()
    wine(*args)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clean", action="store_true", help="remove the benchmark's Wine prefix and exit")
    args = parser.parse_args()
    if args.clean:
        subprocess.run(["wineserver", "-k"], env=wine_env(), check=False)
        shutil.rmtree(PREFIX, ignore_errors=True)
        return 0
    install, workspace, temp = setup()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare_window.py"
        script.write_text(BARE_WINDOW, encoding="utf-8")
        app_cmd = (install / "liaison-desk.exe", "--workspace", workspace, "--screenshot", temp + r"\bench-app.png",
                   "--view", "tasks")
        bare_cmd = (PYTHON_EXE, winpath(script), temp + r"\bench-bare.png")
        timed(*app_cmd), timed(*bare_cmd)  # warm-up: the OS file cache and Python's bytecode cache
        app_times, bare_times = [], []
        for n in range(args.rounds):
            app_times.append(timed(*app_cmd))
            bare_times.append(timed(*bare_cmd))
            print(f"round {n + 1}: liaison-desk.exe {app_times[-1]:.2f} s, bare window {bare_times[-1]:.2f} s",
                  flush=True)
    for png in ("bench-app.png", "bench-bare.png"):
        if not (unixpath(temp) / png).stat().st_size:
            sys.exit(f"bench: {png} is empty")
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    print(f"start-up under Wine (median of {args.rounds}): installed liaison-desk.exe --screenshot {app:.2f} s, "
          f"bare PySide6 window {bare:.2f} s, ratio {app / bare:.2f}x")
    subprocess.run(["wineserver", "-k"], env=wine_env(), check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
