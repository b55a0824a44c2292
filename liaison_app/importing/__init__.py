"""Importing task-allocation, indicator and item tables: readers -> cell grids -> recogniser -> workspace.

The public API the GUI wizard and the CLI use:
``read_document`` / ``read_text`` -> Document; ``recognise`` -> Recognised; ``plan_import`` -> ImportPlan (with the
diff against an earlier version); ``apply_import`` -> ImportReport; ``import_file`` / ``import_text`` do all three.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..units import DEFAULT_ALIASES, UnitSplit, is_collective, normalise_unit, split_units
    from .deadlines import ParsedDeadline, current_due, due_in_period, parse_deadline, recurrence_of
    from .document import Document, Grid
    from .readers import read_document, read_text
    from .recogniser import (
        KIND_LABELS,
        ROLE_LABELS,
        ROLES,
        ParsedIndicator,
        ParsedItem,
        ParsedTask,
        Recognised,
        RecognisedTable,
        recognise,
        role_of_header,
    )
    from .store import (
        ImportPlan,
        ImportReport,
        RowChange,
        TablePlan,
        TableReport,
        apply_import,
        import_file,
        import_text,
        plan_import,
    )

# Loaded on first use: the window's start-up (reminders need only .deadlines) must not pay for the readers.
_WHERE = {
    "Document": ".document", "Grid": ".document",
    "read_document": ".readers", "read_text": ".readers",
    "recognise": ".recogniser", "role_of_header": ".recogniser", "KIND_LABELS": ".recogniser",
    "ROLE_LABELS": ".recogniser", "ROLES": ".recogniser", "ParsedIndicator": ".recogniser", "ParsedItem": ".recogniser",
    "ParsedTask": ".recogniser", "Recognised": ".recogniser", "RecognisedTable": ".recogniser",
    "plan_import": ".store", "apply_import": ".store", "import_file": ".store", "import_text": ".store",
    "ImportPlan": ".store", "ImportReport": ".store", "TablePlan": ".store", "TableReport": ".store",
    "RowChange": ".store",
    "parse_deadline": ".deadlines", "ParsedDeadline": ".deadlines", "recurrence_of": ".deadlines",
    "due_in_period": ".deadlines", "current_due": ".deadlines",
    "split_units": "..units", "UnitSplit": "..units", "normalise_unit": "..units", "is_collective": "..units",
    "DEFAULT_ALIASES": "..units",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Document",
    "Grid",
    "read_document",
    "read_text",
    "recognise",
    "plan_import",
    "apply_import",
    "import_file",
    "import_text",
    "ImportPlan",
    "ImportReport",
    "TablePlan",
    "TableReport",
    "RowChange",
    "Recognised",
    "RecognisedTable",
    "ParsedTask",
    "ParsedIndicator",
    "ParsedItem",
    "ROLES",
    "ROLE_LABELS",
    "KIND_LABELS",
    "role_of_header",
    "parse_deadline",
    "ParsedDeadline",
    "recurrence_of",
    "due_in_period",
    "current_due",
    "split_units",
    "UnitSplit",
    "normalise_unit",
    "is_collective",
    "DEFAULT_ALIASES",
]
