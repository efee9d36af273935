"""zc-synth proxies end to end: key formats kept as given, npz and gaussian sources, tables the loaders read."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from benchmarks_data.suite import read_suite


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "synth", "proxies", *args, "--quiet"], capture_output=True, text=True)


TINY = ["--width", "4", "--cells", "1", "--batch-size", "8", "--jobs", "1"]


def test_archs_file_keys_come_back_exactly_as_given(tmp_path):
    archs = tmp_path / "archs.txt"
    given = ["(4, 0, 3, 1, 4, 3)", "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|"]
    archs.write_text("\n".join(given) + "\n")
    out = tmp_path / "scores.json"
    done = _cli("--archs", str(archs), "--data", "gaussian", "--proxies", "params,synflow,snip", "--out", str(out), *TINY)
    assert done.returncode == 0, done.stderr
    table = json.loads(out.read_text())
    assert list(table) == ["gaussian"] and list(table["gaussian"]) == given
    assert set(table["gaussian"][given[0]]) == {"params", "synflow", "snip"}
    assert all(isinstance(v["score"], float) and v["time"] >= 0 for v in table["gaussian"][given[0]].values())


def test_npz_1d_data_with_two_workers_gives_a_table_the_loaders_read(tmp_path):
    rng = np.random.default_rng(0)
    data = tmp_path / "ecg.npz"
    np.savez(data, x=rng.normal(size=(40, 1, 64)).astype(np.float32), y=rng.integers(0, 4, 40))
    out = tmp_path / "ecg.json"
    done = _cli("--archs", "random:4", "--dim", "1", "--data", str(data), "--proxies", "nwot,params,zen",
                "--out", str(out), *TINY[:-1], "2")
    assert done.returncode == 0, done.stderr
    frame = read_suite(f"nb201={out}").table("ecg")
    assert frame.shape == (4, 3) and frame.notna().all().all()
    csv_out = tmp_path / "ecg.csv"
    assert _cli("--archs", "random:4", "--dim", "1", "--data", str(data), "--proxies", "nwot,params,zen",
                "--out", str(csv_out), *TINY).returncode == 0
    lines = csv_out.read_text().splitlines()
    assert lines[0] == "arch,nwot,params,zen" and len(lines) == 5
    rows = {line.rsplit(",", 3)[0].strip('"'): float(line.rsplit(",", 3)[1]) for line in lines[1:]}
    assert all(rows[k] == pytest.approx(frame.loc[k, "nwot"]) for k in rows)


@pytest.mark.parametrize("args,message", [
    (["--archs", "random:2", "--data", "gaussian", "--proxies", "synflw"], "did you mean 'synflow'"),
    (["--archs", "random:0", "--data", "gaussian"], "random:N needs"),
    (["--archs", "nofile.txt", "--data", "gaussian"], "cannot read"),
    (["--archs", "random:2", "--data", "missing.npz"], "missing.npz: no such file"),
])
def test_bad_input_ends_in_one_line_and_exit_2(tmp_path, args, message):
    done = _cli(*args, "--out", str(tmp_path / "o.json"))
    assert done.returncode == 2 and message in done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "o.json").exists()


def test_dim_must_fit_the_data(tmp_path):
    data = tmp_path / "sig.npz"
    np.savez(data, x=np.zeros((4, 1, 16), np.float32), y=np.zeros(4, int))
    done = _cli("--archs", "random:1", "--data", str(data), "--dim", "2", "--out", str(tmp_path / "o.json"))
    assert done.returncode == 2 and "--dim 2 does not fit" in done.stderr


def test_a_bad_architecture_line_is_named(tmp_path):
    archs = tmp_path / "a.txt"
    archs.write_text("(0, 1, 2, 3, 4, 0)\n(9, 9)\n")
    done = _cli("--archs", str(archs), "--data", "gaussian", "--out", str(tmp_path / "o.json"))
    assert done.returncode == 2 and "architecture 2" in done.stderr


def test_npz_with_nan_or_mismatched_labels_is_refused(tmp_path):
    bad = tmp_path / "bad.npz"
    np.savez(bad, x=np.full((4, 1, 8), np.nan, np.float32), y=np.zeros(4, int))
    done = _cli("--archs", "random:1", "--data", str(bad), "--out", str(tmp_path / "o.json"))
    assert done.returncode == 2 and "NaN" in done.stderr
    np.savez(bad, x=np.zeros((4, 1, 8), np.float32), y=np.zeros(3, int))
    done = _cli("--archs", "random:1", "--data", str(bad), "--out", str(tmp_path / "o.json"))
    assert done.returncode == 2 and "one label per sample" in done.stderr


def test_verbose_prints_each_proxy_s_mean_time_and_the_peak_memory(tmp_path):
    out = tmp_path / "scores.json"
    done = _cli("--archs", "random:2", "--data", "gaussian", "--proxies", "params,nwot,grasp", "--out", str(out),
                "--verbose", *TINY[:-1], "2")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "mean time per network (2 networks):" in lines
    timed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert timed[-1] == "total" and set(timed[:-1]) == {"params", "nwot", "grasp"}
    peak = next(line for line in lines if line.startswith("peak resident memory:"))
    workers = float(peak.split("workers ")[1].split()[0])
    assert 0.05 < workers < 4                                     # a worker's peak, in GB
