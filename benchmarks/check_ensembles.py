"""Acceptance summary of ``zc-synth ensemble`` runs, read from their ``report.json``.

Per run folder and per ensemble (distinct architectures; best architecture x k seeds): test accuracy
on all samples and on the 20 % / 50 % most confident (by the chosen uncertainty score), whether both
are at least the all-sample accuracy, the chosen score, and its test AURC against the best score's
(within 10 %?). ``--markdown`` prints instead the README tables: per run and score, test AURC and
accuracy at 50 % coverage of each ensemble, with the score ``auto`` chose in bold.

    python benchmarks/check_ensembles.py RUN_DIR [RUN_DIR ...] [--markdown]
"""
from __future__ import annotations

import argparse
import json
import os

ENSEMBLES = (("ensemble", "arch"), ("single_architecture", "single"))


def load(folder: str) -> dict:
    with open(os.path.join(folder, "report.json"), encoding="utf-8") as handle:
        return json.load(handle)


def check(name: str, doc: dict) -> list[str]:
    """One line per ensemble: accuracies, the confident-share checks and the AURC check."""
    lines = []
    for key, short in ENSEMBLES:
        s = doc[key]
        acc, at20, at50 = s["test"]["accuracy"], s["coverage"]["20"], s["coverage"]["50"]
        best = min(s["scores"], key=lambda n: s["scores"][n]["aurc"])
        ratio = s["aurc"] / s["scores"][best]["aurc"] if s["scores"][best]["aurc"] > 0 else 1.0
        lines.append(f"{name:12s} {short:6s} {100 * acc:7.2f} {100 * at20:7.2f} {100 * at50:7.2f} "
                     f"{'yes' if min(at20, at50) >= acc else 'NO':>5s}  {s['uncertainty']:17s} {s['aurc']:8.4f} "
                     f"{best:17s} {s['scores'][best]['aurc']:8.4f} {ratio:6.3f} {'yes' if ratio <= 1.1 else 'NO':>4s}  "
                     f"{s['test']['ece']:.3f}")
    return lines


def markdown(runs: list[tuple[str, dict]]) -> list[str]:
    """README tables, one per ensemble: a row per run, a column per score, cells test AURC / accuracy
    (%) on the 50 % most confident test samples; the score ``auto`` chose (on validation) in bold;
    plus the all-sample accuracy."""
    names = list(runs[0][1]["ensemble"]["scores"])
    rows = []
    for key, title in (("ensemble", "architecture ensemble"), ("single_architecture", "single architecture x k seeds")):
        rows += [f"\n{title}: test AURC / accuracy (%) on the 50 % most confident test samples", "",
                 "| run | all-sample acc % | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for name, doc in runs:
            s = doc[key]
            cells = []
            for score in names:
                text = f"{s['scores'][score]['aurc']:.4f} / {100 * s['scores'][score]['coverage']['50']:.1f}"
                cells.append(f"**{text}**" if s["uncertainty"] == score else text)
            rows.append(f"| {name} | {100 * s['test']['accuracy']:.2f} | " + " | ".join(cells) + " |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--markdown", action="store_true", help="print the README table instead")
    args = parser.parse_args()
    runs = [(os.path.basename(os.path.normpath(folder)), load(folder)) for folder in args.runs]
    if args.markdown:
        print("\n".join(markdown(runs)))
        return
    print(f"{'run':12s} {'ens':6s} {'acc':>7s} {'acc@20':>7s} {'acc@50':>7s} {'>=all':>5s}  {'chosen score':17s} "
          f"{'AURC':>8s} {'best score':17s} {'AURC':>8s} {'ratio':>6s} {'<=1.1':>4s}  ECE")
    for name, doc in runs:
        print("\n".join(check(name, doc)))


if __name__ == "__main__":
    main()
