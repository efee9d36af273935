"""WFDB records with beat annotations (MIT-BIH Arrhythmia style ``.atr``) -> one window per annotated
beat, labelled with the AAMI EC57 classes, split by record.

The AAMI table (:data:`AAMI`), as used by de Chazal et al. (2004) and most inter-patient studies:

=====  =================================================================  ======================
class  MIT-BIH beat symbols                                               meaning
=====  =================================================================  ======================
N      ``N`` normal, ``L``/``R`` bundle branch block, ``e``/``j`` escape    normal and escape
S      ``A`` atrial, ``a`` aberrated atrial, ``J`` nodal, ``S`` SV premature  supraventricular ectopic
V      ``V`` premature ventricular, ``E`` ventricular escape               ventricular ectopic
F      ``F`` fusion of ventricular and normal                             fusion
Q      ``/`` paced, ``f`` fusion of paced and normal, ``Q`` unclassifiable   unknown
=====  =================================================================  ======================

Every other annotation (rhythm changes ``+``, noise ``~``, ``|``, ...) marks no beat and is skipped.
A window of ``window`` samples is centred on each beat's annotation (``window // 2`` before); a
beat too near a record's start or end for a whole window is dropped and counted. Each record is
z-scored on its own. Splits are by record: ``test_records`` (e.g. de Chazal's DS2) makes the test
split and validation records are drawn from the rest, else records are dealt by fractions,
stratified by each record's most frequent non-N class.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from zc_core.errors import DataError

from ..datasets import Dataset, from_arrays
from .physionet import list_records, read_signal, resample, zscore
from .splits import SPLIT_NAMES, parse_fractions, split_records

AAMI_CLASSES = ("N", "S", "V", "F", "Q")
AAMI: dict[str, str] = {
    "N": "N", "L": "N", "R": "N", "e": "N", "j": "N",
    "A": "S", "a": "S", "J": "S", "S": "S",
    "V": "V", "E": "V",
    "F": "F",
    "/": "Q", "f": "Q", "Q": "Q",
}
"""MIT-BIH beat symbol -> AAMI class."""
DS1 = ("101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201", "203", "205",
       "207", "208", "209", "215", "220", "223", "230")
DS2 = ("100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213", "214", "219",
       "221", "222", "228", "231", "232", "233", "234")
"""de Chazal et al. (2004)'s inter-patient training (DS1) and test (DS2) records of the MIT-BIH
Arrhythmia Database (the four paced records 102, 104, 107, 217 are in neither)."""


@dataclass(frozen=True)
class Beats:
    """The beat windows of one record: ``x`` (beats, window), AAMI class indices, and the beats a
    window could not hold at the record's ends."""

    record: str
    x: np.ndarray
    y: np.ndarray
    dropped: int


def read_beats(source: str, name: str, window: int = 256, lead: int = 0, rate: float | None = None,
               extension: str = "atr") -> Beats:
    """Every annotated beat of record ``name`` as a window centred on its annotation."""
    import wfdb

    signal, fs = read_signal(source, name, lead)
    where = os.path.join(source, f"{name}.{extension}")
    if not os.path.isfile(where):
        raise DataError(f"{where}: no such annotation file")
    try:
        annotation = wfdb.rdann(os.path.join(source, name), extension)
    except Exception as exc:                       # wfdb raises many types for a damaged file
        raise DataError(f"{where}: not a readable WFDB annotation file ({type(exc).__name__})") from None
    samples = np.asarray(annotation.sample, dtype=np.int64)
    symbols = list(annotation.symbol or [])
    beats = [(s, AAMI_CLASSES.index(AAMI[c])) for s, c in zip(samples, symbols) if c in AAMI]
    if not beats:
        raise DataError(f"{where}: no beat annotations (only {', '.join(sorted(set(symbols))) or 'none'})")
    if rate is not None and abs(rate - fs) > 1e-9:
        signal = resample(signal, fs, rate)
        beats = [(int(round(s * rate / fs)), c) for s, c in beats]
    signal = zscore(signal)
    before = window // 2
    kept = [(s, c) for s, c in beats if s - before >= 0 and s - before + window <= len(signal)]
    x = np.stack([signal[s - before:s - before + window] for s, _ in kept]).astype(np.float32) if kept else \
        np.zeros((0, window), np.float32)
    return Beats(name, x, np.array([c for _, c in kept], dtype=np.int64), len(beats) - len(kept))


def record_strata(beats: Sequence[Beats]) -> np.ndarray:
    """Each record's stratum for a by-record split: its most frequent class other than N (N if none)."""
    out = []
    for b in beats:
        counts = np.bincount(b.y, minlength=len(AAMI_CLASSES))
        counts[0] = 0
        out.append(int(counts.argmax()) if counts.any() else 0)
    return np.array(out)


def make_beats(source: str, *, window: int | None = None, split: str | None = None,
               test_records: str | Sequence[str] | None = None, rate: float | None = None, lead: int = 0,
               seed: int = 0, bar: Callable | None = None) -> Dataset:
    """``make-dataset wfdb-beats``: every beat of every record of ``source``, split by record."""
    names = list_records(source)
    window = window or 256
    if bar is None:
        beats = [read_beats(source, n, window, lead, rate) for n in names]
    else:
        beats = []
        with bar(len(names), "record") as progress:
            for n in names:
                beats.append(read_beats(source, n, window, lead, rate))
                progress.update(1)
    beats = [b for b in beats if len(b.y)]
    if isinstance(test_records, str):
        test_records = list(DS2) if test_records.strip().upper() == "DS2" else \
            [r.strip() for r in test_records.split(",") if r.strip()]
    fractions = parse_fractions(split or "80/10/10")
    if test_records:
        unknown = [r for r in test_records if r not in {b.record for b in beats}]
        if unknown:
            raise DataError(f"--test-records: record(s) {', '.join(unknown)} are not in {source}")
        rest = [b for b in beats if b.record not in test_records]
        val_share = fractions[1] / (fractions[0] + fractions[1])
        inner = split_records(record_strata(rest), (1 - val_share, val_share, 0.0), seed)
        assignment = {b.record: int(s) for b, s in zip(rest, inner)}
        assignment.update({r: 2 for r in test_records})
    else:
        assignment = dict(zip([b.record for b in beats], split_records(record_strata(beats), fractions, seed)))
    if len(beats) < 3:
        raise DataError(f"{source}: {len(beats)} record(s) with beats; a split by record needs at least 3")
    parts = {}
    records = {}
    for index, s in enumerate(SPLIT_NAMES):
        chosen = [b for b in beats if assignment[b.record] == index]
        if not chosen:
            raise DataError(f"{source}: no record falls in the {s} split; give more records or other --split")
        parts[s] = (np.concatenate([b.x for b in chosen])[:, None, :], np.concatenate([b.y for b in chosen]))
        records[s] = np.concatenate([[b.record] * len(b.y) for b in chosen])
    dataset = from_arrays(os.path.basename(os.path.normpath(source)) or "beats", parts, source)
    return dataset.with_metadata(class_names=AAMI_CLASSES, records=records)
