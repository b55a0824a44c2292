"""The one progress type that long work reports through, so the CLI and the GUI share the same core code.

A core function that takes a while accepts ``progress: ProgressFn | None``. It calls
``progress(done, total, message)`` now and then; ``total`` is None when unknown. To cancel, the callback raises
:class:`liaison_app.errors.Cancelled`; the core function then rolls back whatever it had started.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ProgressFn", "report", "phase"]

ProgressFn = Callable[[int, "int | None", str], None]


def report(progress: ProgressFn | None, done: int, total: int | None, message: str = "") -> None:
    """Call ``progress`` if there is one (it may raise Cancelled)."""
    if progress is not None:
        progress(done, total, message)


def phase(progress: ProgressFn | None, start: int, end: int, *, scale: int = 1000) -> ProgressFn | None:
    """A ProgressFn for one phase of a longer job: the phase's own (done, total) is mapped onto ``start``..``end``
    of an overall 0..``scale``, so several phases share one progress bar. Cancelling still works (the outer
    callback raises)."""
    if progress is None:
        return None

    def update(done: int, total: int | None, message: str) -> None:
        fraction = min(1.0, done / total) if total else 0.0
        progress(start + int((end - start) * fraction), scale, message)

    return update
