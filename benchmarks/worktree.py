"""An earlier commit checked out beside this one, for benchmarks that run both engines in one run."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextmanager
def checkout(commit: str, folder: str) -> Iterator[str]:
    """A temporary ``git worktree`` of ``commit`` inside ``folder`` (removed afterwards); yields its path."""
    tree = os.path.join(folder, "old")
    subprocess.run(["git", "worktree", "add", "--detach", tree, commit], cwd=ROOT, check=True, capture_output=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT, check=False)


def python_in(source: str, argv: list[str], prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """``python ARGV`` (after ``prefix``, e.g. ``/usr/bin/time``) with the code of ``source`` first on the path."""
    env = dict(os.environ, PYTHONPATH=source)
    return subprocess.run([*(prefix or []), sys.executable, *argv], cwd=source, env=env, capture_output=True,
                          text=True, check=True)
