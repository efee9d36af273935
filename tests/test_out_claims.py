"""Every command that writes claims its ``--out``: another job's folder or file, another command's
settings or a file no zc-synth job wrote is refused in one line (exit 2) and left byte for byte as
it was; the same command rerun with the same settings may rewrite its own output."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from synth.cli import main
from conftest import nb201_table


def _digests(path: Path) -> dict[str, str]:
    """md5 of every file under ``path`` (or of ``path`` itself when a file)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.md5(p.read_bytes()).hexdigest() for p in files}


def _refused(argv: list[str], capsys, words: str) -> None:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and words in err, err


@pytest.fixture
def table(tmp_path: Path) -> str:
    return nb201_table(tmp_path)


def _search(table: str, out: Path, algo: str = "aging", budget: str = "40") -> list[str]:
    return ["search", "--algo", algo, "--data", table, "--problem", "nb201toy/toy", "--metric", "snip",
            "--budget", budget, "--runs", "1", "--out", str(out)]


def test_a_lookup_search_never_replaces_another_search(table, tmp_path, capsys):
    out = tmp_path / "search"
    assert main(_search(table, out)) == 0
    before = _digests(out)
    _refused(_search(table, out, "random"), capsys, "other settings")
    _refused(_search(table, out, budget="50"), capsys, "other settings")
    assert _digests(out) == before
    assert main(_search(table, out)) == 0                      # the same search again rewrites its own files
    assert set(_digests(out)) == set(before)


def test_report_and_compare_refuse_an_evolve_job_folder(table, tmp_path, capsys):
    job = tmp_path / "evolve"
    assert main(["evolve", "--data", table, "--runs", "1", "--generations", "2", "--population", "10", "--jobs", "1",
                 "--quiet", "--out", str(job)]) == 0
    before = _digests(job)
    _refused(["report", "--data", table, "--out", str(job)], capsys, "holds a zc-synth evolve job")
    _refused(["compare", "--data", table, "--problem", "nb201toy/toy", "--train-sizes", "0", "--seeds", "1",
              "--methods", "synthesized", "--jobs", "1", "--quiet", "--out", str(job)], capsys, "evolve job")
    assert _digests(job) == before


def test_report_refuses_another_report_and_a_foreign_folder(table, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", "--data", table, "--out", str(out)]) == 0
    before = _digests(out)
    _refused(["report", "--data", table, "--metric", "snip", "--out", str(out)], capsys, "other settings")
    assert _digests(out) == before
    assert main(["report", "--data", table, "--out", str(out)]) == 0
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("a user's file")
    _refused(["report", "--data", table, "--out", str(foreign)], capsys, "holds no zc-synth report job")
    assert [p.name for p in foreign.iterdir()] == ["mine.txt"]


def test_baseline_refuses_a_foreign_file_and_another_baseline(table, tmp_path, capsys):
    mine = tmp_path / "metric.json"
    mine.write_text('{"a user": "file"}')
    _refused(["baseline", "rank_average", "--data", table, "--out", str(mine)], capsys, "is not a baseline metric")
    assert mine.read_text() == '{"a user": "file"}'
    out = tmp_path / "rank.json"
    assert main(["baseline", "rank_average", "--data", table, "--out", str(out)]) == 0
    before = _digests(out)
    _refused(["baseline", "teacup", "--data", table, "--out", str(out)], capsys, "other settings")
    assert _digests(out) == before
    assert main(["baseline", "rank_average", "--data", table, "--out", str(out)]) == 0
    assert json.loads(out.read_text())["baseline"] == "rank_average"


def test_ftscorenet_refuses_files_it_did_not_write(tmp_path, capsys):
    table = str(nb201_table(tmp_path))
    model, report = tmp_path / "m.pt", tmp_path / "m.json"
    report.write_text("a user's notes")
    fit = ["ftscorenet", "fit", "--data", table, "--problem", "nb201toy/toy", "--train", "0.5", "--epochs", "1",
           "--width", "4", "--input-size", "8", "--quiet", "--out", str(model)]
    _refused(fit, capsys, "is not an FT-ScoreNet report")
    assert report.read_text() == "a user's notes" and not model.exists()
    report.unlink()
    assert main(fit) == 0
    scores = tmp_path / "s.csv"
    scores.write_text("arch,mine\n")
    _refused(["ftscorenet", "score", "--model", str(model), "--archs", "random:3", "--quiet", "--out", str(scores)],
             capsys, "is not a zc-synth ftscorenet score file")
    assert scores.read_text() == "arch,mine\n"


def test_proxies_refuses_a_table_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "scores.json"
    out.write_text('{"mine": 1}')
    argv = ["proxies", "--archs", "random:2", "--data", "gaussian", "--proxies", "params", "--jobs", "1", "--quiet",
            "--out", str(out)]
    _refused(argv, capsys, "is not a zc-synth proxies table")
    assert out.read_text() == '{"mine": 1}'
    out.unlink()
    assert main(argv) == 0 and main(argv) == 0                # the same table again
    _refused(argv[:2] + ["random:3"] + argv[3:], capsys, "other settings")


def test_a_mistyped_command_or_space_names_the_closest_in_one_line(capsys):
    _refused(["evlove"], capsys, "did you mean 'evolve'")
    _refused(["proxies", "--space", "DARTS", "--archs", "random:1", "--data", "gaussian", "--out", "x.json"], capsys,
             "did you mean 'darts'")
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["evlove"])
    assert capsys.readouterr().err.count("zc-synth:") == 1


def test_spaces_draw_refuses_a_picture_it_did_not_draw_and_an_unknown_format(tmp_path, capsys):
    from proxies import spaces

    darts = spaces.get("darts")
    key = darts.key(darts.random(1, 4)[0])
    picture = tmp_path / "g.png"
    picture.write_bytes(b"a user's picture")
    _refused(["spaces", "--draw", key, "--out", str(picture)], capsys, "is not a zc-synth drawing")
    assert picture.read_bytes() == b"a user's picture"
    _refused(["spaces", "--draw", key, "--out", str(tmp_path / "g.txt")], capsys, "unknown output format .txt")
    assert not (tmp_path / "g.txt").exists()


def test_make_dataset_refuses_a_file_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "data.npz"
    out.write_bytes(b"a user's array file")
    _refused(["make-dataset", "ecg", "--n", "20", "--quiet", "--out", str(out)], capsys, "is not a zc-synth dataset")
    assert out.read_bytes() == b"a user's array file"
    out.unlink()
    argv = ["make-dataset", "ecg", "--n", "20", "--quiet", "--out", str(out)]
    assert main(argv) == 0 and main(argv) == 0                # the same dataset again
    _refused(["make-dataset", "ecg", "--n", "30", "--quiet", "--out", str(out)], capsys, "other settings")
