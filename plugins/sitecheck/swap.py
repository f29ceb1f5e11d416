"""Publishing the staged site: one build at a time per output folder, swapped in atomically.

Two builds of one project at once deleted each other's staging folder; a kill between the two
renames of a swap left no `output/`. Here a lock file beside the output serialises builds, and
on Linux the staged and published folders are exchanged in one system call.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import IO

logger = logging.getLogger("explainer")

STAGING_PREFIX = ".staging-"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class OutputProblem(Exception):
    """The output folder cannot be used (a file in its place, a folder we cannot replace)."""


class OutputLock:
    """An exclusive lock on `.<output>.lock` beside the output folder, held for one build."""

    def __init__(self, final: Path) -> None:
        self.path = final.with_name(f".{final.name}.lock")
        self.file: IO[str] | None = None

    def acquire(self) -> None:
        if self.file is not None:
            return
        self.file = self.path.open("a", encoding="utf-8")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"{self.path.name}: another build is writing {self.path.stem[1:]}/; waiting for it",
                file=sys.stderr,
            )
            fcntl.flock(self.file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None


def prepare_output(final: Path) -> None:
    """Under the lock: recover a published site a killed swap left aside, remove leftovers."""
    if final.exists() and not final.is_dir():
        raise OutputProblem(
            f"{final.name}: is a file, not a folder; move it away or build elsewhere"
        )
    aside = final.with_name(f"{STAGING_PREFIX}{final.name}-old")
    if not final.exists() and aside.is_dir():
        aside.rename(final)
        logger.warning("%s: recovered the last published site from %s", final.name, aside.name)
    for stale in sorted(final.parent.glob(f"{STAGING_PREFIX}{final.name}-*")):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        if stale.exists():
            logger.warning("%s: a leftover of an earlier build could not be removed", stale.name)


def swap_in(staging: Path, final: Path) -> None:
    """Make `staging` the published `final` folder; the old site is removed afterwards."""
    if not final.exists():
        staging.rename(final)
        return
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
        return
    aside = final.with_name(f"{STAGING_PREFIX}{final.name}-old")  # recovered by the next build
    final.rename(aside)
    staging.rename(final)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
