"""Packets never overwrite and never leave junk: partial files of killed builds are listed by `check` and removed by
`check --repair` (and by the next build into that folder); the final name is claimed exclusively; `demo` refuses a
workspace another program is writing to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_app.checks import run_checks
from liaison_app.packets.package import build_packet, leftover_partials
from liaison_app.packets.verify import verify_packet
from liaison_app.workspace import Workspace
from tests.conftest import REPO_ROOT, cli_env


def killed_build_leftover(folder: Path, name: str = ".法制科-2023-材料包.0badc0de.partial") -> Path:
    """What a build killed halfway leaves: a partial zip nobody holds open, old enough not to be just created."""
    import time

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50_000)
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def test_check_lists_partial_leftovers_and_repair_removes_them(built_workspace, cli):
    leftover = killed_build_leftover(built_workspace / "packets")
    r = cli("--workspace", built_workspace, "check")
    assert r.returncode == 1 and leftover.name in r.stdout and "--repair" in r.stdout, r.stdout
    assert leftover.exists(), "check alone removes nothing"
    r = cli("--workspace", built_workspace, "check", "--repair")
    assert r.returncode == 0, r.stdout
    assert not leftover.exists() and "已删除" in r.stdout


@pytest.mark.skipif(os.name == "nt", reason="on Windows an open file cannot be deleted at all")
def test_a_partial_file_a_running_build_holds_is_left_alone(tmp_path):
    folder = tmp_path / "out"
    partial = killed_build_leftover(folder)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, fcntl; f = open(sys.argv[1], 'rb'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True);"
            " sys.stdin.read()",
            str(partial),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert leftover_partials(folder) == []
    finally:
        holder.communicate("")
    assert leftover_partials(folder) == [partial]


def test_the_next_build_into_a_folder_cleans_what_a_killed_one_left(built, built_workspace, tmp_path):
    out = tmp_path / "交付 材料"
    leftover = killed_build_leftover(out)
    with Workspace.open(built_workspace) as ws:
        result = build_packet(ws, period="2023", identity=built.identity, out_dir=out)
    assert not leftover.exists()
    assert sorted(p.name for p in out.iterdir()) == [result.path.name]


def test_check_finds_leftovers_in_an_output_folder_outside_the_workspace(built, built_workspace, tmp_path):
    out = tmp_path / "out"
    with Workspace.open(built_workspace) as ws:
        build_packet(ws, period="2023", identity=built.identity, out_dir=out)
        leftover = killed_build_leftover(out)
        report = run_checks(ws)
        assert any(leftover.name in p for p in report.problems)
        assert run_checks(ws, repair=True).ok and not leftover.exists()


def test_a_name_taken_while_building_is_never_overwritten(built, built_workspace, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    taken = out / "法制科-2023-材料包.zip"

    def other_build_finishes(done: int, total: int | None, message: str) -> None:
        # Another workspace's build of the same unit and period claims the name while this one is writing.
        if done > 600 and not taken.exists():
            taken.write_bytes(b"the other build's packet")

    with Workspace.open(built_workspace) as ws:
        result = build_packet(
            ws, period="2023", identity=built.identity, out_dir=out, progress=other_build_finishes
        )
    assert taken.read_bytes() == b"the other build's packet"
    assert result.path == out / "法制科-2023-材料包(2).zip"
    assert verify_packet(result.path, trusted=[built.identity.certificate]).intact


CONCURRENT = r"""
import sys
from liaison_app.packets.identity import load_identity
from liaison_app.packets.package import build_packet
from liaison_app.workspace import Workspace
ident = load_identity(sys.argv[2], sys.argv[3])
with Workspace.open(sys.argv[1]) as ws:
    print(build_packet(ws, period="2023", identity=ident, out_dir=sys.argv[4]).path)
"""


def test_two_workspaces_building_the_same_packet_at_once_get_two_files(built, tmp_path):
    from liaison_app.workspace import copy_workspace

    password = "hardening-test"  # tests/core/conftest.py

    out = tmp_path / "shared"
    for round_no in range(2):
        roots = []
        for n in range(2):
            root = tmp_path / f"ws{round_no}-{n}"
            copy_workspace(built.workspace, root)
            roots.append(root)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CONCURRENT, str(r), str(built.identity_file), password, str(out)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=cli_env(),
                cwd=REPO_ROOT,
            )
            for r in roots
        ]
        paths = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=120)
            assert p.returncode == 0, stderr
            paths.append(Path(stdout.strip()))
        assert paths[0] != paths[1]
    zips = sorted(out.glob("*.zip"))
    assert len(zips) == 4
    assert all(verify_packet(z, trusted=[built.identity.certificate]).intact for z in zips)


def test_demo_refuses_a_workspace_another_program_is_writing(tmp_path, cli):
    root = tmp_path / "demo" / "workspace"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("demo_workspace", "1")
        r = cli("demo", "--out", tmp_path / "demo")
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        assert "另一个" in r.stderr
        ws.set_setting("department", "法制科")  # the holder's later change is kept
    with Workspace.open(root) as ws:
        assert ws.department == "法制科" and ws.get_setting("demo_workspace") == "1"


def test_leftover_listing_ignores_other_files(tmp_path):
    (tmp_path / "report.partial").write_bytes(b"x")  # not a packet build's name
    (tmp_path / "法制科-2023-材料包.zip").write_bytes(b"x")
    assert leftover_partials(tmp_path) == []
