"""One server per SQLite file: an operating-system lock on ``<database>.lock``, held for the holder's whole life.

The embedded SQLite mode has one server process (its event sequencer and background workers assume they are alone).
``omnidesk server`` holds this lock while it runs, ``omnidesk db upgrade`` and ``downgrade`` while they migrate, so
neither starts beside the other. The operating system drops the lock when its process ends in any way, ``kill -9``
included, so a crash never leaves a stale lock behind; the file itself stays (an empty-ish file naming the last
holder) and is harmless. Commands that are safe beside a running server (``db current``, users, channels, queues,
``backup``) take no lock.

POSIX: ``flock`` on the file (its descriptor is not inherited by programs the holder starts). Windows: ``msvcrt``
byte-range lock on the file's first byte.
"""

from __future__ import annotations

import os
from pathlib import Path

EXIT_DATABASE_IN_USE = 8

if os.name == "nt":  # pragma: no cover - the server is tested on Linux
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DatabaseInUse(Exception):
    """Another process holds the database's lock; ``str()`` is the line to show."""

    exit_code = EXIT_DATABASE_IN_USE

    def __init__(self, database: Path, holder: str | None) -> None:
        self.database, self.holder = database, holder
        by = f"by {holder}" if holder else "by another OmniDesk process"
        super().__init__(
            f"the SQLite database {database} is in use {by}: the embedded mode runs one server per file; "
            "stop that one first, or use PostgreSQL for several servers"
        )


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _read_holder(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # Windows: the locked byte cannot be read
        return None
    return text.strip().strip("\x00").strip() or None


class DatabaseLock:
    """The lock of one SQLite database file, taken with :meth:`acquire` and kept until :meth:`release` or exit."""

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.path = lock_path(self.database)
        self._fd: int | None = None

    def acquire(self, what: str) -> DatabaseLock:
        """Take the lock for ``what`` (e.g. "omnidesk server"), or raise DatabaseInUse naming who has it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUse(self.database, _read_holder(self.path))
        os.ftruncate(fd, 0)
        # Windows locks byte 0 and the holder's name follows it, so others can read who it is.
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f" {what} (pid {os.getpid()})\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
