"""``proxies`` and ``build-benchmark`` on a Dask cluster give the local tables; a killed distributed
build resumes without recomputing; a worker lost mid-run costs nothing but time."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from benchmarks_data.builder import BuildSpec, build_benchmark
from benchmarks_data.datasets import load_dataset
from synth.cli import main

distributed = pytest.importorskip("dask.distributed")

PROXY_ARGS = ["--width", "4", "--cells", "1", "--batch-size", "8", "--archs", "random:4", "--data", "gaussian",
              "--proxies", "all", "--quiet"]
BUILD_ARGS = ["--dim", "2", "--archs", "random:5", "--epochs", "1", "--width", "4",
              "--proxies", "params,synflow,nwot,grad_norm,jacov", "--quiet"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("data") / "digits.npz")
    assert main(["make-dataset", "digits", "--n", "120", "--out", path, "--quiet"]) == 0
    return path


def _values(path: str) -> dict:
    """A table without its timings."""
    with open(path, encoding="utf-8") as handle:
        table = json.load(handle)
    return {task: {arch: {k: (v["score"] if isinstance(v, dict) else v) for k, v in rec.items() if k != "train_time"}
                   for arch, rec in rows.items()} for task, rows in table.items()}


def test_proxies_on_a_cluster_give_the_local_table(cluster, tmp_path):
    local, remote = str(tmp_path / "local.json"), str(tmp_path / "remote.json")
    assert main(["proxies", *PROXY_ARGS, "--jobs", "2", "--out", local]) == 0
    assert main(["proxies", *PROXY_ARGS, "--scheduler", cluster.scheduler_address, "--out", remote]) == 0
    assert _values(remote) == _values(local)
    assert len(_values(remote)["gaussian"]) == 4


def _build(digits: str, out: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "synth", "build-benchmark", "--data", digits, *BUILD_ARGS,
                             "--out", out, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _records(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return next(iter(json.load(handle).values()), {})
    except (OSError, ValueError):
        return {}


def test_a_killed_distributed_build_resumes_with_nothing_recomputed(cluster, digits, tmp_path):
    local, remote = str(tmp_path / "zc_local.json"), str(tmp_path / "zc_remote.json")
    assert main(["build-benchmark", "--data", digits, *BUILD_ARGS, "--jobs", "2", "--out", local]) == 0
    job = _build(digits, remote, "--scheduler", cluster.scheduler_address)
    deadline = time.time() + 300
    while len(_records(remote)) < 1 and job.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait()
    before = _records(remote)
    assert 1 <= len(before) < 5, "the build ended before it could be killed"
    again = _build(digits, remote, "--scheduler", cluster.scheduler_address)
    assert again.wait(timeout=300) == 0, again.stderr.read()
    after = _records(remote)
    assert all(after[arch] == record for arch, record in before.items())    # timings too: not recomputed
    assert _values(remote) == _values(local)


def test_a_worker_lost_mid_build_is_replaced_and_the_table_is_the_local_one(cluster, digits, tmp_path):
    dataset = load_dataset(digits)
    spec = BuildSpec(dataset=dataset.name, dim=2, in_channels=dataset.in_channels, num_classes=dataset.num_classes,
                     width=4, cells=1, epochs=1, seed=0, proxies=("params", "nwot", "grad_norm"))
    archs = ["(1, 2, 3, 0, 4, 1)", "(3, 3, 3, 3, 3, 3)", "(0, 1, 4, 2, 2, 3)", "(4, 4, 1, 2, 3, 0)",
             "(2, 2, 2, 2, 2, 2)", "(3, 1, 0, 3, 2, 4)"]
    local = str(tmp_path / "local.json")
    build_benchmark(dataset, archs, spec, local, jobs=2)
    killed = threading.Event()

    def kill_one_worker(_: int) -> None:
        if killed.is_set():
            return
        killed.set()
        with distributed.Client(cluster.scheduler_address, timeout="10s") as client:
            pids = client.run(os.getpid)
        os.kill(pids[sorted(pids)[0]], signal.SIGKILL)          # its nanny starts a fresh worker

    remote = str(tmp_path / "remote.json")
    build_benchmark(dataset, archs, spec, remote, scheduler=cluster.scheduler_address, progress=kill_one_worker)
    assert killed.is_set()
    assert _values(remote) == _values(local)


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, capsys):
    out = str(tmp_path / "p.json")
    code = main(["proxies", *PROXY_ARGS, "--scheduler", "tcp://127.0.0.1:9", "--out", out])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "cannot reach the Dask scheduler" in err
    assert not os.path.exists(out)


def test_ensemble_scoring_and_training_on_a_cluster_give_the_local_run(cluster, tmp_path):
    from benchmarks_data.datasets import save_dataset
    from benchmarks_data.synthetic import make_ecg

    data = str(tmp_path / "ecg.npz")
    save_dataset(make_ecg(n=48, seed=3), data)
    args = ["ensemble", "--dataset", data, "--metric", "grad_norm + meco", "--candidates", "random:6", "--k", "2",
            "--epochs", "1", "--width", "4", "--quiet"]
    local, remote = str(tmp_path / "local"), str(tmp_path / "remote")
    assert main([*args, "--jobs", "2", "--out", local]) == 0
    assert main([*args, "--scheduler", cluster.scheduler_address, "--out", remote]) == 0
    for name in ("candidates.json", "report.json"):
        with open(os.path.join(local, name)) as a, open(os.path.join(remote, name)) as b:
            assert json.load(a) == json.load(b)
