"""Undoable changes to a task, for the window's QUndoStack. Each one calls the core both ways.

A command that the core refuses (read-only workspace, database busy, task gone) shows the plain message, marks
itself obsolete so the stack drops it, and still reports the task as changed so the screen shows the true state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from liaison_app import catalog, evidence, progress
from liaison_app.errors import LiaisonError
from liaison_app.model import Progress, Status
from liaison_app.workspace import Workspace

from .jobs import show_error

__all__ = ["ProgressState", "SetProgressCommand", "UnlinkEvidenceCommand", "AttachEvidenceCommand",
           "BatchProgressCommand", "AssignTasksCommand"]

Notify = Callable[[int], None]
"""Called with the task id after every do, undo or redo (also after a refused one)."""


@dataclass(frozen=True)
class ProgressState:
    """What set_status records for a task: status, note and completion date."""

    status: Status
    note: str = ""
    completed_on: dt.date | None = None

    @classmethod
    def of(cls, p: Progress | None) -> ProgressState:
        return cls(Status.TODO) if p is None else cls(p.status, p.note, p.completed_on)


class _CoreCommand(QUndoCommand):
    def __init__(self, text: str, ws: Workspace, task_id: int, notify: Notify, error_parent: QWidget | None) -> None:
        super().__init__(text)
        self.ws = ws
        self.task_id = task_id
        self._notify = notify
        self._error_parent = error_parent

    def _run(self, change: Callable[[], object]) -> None:
        try:
            change()
        except LiaisonError as err:
            self.setObsolete(True)
            show_error(self._error_parent, err)
        finally:
            self._notify(self.task_id)


class SetProgressCommand(_CoreCommand):
    """A status, note or completion-date change; undo puts all three back as they were."""

    def __init__(self, text: str, ws: Workspace, task_id: int, department: str | None, before: ProgressState,
                 after: ProgressState, notify: Notify, error_parent: QWidget | None = None) -> None:
        super().__init__(text, ws, task_id, notify, error_parent)
        self.department = department
        self.before = before
        self.after = after

    def _set(self, state: ProgressState) -> None:
        progress.set_status(self.ws, "task", self.task_id, state.status, department=self.department,
                            note=state.note, completed_on=state.completed_on)

    def redo(self) -> None:
        self._run(lambda: self._set(self.after))

    def undo(self) -> None:
        self._run(lambda: self._set(self.before))


class UnlinkEvidenceCommand(_CoreCommand):
    """Remove evidence from a task (the file stays in the vault); undo links it again."""

    def __init__(self, text: str, ws: Workspace, task_id: int, evidence_id: int, notify: Notify,
                 error_parent: QWidget | None = None) -> None:
        super().__init__(text, ws, task_id, notify, error_parent)
        self.evidence_id = evidence_id

    def redo(self) -> None:
        self._run(lambda: evidence.unlink(self.ws, self.evidence_id, "task", self.task_id))

    def undo(self) -> None:
        self._run(lambda: evidence.link(self.ws, self.evidence_id, "task", self.task_id))


class AttachEvidenceCommand(_CoreCommand):
    """Files already attached by a background job; undo unlinks the evidence that was new to the task, redo links
    it again (the files stay in the vault either way)."""

    def __init__(self, text: str, ws: Workspace, task_id: int, evidence_ids: Sequence[int], notify: Notify,
                 error_parent: QWidget | None = None) -> None:
        super().__init__(text, ws, task_id, notify, error_parent)
        self.evidence_ids = tuple(evidence_ids)
        self._done_by_job = True

    def redo(self) -> None:
        if self._done_by_job:  # the push after the job: the links are already there
            self._done_by_job = False
            self._notify(self.task_id)
            return
        self._run(lambda: [evidence.link(self.ws, i, "task", self.task_id) for i in self.evidence_ids])

    def undo(self) -> None:
        self._run(lambda: [evidence.unlink(self.ws, i, "task", self.task_id) for i in self.evidence_ids])


class BatchProgressCommand(QUndoCommand):
    """The same change (status or note) to several tasks, all or nothing, undone as one step."""

    def __init__(self, text: str, ws: Workspace, department: str | None,
                 changes: Sequence[tuple[int, ProgressState, ProgressState]],
                 notify: Callable[[list[int]], None], error_parent: QWidget | None = None) -> None:
        super().__init__(text)
        self.ws = ws
        self.department = department
        self.changes = tuple(changes)
        self._notify = notify
        self._error_parent = error_parent

    def _apply(self, pick: Callable[[ProgressState, ProgressState], ProgressState]) -> None:
        try:
            with self.ws.transaction():
                for task_id, before, after in self.changes:
                    state = pick(before, after)
                    progress.set_status(self.ws, "task", task_id, state.status, department=self.department,
                                        note=state.note, completed_on=state.completed_on)
        except LiaisonError as err:
            self.setObsolete(True)
            show_error(self._error_parent, err)
        finally:
            self._notify([task_id for task_id, _b, _a in self.changes])

    def redo(self) -> None:
        self._apply(lambda _before, after: after)

    def undo(self) -> None:
        self._apply(lambda before, _after: before)


class AssignTasksCommand(QUndoCommand):
    """Tasks of another bureau's document assigned to one unit of this bureau; undo puts back each earlier
    assignment."""

    def __init__(self, text: str, ws: Workspace, before: dict[int, str | None], department: str | None,
                 notify: Callable[[list[int]], None], error_parent: QWidget | None = None) -> None:
        super().__init__(text)
        self.ws = ws
        self.before = dict(before)
        self.department = department
        self._notify = notify
        self._error_parent = error_parent

    def _apply(self, target: Callable[[int], str | None]) -> None:
        try:
            with self.ws.transaction():
                for task_id in self.before:
                    catalog.assign_task(self.ws, task_id, target(task_id))
        except LiaisonError as err:
            self.setObsolete(True)
            show_error(self._error_parent, err)
        finally:
            self._notify(list(self.before))

    def redo(self) -> None:
        self._apply(lambda _task_id: self.department)

    def undo(self) -> None:
        self._apply(lambda task_id: self.before[task_id])
