"""zc_core's one atomic writer (one NaN policy) and one job-folder helper."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from zc_core.errors import DataError
from zc_core.files import atomic_write, write_json
from zc_core.jobs import check_same_settings, claim_folder


def test_write_json_is_strict_json_with_non_finite_numbers_as_null(tmp_path):
    path = tmp_path / "a.json"
    write_json(str(path), {"nan": float("nan"), "inf": [math.inf, -math.inf, 1.5], "np": np.float32(2.0),
                           "arr": np.array([1.0, np.nan]), "t": (1, 2)})
    text = path.read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"nan": None, "inf": [None, None, 1.5], "np": 2.0, "arr": [1.0, None], "t": [1, 2]}


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")

    def broken(tmp: str) -> None:
        open(tmp, "w").write("half")
        raise RuntimeError("killed")
    with pytest.raises(RuntimeError):
        atomic_write(str(path), broken)
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_job_folder_resumes_with_its_settings_and_refuses_others_in_one_line(tmp_path):
    folder = tmp_path / "job"
    claim_folder(str(folder), {"seed": 1, "runs": 3})
    claim_folder(str(folder), {"seed": 1, "runs": 3})                          # a resume
    with pytest.raises(DataError, match=r"other settings \(differs in: runs, seed\)") as caught:
        claim_folder(str(folder), {"seed": 2, "runs": 4})
    assert "\n" not in str(caught.value)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    with pytest.raises(DataError, match="holds no"):
        claim_folder(str(foreign), {"seed": 1}, only_ours=True)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    with pytest.raises(DataError, match="differs in: epochs"):
        check_same_settings({"epochs": 1}, {"epochs": 2}, "table.json", "benchmark table")
