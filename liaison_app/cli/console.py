"""Standard streams for the `liaison` command on every platform.

- A file or a pipe gets UTF-8, whatever the locale: on a Chinese Windows PC the locale's code page is cp936 (GBK),
  which would turn any character outside GBK into "?" in ``--json`` output and make a script's UTF-8 decoding fail.
  ``PYTHONIOENCODING``, when the user sets it, still wins.
- A console stays as Python sets it up (on Windows the console's own Unicode API), so what a person reads is right.
- Nothing the program prints ends in UnicodeEncodeError: unencodable characters are replaced.
- A reader that stops early (``liaison tasks --json | head``) ends the program quietly, as Unix tools do.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TextIO

__all__ = ["setup_streams", "quiet_broken_pipe", "is_closed_pipe"]


def _is_console(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def setup_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if stream is None or reconfigure is None:
            continue
        try:
            if _is_console(stream) or os.environ.get("PYTHONIOENCODING"):
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            pass


def _stdout_is_pipe() -> bool:
    if sys.platform != "win32":
        return False
    try:
        import ctypes
        import msvcrt

        file_type_pipe = 3
        handle = msvcrt.get_osfhandle(sys.stdout.fileno())
        return bool(ctypes.windll.kernel32.GetFileType(handle) == file_type_pipe)
    except (OSError, ValueError, AttributeError):
        return False


def is_closed_pipe(exc: OSError) -> bool:
    """True when ``exc`` says the reader of our standard output went away. POSIX says EPIPE (BrokenPipeError);
    Windows says EINVAL when writing to a pipe whose reader has closed it."""
    if isinstance(exc, BrokenPipeError):
        return True
    return exc.errno == errno.EINVAL and _stdout_is_pipe()


def quiet_broken_pipe() -> None:
    """After a BrokenPipeError: point stdout at the null device so the interpreter's final flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
