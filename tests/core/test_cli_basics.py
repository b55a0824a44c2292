"""The `liaison` command's own manners: --version, --help, and no command at all."""

from __future__ import annotations

from liaison_app import __version__
from tests.conftest import run_cli


def test_version_and_help() -> None:
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"liaison {__version__}"
    r = run_cli("--help")
    assert r.returncode == 0
    for verb in ("init", "check"):
        assert verb in r.stdout


def test_no_command_prints_help_and_exits_2() -> None:
    r = run_cli()
    assert r.returncode == 2 and "usage: liaison" in r.stdout


def test_unknown_command_is_refused() -> None:
    r = run_cli("frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr
