"""PhysioNet record sets with one label per record (the PhysioNet/CinC 2017 AF challenge layout) ->
fixed-length windows, split by record.

Layout read: a folder with ``RECORDS`` (one record name per line; without it, every ``*.hea``), a
WFDB header ``NAME.hea`` and its signal file per record (``.mat`` read with scipy, as CinC 2017
ships them; any other WFDB signal format with the ``wfdb`` package), and a label file of lines
``record,label`` (``REFERENCE.csv``).

Preprocessing (:func:`make_record_windows`), after NAS-Bench-360's ECG task, which TEACUP used:
every record is z-scored on its own (its mean and standard deviation), records are split 80/10/10
by record and stratified by class (NAS-Bench-360: the same fractions, by record, not stratified,
``random_state=0``), then cut into 1,000-sample windows with a class-dependent stride (N 500,
A 83, O 250, ~ 25 samples: the rare classes are oversampled, in every split as NAS-Bench-360 does).
NAS-Bench-360 starts windows at ``range(0, length - window, stride)``, which skips a window ending
exactly at the record's end; here that window is kept. Optional: resampling to another rate,
a cap on the records read (a stratified seeded subset) and on the windows per record (evenly
spaced over the record, so a CPU budget still sees whole records).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from zc_core.errors import DataError

from ..datasets import Dataset, from_arrays
from .splits import SPLIT_NAMES, split_records, subsample_records

CINC_CLASSES = ("N", "A", "O", "~")
"""The CinC 2017 labels in NAS-Bench-360's order: normal, AF, other rhythm, too noisy."""
CINC_STRIDES = {"N": 500, "A": 83, "O": 250, "~": 25}
"""NAS-Bench-360's window strides at 300 Hz (500, 500 // 6, 500 // 2, 500 // 20)."""
CINC_RATE = 300


@dataclass(frozen=True)
class Record:
    """One record's signal (one lead, physical units), rate and class index."""

    name: str
    signal: np.ndarray
    fs: float
    label: int


def read_labels(path: str, classes: Sequence[str]) -> dict[str, int]:
    """``record,label`` lines -> record -> class index; an unknown label is an error."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such label file (expected lines record,label)")
    out: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 2 or not parts[0]:
                raise DataError(f"{path}: line {number} {line!r} is not 'record,label'")
            name, label = parts
            if label not in classes:
                raise DataError(f"{path}: line {number}: unknown label {label!r} of record {name} "
                                f"(known: {', '.join(classes)}; set --classes)")
            out[name] = classes.index(label)
    if not out:
        raise DataError(f"{path}: no labelled records")
    return out


def list_records(source: str) -> list[str]:
    """The record names of ``source``: its ``RECORDS`` file, else every ``*.hea`` (sorted)."""
    if not os.path.isdir(source):
        raise DataError(f"{source}: no such folder (expected a PhysioNet record set)")
    listing = os.path.join(source, "RECORDS")
    if os.path.isfile(listing):
        with open(listing, encoding="utf-8") as handle:
            names = [line.strip() for line in handle if line.strip()]
    else:
        names = sorted(f[:-4] for f in os.listdir(source) if f.endswith(".hea"))
    if not names:
        raise DataError(f"{source}: no records (no RECORDS file and no .hea headers)")
    return names


def read_signal(source: str, name: str, lead: int = 0) -> tuple[np.ndarray, float]:
    """One lead of record ``name`` in physical units, and its sampling rate; every disagreement
    between header and signal file (missing, truncated, corrupt, other length) is an error."""
    import wfdb

    where = os.path.join(source, name)
    try:
        header = wfdb.rdheader(where)
    except FileNotFoundError:
        raise DataError(f"{where}.hea: no such header") from None
    except Exception as exc:                       # wfdb raises many types for a damaged header
        raise DataError(f"{where}.hea: not a readable WFDB header ({type(exc).__name__}: {exc})") from None
    if not header.n_sig or lead >= header.n_sig:
        raise DataError(f"{where}.hea: record has {header.n_sig or 0} signal(s); --lead {lead} is not one")
    files = header.file_name or []
    expected = header.sig_len
    if files and files[lead].endswith(".mat"):
        values = _read_mat(os.path.join(source, files[lead]), header.n_sig, expected)[lead].astype(np.float64)
        gain = (header.adc_gain or [1.0])[lead] or 1.0
        baseline = (header.baseline or [0])[lead] or 0
        signal = (values - baseline) / gain
    else:
        try:
            record = wfdb.rdrecord(where, channels=[lead], physical=True)
        except FileNotFoundError as exc:
            raise DataError(f"{where}: signal file missing ({exc.filename})") from None
        except Exception as exc:
            raise DataError(f"{where}: not a readable WFDB signal ({type(exc).__name__}: {exc})") from None
        signal = record.p_signal[:, 0].astype(np.float64)
        if expected and len(signal) != expected:
            raise DataError(f"{where}: the header gives {expected} samples, the signal file holds {len(signal)}")
    if not np.all(np.isfinite(signal)):
        raise DataError(f"{where}: signal has NaN or infinite values")
    return signal, float(header.fs)


def _read_mat(path: str, n_sig: int, expected: int | None) -> np.ndarray:
    from scipy.io import loadmat

    if not os.path.isfile(path):
        raise DataError(f"{path}: signal file missing")
    try:
        values = loadmat(path)["val"]
    except KeyError:
        raise DataError(f"{path}: no 'val' array (not a PhysioNet .mat signal file)") from None
    except Exception as exc:                       # scipy raises many types for a damaged file
        raise DataError(f"{path}: not a readable .mat signal file ({type(exc).__name__})") from None
    values = np.atleast_2d(values)
    if values.shape[0] != n_sig:
        raise DataError(f"{path}: holds {values.shape[0]} signal(s), the header gives {n_sig}")
    if expected and values.shape[1] != expected:
        raise DataError(f"{path}: the header gives {expected} samples, the signal file holds {values.shape[1]}")
    return values


def read_records(source: str, names: Sequence[str], labels: dict[str, int], lead: int = 0,
                 progress: Callable[[int], None] | None = None) -> list[Record]:
    """Every named record with its label; a record missing from the label file is an error."""
    missing = [n for n in names if n not in labels]
    if missing:
        raise DataError(f"{source}: record {missing[0]} has no label in the label file"
                        + (f" ({len(missing)} records have none)" if len(missing) > 1 else ""))
    out = []
    for name in names:
        signal, fs = read_signal(source, name, lead)
        out.append(Record(name, signal, fs, labels[name]))
        if progress:
            progress(1)
    return out


def zscore(signal: np.ndarray) -> np.ndarray:
    """The record standardized by its own mean and standard deviation (a flat record becomes zeros)."""
    std = signal.std()
    return (signal - signal.mean()) / (std if std > 1e-12 else 1.0)


def resample(signal: np.ndarray, fs: float, rate: float) -> np.ndarray:
    """``signal`` at ``rate`` Hz (polyphase filtering); unchanged when the rates agree."""
    if abs(fs - rate) < 1e-9:
        return signal
    from fractions import Fraction

    from scipy.signal import resample_poly

    ratio = Fraction(rate / fs).limit_denominator(1000)
    return resample_poly(signal, ratio.numerator, ratio.denominator)


def window_starts(length: int, window: int, stride: int, cap: int | None = None) -> np.ndarray:
    """Start of every ``window``-sample window at ``stride`` in a ``length``-sample record, thinned to
    ``cap`` evenly spaced ones when there are more."""
    starts = np.arange(0, length - window + 1, stride)
    if cap is not None and len(starts) > cap:
        starts = starts[np.unique(np.round(np.linspace(0, len(starts) - 1, cap)).astype(int))]
    return starts


def parse_strides(text: str, classes: Sequence[str]) -> dict[str, int]:
    """``"500"`` (every class) or ``"N=500,A=83,..."`` (every class named) -> class -> stride."""
    text = text.strip()
    if "=" not in text:
        value = _positive(text, "--stride")
        return {c: value for c in classes}
    out = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key.strip() not in classes:
            raise DataError(f"--stride: unknown class {key.strip()!r} (classes: {', '.join(classes)})")
        out[key.strip()] = _positive(value, "--stride")
    missing = [c for c in classes if c not in out]
    if missing:
        raise DataError(f"--stride: no stride for class(es) {', '.join(missing)}")
    return out


def _positive(text: str, option: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise DataError(f"{option}: {text!r} is not a positive integer")
    return value


def make_record_windows(records: Sequence[Record], classes: Sequence[str], *, window: int = 1000,
                        strides: dict[str, int] | None = None, rate: float | None = None,
                        fractions: tuple[float, float, float] = (0.8, 0.1, 0.1), seed: int = 0,
                        windows_per_record: int | None = None, name: str = "cinc2017") -> Dataset:
    """Windows of every record (z-scored per record, resampled to ``rate``), split by record."""
    strides = strides or {c: CINC_STRIDES.get(c, 500) for c in classes}
    labels = np.array([r.label for r in records])
    assignment = split_records(labels, fractions, seed)
    parts: dict[str, tuple[list, list, list]] = {s: ([], [], []) for s in SPLIT_NAMES}
    short = 0
    for record, split in zip(records, assignment):
        signal = zscore(record.signal if rate is None else resample(record.signal, record.fs, rate))
        starts = window_starts(len(signal), window, strides[classes[record.label]], windows_per_record)
        if not len(starts):
            short += 1
            continue
        xs, ys, names = parts[SPLIT_NAMES[split]]
        xs.append(np.stack([signal[s:s + window] for s in starts]).astype(np.float32))
        ys.extend([record.label] * len(starts))
        names.extend([record.name] * len(starts))
    arrays = {}
    for split, (xs, ys, names) in parts.items():
        if not xs:
            raise DataError(f"no {split} windows: too few records of {window} samples or more "
                            f"({short} records are shorter)")
        arrays[split] = (np.concatenate(xs)[:, None, :], np.array(ys, dtype=np.int64))
    dataset = from_arrays(name, arrays)
    record_ids = {s: np.array(parts[s][2]) for s in SPLIT_NAMES}
    return dataset.with_metadata(class_names=tuple(classes), records=record_ids)


def select_records(names: Sequence[str], labels: dict[str, int], max_records: int | None,
                   seed: int) -> list[str]:
    """``names`` cut to a seeded, class-stratified subset of ``max_records`` (all when None)."""
    names = list(names)
    if max_records is None:
        return names
    keep = subsample_records(np.array([labels.get(n, -1) for n in names]), max_records, seed)
    return [names[i] for i in keep]


def make_cinc(source: str, *, labels: str | None = None, classes: str | None = None, window: int | None = None,
              stride: str | None = None, split: str | None = None, max_records: int | None = None,
              windows_per_record: int | None = None, rate: float | None = None, lead: int = 0, seed: int = 0,
              bar=None) -> Dataset:
    """``make-dataset cinc2017``: read, check, window and split a record set (see the module doc)."""
    from .splits import parse_fractions

    class_names = tuple(c.strip() for c in classes.split(",") if c.strip()) if classes else CINC_CLASSES
    if len(set(class_names)) < 2 or len(set(class_names)) != len(class_names):
        raise DataError(f"--classes {classes!r}: need two or more distinct labels")
    names = list_records(source)
    label_of = read_labels(labels or os.path.join(source, "REFERENCE.csv"), class_names)
    chosen = select_records(names, label_of, max_records, seed)
    if bar is None:
        records = read_records(source, chosen, label_of, lead)
    else:
        with bar(len(chosen), "record") as progress:
            records = read_records(source, chosen, label_of, lead, progress.update)
    default = {c: CINC_STRIDES.get(c, 500) for c in class_names}
    return make_record_windows(records, class_names, window=window or 1000,
                               strides=parse_strides(stride, class_names) if stride else default, rate=rate,
                               fractions=parse_fractions(split or "80/10/10"), seed=seed,
                               windows_per_record=windows_per_record,
                               name=os.path.basename(os.path.normpath(source)) or "records")
