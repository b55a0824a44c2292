"""The Windows installer's pieces that can be checked in seconds: the uninstaller's file list, the NSIS script
compiling into a 64-bit installer, and the application icon. (The full build and its smoke test under Wine are
`bash bootstrap.sh windows-build`; they take minutes and are not part of the suite.)"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
WIN = REPO / "tools" / "windows"

linux_build = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None,
    reason="the installer is made on Linux (tools/windows/build.sh with bash and makensis), not on Windows",
)


def _bundle(root: Path) -> Path:
    bundle = root / "LiaisonDesk"
    (bundle / "_internal" / "resources" / "samples").mkdir(parents=True)
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    (bundle / "liaison.exe").write_bytes(b"MZ console")
    (bundle / "liaison-desk.exe").write_bytes(b"MZ window")
    (bundle / "_internal" / "resources" / "samples" / "市绿化市容局 任务分工表.txt").write_text("x", encoding="utf-8")
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").write_bytes(b"MZ")
    (bundle / "_internal" / "cost$1.txt").write_text("x", encoding="utf-8")
    return bundle


@linux_build
def test_uninstall_list_names_every_file_and_folder_deepest_first(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    out = tmp_path / "files.nsh"
    subprocess.run(["bash", str(WIN / "uninstall-list.sh"), str(bundle), str(out)], check=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    deletes = [line for line in lines if line.startswith("Delete ")]
    rmdirs = [line for line in lines if line.startswith("RMDir ")]
    assert len(deletes) == 5 and len(rmdirs) == 6
    assert 'Delete "$INSTDIR\\_internal\\resources\\samples\\市绿化市容局 任务分工表.txt"' in deletes
    assert 'Delete "$INSTDIR\\liaison.exe"' in deletes
    # NSIS would expand "$1": the name is written with $$.
    assert 'Delete "$INSTDIR\\_internal\\cost$$1.txt"' in deletes
    # A folder is removed only after the folders inside it; none is removed with /r.
    order = [r.split("\\", 1)[1] for r in rmdirs]
    assert order.index('_internal\\resources\\samples"') < order.index('_internal\\resources"')
    assert order[-1] == '_internal"'
    assert not any("/r" in line for line in lines)
    # Files only of the build: nothing names the workspace folder.
    assert "LiaisonDesk\\workspace" not in out.read_text(encoding="utf-8")


@linux_build
def test_uninstall_list_refuses_a_name_it_cannot_write(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    (bundle / 'say "hi".txt').write_text("x", encoding="utf-8")
    run = subprocess.run(["bash", str(WIN / "uninstall-list.sh"), str(bundle), str(tmp_path / "files.nsh")],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "quote" in run.stderr


@linux_build
@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian nsis) is not installed")
def test_installer_script_compiles_to_a_64_bit_windows_program(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    files = tmp_path / "files.nsh"
    subprocess.run(["bash", str(WIN / "uninstall-list.sh"), str(bundle), str(files)], check=True)
    setup = tmp_path / "输出 目录" / "LiaisonDesk-0.1.0-setup.exe"
    setup.parent.mkdir()
    run = subprocess.run(
        ["makensis", "-V2", "-INPUTCHARSET", "UTF8", "-DVERSION=0.1.0", "-DVERSION4=0.1.0.0", f"-DSRCDIR={bundle}",
         f"-DFILELIST={files}", f"-DICON={REPO / 'resources' / 'icons' / 'liaison-desk.ico'}",
         f"-DOUTFILE={setup}", str(WIN / "installer.nsi")],
        capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    data = setup.read_bytes()
    assert data[:2] == b"MZ"
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe:pe + 4] == b"PE\0\0"
    # IMAGE_FILE_MACHINE_AMD64: Target amd64-unicode, which runs under 64-bit Wine and on every office PC.
    assert struct.unpack_from("<H", data, pe + 4)[0] == 0x8664
    # The per-user install and its Chinese pages are in the script, not only in a comment.
    script = (WIN / "installer.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APPKEY}"' in script
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in script


def test_application_icon_has_every_windows_size_and_is_drawn() -> None:
    from PIL import Image

    ico = Image.open(REPO / "resources" / "icons" / "liaison-desk.ico")
    assert {(16, 16), (24, 24), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    for size in (16, 256):
        ico.size = (size, size)
        img = ico.convert("RGBA")
        assert img.size == (size, size)
        colours = img.getcolors(1 << 16) or []
        opaque = sum(n for n, (_r, _g, _b, a) in colours if a > 200)
        assert len(colours) > 8 and opaque > size * size // 2
    png = Image.open(REPO / "resources" / "icons" / "liaison-desk.png")
    assert png.size == (256, 256)
