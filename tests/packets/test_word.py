"""Word where offices need it: a monthly report exported alone (`liaison case export`), and report.docx in the
packet, signed like the rest. Read back with python-docx and, independently, from the document's XML."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx

from liaison_app import cases
from liaison_app.workspace import Workspace, copy_workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml_paragraphs(path: Path) -> list[str]:
    """The paragraphs' text straight from word/document.xml (a second reader)."""
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_case_export_lays_out_a_monthly_report_as_offices_write_it(cli, packet_facts, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    copy_workspace(packet_facts.root, root)
    case_id = packet_facts.case_ids[0]
    out = tmp_path / "月度案例 五月.docx"
    r = cli("--workspace", root, "case", "export", str(case_id), "--docx", out)
    assert r.returncode == 0, r.stderr
    assert out.is_file() and str(out) in r.stdout

    with Workspace.open(root, read_only=True) as ws:
        case = cases.get_case(ws, case_id)
    paragraphs = [p for p in _xml_paragraphs(out) if p.strip()]
    assert paragraphs[0] == case.title
    assert paragraphs[1] == "上海市松江区生态环境局法制科"
    assert paragraphs[2].startswith("2023年5月") and "做法经验" in paragraphs[2] and "已定稿" in paragraphs[2]
    headings = [p for p in paragraphs if p in ("一、背景", "二、做法", "三、成效")]
    assert headings == ["一、背景", "二、做法", "三、成效"]
    body = "".join(paragraphs)
    assert body.index("一、背景") < body.index(case.background) < body.index("二、做法")
    assert body.index("三、成效") < body.index(case.effect)
    # The practice text's own line break makes two paragraphs, not a stray character.
    assert "对符合条件的项目推行告知承诺制，" in paragraphs and "申请人承诺后即予受理，材料“两个免于提交”。" in paragraphs

    document = docx.Document(str(out))
    title_run = document.paragraphs[0].runs[0]
    assert title_run.bold and title_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    assert round(document.sections[0].page_width.cm, 1) == 21.0

    r = cli("--workspace", root, "case", "export", str(case_id), "--docx", out)
    assert r.returncode == 2 and "已存在" in r.stderr and "Traceback" not in r.stderr
    r = cli("--workspace", root, "case", "export", "999", "--docx", tmp_path / "x.docx")
    assert r.returncode == 2 and "999" in r.stderr


def test_packet_carries_report_docx_signed_like_the_rest(packet_workspace, tmp_path: Path) -> None:
    from liaison_app.packets.identity import create_identity
    from liaison_app.packets.package import build_packet
    from liaison_app.packets.verify import verify_packet

    ws = packet_workspace
    cases.add_case(ws, month="2023-12", title="十二月草稿", body="未完")
    identity = create_identity(tmp_path / "me.p12", name="张三", department="法制科", password="pw-123456")
    result = build_packet(ws, period="2023", identity=identity, out_dir=tmp_path / "out",
                          today=dt.date(2023, 12, 20))
    with zipfile.ZipFile(result.path) as zf:
        zf.extract("report.docx", tmp_path)
        manifest = json.loads(zf.read("manifest.json"))
        sums = zf.read("SHA256SUMS").decode()
    assert any(f["path"] == "report.docx" for f in manifest["files"]) and "  report.docx\n" in sums
    text = "\n".join(_xml_paragraphs(tmp_path / "report.docx"))
    assert "法制科　2023年" in text and "一、概况" in text and "审核与盖章" in text
    assert "《十二月草稿》：草稿，未纳入" in text
    for entry in result.content.cases:
        assert entry.case.title in text
    tables = docx.Document(str(tmp_path / "report.docx")).tables
    assert len(tables[0].rows) == len(result.content.tasks) + 1
    assert verify_packet(result.path, trusted=[identity.certificate]).intact
