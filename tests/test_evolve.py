"""Multi-run jobs: same result whatever --jobs or backend, resume after a kill, refusal of a foreign --out."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from benchmarks_data import DataError, load_problems
from synth import GPConfig, ProxySynthesizer

SMALL = GPConfig(population=24, generations=6)
NAMES = ["toya/task1", "toyb/task2", "toyn/cifar10"]


def _report(model: ProxySynthesizer) -> dict:
    return {k: v for k, v in model.report_.items() if k != "elapsed_s"}


@pytest.fixture
def problems(toy_files):
    return load_problems(list(toy_files.values()), NAMES)


def test_same_result_whatever_jobs(problems):
    one = ProxySynthesizer(runs=4, seed=3, config=SMALL, jobs=1).fit(problems)
    two = ProxySynthesizer(runs=4, seed=3, config=SMALL, jobs=2).fit(problems)
    assert _report(one) == _report(two)
    assert [r["seed"] for r in one.report_["runs"]] == [3, 4, 5, 6]
    assert set(one.report_["problems"]) == set(NAMES)


def test_dask_cluster_gives_the_local_result(problems):
    distributed = pytest.importorskip("dask.distributed")
    local = ProxySynthesizer(runs=3, seed=1, config=SMALL, jobs=1).fit(problems)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = ProxySynthesizer(runs=3, seed=1, config=SMALL, scheduler=cluster.scheduler_address).fit(problems)
    assert _report(remote) == _report(local)


def test_out_made_with_other_arguments_is_refused(problems, tmp_path):
    ProxySynthesizer(runs=2, seed=0, config=SMALL, out=str(tmp_path / "job")).fit(problems)
    with pytest.raises(DataError, match="other settings .*seed"):
        ProxySynthesizer(runs=2, seed=1, config=SMALL, out=str(tmp_path / "job")).fit(problems)


def _evolve_command(files, out: str, runs: int) -> list[str]:
    command = [sys.executable, "-m", "synth", "evolve", "--problems", ",".join(NAMES), "--runs", str(runs),
               "--jobs", "1", "--generations", "30", "--population", "100", "--seed", "11", "--out", out, "--quiet"]
    for path in files:
        command += ["--data", path]
    return command


def test_killed_job_resumes_with_the_uninterrupted_result(toy_files, tmp_path):
    files, runs = list(toy_files.values()), 10
    full, killed = str(tmp_path / "full"), str(tmp_path / "killed")
    subprocess.run(_evolve_command(files, full, runs), check=True, capture_output=True)

    process = subprocess.Popen(_evolve_command(files, killed, runs), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    run_dir = os.path.join(killed, "runs")
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if os.path.isdir(run_dir) and len([f for f in os.listdir(run_dir) if f.endswith(".json")]) >= 2:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = {f: os.stat(os.path.join(run_dir, f)).st_mtime_ns for f in os.listdir(run_dir) if f.endswith(".json")}
    assert 2 <= len(finished) < runs, "the job should have been killed part-way"
    assert not os.path.exists(os.path.join(killed, "result.json"))

    subprocess.run(_evolve_command(files, killed, runs), check=True, capture_output=True)
    for name, mtime in finished.items():
        assert os.stat(os.path.join(run_dir, name)).st_mtime_ns == mtime, f"{name} was recomputed"
    results = []
    for folder in (full, killed):
        with open(os.path.join(folder, "result.json")) as handle:
            results.append({k: v for k, v in json.load(handle).items() if k != "elapsed_s"})
    assert results[0] == results[1]
    assert len(results[0]["runs"]) == runs
