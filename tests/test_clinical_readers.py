"""The clinical readers on the real files in ../shared/clinical and on small fixtures derived from
them: the CinC 2017 record set, MIT-BIH beat annotations, MedMNIST; splits by record; bad input."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from synth.cli import main

CLINICAL = Path(os.environ.get("ZC_CLINICAL", Path(__file__).resolve().parents[2] / "shared" / "clinical"))
CINC = CLINICAL / "cinc2017" / "training2017"
SAMPLE = CLINICAL / "wfdb-sample"
MEDMNIST = CLINICAL / "medmnist"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared clinical data)")
    return path


def _cinc_fixture(tmp_path: Path, per_class: int = 4) -> Path:
    """A small record set copied from CinC 2017: ``per_class`` records of each label."""
    source = _need(CINC)
    folder = tmp_path / "cinc"
    folder.mkdir()
    chosen: dict[str, list[str]] = {}
    for line in (source / "REFERENCE.csv").read_text().splitlines():
        name, label = line.split(",")
        if len(chosen.setdefault(label, [])) < per_class:
            chosen[label].append(name)
    names = sorted(n for group in chosen.values() for n in group)
    for name in names:
        for ext in (".hea", ".mat"):
            shutil.copy(source / f"{name}{ext}", folder / f"{name}{ext}")
    (folder / "RECORDS").write_text("\n".join(names) + "\n")
    labels = {n: lab for lab, group in chosen.items() for n in group}
    (folder / "REFERENCE.csv").write_text("".join(f"{n},{labels[n]}\n" for n in names))
    return folder


def test_cinc2017_on_the_shared_records_splits_by_record_with_the_class_shares_of_the_whole(tmp_path, capsys):
    from benchmarks_data.datasets import load_dataset

    _need(CINC)
    out = tmp_path / "cinc.npz"
    assert main(["make-dataset", "cinc2017", "--source", str(CINC), "--max-records", "2000",
                 "--windows-per-record", "2", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "split by record" in printed and "records/samples per class: N " in printed
    data = load_dataset(str(out))
    assert data.class_names == ("N", "A", "O", "~") and data.sample_shape == (1, 1000)
    sets = {s: set(data.records[s]) for s in ("train", "val", "test")}
    assert not (sets["train"] & sets["val"] or sets["train"] & sets["test"] or sets["val"] & sets["test"])
    assert sum(len(s) for s in sets.values()) == 2000
    whole = {}
    for s in ("train", "val", "test"):
        _, y = data.split(s)
        first = dict(zip(data.records[s], y))
        whole[s] = np.bincount(list(first.values()), minlength=4)
    total = sum(whole.values())
    for s, counts in whole.items():
        assert np.abs(counts / counts.sum() - total / total.sum()).max() < 0.02, (s, counts)
    assert abs(len(sets["train"]) / 2000 - 0.8) < 0.01


def test_cinc2017_windows_follow_nas_bench_360s_class_strides_and_per_record_zscore(tmp_path):
    from benchmarks_data.readers.physionet import CINC_CLASSES, make_cinc, read_signal

    folder = _cinc_fixture(tmp_path)
    data = make_cinc(str(folder), seed=0)
    for split in ("train", "val", "test"):
        x, y = data.split(split)
        for record in set(data.records[split]):
            rows = data.records[split] == record
            signal, _ = read_signal(str(folder), record)
            label = CINC_CLASSES[int(y[rows][0])]
            stride = {"N": 500, "A": 83, "O": 250, "~": 25}[label]
            assert rows.sum() == (len(signal) - 1000) // stride + 1          # every window that fits
            z = (signal - signal.mean()) / signal.std()
            assert np.allclose(x[rows][0, 0], z[:1000], atol=1e-5)           # z-scored on the record


def test_a_cinc_record_reads_as_the_header_says():
    from benchmarks_data.readers.physionet import read_signal

    signal, fs = read_signal(str(_need(CINC)), "A00001")
    assert fs == 300 and len(signal) == 9000 and abs(signal[0] - (-0.127)) < 1e-9     # 1000 per mV


def test_the_wfdb_beat_reader_gives_record_100s_beats_as_aami_classes():
    from benchmarks_data.readers.beats import AAMI_CLASSES, read_beats

    beats = read_beats(str(_need(SAMPLE)), "100")
    counts = dict(zip(AAMI_CLASSES, np.bincount(beats.y, minlength=5)))
    # 2,273 annotated beats: 2,239 N, 33 S (atrial premature), 1 V; the first and last N beat sit
    # nearer the record's ends than half a 256-sample window, so 2 are dropped
    assert beats.dropped == 2 and len(beats.y) == 2273 - 2
    assert counts == {"N": 2239 - 2, "S": 33, "V": 1, "F": 0, "Q": 0}
    assert beats.x.shape == (2271, 256)


def test_wfdb_beats_splits_by_record_and_takes_test_records(tmp_path, capsys):
    import wfdb

    from benchmarks_data.datasets import load_dataset

    source = _need(SAMPLE)
    folder = tmp_path / "beats"
    folder.mkdir()
    record = wfdb.rdrecord(str(source / "100"), sampto=108000)
    annotation = wfdb.rdann(str(source / "100"), "atr", sampto=108000)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for k in range(5):                              # five 60-second pieces, each a "record"
            start = k * 21600
            keep = (annotation.sample >= start) & (annotation.sample < start + 21600)
            wfdb.wrsamp(f"r{k}", fs=360, units=record.units, sig_name=record.sig_name,
                        p_signal=record.p_signal[start:start + 21600], fmt=["212", "212"])
            wfdb.wrann(f"r{k}", "atr", annotation.sample[keep] - start,
                       symbol=[s for s, m in zip(annotation.symbol, keep) if m])
    finally:
        os.chdir(cwd)
    out = tmp_path / "beats.npz"
    assert main(["make-dataset", "wfdb-beats", "--source", str(folder), "--test-records", "r4", "--out", str(out),
                 "--quiet"]) == 0
    data = load_dataset(str(out))
    assert set(data.records["test"]) == {"r4"} and data.class_names[:3] == ("N", "S", "V")
    assert not set(data.records["train"]) & set(data.records["val"])
    assert data.sample_shape == (1, 256)


@pytest.mark.parametrize("name,sizes,shape", [
    ("breastmnist", (546, 78, 156), (1, 28, 28)),
    ("adrenalmnist3d", (1188, 98, 298), (1, 28, 28, 28)),
    ("adrenalmnist3d_64", (1188, 98, 298), (1, 64, 64, 64)),
])
def test_the_medmnist_reader_keeps_the_official_splits(name, sizes, shape):
    from benchmarks_data.readers.medmnist import make_medmnist

    data = make_medmnist(str(_need(MEDMNIST / f"{name}.npz")))
    assert tuple(len(data.split(s)[1]) for s in ("train", "val", "test")) == sizes
    assert data.sample_shape == shape and data.num_classes == 2


def test_medmnist_pooled_split_is_seeded_and_stratified():
    from benchmarks_data.readers.medmnist import make_medmnist

    path = str(_need(MEDMNIST / "breastmnist.npz"))
    a, b = make_medmnist(path, "50/25/25", seed=0), make_medmnist(path, "50/25/25", seed=0)
    assert np.array_equal(a.x_val, b.x_val)
    assert tuple(len(a.split(s)[1]) for s in ("train", "val", "test")) == (392, 194, 194)         # dealt per class, rounded
    shares = [a.split(s)[1].mean() for s in ("train", "val", "test")]
    assert max(shares) - min(shares) < 0.01


def _bad(tmp_path, capsys, argv, words):
    out = tmp_path / "out.npz"
    assert main(argv + ["--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_a_truncated_signal_file_is_one_line(tmp_path, capsys):
    folder = _cinc_fixture(tmp_path)
    name = (folder / "RECORDS").read_text().split()[0]
    data = (folder / f"{name}.mat").read_bytes()
    (folder / f"{name}.mat").write_bytes(data[:len(data) // 2])
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(folder)], name)


def test_a_corrupt_signal_file_is_one_line(tmp_path, capsys):
    folder = _cinc_fixture(tmp_path)
    name = (folder / "RECORDS").read_text().split()[1]
    (folder / f"{name}.mat").write_bytes(b"not a matlab file at all" * 10)
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(folder)], "not a readable .mat")


def test_a_header_whose_length_disagrees_with_the_samples_is_one_line(tmp_path, capsys):
    folder = _cinc_fixture(tmp_path)
    name = (folder / "RECORDS").read_text().split()[2]
    header = (folder / f"{name}.hea").read_text().splitlines()
    fields = header[0].split()
    fields[3] = str(int(fields[3]) + 300)
    (folder / f"{name}.hea").write_text("\n".join([" ".join(fields)] + header[1:]) + "\n")
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(folder)], "the header gives")


def test_a_record_missing_from_the_label_file_is_one_line(tmp_path, capsys):
    folder = _cinc_fixture(tmp_path)
    lines = (folder / "REFERENCE.csv").read_text().splitlines()
    (folder / "REFERENCE.csv").write_text("\n".join(lines[1:]) + "\n")
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(folder)], "has no label")


def test_an_unknown_label_is_one_line(tmp_path, capsys):
    folder = _cinc_fixture(tmp_path)
    lines = (folder / "REFERENCE.csv").read_text().splitlines()
    lines[0] = lines[0].split(",")[0] + ",X"
    (folder / "REFERENCE.csv").write_text("\n".join(lines) + "\n")
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(folder)], "unknown label 'X'")


def test_an_annotation_file_without_beats_is_one_line(tmp_path, capsys):
    import wfdb

    source = _need(SAMPLE)
    folder = tmp_path / "nobeats"
    folder.mkdir()
    for ext in (".hea", ".dat"):
        shutil.copy(source / f"100{ext}", folder / f"100{ext}")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        wfdb.wrann("100", "atr", np.array([10, 5000]), symbol=["+", "~"], aux_note=["(N", ""])
    finally:
        os.chdir(cwd)
    _bad(tmp_path, capsys, ["make-dataset", "wfdb-beats", "--source", str(folder)], "no beat annotations")


def test_a_clinical_source_needs_source_and_a_demo_refuses_it(tmp_path, capsys):
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017"], "needs --source")
    _bad(tmp_path, capsys, ["make-dataset", "ecg", "--source", "x"], "makes its own data")
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", str(tmp_path / "nope")], "no such folder")


def test_medmnist_downsample_averages_blocks():
    from benchmarks_data.readers.medmnist import downsample, make_medmnist

    x = np.arange(2 * 1 * 4 * 4 * 5, dtype=np.float32).reshape(2, 1, 4, 4, 5)
    small = downsample(x, 2)
    assert small.shape == (2, 1, 2, 2, 2) and small[1, 0, 1, 0, 1] == x[1, 0, 2:4, 0:2, 2:4].mean()
    data = make_medmnist(str(_need(MEDMNIST / "adrenalmnist3d.npz")), factor=2)
    assert data.sample_shape == (1, 14, 14, 14) and len(data.y_train) == 1188


def test_an_option_of_another_source_is_refused(tmp_path, capsys):
    _bad(tmp_path, capsys, ["make-dataset", "ecg", "--lead", "1"], "--lead applies to cinc2017, wfdb-beats")
    _bad(tmp_path, capsys, ["make-dataset", "medmnist", "--source", "x.npz", "--max-records", "3"],
         "--max-records applies to cinc2017")
    _bad(tmp_path, capsys, ["make-dataset", "cinc2017", "--source", "x", "--n", "5"], "--n applies to ecg")
