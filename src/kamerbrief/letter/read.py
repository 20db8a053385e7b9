"""Reading the bytes of a letter file: regular files only (or links to them), at most
MAX_FILE_BYTES, read once, and never blocking (a FIFO is opened non-blocking and refused)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..problems import LetterError, Problem, display_path
from .limits import MAX_FILE_BYTES

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _not_a_letter(mode: int) -> str | None:
    """Why a file of this mode cannot be a letter file (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a letter file; left out"


def _too_big(size: int) -> str:
    return (f"the file is {size:,} bytes; a letter file is at most {MAX_FILE_BYTES:,} bytes "
            f"(split it, or move long texts to an attachment)")


def classify(path: Path) -> str | None:
    """Why `path` cannot be read as a letter file, or None when it can."""
    try:
        info = path.stat()  # follows links: a link to a regular file is fine
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that leads back to itself (a loop); fix or remove it"
        if path.is_symlink():
            return "is a symbolic link to a file that does not exist; fix or remove it"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot be read ({exc.strerror})"
    why = _not_a_letter(info.st_mode)
    if why is None and info.st_size > MAX_FILE_BYTES:
        return _too_big(info.st_size)
    return why


def read_letter(path: Path) -> bytes:
    """The bytes of a letter file, read once; LetterError for anything but a regular file of
    at most MAX_FILE_BYTES. Never blocks (a FIFO is opened non-blocking and refused)."""
    name = display_path(path)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise LetterError([Problem(name, None, "", classify(path) or
                                   f"cannot be read ({exc.strerror})")]) from None
    try:
        why = _not_a_letter(os.fstat(handle).st_mode)
        if why:
            raise LetterError([Problem(name, None, "", why)])
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LetterError([Problem(name, None, "", f"cannot be read ({exc.strerror})")]) from None
    finally:
        os.close(handle)
    if len(data) > MAX_FILE_BYTES:
        raise LetterError([Problem(name, None, "", _too_big(path.stat().st_size))])
    return data
