"""What differs between the Qt versions the program supports (6.8, the LTS line the Windows build ships, up to 6.11)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QSortFilterProxyModel


@contextmanager
def rows_filter_change(proxy: QSortFilterProxyModel) -> Iterator[None]:
    """Change what a proxy's row filter accepts inside the block; the proxy re-filters its rows after it.

    Qt 6.9 added beginFilterChange()/endFilterChange(Direction), which keep the selection and scroll position across
    the change; on Qt 6.8 the same result comes from invalidateRowsFilter() once the new state is in place.
    """
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        yield
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        yield
        proxy.invalidateRowsFilter()
