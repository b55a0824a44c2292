"""Importing task-allocation, indicator and item tables: readers -> cell grids -> recogniser -> workspace.

The public API the GUI wizard and the CLI use:
``read_document`` / ``read_text`` -> Document; ``recognise`` -> Recognised; ``plan_import`` -> ImportPlan (with the
diff against an earlier version); ``apply_import`` -> ImportReport; ``import_file`` / ``import_text`` do all three.
"""

from __future__ import annotations

from ..units import DEFAULT_ALIASES, UnitSplit, is_collective, normalise_unit, split_units
from .deadlines import ParsedDeadline, parse_deadline
from .document import Document, Grid
from .readers import read_document, read_text
from .recognise import (
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
    "split_units",
    "UnitSplit",
    "normalise_unit",
    "is_collective",
    "DEFAULT_ALIASES",
]
