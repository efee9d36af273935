"""Run the README's commands as written, in a fresh clone with ``../shared`` beside it, and print each
one's exit status and wall time.

Every line of every ```bash block is one command, run with ``bash -c`` from the clone's root, in
order (later commands read what earlier ones wrote). Of the two set-up blocks (``python3 -m venv ...``)
only the main job's last step runs, unless ``--setup``; every command uses the ``zc-synth`` of the
environment that runs this script. Commands matching a ``--skip`` pattern (by default the ones that take over 20 minutes
here: the 150-architecture builds and what reads their tables, ``validate`` over 17 problems, the
200-network ``proxies`` run, the per-space checks) are listed as skipped.

With ``--only REGEX ...`` just the matching commands run (give the cheap ones they read from too, e.g.
``make-dataset``), so the slow ones can run in the background on their own.

    python benchmarks/check_readme.py [--shared ../shared] [--work DIR] [--all] [--skip REGEX ...] [--only REGEX ...]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW = (r"build-benchmark .*random:150", r"--data tables/", r"zc-synth validate", r"choose_selection",
        r"--archs random:200", r"check_spaces\.py", r"bench_spaces\.py")


def commands(readme: Path, setup: bool) -> list[tuple[int, str]]:
    """(line number, command) of every line in the README's bash blocks."""
    out, inside = [], False
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            inside = line.strip() == "```bash"
            continue
        if not inside or not line.strip():
            continue
        command = line.strip()
        if "python3 -m venv" in command and not setup:
            command = command.split("&&")[-1].strip().replace(".venv/bin/", "")
            if "pytest" in command:                       # the test command: CI runs it
                continue
        out.append((number, command))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--work", type=Path, help="folder for the clone (default: a new temporary folder)")
    parser.add_argument("--skip", nargs="*", default=list(SLOW), metavar="REGEX")
    parser.add_argument("--all", action="store_true", help="run the slow commands too")
    parser.add_argument("--only", nargs="+", metavar="REGEX", help="run just the commands matching one of these")
    parser.add_argument("--setup", action="store_true", help="also run the two set-up blocks")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per command (default 1800)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="readme-"))
    clone = work / "zc-synth"
    if not clone.exists():
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    shared = work / "shared"
    if not shared.exists():
        shared.symlink_to(args.shared.resolve())
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    failed = 0
    for number, command in commands(clone / "README.md", args.setup):
        short = command if len(command) <= 110 else command[:107] + "..."
        if args.only is not None:
            if not any(re.search(p, command) for p in args.only):
                continue
        elif not args.all and any(re.search(p, command) for p in args.skip):
            print(f"line {number:4d}  SKIP (slow)       {short}", flush=True)
            continue
        start = time.monotonic()
        try:
            done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True,
                                  timeout=args.timeout)
            code = done.returncode
            err = done.stderr.strip().splitlines()[-1] if code and done.stderr.strip() else ""
        except subprocess.TimeoutExpired:
            code, err = 124, f"timed out after {args.timeout} s"
        seconds = time.monotonic() - start
        failed += code != 0
        print(f"line {number:4d}  exit {code:3d} {seconds:7.1f} s  {short}" + (f"\n            {err}" if err else ""),
              flush=True)
    print(f"{failed} command(s) failed; clone in {clone}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
