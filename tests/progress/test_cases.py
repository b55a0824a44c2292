"""Monthly practice/case reports: drafts, finalising, the year grid, and edits of a finalised report."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison_app import cases, evidence
from liaison_app.errors import InputError, NotFound
from liaison_app.model import CaseKind, CaseStatus

from .helpers import write_file


def test_add_case_with_three_parts_tasks_and_attachments(workspace, make, tmp_path):
    tid = make.task("深化“免申即享”")
    photo = write_file(tmp_path / "宣传现场.jpg", b"\xff\xd8 photo")
    c = cases.add_case(
        workspace, month="2023-05", title="“免申即享”让企业少跑腿", kind="case",
        background="企业反映备案材料多", practice="数据共享，主动推送", effect="办理时间缩短一半",
        task_ids=[tid], attachments=[photo],
    )
    assert (c.department, c.month, c.kind, c.status, c.revision) == ("法制科", "2023-05", CaseKind.CASE,
                                                                     CaseStatus.DRAFT, 1)
    assert c.task_ids == (tid,)
    [att] = evidence.list_evidence(workspace, target_kind="case", target_id=c.id)
    assert att.original_name == "宣传现场.jpg"
    assert evidence.vault_path(workspace, att.sha256).read_bytes() == photo.read_bytes()
    assert [r.action for r in workspace.audit_rows()][:2] == ["evidence.attach", "case.add"]
    assert cases.get_case(workspace, c.id) == c


def test_bad_input_leaves_nothing(workspace, tmp_path):
    with pytest.raises(InputError, match="YYYY-MM"):
        cases.add_case(workspace, month="2023-13", title="标题", body="x")
    with pytest.raises(InputError, match="标题"):
        cases.add_case(workspace, month="2023-05", title="  ", body="x")
    with pytest.raises(NotFound):
        cases.add_case(workspace, month="2023-05", title="标题", body="x", task_ids=[99])
    with pytest.raises(InputError):
        cases.add_case(workspace, month="2023-05", title="标题", body="x", kind="story")
    good = write_file(tmp_path / "ok.txt", "ok")
    with pytest.raises(InputError):
        cases.add_case(workspace, month="2023-5", title="标题", body="x", attachments=[good])
    assert cases.list_cases(workspace) == []
    assert not any(p.is_file() for p in workspace.vault_dir.rglob("*"))


def test_year_grid_shows_final_draft_and_missing_months(workspace):
    jan = cases.add_case(workspace, month="2023-01", title="一月", body="正文")
    cases.finalise_case(workspace, jan.id, on=dt.date(2023, 2, 3))
    cases.add_case(workspace, month="2023-02", title="二月草稿", body="正文")
    # A draft and a finalised report in the same month: the month is done.
    cases.add_case(workspace, month="2023-03", title="三月草稿", body="正文")
    mar = cases.add_case(workspace, month="2023-03", title="三月定稿", body="正文")
    cases.finalise_case(workspace, mar.id)
    cases.add_case(workspace, month="2023-04", title="水气科的", body="正文", department="水气科")
    cases.add_case(workspace, month="2022-12", title="去年的", body="正文")

    grid = cases.year_grid(workspace, year=2023)
    assert list(grid) == [f"2023-{m:02d}" for m in range(1, 13)]
    assert grid["2023-01"] == "final" and grid["2023-02"] == "draft" and grid["2023-03"] == "final"
    assert grid["2023-04"] == "missing"
    assert sum(v == "missing" for v in grid.values()) == 9
    assert cases.year_grid(workspace, year=2023, department="水气科")["2023-04"] == "draft"
    assert [c.title for c in cases.list_cases(workspace, year=2023)] == ["一月", "二月草稿", "三月草稿", "三月定稿"]
    assert len(cases.list_cases(workspace)) == 5


def test_editing_a_finalised_report_keeps_a_revision_and_reopens_it(workspace):
    c = cases.add_case(workspace, month="2023-06", title="帮办响应提速", practice="建立帮办群", effect="响应 5 分钟内")
    draft_edit = cases.update_case(workspace, c.id, effect="响应 3 分钟内")
    assert draft_edit.revision == 1 and cases.case_revisions(workspace, c.id) == []

    final = cases.finalise_case(workspace, c.id, on=dt.date(2023, 6, 28))
    assert final.status is CaseStatus.FINAL and final.finalised_on == dt.date(2023, 6, 28)
    assert cases.update_case(workspace, c.id, title="帮办响应提速") == final, "no change, nothing recorded"

    edited = cases.update_case(workspace, c.id, effect="响应 2 分钟内", kind=CaseKind.CASE)
    assert edited.status is CaseStatus.DRAFT and edited.finalised_on is None and edited.revision == 2
    assert edited.effect == "响应 2 分钟内" and edited.kind is CaseKind.CASE
    [rev] = cases.case_revisions(workspace, c.id)
    assert rev.revision == 1
    assert rev.snapshot["effect"] == "响应 3 分钟内" and rev.snapshot["status"] == "final"
    assert rev.snapshot["finalised_on"] == "2023-06-28"
    audit = workspace.audit_rows(f"case:{c.id}")[0]
    assert audit.action == "case.update" and audit.detail["reopened"] is True
    assert audit.detail["changed"]["effect"] == {"old": "响应 3 分钟内", "new": "响应 2 分钟内"}
    assert cases.year_grid(workspace, year=2023)["2023-06"] == "draft"

    refinal = cases.finalise_case(workspace, c.id, on=dt.date(2023, 6, 30))
    assert refinal.revision == 2 and refinal.status is CaseStatus.FINAL


def test_a_report_without_text_cannot_be_finalised(workspace):
    c = cases.add_case(workspace, month="2023-07", title="只有标题")
    with pytest.raises(InputError, match="正文"):
        cases.finalise_case(workspace, c.id)
    with pytest.raises(TypeError):
        cases.update_case(workspace, c.id, status="final")
