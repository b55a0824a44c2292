"""The one background-job helper: core work runs off the UI thread, one job at a time, with a cancellable progress
dialog, and its success or failure is delivered back on the UI thread.

Every job runs on a single worker thread, so two jobs never write to the workspace at once (the pattern of Anki's
task manager). The core reports through :data:`liaison_app.jobs.ProgressFn`; cancelling makes that callback raise
:class:`liaison_app.errors.Cancelled`, and the core rolls back what it had started.

    job = run_job(self, self.tr("正在导入…"), lambda progress: import_file(ws, path, progress=progress),
                  on_success=self.show_report)
    # tests: with qtbot.waitSignal(job.finished): ...
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from liaison_app.errors import Cancelled, LiaisonError
from liaison_app.jobs import ProgressFn

__all__ = ["Job", "run_job", "run_in_view", "show_error", "shutdown", "BUG_SENTENCE"]

_PROGRESS_INTERVAL = 0.05
"""Seconds between two progress signals: a 2 GB copy must not flood the UI thread's event queue."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("jobs", text)


BUG_SENTENCE = QT_TRANSLATE_NOOP("jobs", "程序出错了，这是程序的缺陷，不是您的操作问题。您的数据没有受到影响。")
"""The one sentence for a bug, wherever it shows (the details go to the crash report dialog)."""


class Job(QObject):
    """One piece of work. Signals arrive on the UI thread; ``finished`` is always the last one."""

    progressed = Signal(int, object, str)
    """done, total (int or None when unknown), message."""
    succeeded = Signal(object)
    """The work's return value."""
    failed = Signal(object)
    """The exception (a Cancelled when the user cancelled)."""
    finished = Signal()

    def __init__(self, title: str, work: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self.title = title
        self._work = work
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self.result: Any = None
        self.error: BaseException | None = None
        self.error_traceback: str | None = None
        """The traceback of ``error`` (for the crash report of a bug)."""
        self.done = False

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report (it raises Cancelled there and rolls back)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int | None, message: str) -> None:
        if self._cancel.is_set():
            raise Cancelled(_tr("已取消，没有做任何改动。"))
        now = time.monotonic()
        if now - self._last_emit >= _PROGRESS_INTERVAL or (total is not None and done >= total):
            self._last_emit = now
            self.progressed.emit(done, total, message)

    def _execute(self) -> None:
        """Runs on the worker thread."""
        try:
            if self._cancel.is_set():
                raise Cancelled(_tr("已取消，没有做任何改动。"))
            self.result = self._work(self._progress)
        except BaseException as exc:  # delivered to the UI thread, which decides how to show it
            self.error = exc
            self.error_traceback = traceback.format_exc()
        self._delivered.emit()

    _delivered = Signal()


class _Worker(QObject):
    """Lives on the worker thread and runs jobs in the order they were submitted."""

    submit = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.submit.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, job: Job) -> None:
        job._execute()


_thread: QThread | None = None
_worker: _Worker | None = None
_running: set[Job] = set()
_gc_timer: QTimer | None = None
_GC_INTERVAL_MS = 10_000


def _collect_garbage() -> None:
    gc.collect()


def _collect_on_ui_thread() -> None:
    """Python's cycle collector runs in whichever thread happens to allocate; when that is the worker, it can
    destroy Qt widgets there, which crashes the program. While a worker exists, automatic collection is off and
    the UI thread collects instead: on a timer and after every job (what Anki does for the same reason)."""
    global _gc_timer
    if _gc_timer is None and gc.isenabled():
        gc.disable()
        _gc_timer = QTimer()
        _gc_timer.setInterval(_GC_INTERVAL_MS)
        _gc_timer.timeout.connect(_collect_garbage)
        _gc_timer.start()


def _ensure_worker() -> _Worker:
    global _thread, _worker
    if _worker is None:
        _collect_on_ui_thread()
        _thread = QThread()
        _thread.setObjectName("liaison-worker")
        _worker = _Worker()
        _worker.moveToThread(_thread)
        _thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(shutdown)
    return _worker


def shutdown() -> None:
    """Stop the worker thread (after the job it is running). Called when the application quits."""
    global _thread, _worker, _gc_timer
    for job in list(_running):
        job.cancel()
    if _thread is not None:
        _thread.quit()
        _thread.wait()
    _thread = None
    _worker = None
    if _gc_timer is not None:
        _gc_timer.stop()
        _gc_timer = None
        gc.enable()
        gc.collect()


def show_error(parent: QWidget | None, error: BaseException, *, title: str | None = None,
               details: str | None = None) -> QMessageBox:
    """A plain Chinese message for an error the user can fix; a crash report with the traceback for a bug.

    The box is opened window-modal and not waited for, so tests can find it and the event loop keeps running.
    """
    box = QMessageBox(parent)
    box.setWindowTitle(title or _tr("联络员工作台"))
    if isinstance(error, LiaisonError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(str(error))
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(_tr(str(BUG_SENTENCE)))
        box.setInformativeText(_tr("请把下面的详细信息发给维护人员。"))
        box.setDetailedText(details or "".join(traceback.format_exception(error)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def run_job(
    parent: QWidget | None,
    title: str,
    work: Callable[[ProgressFn], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    show_progress: bool = True,
    cancellable: bool = True,
    dialog_delay_ms: int = 400,
) -> Job:
    """Run ``work(progress)`` on the worker thread and return the Job at once.

    On the UI thread afterwards: ``on_success(result)``, or ``on_failure(error)``; without ``on_failure`` a
    LiaisonError is shown as a plain message, a bug as a crash report, and a cancel silently. A progress dialog
    appears when the job takes longer than ``dialog_delay_ms``.
    """
    job = Job(title, work)
    dialog: QProgressDialog | None = None
    if show_progress:
        dialog = QProgressDialog(title, _tr("取消") if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(_tr("请稍候"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(dialog_delay_ms)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(job.cancel)
        dialog.setValue(0)

        def on_progress(done: int, total: object, message: str) -> None:
            if dialog is None:
                return
            if isinstance(total, int) and total > 0:
                # QProgressDialog takes ints; scale byte counts above 2**31 down.
                scale = max(1, total // 1_000_000_000)
                dialog.setMaximum(total // scale)
                dialog.setValue(min(done, total) // scale)
            else:
                dialog.setMaximum(0)
            if message:
                dialog.setLabelText(f"{title}\n{message}")

        job.progressed.connect(on_progress)

    def deliver() -> None:
        job.done = True
        _running.discard(job)
        if dialog is not None:
            dialog.canceled.disconnect(job.cancel)
            dialog.close()
            dialog.deleteLater()
        try:
            if job.error is None:
                if on_success is not None:
                    on_success(job.result)
                job.succeeded.emit(job.result)
            else:
                if on_failure is not None:
                    on_failure(job.error)
                elif not isinstance(job.error, Cancelled):
                    show_error(parent, job.error, title=title, details=job.error_traceback)
                job.failed.emit(job.error)
        finally:
            job.finished.emit()
            _collect_garbage()

    # The job object belongs to the UI thread; _delivered, emitted from the worker, is queued back to it.
    job._delivered.connect(deliver, Qt.ConnectionType.QueuedConnection)
    _running.add(job)
    worker = _ensure_worker()
    worker.submit.emit(job)
    return job


def run_in_view(
    view: QWidget,
    title: str,
    work: Callable[[ProgressFn], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    report: Callable[[str, str], None] | None = None,
    lock: Sequence[QWidget] = (),
    after: Callable[[], None] | None = None,
    cancellable: bool = True,
) -> Job:
    """The one way a view runs long work: ``lock``'s widgets are disabled until it ends, then ``after()`` runs.

    A failure the user can act on (a LiaisonError) goes to ``report(text, kind)`` — the view's message bar, with
    kind "error" ("info" for a cancel); without ``report`` it is shown in a message box. A bug is shown once, as a
    crash report with the traceback, and ``report`` gets the one sentence for a bug.
    """
    for widget in lock:
        widget.setEnabled(False)

    def failed(error: BaseException) -> None:
        if isinstance(error, LiaisonError):
            if report is not None:
                report(str(error), "info" if isinstance(error, Cancelled) else "error")
            elif not isinstance(error, Cancelled):
                show_error(view, error, title=title)
            return
        show_error(view, error, title=title, details=job.error_traceback)
        if report is not None:
            report(_tr(str(BUG_SENTENCE)), "error")

    def finished() -> None:
        for widget in lock:
            widget.setEnabled(True)
        if after is not None:
            after()

    job = run_job(view, title, work, on_success=on_success, on_failure=failed, cancellable=cancellable)
    job.finished.connect(finished)
    return job
