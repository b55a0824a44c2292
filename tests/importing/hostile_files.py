"""Writers of hostile files: small files that declare huge things (dimensions, merges, strings, spans), zip bombs,
control characters. Each is the shape of a finding of the attack round; the tests write them themselves."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="任务" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c><c r="B1" t="inlineStr"><is><t>任务内容</t>'
              '</is></c><c r="C1" t="inlineStr"><is><t>牵头部门</t></is></c></row>')


def task_row(r: int, unit: str = "法制科") -> str:
    return (f'<row r="{r}"><c r="A{r}"><v>{r - 1}</v></c><c r="B{r}" t="inlineStr"><is><t>第{r - 1}项任务</t></is>'
            f'</c><c r="C{r}" t="inlineStr"><is><t>{unit}</t></is></c></row>')


def write_xlsx(path: Path, sheet_xml: str | bytes, *, shared: bytes | None = None) -> Path:
    """A minimal workbook around one sheet's XML (and an optional sharedStrings.xml)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
    return path


def sheet(*rows: str, dimension: str | None = None, merges: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{''.join(rows)}</sheetData>{merges}</worksheet>"


def far_cell(path: Path, ref: str = "XFD1048576") -> Path:
    """A 2 KB workbook whose only cell sits at ``ref`` (and declares the whole sheet as its dimension)."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    xml = sheet(f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>法制科</t></is></c></row>',
                dimension=f"A1:{ref}")
    return write_xlsx(path, xml)


def far_cells_table(path: Path, rows: int = 200) -> Path:
    """A real little table, plus a cell at XFD on every row (a table that would be 16,384 columns wide)."""
    body = [HEADER_ROW] + [task_row(r).replace("</row>", f'<c r="XFD{r}"><v>1</v></c></row>')
                           for r in range(2, rows + 2)]
    return write_xlsx(path, sheet(*body, dimension=f"A1:XFD{rows + 1}"))


def merge_storm(path: Path, merges: int = 60_000, *, far_row: int | None = None) -> Path:
    """A small table with 60,000 merged ranges, each over the whole sheet (57 KB packed); with ``far_row`` one more
    row a million rows down, so the sheet is read sparsely."""
    body = [HEADER_ROW] + [task_row(r) for r in range(2, 202)] + ([task_row(far_row)] if far_row else [])
    cells = '<mergeCell ref="A1:XFD1048576"/>' * merges
    return write_xlsx(path, sheet(*body, merges=f'<mergeCells count="{merges}">{cells}</mergeCells>'))


def shared_strings_bomb(path: Path, megabytes: int = 600) -> Path:
    """One shared string of ``megabytes`` MB of one letter, deflated to about a thousandth of that."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
    tail = b"</t></si></sst>"
    body = [HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    write_xlsx(path, sheet(*body))
    # Written through a compressor object, chunk by chunk, so the test never holds the unpacked string.
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(head)
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                out.write(chunk)
            out.write(tail)
    return path


def many_tiny_strings(path: Path, count: int = 3_000_000) -> Path:
    """Millions of empty shared strings (<si><t/></si>) in a small zip."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">')
    write_xlsx(path, sheet(HEADER_ROW, task_row(2)))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(head)
            block = b"<si><t/></si>" * 10_000
            for _ in range(count // 10_000):
                out.write(block)
            out.write(b"</sst>")
    return path


def lying_member(path: Path) -> Path:
    """A sheet whose zip headers declare 1 KB while its deflate stream unpacks to 50 MB."""
    big = SHEET_HEAD + "<sheetData>" + "<row/>" * (50 * 1024 * 1024 // 6) + "</sheetData></worksheet>"
    write_xlsx(path, big)
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := raw.find(signature, at)) >= 0:
            name_len = int.from_bytes(raw[at + 26 : at + 28] if signature == b"PK\x03\x04" else raw[at + 28 : at + 30],
                                      "little")
            header = 30 if signature == b"PK\x03\x04" else 46
            if raw[at + header : at + header + name_len] == name:
                raw[at + size_at : at + size_at + 4] = (1024).to_bytes(4, "little")
            at += 4
    path.write_bytes(bytes(raw))
    return path


def billion_laughs(path: Path) -> Path:
    xml = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
           '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
           '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
           '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
           '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
           '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
           '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return write_xlsx(path, xml)


def docx_with(path: Path, *, span: str | None = None, before: str | None = None, rows: int = 3) -> Path:
    """A Word table (序号 | 任务内容 | 牵头部门) whose second row carries the given gridSpan / gridBefore values."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=rows, cols=3)
    for c, text in enumerate(("序号", "任务内容", "牵头部门")):
        table.cell(0, c).text = text
    for r in range(1, rows):
        for c, text in enumerate((str(r), f"第{r}项任务", "法制科")):
            table.cell(r, c).text = text
    tr = table.rows[1]._tr
    if before is not None:
        tr_pr = tr.get_or_add_trPr()
        gb = OxmlElement("w:gridBefore")
        gb.set(qn("w:val"), before)
        tr_pr.append(gb)
    if span is not None:
        tc = tr.findall(qn("w:tc"))[1]
        tc_pr = tc.get_or_add_tcPr()
        gs = OxmlElement("w:gridSpan")
        gs.set(qn("w:val"), span)
        tc_pr.append(gs)
    document.save(path)
    return path


def big_csv(path: Path, megabytes: int) -> Path:
    """A GBK-free UTF-8 task table of about ``megabytes`` MB (realistic rows, every content unique)."""
    units = ("法制科", "水气科", "土壤科", "办公室", "执法大队")
    target = megabytes * 1024 * 1024
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("序号,任务内容,牵头部门,配合部门,时间节点\r\n")
        n = 0
        while f.tell() < target:
            lines = []
            for _ in range(1000):
                n += 1
                lines.append(f'{n},"推进第{n}项政务服务事项标准化建设，完善办事指南和审批流程，做到全程网办",'
                             f"{units[n % 5]},{units[(n + 2) % 5]},6月底前\r\n")
            f.write("".join(lines))
    return path


def nul_text(path: Path, *, encoding: str = "utf-8") -> Path:
    """A table (tab-separated; comma-separated for .csv) whose cells carry NUL and other control characters after
    the first 4 KiB."""
    sep = "," if path.suffix == ".csv" else "\t"
    lines = ["说明：" + "这是一段很长的说明文字。" * 20 for _ in range(20)] if sep == "\t" else \
        ["#" + "x" * 300 + sep * 3 for _ in range(20)]
    lines.append(sep.join(["序号", "任务内容", "牵头部门", "时间节点"]))
    lines.append(sep.join(["1", "推进\x00事项\x07标准化", "办\x00公室", "6月\x1b底前"]))
    lines.append(sep.join(["2", "优化\x0b流程", "法制科\x7f", "9月底"]))
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path
