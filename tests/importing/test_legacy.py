"""Point 11 of issue 10: .xls/.doc/.et/.wps go through LibreOffice when it is installed; without it, a plain
sentence. The refusal is tested with the lookup replaced, so it holds whatever this machine has installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from liaison_app.errors import ImportFailed
from liaison_app.importing import read_document, recognise
from liaison_app.importing.readers import find_soffice

SOFFICE = find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed here")


def _convert(src, target: str, out_dir, *extra: str):
    """Make a legacy file the way an office would have one: LibreOffice saving in the old format."""
    profile = (out_dir / "profile").resolve().as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", *extra, "--convert-to", target,
                    "--outdir", str(out_dir), str(src)], capture_output=True, timeout=180, check=True)
    return out_dir / f"{src.stem}.{target.split(':')[0]}"


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed here")
    from openpyxl import Workbook

    d = tmp_path_factory.mktemp("legacy")
    wb = Workbook()
    for row in (["序号", "任务内容", "牵头部门", "时间节点"], [1, "梳理事项清单", "法制科", "6月底前"],
                [2, "更新办事指南", "办公室", "9月底"]):
        wb.active.append(row)
    wb.save(d / "任务表.xlsx")
    # A Word table by way of HTML: what LibreOffice writes to .doc from it is a real Word 97 table.
    (d / "分工.html").write_text(
        '<html><meta charset="utf-8"><body><p>任务分工</p><table border="1"><tr><td>序号</td><td>任务内容</td>'
        "<td>牵头部门</td></tr><tr><td>1</td><td>完善数据目录</td><td>科信处</td></tr></table></body></html>",
        encoding="utf-8")
    out = d / "old"
    out.mkdir()
    return {"xls": _convert(d / "任务表.xlsx", "xls", out), "doc": _convert(d / "分工.html", "doc:MS Word 97", out, "--infilter=HTML (StarWriter)")}


@needs_soffice
def test_xls_and_doc_are_converted_and_imported(legacy_files):
    xls = recognise(read_document(legacy_files["xls"]), year=2024)
    [table] = xls.tables
    assert [(r.seq, r.content, r.lead) for r in table.rows] == [("1", "梳理事项清单", ("法制科",)),
                                                              ("2", "更新办事指南", ("办公室",))]
    assert any("LibreOffice 转换" in w for w in xls.warnings)
    [doc_table] = recognise(read_document(legacy_files["doc"])).tables
    assert doc_table.rows[0].lead == ("科信处",)


@needs_soffice
def test_without_libreoffice_the_same_file_is_refused_plainly(legacy_files, tmp_path):
    # A name with a space and Chinese, as on an office PC.
    path = tmp_path / "旧 任务表.xls"
    shutil.copy(legacy_files["xls"], path)
    with pytest.raises(ImportFailed, match="没有安装 LibreOffice") as info:
        read_document(path, soffice=lambda: None)
    assert ".xlsx" in str(info.value) and "\n" not in str(info.value)


def test_lookup_finds_nothing_where_nothing_is_installed(monkeypatch, tmp_path):
    import liaison_app.importing.readers as readers

    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    monkeypatch.setattr(readers.os.path, "isfile", lambda p: False)
    assert readers.find_soffice() is None
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ImportFailed, match="没有安装 LibreOffice"):
        read_document(path)
