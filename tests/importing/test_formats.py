"""The same seed tables as .xlsx with merged cells, .docx with vertically merged cells and GBK CSV import exactly
like the text; messy layouts; and unusable files, each refused with a plain sentence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import pytest
from importing_helpers import SEED_CITY, write_docx, write_gbk_csv, write_xlsx

from liaison_app.errors import ImportFailed
from liaison_app.importing import import_file, read_document, read_text, recognise


def _essence(recognised, kinds=None):
    """What a user sees of each table: its kind and parsed rows (not where each row stood in the file)."""
    out = []
    for table in recognised.tables:
        if kinds and table.kind not in kinds:
            continue
        rows = []
        for row in table.rows:
            fields = dataclasses.asdict(row)
            fields.pop("origin")
            fields.pop("cells")
            rows.append(fields)
        out.append((table.kind, rows))
    return out


@pytest.fixture(scope="session")
def written(tmp_path_factory, district, city):
    """The four seed tables written once as xlsx, docx and GBK CSV."""
    d = tmp_path_factory.mktemp("formats")
    files = {
        "district.xlsx": write_xlsx(d / "district.xlsx", district.tables),
        "city.xlsx": write_xlsx(d / "city.xlsx", city.tables),
        "district.docx": write_docx(d / "district.docx", district.tables, title=district.document.title,
                                    doc_number=district.document.doc_number, date_line="2023 年 6 月 6 日"),
        "city.docx": write_docx(d / "city.docx", city.tables, title=city.document.title,
                                doc_number=city.document.doc_number, date_line="2023年5月6日"),
    }
    for name, rec in (("district", district), ("city", city)):
        for table in rec.tables:
            files[f"{name}-{table.kind}.csv"] = write_gbk_csv(d / f"{name}-{table.kind}.csv", table,
                                                               title=table.caption)
    return files


@pytest.mark.parametrize("name", ["district", "city"])
def test_xlsx_with_merged_cells_imports_identically(written, name, district, city):
    expected = district if name == "district" else city
    got = recognise(read_document(written[f"{name}.xlsx"]), year=2023)
    assert _essence(got) == _essence(expected)
    assert [t.caption for t in got.tables] == [t.caption for t in expected.tables]


@pytest.mark.parametrize("name", ["district", "city"])
def test_docx_with_merged_cells_imports_identically(written, name, district, city):
    expected = district if name == "district" else city
    document = read_document(written[f"{name}.docx"])
    assert document.doc_number == expected.document.doc_number
    assert document.year == 2023 and document.title == expected.document.title
    got = recognise(document)
    assert _essence(got) == _essence(expected)


@pytest.mark.parametrize("name", ["district-tasks", "district-indicators", "city-tasks", "city-items"])
def test_gbk_csv_imports_identically(written, name, district, city):
    expected = district if name.startswith("district") else city
    kind = name.split("-")[1]
    raw = written[f"{name}.csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    got = recognise(read_document(written[f"{name}.csv"]), year=2023)
    assert _essence(got) == _essence(expected, kinds={kind})


def test_xlsx_and_text_give_the_same_workspace_rows(written, workspace):
    report = import_file(workspace, written["city.xlsx"], year=2023)
    assert report.counts == {"tasks": 49, "items": 18}
    # The text version of the same tables is recognised as the same rows: nothing new to store.
    again = import_file(workspace, SEED_CITY)
    assert again.already_imported and again.source_id is None
    assert again.total("unchanged") == 67


def test_xlsx_sheet_choice_and_real_date_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿包含任务分工表"])
    ws = wb.create_sheet("任务")
    ws.append(["序号", "工作任务", "具体措施", "责任单位", "完成时限"])
    ws.append([1, "数据治理", "完善数据目录", "科信处牵头，许可处配合", dt.datetime(2024, 3, 31)])
    ws.append([2, None, "推进电子证照应用\n（分两步）", "许可处", "长期坚持"])
    wb.save(tmp_path / "t.xlsx")
    rec = recognise(read_document(tmp_path / "t.xlsx", sheet="任务"))
    [table] = rec.tables
    first, second = table.rows
    assert first.lead == ("科信处",) and first.cooperating == ("许可处",)
    assert first.deadline.date == dt.date(2024, 3, 31)
    assert second.group == "数据治理" and second.content == "推进电子证照应用\n（分两步）"
    assert second.deadline.text == "长期坚持" and second.deadline.date is None
    with pytest.raises(ImportFailed, match="「说明」、「任务」"):
        read_document(tmp_path / "t.xlsx", sheet="汇总")


def test_messy_pasted_text():
    text = (
        "2024年重点任务清单\r\n"
        "工作任务\t具体任务\t责任单位\t时间节点\r\n"
        "一、优化营商环境\t\t\t\r\n"
        "\t1. 推进“高效办成一件事”\t办公室（牵头）、法制科\t6月底前完成方案，12月底前全面推开\r\n"
        '\t"2. 深化 智能 审批\r\n分两个阶段推进"\t牵头：许可处 配合：科信处\t三季度\r\n'
        "----\t----\t----\t----\r\n"
        "\t3. 常态化开展好差评\t无\t常态化\r\n"
    )
    rec = recognise(read_text(text), year=2024)
    rows = rec.tables[0].rows
    assert [r.seq for r in rows] == ["1", "2", "3"]
    assert rows[0].lead == ("办公室", "法制科") and rows[0].deadline.date == dt.date(2024, 12, 31)
    assert rows[1].content == "深化智能审批\n分两个阶段推进"
    assert rows[1].lead == ("许可处",) and rows[1].cooperating == ("科信处",)
    assert rows[1].deadline.date == dt.date(2024, 9, 30)
    assert rows[2].lead == () and any("没有牵头部门" in w for w in rec.warnings)
    assert rows[0].group == "一、优化营商环境" == rows[2].group


def test_utf8_bom_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\ufeff序号,事项名称,事项分类,责任处室,配合部门\n1,对迁移树木的许可,许可,许可处,\"科信处、大数据中心\"\n",
                    encoding="utf-8")
    [table] = recognise(read_document(path)).tables
    assert table.kind == "items" and table.rows[0].cooperating == ("科信处", "大数据中心")


def _xlsx_bytes(written):
    return written["city.xlsx"].read_bytes()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("空.xlsx", b"", "空的"),
    ("空.txt", b"  \n\n", "空的"),
    ("图片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG 图片"),
    ("照片.docx", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG 图片"),
    ("加密.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"),
     "加密"),
    ("旧版.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".xlsx"),
    ("二进制.txt", b"\x00\x01\x02\x03" * 50, "二进制"),
])
def test_unusable_files_are_refused_plainly(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    # As on a PC without LibreOffice, whatever this machine has installed.
    with pytest.raises(ImportFailed, match=message) as info:
        read_document(path, soffice=lambda: None)
    assert "\n" not in str(info.value)


def test_corrupt_and_foreign_zips(tmp_path, written):
    data = _xlsx_bytes(written)
    cut = tmp_path / "损坏.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match="损坏"):
        read_document(cut)
    flipped = bytearray(data)
    for i in range(200, len(flipped) - 200, 97):
        flipped[i] ^= 0x5A
    bad = tmp_path / "乱码.xlsx"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(ImportFailed, match="损坏"):
        read_document(bad)
    other = tmp_path / "资料.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ImportFailed, match="压缩包"):
        read_document(other)


def test_workbook_without_a_table(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    wb.save(tmp_path / "通讯录.xlsx")
    with pytest.raises(ImportFailed, match="姓名｜电话"):
        recognise(read_document(tmp_path / "通讯录.xlsx"))
