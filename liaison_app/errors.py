"""The one error hierarchy: a LiaisonError is something the user can fix and is shown as a plain sentence.

Anything else that escapes is a bug: the CLI prints a traceback and the GUI a crash report.
"""

from __future__ import annotations

__all__ = [
    "LiaisonError",
    "WorkspaceError",
    "WorkspaceLocked",
    "WorkspaceReadOnly",
    "SchemaTooNew",
    "InputError",
    "ImportFailed",
    "VaultError",
    "NotFound",
    "SigningError",
    "Cancelled",
]


class LiaisonError(Exception):
    """An error the user can do something about. ``str(err)`` is the message to show."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        """An optional second sentence: what to do about it."""

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class WorkspaceError(LiaisonError):
    """The workspace folder or its database cannot be used (unreadable, full disk, damaged)."""


class WorkspaceLocked(WorkspaceError):
    """Another Liaison Desk process is writing to this workspace."""


class WorkspaceReadOnly(WorkspaceError):
    """The workspace's folder or database cannot be written (a read-only share, a write-protected folder)."""


class SchemaTooNew(WorkspaceError):
    """The database was written by a newer version of the program."""


class InputError(LiaisonError):
    """A file or argument given by the user cannot be used."""


class ImportFailed(InputError):
    """A document could not be turned into tables (corrupt, encrypted, no recognisable table)."""


class VaultError(LiaisonError):
    """Evidence could not be stored or read back."""


class NotFound(InputError):
    """A task, indicator, case or evidence id that does not exist."""


class SigningError(LiaisonError):
    """An identity could not be created or opened, or a document could not be signed."""


class Cancelled(LiaisonError):
    """The user cancelled a long-running job; nothing was changed."""

    exit_code = 130
