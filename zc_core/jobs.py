"""Job folders and resumable files, one way for every command that resumes (evolve, validate,
build-benchmark, suite-proxies, ensemble, search, compare, train): a job records its settings
beside its outputs, a rerun with the same settings resumes, a rerun with others is refused in one
line naming what differs, and a job never writes into a folder that holds something else."""
from __future__ import annotations

import os
from typing import Any, Mapping

from .errors import DataError
from .files import write_json
from .jsonio import load_json_object


def check_same_settings(saved: Mapping[str, Any], wanted: Mapping[str, Any], where: str,
                        what: str = "job") -> None:
    """Refuse to resume ``where`` when its ``saved`` settings are not ``wanted``, naming the keys
    that differ."""
    if dict(saved) != dict(wanted):
        differ = sorted(k for k in set(saved) | set(wanted) if saved.get(k) != wanted.get(k))
        raise DataError(f"{where} holds a {what} made with other settings (differs in: {', '.join(differ)}); "
                        "rerun with the same options to resume, or use another --out")


def refuse_foreign_folder(directory: str, marker: str = "job.json", what: str = "zc-synth job of this kind") -> None:
    """Refuse a non-empty ``directory`` without the ``marker`` file its kind of job writes: a job never
    writes over files that are not its own."""
    if os.path.isdir(directory) and os.listdir(directory) and not os.path.exists(os.path.join(directory, marker)):
        raise DataError(f"--out {directory} is a non-empty folder that holds no {what}; use another --out")


def read_settings(path: str) -> dict[str, Any]:
    """The settings object a job wrote at ``path`` (a one-line error for anything else)."""
    return load_json_object(path, "unreadable job settings (use another --out)")


def claim_folder(directory: str, signature: Mapping[str, Any], only_ours: bool = False,
                 marker: str = "job.json", what: str = "zc-synth job") -> None:
    """Make ``directory`` a job folder: create it and write ``marker`` (the settings), or check that
    its ``marker`` holds this same ``signature`` (a resumed job). ``only_ours`` also refuses a
    non-empty folder without ``marker``."""
    path = os.path.join(directory, marker)
    if os.path.exists(path):
        saved = read_settings(path)
        if saved.get("kind", "evolve") != signature.get("kind", "evolve"):
            raise DataError(f"--out {directory} holds a zc-synth {saved.get('kind', 'evolve')} job; use another --out")
        check_same_settings(saved, signature, f"--out {directory}", what)
        return
    if only_ours:
        refuse_foreign_folder(directory, marker, what)
    os.makedirs(directory, exist_ok=True)
    write_json(path, dict(signature))


def job_file(out: str) -> str:
    """The settings file beside an output file ``out`` (``FILE.job.json``)."""
    return f"{out}.job.json"


def claim_file(out: str, signature: Mapping[str, Any], what: str = "zc-synth output", write: bool = True) -> bool:
    """Claim the output file ``out`` before writing it: refuse (one line, nothing touched) a file
    that no zc-synth job wrote or that another job's settings wrote; write ``FILE.job.json`` with
    ``signature`` otherwise (``write=False``: the caller writes it with its first output). Returns
    whether ``out`` already holds this same job's output (a rerun or a resume)."""
    settings = job_file(out)
    if os.path.isdir(out):
        raise DataError(f"--out {out} is a folder; name a file")
    if os.path.exists(settings):
        check_same_settings(read_settings(settings), signature, f"--out {out}", what)
        return os.path.exists(out)
    if os.path.exists(out):
        raise DataError(f"--out {out} exists and is not a {what} (no {os.path.basename(settings)} beside "
                        "it); use another --out")
    if write:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        write_json(settings, dict(signature))
    return False
