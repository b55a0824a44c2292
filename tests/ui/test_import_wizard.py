"""The import wizard driven as a user would: a seed document end to end, a pasted table, a corrected column,
a revised table's diff, and unusable input shown as a sentence on the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from liaison_app import catalog
from liaison_app.importing import import_file
from tests.ui.wizard_helpers import CITY, DISTRICT
from tests.ui.wizard_helpers import click as click_button
from ui.import_wizard import ImportWizard

PASTED = (
    "序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点\n"
    "1\t政务服务\t梳理本科室行政许可事项清单\t法制科\t办公室\t9 月底\n"
    "2\t政务服务\t更新电子证照库\t办公室\t法制科、水气科\t三季度\n"
    "3\t数据共享\t推进数据共享应用\t信息中心\t\t全年\n"
)


def click(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    click_button(qtbot, wizard.button(which))


def open_wizard(qtbot, ws, **source) -> ImportWizard:
    """A wizard started on a file or a text: it reads at once and stops on the preview."""
    wizard = ImportWizard(ws, **source)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.document_ready):
        wizard.show()
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW
    return wizard


def to_changes(qtbot, wizard: ImportWizard, year: int | None = None) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ImportWizard.PAGE_YEAR
    if year is not None:
        wizard.year_page.spin.setValue(year)
    with qtbot.waitSignal(wizard.plan_ready):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ImportWizard.PAGE_CHANGES


def do_import(qtbot, wizard: ImportWizard):
    with qtbot.waitSignal(wizard.imported) as blocker:
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_RESULT
    assert (
        not wizard.button(QWizard.WizardButton.BackButton).isVisible()
        or not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    )
    return blocker.args[0]


def tasks_of(ws):
    return [r.task for r in catalog.list_tasks(ws, department=catalog.ALL_DEPARTMENTS)]


def test_seed_document_end_to_end(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, path=DISTRICT)
    page = wizard.preview_page
    assert "沪松环〔2023〕14号" in page.document_info.text()
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "任务分工表（27 行）",
        "考核指标表（26 行）",
    ]
    tasks_panel, indicators_panel = page.panels
    assert [c.currentText() for c in tasks_panel.combos] == [
        "序号",
        "任务名称",
        "任务内容",
        "牵头部门",
        "配合部门",
    ]
    assert tasks_panel.grid.rowCount() == 27 and tasks_panel.grid.item(0, 2).text()
    assert (
        indicators_panel.warnings.count() == 2
        and "两者不符" in indicators_panel.warnings_caption.text() + indicators_panel.warnings.item(1).text()
    )

    to_changes(qtbot, wizard)
    assert wizard.year_page.spin.value() == 2023
    changes = wizard.changes_page
    assert "第一次导入" in changes.headline.text()
    assert changes.counts.text().startswith("新增 53 条")
    assert "法制科" in changes.units.text()

    report = do_import(qtbot, wizard)
    assert report.counts == {"tasks": 27, "indicators": 26}
    assert "沪松环〔2023〕14号" in wizard.result_page.summary.text()
    assert "共 27 条" in wizard.result_page.summary.text()
    assert len(tasks_of(workspace)) == 27
    assert len(catalog.list_indicators(workspace)) == 26
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()


def test_both_tables_of_the_city_document_and_the_same_file_again(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, path=CITY)
    to_changes(qtbot, wizard)
    report = do_import(qtbot, wizard)
    assert report.counts == {"tasks": 49, "items": 18}
    assert len(tasks_of(workspace)) == 49 and len(catalog.list_items(workspace)) == 18
    by_seq = {t.seq: t for t in tasks_of(workspace)}
    assert by_seq["1"].deadline.date.isoformat() == "2023-09-30"

    again = open_wizard(qtbot, workspace, path=CITY)
    to_changes(qtbot, again)
    assert "已经导入过" in again.changes_page.headline.text()
    assert not again.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_pasted_table(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, text=PASTED)
    assert wizard.source_page.from_text.isChecked()
    panel = wizard.preview_page.panels[0]
    assert panel.grid.rowCount() == 3
    assert panel.grid.item(1, 4).text() == "法制科、水气科"
    # Without a date in the text the preview reads deadlines in this year, and leaves the question to the year page.
    assert panel.grid.item(0, 5).text() == f"9 月底（{dt.date.today().year}-09-30）"
    assert wizard.preview_page.document_warnings.isHidden()
    # No date in a pasted table: the year page says so and the user picks the year.
    to_changes(qtbot, wizard, year=2024)
    assert "没有找到日期" in wizard.year_page.origin.text()
    assert "“9 月底” → 2024-09-30" in wizard.year_page.examples.text()
    do_import(qtbot, wizard)
    rows = {t.seq: t for t in tasks_of(workspace)}
    assert sorted(rows) == ["1", "2", "3"]
    assert rows["1"].lead == ("法制科",) and rows["2"].cooperating == ("法制科", "水气科")
    assert rows["1"].deadline.date.isoformat() == "2024-09-30" and rows["3"].deadline.date is None
    mine = catalog.list_tasks(workspace)
    assert {r.task.seq for r in mine if r.role is not None} == {"1", "2"}


def test_paste_button_and_next(qtbot, workspace):
    from PySide6.QtGui import QGuiApplication

    wizard = ImportWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.source_page.from_file.isChecked()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no file chosen yet
    QGuiApplication.clipboard().setText(PASTED)
    click_button(qtbot, wizard.source_page.paste_button)
    assert wizard.source_page.from_text.isChecked()
    with qtbot.waitSignal(wizard.document_ready):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.preview_page.panels[0].grid.rowCount() == 3
    # Back and Next again with the same text keeps the document (and its choices) without reading it again.
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    document = wizard.document
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW and wizard.document is document


def test_column_role_override_changes_preview_and_plan(qtbot, workspace):
    text = PASTED.replace("牵头部门", "主办").replace("配合部门", "协助")
    wizard = open_wizard(qtbot, workspace, text=text)
    panel = wizard.preview_page.panels[0]
    # 主办 and 协助 are not headers the recogniser knows: no lead units, and it says so.
    assert [c.currentData() for c in panel.combos][3:5] == [None, None]
    assert panel.grid.item(0, 3).text() == ""
    assert any("牵头部门" in panel.warnings.item(i).text() for i in range(panel.warnings.count()))
    # Two quick changes queue two recognitions; Next waits for the last.
    panel.combos[3].setCurrentIndex(panel.combos[3].findData("lead"))
    panel.combos[4].setCurrentIndex(panel.combos[4].findData("cooperating"))
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert wizard.busy and not next_button.isEnabled()
    with qtbot.waitSignal(wizard.job.finished):
        pass
    assert not wizard.busy and next_button.isEnabled()
    assert panel.grid.item(0, 3).text() == "法制科" and panel.grid.item(1, 4).text() == "法制科、水气科"
    assert panel.warnings.count() == 0
    # Leaving a column out: the deadline column is not used any more.
    with qtbot.waitSignal(wizard.preview_ready):
        panel.combos[5].setCurrentIndex(panel.combos[5].findData(None))
    assert panel.grid.item(0, 5).text() == ""
    to_changes(qtbot, wizard, year=2023)
    rows = wizard.plan.tables[0].table.rows
    assert rows[0].lead == ("法制科",) and rows[0].deadline.text == ""
    do_import(qtbot, wizard)
    assert {t.seq: t.lead for t in tasks_of(workspace)}["2"] == ("办公室",)


def test_override_that_leaves_nothing_and_unticked_table(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, path=DISTRICT)
    page = wizard.preview_page
    tasks_panel, indicators_panel = page.panels
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    # No text column left in the task table: it has nothing to import, and the tab says so.
    with qtbot.waitSignal(wizard.preview_ready):
        tasks_panel.combos[1].setCurrentIndex(0)
    with qtbot.waitSignal(wizard.preview_ready):
        tasks_panel.combos[2].setCurrentIndex(0)
    assert "没有可导入的内容" in tasks_panel.info.text() and tasks_panel.grid.rowCount() == 0
    assert page.tabs.tabText(0) == "任务分工表（0 行）"
    assert next_button.isEnabled()  # the indicator table can still be imported
    indicators_panel.include.setChecked(False)
    assert page.tabs.tabText(1).endswith("（不导入）")
    assert not next_button.isEnabled() and "至少勾选一个" in page.error.text()
    # Put the columns back, and import only the task table.
    with qtbot.waitSignal(wizard.preview_ready):
        tasks_panel.combos[2].setCurrentIndex(tasks_panel.combos[2].findData("content"))
    assert tasks_panel.grid.rowCount() == 27 and next_button.isEnabled()
    to_changes(qtbot, wizard)
    assert [t.table.kind for t in wizard.plan.tables] == ["tasks"]
    report = do_import(qtbot, wizard)
    assert report.counts == {"tasks": 27}
    assert len(catalog.list_indicators(workspace)) == 0


def _revised_city(tmp_path: Path) -> Path:
    """The city table revised: task 17 dropped, task 1's deadline moved, task 2 reworded, a task 50 added."""
    out = []
    for line in CITY.read_text(encoding="utf-8").split("\n"):
        cells = line.split("\t")
        if len(cells) == 6 and cells[0] == "17":
            continue
        if len(cells) == 6 and cells[0] == "1":
            cells[5] = "10 月底"
            line = "\t".join(cells)
        if len(cells) == 6 and cells[0] == "2":
            line = line.replace(
                "实时查询到办件所处的办理环节状态信息", "实时查询办件所处的办理环节和状态信息"
            )
        out.append(line)
        if len(cells) == 6 and cells[0] == "49":
            out.append("50\t\t新增一项任务：开展政务服务满意度调查。\t许可处\t办公室\t11 月底")
    path = tmp_path / "市绿化市容局_任务分工表（修订）.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def test_reimport_of_revised_table_shows_diff(qtbot, workspace, tmp_path):
    import_file(workspace, CITY)
    before = {t.seq: t.id for t in tasks_of(workspace)}
    wizard = open_wizard(qtbot, workspace, path=_revised_city(tmp_path))
    to_changes(qtbot, wizard)
    page = wizard.changes_page
    assert "新版本" in page.subTitle()
    assert page.counts.text() == "新增 1 条　修改 2 条　移除 1 条　未变 64 条"
    tasks_item = page.tree.topLevelItem(0)
    assert "对照已导入的 沪绿容〔2023〕177号：新增 1 条，修改 2 条，移除 1 条，未变 46 条" in tasks_item.text(
        0
    )
    rows = {
        tasks_item.child(i).text(0).split(".")[0]: tasks_item.child(i) for i in range(tasks_item.childCount())
    }
    assert rows["1"].text(1) == "修改" and rows["1"].text(2) == "时间节点、截止日期"
    assert rows["2"].text(1) == "修改" and rows["17"].text(1) == "移除" and rows["50"].text(1) == "新增"
    assert page.tree.topLevelItem(1).childCount() == 0  # the items table did not change
    report = do_import(qtbot, wizard)
    assert report.total("removed") == 1
    after = {t.seq: t.id for t in tasks_of(workspace)}
    assert after["1"] == before["1"] and "17" not in after and "50" in after
    assert catalog.get_task(workspace, before["17"]).archived
    assert "归档 1 条" in wizard.result_page.summary.text()


def test_failed_import_changes_nothing_and_can_be_retried(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, text=PASTED)
    to_changes(qtbot, wizard, year=2023)
    workspace.read_only = True  # the one way to make the write fail at once, as a read-only workspace would
    with qtbot.waitSignal(wizard.failed) as blocker:
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert blocker.args[0] == "工作区以只读方式打开，不能修改。"
    assert wizard.changes_page.error.isVisible() and wizard.changes_page.error.text() == blocker.args[0]
    assert wizard.currentId() == ImportWizard.PAGE_CHANGES
    assert tasks_of(workspace) == [] and workspace.counts()["sources"] == 0
    workspace.read_only = False
    do_import(qtbot, wizard)
    assert len(tasks_of(workspace)) == 3


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.xlsx", bytes(range(256)) * 8, "文件 x.xlsx 已损坏或不是真正的 .xlsx 文件，无法打开。"),
        ("空.csv", b"", "文件 空.csv 是空的，里面没有表格。"),
        ("照片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "文件 照片.xlsx 其实是PNG 图片"),
        ("说明.txt", "这只是一段说明文字，没有表格。\n".encode(), "文件 说明.txt 里没有表格"),
    ],
    ids=["random-bytes", "empty-file", "picture", "no-table"],
)
def test_unusable_file_is_explained_on_the_page(qtbot, workspace, tmp_path, name, data, message):
    path = _write(tmp_path / name, data)
    wizard = ImportWizard(workspace, path=path)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.failed) as blocker:
        wizard.show()
    page = wizard.source_page
    assert message in blocker.args[0]
    assert page.error.isVisible() and page.error.text() == blocker.args[0]
    assert "Traceback" not in page.error.text()
    assert wizard.currentId() == ImportWizard.PAGE_SOURCE
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the user may pick another file
    assert workspace.counts()["sources"] == 0


def test_empty_paste_is_explained_on_the_page(qtbot, workspace):
    wizard = ImportWizard(workspace, text="  \n")
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.failed) as blocker:
        wizard.show()
    assert blocker.args[0] == "粘贴的内容是空的，里面没有表格。"
    assert wizard.source_page.error.text() == blocker.args[0]
    # Pasting a table afterwards clears the way.
    wizard.source_page.text.setPlainText(PASTED)
    with qtbot.waitSignal(wizard.document_ready):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert not wizard.source_page.error.isVisible()


NUMBERS_AS_CONTENT = ("序号\t任务内容\t说明\t牵头单位\n"
                      "1\t1\t推进高效办成一件事\t办公室\n"
                      "2\t2\t深化电子证照应用\t法制科\n"
                      "3\t3\t开展好差评整改\t许可处\n")


def test_preview_warns_when_task_texts_are_numbers_and_the_user_fixes_the_column(qtbot, workspace):
    wizard = open_wizard(qtbot, workspace, text=NUMBERS_AS_CONTENT)
    page = wizard.preview_page
    assert page.doubts.isVisible() and "只是一个数字" in page.doubts.text()
    # The warning stands above everything else on the page.
    assert page.layout().indexOf(page.doubts) == 0
    panel = page.panels[0]
    with qtbot.waitSignal(wizard.preview_ready):
        panel.combos[2].setCurrentIndex(panel.combos[2].findData("content"))
    assert not page.doubts.isVisible()
    assert panel.grid.item(0, 2).text() == "推进高效办成一件事"


def test_merged_header_columns_can_be_changed(qtbot, workspace, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for row in (["工作任务", "具体要求", None, "责任单位"],
                ["优化营商环境", 1, "推进高效办成一件事", "办公室"],
                [None, 2, "深化电子证照应用", "法制科"]):
        wb.active.append(row)
    wb.active.merge_cells("B1:C1")
    wb.active.merge_cells("A2:A3")
    wb.save(tmp_path / "合并表头.xlsx")
    wizard = open_wizard(qtbot, workspace, path=tmp_path / "合并表头.xlsx")
    panel = wizard.preview_page.panels[0]
    # Both columns under 「具体要求」 are listed; the numbers became the 序号 and the text the task content.
    assert [panel.mapping.item(c, 0).text() for c in (1, 2)] == ["具体要求", "具体要求"]
    assert [c.currentData() for c in panel.combos] == ["group", "seq", "content", "lead"]
    assert not wizard.preview_page.doubts.isVisible()
    # The user says the numbers are not to be imported at all: the 序号 column of the preview empties.
    with qtbot.waitSignal(wizard.preview_ready):
        panel.combos[1].setCurrentIndex(panel.combos[1].findData(None))
    assert panel.grid.item(0, 0).text() == "" and panel.grid.item(0, 2).text() == "推进高效办成一件事"
    to_changes(qtbot, wizard, year=2024)
    do_import(qtbot, wizard)
    assert [t.content for t in tasks_of(workspace)] == ["推进高效办成一件事", "深化电子证照应用"]


def test_hostile_file_gives_the_same_sentence_as_the_command_line(qtbot, workspace, workspace_dir, tmp_path, cli):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importing"))
    import hostile_files

    path = hostile_files.merge_storm(tmp_path / "合并 风暴.xlsx")
    wizard = ImportWizard(workspace, path=path)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.failed, timeout=20_000) as blocker:
        wizard.show()
    shown = wizard.source_page.error.text()
    assert shown == blocker.args[0] and "合并单元格" in shown and "Traceback" not in shown
    workspace.close()
    proc = cli("import", path, workspace=workspace_dir)
    assert proc.returncode == 2 and proc.stderr.strip() == f"liaison: {shown}"
