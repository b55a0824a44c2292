"""The Qt binding itself: a release that mishandles reference counts kills the program long before any test of
ours would notice, so this guards the version pinned in pyproject.toml."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_that_return_nothing_keep_none_alive(qapp):
    # PySide6 6.12.0 on Python 3.11 loses one reference to None per such call; after a few thousand the
    # interpreter aborts with "deallocating None". (From Python 3.12 on None is immortal and the count constant.)
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("联络员")
    assert sys.getrefcount(None) >= before - 50
