"""The font the Windows build bundles in resources/fonts serves the window too where no Chinese font is installed
(or none Qt can list, as under Wine): registered from the file, its family is offered to the window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from liaison_app import paths

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not WQY.is_file(), reason="needs fonts-wqy-microhei (the font the build bundles)")
def test_fonts_in_resources_are_registered_for_the_window(qapp, tmp_path: Path, monkeypatch) -> None:
    from ui import app as ui_app

    (tmp_path / "fonts").mkdir()
    shutil.copy(WQY, tmp_path / "fonts" / WQY.name)
    (tmp_path / "fonts" / "wqy-microhei-COPYRIGHT.txt").write_text("licence", encoding="utf-8")
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    families = ui_app._bundled_font_families()
    assert "WenQuanYi Micro Hei" in families


def test_no_bundled_fonts_in_a_source_checkout(qapp, tmp_path: Path, monkeypatch) -> None:
    from ui import app as ui_app

    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    assert ui_app._bundled_font_families() == set()
