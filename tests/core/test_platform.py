"""What differs on Windows, checked on every platform the suite runs on (Linux, and Windows in the Wine lane)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from liaison_app import crashlog, fsutil
from liaison_app.errors import WorkspaceError
from tests.conftest import REPO_ROOT, cli_env

# Characters outside GBK (cp936, a Chinese Windows PC's code page) but common in real tables and names.
OUTSIDE_GBK = "€ ✓ 〇 𠀀 ﹏ 睿"


def _child_output(code: str, *, env_changes: dict[str, str | None]) -> bytes:
    env = cli_env()
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout


def test_output_to_a_pipe_is_utf8_whatever_the_locale() -> None:
    """`liaison … --json | tool` on a Chinese Windows PC: a pipe is not a console, so the locale's cp936 would turn
    every character outside GBK into '?'. The command line writes UTF-8 to pipes and files."""
    code = ("from liaison_app.cli.console import setup_streams; setup_streams(); "
            f"import json; print(json.dumps({{'text': {OUTSIDE_GBK!r}}}, ensure_ascii=False))")
    out = _child_output(code, env_changes={"PYTHONIOENCODING": None, "PYTHONUTF8": None})
    assert json.loads(out.decode("utf-8"))["text"] == OUTSIDE_GBK


def test_the_user_can_still_choose_the_output_encoding() -> None:
    code = "from liaison_app.cli.console import setup_streams; setup_streams(); print('法制科 €')"
    out = _child_output(code, env_changes={"PYTHONIOENCODING": "gb18030"})
    assert out.decode("gb18030").strip() == "法制科 €"


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`liaison tasks --json | head -1`: the rest of the output has nowhere to go; no BrokenPipe traceback."""
    env = cli_env()
    code = ("import sys; from liaison_app.cli import main; sys.exit(main(['--workspace', sys.argv[1], 'tasks', "
            "'--json']))")
    ws = tmp_path / "ws"
    table = tmp_path / "任务分工表.csv"
    rows = [f"{n},推进第{n}项“一网通办”改革任务，{'完善办事指南和材料清单，' * 12}确保按时完成,办公室" for n in range(1, 401)]
    table.write_text("序号,任务内容,牵头单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    from liaison_app.importing import import_file
    from liaison_app.workspace import Workspace

    with Workspace.open(ws, create=True) as w:
        import_file(w, table, year=2024)
    # more than any pipe buffer holds, so the writer really meets the closed pipe
    assert len(subprocess.run([sys.executable, "-c", code, str(ws)], capture_output=True, env=env,
                              cwd=REPO_ROOT, timeout=120).stdout) > 256 * 1024
    proc = subprocess.Popen([sys.executable, "-c", code, str(ws)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=REPO_ROOT)
    assert proc.stdout is not None
    first = proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away, as `head` does
    err = proc.stderr.read() if proc.stderr else b""
    assert proc.wait(timeout=120) == 0, err.decode("utf-8", "replace")
    assert first and b"Traceback" not in err and b"BrokenPipe" not in err


def test_crash_reports_are_written_where_the_user_data_lives(tmp_path: Path) -> None:
    folder = tmp_path / "日志 文件夹"
    paths = [crashlog.write_crash_report(f"Traceback …\nValueError: 第{n}次", folder=folder) for n in range(3)]
    assert all(p is not None and p.is_file() for p in paths)
    assert len(set(paths)) == 3, "two crashes in one second must not overwrite each other"
    text = paths[0].read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "Liaison Desk" in text and "ValueError: 第0次" in text


def test_the_default_places_are_per_user_and_never_the_install_folder() -> None:
    from liaison_app import paths

    data = paths.user_data_dir()
    assert paths.log_dir().parent == data
    assert REPO_ROOT not in data.parents
    if os.name == "nt":
        assert Path(os.environ["LOCALAPPDATA"]) in data.parents


# ----- network shares -----------------------------------------------------------------------------------------
MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
//fileserver/科室 /mnt/share cifs rw,relatime 0 0
server:/export /mnt/nfs\\040home nfs4 rw 0 0
tmpfs /mnt/share/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(("path", "network"), [
    ("/home/user/工作区", False),
    ("/mnt/share/工作区", True),
    ("/mnt/nfs home/ws", True),
    ("/mnt/share/local/ws", False),  # a local mount inside a share's folder is local
    ("/mnt/sharewhatever/ws", False),
])
def test_workspaces_on_network_file_systems_are_recognised(path: str, network: bool) -> None:
    assert bool(fsutil.network_location(path, windows=False, mounts=MOUNTS)) is network


@pytest.mark.parametrize("path", [r"\\fileserver\科室\工作区", r"\\?\UNC\fileserver\share\ws"])
def test_unc_paths_are_network_shares(path: str) -> None:
    if os.name != "nt":
        pytest.skip("Windows path rules are checked where paths are Windows paths (the Windows lane)")
    assert fsutil.network_location(path, windows=True)


def test_a_workspace_on_a_share_is_refused_with_a_plain_sentence(tmp_path: Path) -> None:
    share = r"\\fileserver\科室\工作区" if os.name == "nt" else "/mnt/share/工作区"
    with pytest.raises(WorkspaceError) as info:
        fsutil.refuse_network_workspace(share, mounts=MOUNTS)
    assert "网络" in str(info.value) and "本机磁盘" in str(info.value)
    fsutil.refuse_network_workspace(tmp_path / "工作区", mounts=MOUNTS)


# ----- a file an antivirus holds --------------------------------------------------------------------------------
def _in_use(winerror: int) -> PermissionError:
    exc = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


def test_replace_waits_for_a_file_held_for_a_moment(tmp_path: Path) -> None:
    src, dst = tmp_path / "new", tmp_path / "final"
    src.write_bytes(b"data")
    failures = [_in_use(32), _in_use(5)]

    def replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        if failures:
            raise failures.pop(0)
        os.replace(a, b)

    fsutil.replace_with_retry(src, dst, replace=replace, sleep=lambda s: None)
    assert dst.read_bytes() == b"data" and not src.exists()


def test_replace_gives_up_plainly_and_keeps_the_source(tmp_path: Path) -> None:
    src, dst = tmp_path / "new", tmp_path / "final"
    src.write_bytes(b"data")

    def replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        raise _in_use(32)

    with pytest.raises(WorkspaceError, match="占用"):
        fsutil.replace_with_retry(src, dst, timeout=0.05, replace=replace)
    assert src.read_bytes() == b"data"


@pytest.mark.skipif(os.name != "nt", reason="only Windows has share modes that make a rename fail while a file is open")
def test_replace_onto_a_file_another_process_holds_open(tmp_path: Path) -> None:
    """A real sharing violation: another handle opened without FILE_SHARE_DELETE, closed after a moment."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    src, dst = tmp_path / "新.bin", tmp_path / "目标.bin"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    generic_read, share_read, open_existing = 0x80000000, 0x1, 3
    handle = kernel32.CreateFileW(str(dst), generic_read, share_read, None, open_existing, 0, None)
    assert handle not in (None, wintypes.HANDLE(-1).value)
    timer = threading.Timer(0.5, kernel32.CloseHandle, args=(handle,))
    timer.start()
    try:
        fsutil.replace_with_retry(src, dst, timeout=10)
    finally:
        timer.join()
    assert dst.read_bytes() == b"new"


def test_a_report_body_saved_as_gbk_by_notepad_is_read_as_chinese(workspace_dir: Path, cli, tmp_path: Path) -> None:
    body = tmp_path / "正文（记事本）.txt"
    body.write_bytes("背景：企业办事跑动多。\r\n做法：推行帮办代办。\r\n成效：办结时间缩短一半。\r\n".encode("gbk"))
    r = cli("case", "add", "--month", "2023-05", "--title", "帮办代办", "--body-file", str(body), "--json",
            workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    assert "推行帮办代办" in json.loads(r.stdout)["body"]


@pytest.mark.slow
def test_a_deep_workspace_with_chinese_names_and_spaces_works_end_to_end(cli, tmp_path: Path) -> None:
    """Office PCs keep work in folders like 'D:\\2024年 一网通办\\…\\联络员 材料': Chinese, spaces, and deep enough
    that the workspace's files are past Windows' classic 260-character limit."""
    from tests.conftest import SEED_CITY

    deep = tmp_path
    while len(str(deep)) < 220:
        deep = deep / "2024年 一网通办 联络员材料"
    ws = deep / "工作 区"
    assert len(str(ws / "vault" / ("0" * 2) / ("0" * 64))) > 260
    env = {"LIAISON_PASSWORD": "口令 test 123"}
    r = cli("--workspace", ws, "init", "--department", "办公室", "--liaison", "张三", "--bureau", "上海市绿化和市容管理局")
    assert r.returncode == 0, r.stderr
    r = cli("--workspace", ws, "import", SEED_CITY, "--json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(cli("--workspace", ws, "tasks", "--department", "办公室", "--json").stdout)
    evidence = deep / ("关于推进“一网通办”改革工作的会议纪要及签到表（第二季度，含附件与现场照片说明）" * 2 + ".txt")
    evidence.write_text("会议纪要", encoding="utf-8")
    r = cli("--workspace", ws, "attach", str(tasks[0]["id"]), evidence)
    assert r.returncode == 0, r.stderr
    p12 = deep / "我的 证书.p12"
    r = cli("identity", "create", "--name", "张三", "--department", "办公室", "--out", p12, env=env)
    assert r.returncode == 0, r.stderr
    r = cli("--workspace", ws, "packet", "--period", "2023", "--identity", p12, "--out", deep / "材料 包", "--json",
            env=env)
    assert r.returncode == 0, r.stderr
    made = Path(json.loads(r.stdout)["path"])
    assert made.is_file()
    r = cli("verify", made, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["intact"] is True, r.stdout + r.stderr
    r = cli("--workspace", ws, "check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_second_writer_is_told_which_process_holds_the_workspace(workspace_dir: Path) -> None:
    """On Windows the lock byte cannot be read by another process; the holder's details are read past it."""
    from liaison_app.errors import WorkspaceLocked
    from liaison_app.workspace import Workspace

    code = ("import sys, time; from liaison_app.workspace import Workspace; ws = Workspace.open(sys.argv[1]); "
            "print('open', flush=True); sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(workspace_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=cli_env(), cwd=REPO_ROOT, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WorkspaceLocked) as info:
            Workspace.open(workspace_dir)
        assert f"进程 {holder.pid}" in str(info.value)
    finally:
        holder.communicate("\n", timeout=60)


@pytest.mark.parametrize("name", ["liaison", "liaison-desk"])
def test_the_commands_the_demo_prints_run_as_printed(name: str) -> None:
    """After the README's set-up nothing is on PATH: the demo names the programs so that they run as printed."""
    import shlex

    from liaison_app.demo import program_command

    line = f"{program_command(name)} --help"
    r = subprocess.run(line if os.name == "nt" else shlex.split(line), capture_output=True, env=cli_env(),
                       cwd=REPO_ROOT, timeout=120)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
