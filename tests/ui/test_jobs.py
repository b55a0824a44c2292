"""The background-job helper: work off the UI thread, results and errors back on it, cancelling, and no garbage
collection on the worker thread (where it could destroy Qt objects)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QMessageBox, QWidget

from liaison_app.errors import Cancelled, InputError
from ui.jobs import run_job


def test_work_runs_off_the_ui_thread_and_the_result_comes_back_on_it(qtbot) -> None:
    ui_thread = threading.get_ident()
    seen: dict[str, int] = {}

    def work(progress) -> int:
        seen["work"] = threading.get_ident()
        for n in range(3):
            progress(n, 3, "步骤")
        return 42

    results: list[tuple[int, int]] = []
    job = run_job(None, "测试", work, on_success=lambda r: results.append((r, threading.get_ident())),
                  show_progress=False)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert seen["work"] != ui_thread
    assert results == [(42, ui_thread)]


def test_cancelling_stops_the_work_at_its_next_progress_report(qtbot) -> None:
    started = threading.Event()
    release = threading.Event()
    steps: list[int] = []

    def work(progress) -> None:
        started.set()
        release.wait(10)
        for n in range(100):
            progress(n, 100, "")
            steps.append(n)

    failures: list[BaseException] = []
    job = run_job(None, "测试", work, on_failure=failures.append, show_progress=False)
    assert started.wait(10)
    job.cancel()
    release.set()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert steps == [] and len(failures) == 1 and isinstance(failures[0], Cancelled)


def test_an_error_the_user_can_fix_is_shown_as_a_plain_sentence(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def work(progress) -> None:
        raise InputError("文件不存在。")

    job = run_job(parent, "测试", work, show_progress=False)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    [box] = parent.findChildren(QMessageBox)
    assert box.text() == "文件不存在。" and box.icon() == QMessageBox.Icon.Warning
    assert not box.detailedText()
    box.close()


def test_garbage_is_collected_on_the_ui_thread_only(qtbot) -> None:
    ui_thread = threading.get_ident()
    collected_on: list[int] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.get_ident())

    def work(progress) -> int:
        # Enough reference cycles to trigger the collector many times over if it were enabled here.
        for _ in range(200_000):
            a: list = []
            a.append(a)
        return 0

    gc.callbacks.append(watch)
    try:
        job = run_job(None, "测试", work, show_progress=False)
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
    finally:
        gc.callbacks.remove(watch)
    assert not gc.isenabled(), "automatic collection is off while the worker thread exists"
    assert collected_on, "the UI thread collected after the job"
    assert set(collected_on) == {ui_thread}
