"""House rules a user never sees but every later change relies on."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO_ROOT, cli_env


def test_core_never_imports_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import liaison_app\n"
        "for m in pkgutil.walk_packages(liaison_app.__path__, 'liaison_app.'):\n"
        "    if m.name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print('QT:' + ','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), cwd=REPO_ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "QT:", r.stdout


def _readme_command(label: str) -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {label} -->\s*```(?:sh|bash)?\n(.+?)\n```", text, re.S)
    assert m, f"README has no block marked <!-- {label} -->"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = _readme_command("test-command")
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert test_cmd in ci_lines, f"{test_cmd!r} not in .ci/run"
    main_cmd = _readme_command("main-command")
    assert main_cmd.startswith("bash bootstrap.sh ") and test_cmd.startswith("bash bootstrap.sh ")


def test_wheel_carries_migrations_and_samples_and_finds_them(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir),
         str(REPO_ROOT)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = wheel_dir.glob("liaison_desk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "liaison_desk_db/0001_initial.sql" in names
    assert any(n.startswith("liaison_desk_resources/samples/") and n.endswith(".txt") for n in names)

    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                        str(wheel)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    code = "from liaison_app import paths; print(paths.migrations_dir()); print(len(paths.sample_tables()))"
    env = cli_env()
    env["PYTHONPATH"] = str(target)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    where, samples = r.stdout.split()
    assert Path(where).is_relative_to(target) and samples == "2"


def _imports_of(module: str) -> set[str]:
    import ast

    tree = ast.parse((REPO_ROOT / "liaison_app" / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module or "")
            found.update(a.name for a in node.names if not node.module)
    return found


def test_core_modules_do_not_import_each_other_in_circles() -> None:
    assert "progress" not in _imports_of("cases"), "cases takes resolve_department from workspace"
    assert "evidence" not in _imports_of("vault"), "the vault knows files, not evidence records"
    assert "evidence" not in _imports_of("filenames")
