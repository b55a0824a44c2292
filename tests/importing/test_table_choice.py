"""What the import wizard relies on: tables keep their number whatever column overrides do, and unticked tables
are left out of the plan."""

from __future__ import annotations

import pytest

from liaison_app.errors import ImportFailed
from liaison_app.importing import plan_import, recognise


def test_found_index_survives_an_override_that_empties_a_table(district):
    assert [(t.index, t.found_index) for t in district.tables] == [(0, 0), (1, 1)]
    # The user says neither text column of the task table is to be used: the table has nothing left.
    emptied = recognise(district.document, column_roles={0: {1: None, 2: None}})
    assert [(t.kind, t.index, t.found_index) for t in emptied.tables] == [("indicators", 0, 1)]
    assert any("只有表头" in w for w in emptied.warnings)
    # An override keyed by found_index still reaches the indicator table.
    moved = recognise(district.document, column_roles={0: {1: None, 2: None}, 1: {5: None}})
    assert all(r.departments == () for r in moved.tables[0].rows)


def test_skip_tables(district, workspace):
    only_indicators = recognise(district.document, skip_tables={0})
    assert [(t.kind, t.found_index) for t in only_indicators.tables] == [("indicators", 1)]
    assert not any(w in only_indicators.warnings for w in district.tables[0].warnings)
    plan = plan_import(workspace, district.document, skip_tables={1})
    assert [t.table.kind for t in plan.tables] == ["tasks"] and plan.count("new") == 27
    with pytest.raises(ImportFailed, match="至少勾选一个表格"):
        recognise(district.document, skip_tables={0, 1})
