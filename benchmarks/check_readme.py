"""Run the code blocks of README.md and docs/*.md, and check their relative links.

Every fenced ```bash block is run as one bash script (``set -e``: the first failing line fails the
block) and every ```python block with the environment's python, from the root of the repository, in
page order (README.md first, then the docs pages in :data:`ORDER`, then any other page), so a block
may read what an earlier one wrote (``runs/paper/result.json``, ``ecg.npz``, ...). By default the root is
a temporary copy of the working tree (tracked and untracked, not ignored, files) with ``../shared``
linked beside it and the repository's ``.venv`` linked in, so the demo outputs never touch the
checkout; ``--in-place`` runs in the repository itself, ``--work DIR`` keeps the copy in DIR (a second
call with the same DIR reuses the outputs of the first).

The fence's info string after the language holds options for this checker:

* ``skip-check``: the block is listed but never run (hours of CPU, a GPU or a cluster, or data that
  is not in ``../shared``); e.g. ```` ```bash skip-check ````;
* ``timeout=SECONDS``: this block's limit instead of ``--timeout``.

A line that starts with ``python3 -m venv .venv && .venv/bin/pip install ... &&`` (the README's set-up
commands) loses that prefix unless ``--install`` is given, so the existing ``.venv`` is reused; with
``--install`` the copy gets a fresh ``.venv`` of its own (never the repository's).

Shown output: a fence with no language (or ``output``/``text``/``console``) right after a runnable
block (blank lines only between) is what that block prints. Its lines must appear in the block's
output (stdout and stderr together, progress bars split at carriage returns), in order, other lines
allowed between them, each compared after trailing spaces are stripped, with this tolerance:

* a number followed by a unit of time (``12.3 s``, ``4 min``, ``0.5 h``, ``31 ms``, ``s/it``) or a
  rate (``it/s``, ``arch/s``) may be any number: timings differ from machine to machine;
* ``...`` in a shown line stands for any text (an elided path or list);

every other character, each digit included, must match. A shown line that is missing fails the block,
and the checker prints it with the closest line the command did print.

Links: every ``[text](target)`` and ``![alt](target)`` outside code whose target is relative must name
an existing file, and a ``#anchor`` on a Markdown page must name one of its headings (GitHub's slugs).

    python benchmarks/check_readme.py [--list] [--links] [--only FILE ...] [--block FILE:LINE ...] [--timeout 300]
                                      [--install | --no-install] [--in-place | --work DIR]

Exit status 1 if a block failed or a link is broken. Standard library only.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["new-task.md", "clinical.md", "paper.md", "evolve.md", "builtin-benchmark.md", "input-data.md", "evaluate.md",
         "validate.md", "dataset-d.md", "search.md", "compare.md", "ftscorenet.md", "ensemble.md", "spaces.md",
         "proxies.md", "performance.md", "dask.md", "layout.md"]
"""Docs pages in the order their blocks run (a page's blocks may read what earlier pages wrote:
new-task.md makes ecg.npz, paper.md runs/paper/; README.md, first, makes runs/default/)."""
RUN_LANGUAGES = {"bash": "bash", "sh": "bash", "shell": "bash", "python": "python", "py": "python"}
OUTPUT_LANGUAGES = {"", "output", "text", "console"}
INSTALL_PREFIX = re.compile(r"^(\s*)python3 -m venv \.venv && \.venv/bin/pip install [^&]*&&\s*")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass
class Block:
    page: Path
    line: int                       # line of the opening fence, 1-based
    language: str                   # "bash" or "python"
    options: list[str]
    code: str
    shown: list[str] | None = None              # the output block right after it, when the page has one
    skip: bool = field(init=False)
    timeout: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.skip = "skip-check" in self.options
        self.timeout = None
        for option in self.options:
            if option.startswith("timeout="):
                self.timeout = int(option.split("=", 1)[1])

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def first_line(self, width: int = 90) -> str:
        lines = [line.strip() for line in self.code.splitlines() if line.strip()]
        text = lines[0] if lines else "(empty)"
        text += f"  (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
        return text if len(text) <= width else text[:width - 3] + "..."


def pages(only: list[str] | None) -> list[Path]:
    """README.md and the docs pages in run order, or just the ``--only`` ones (in that order too)."""
    docs = ROOT / "docs"
    found = sorted(docs.glob("*.md")) if docs.is_dir() else []
    ordered = [docs / name for name in ORDER if (docs / name) in found]
    ordered += [p for p in found if p not in ordered]
    every = [ROOT / "README.md"] + ordered
    if not only:
        return every
    chosen = []
    for name in only:
        matches = [p for p in every if p == (ROOT / name).resolve() or p == Path(name).resolve()
                   or str(p.relative_to(ROOT)) == name or p.name == name]
        if not matches:
            sys.exit(f"check_readme: no page {name!r}; pages: {', '.join(str(p.relative_to(ROOT)) for p in every)}")
        chosen += [p for p in matches if p not in chosen]
    return [p for p in every if p in chosen]


def split_page(path: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The runnable blocks of a page, and its prose lines (line number, text) outside any fence."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        marker, language, rest = match.group(2), match.group(3).lower(), match.group(4)
        start, body = i + 1, []
        i += 1
        while i < len(lines) and not re.match(rf"^\s*{re.escape(marker[0])}{{{len(marker)},}}\s*$", lines[i]):
            body.append(lines[i])
            i += 1
        i += 1                                          # the closing fence
        if language in RUN_LANGUAGES:
            blocks.append(Block(path, start, RUN_LANGUAGES[language], rest.split(), "\n".join(body) + "\n"))
        elif language in OUTPUT_LANGUAGES and blocks and blocks[-1].shown is None and _adjacent(lines, blocks[-1], start):
            blocks[-1].shown = body
    return blocks, prose


def _adjacent(lines: list[str], block: Block, start: int) -> bool:
    """Whether only blank lines separate ``block``'s closing fence from the fence opening at line ``start``."""
    end = block.line + block.code.count("\n")                # the closing fence's index (0-based)
    return all(not line.strip() for line in lines[end + 1:start - 1])


TIMED = re.compile(r"\d[\d,]*(?:\.\d+)?(?=\s?(?:ms|s|sec|seconds|min|minutes|h|hours|s/it|it/s|arch/s|gen/s)\b)")


def line_pattern(shown: str) -> re.Pattern[str]:
    """The regular expression a shown output line stands for (timings and ``...`` free, the rest exact)."""
    parts = []
    for piece in re.split(r"(\.\.\.)", shown.rstrip()):
        if piece == "...":
            parts.append(".*")
            continue
        out, last = [], 0
        for match in TIMED.finditer(piece):
            out += [re.escape(piece[last:match.start()]), r"\d[\d,]*(?:\.\d+)?"]
            last = match.end()
        parts.append("".join(out) + re.escape(piece[last:]))
    return re.compile("".join(parts))


def compare_output(shown: list[str], output: str) -> str | None:
    """None when every shown line appears, in order, among the printed ones; else what is missing."""
    printed = [line.rstrip() for chunk in output.splitlines() for line in chunk.split("\r")]
    at = 0
    for line in (line for line in shown if line.strip()):
        pattern = line_pattern(line)
        found = next((i for i in range(at, len(printed)) if pattern.fullmatch(printed[i])), None)
        if found is None:
            close = difflib.get_close_matches(line.rstrip(), printed, n=1, cutoff=0.0)
            return f"shown line not printed: {line.strip()!r}; closest printed: {close[0].strip() if close else '(none)'!r}"
        at = found + 1
    return None


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation dropped, spaces -> '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "")
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    out: set[str] = set()
    seen: dict[str, int] = {}
    _blocks, prose = split_page(path)
    for _number, line in prose:
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            out.add(base if count == 0 else f"{base}-{count}")
    return out


def check_links(paths: list[Path]) -> list[str]:
    """'file:line: target (why)' for every broken relative link of the pages."""
    broken: list[str] = []
    cache: dict[Path, set[str]] = {}
    for path in paths:
        _blocks, prose = split_page(path)
        chunks: list[tuple[int, list[str]]] = []               # runs of consecutive prose lines
        for number, line in prose:
            if chunks and chunks[-1][0] + len(chunks[-1][1]) == number:
                chunks[-1][1].append(line)
            else:
                chunks.append((number, [line]))
        for first, lines in chunks:
            text = "\n".join(re.sub(r"(`+)(?:(?!\1).)+\1", "", line) for line in lines)  # inline code holds no links
            for match in LINK.finditer(text):
                target, number = match.group(1), first + text.count("\n", 0, match.start())
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                    continue                                    # http:, https:, mailto:, ...
                file_part, _, anchor = target.partition("#")
                goal = path if not file_part else (path.parent / file_part).resolve()
                where = f"{path.relative_to(ROOT)}:{number}"
                if file_part.startswith("/"):
                    broken.append(f"{where}: {target} (absolute path)")
                elif not goal.exists():
                    broken.append(f"{where}: {target} (no such file)")
                elif anchor and goal.suffix == ".md":
                    if goal not in cache:
                        cache[goal] = anchors(goal)
                    if anchor not in cache[goal]:
                        broken.append(f"{where}: {target} (no heading #{anchor} in {goal.name})")
    return broken


def prepare(args: argparse.Namespace) -> Path:
    """The folder to run in: the repository (``--in-place``) or a copy of its working tree."""
    if args.in_place:
        return ROOT
    work = (args.work or Path(tempfile.mkdtemp(prefix="check-readme-"))).resolve()
    copy = work / ROOT.name
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shared = ROOT.parent / "shared"
    if shared.exists() and not (work / "shared").exists():
        (work / "shared").symlink_to(shared.resolve())
    venv = copy / ".venv"
    if not args.install and not venv.exists() and (ROOT / ".venv").is_dir():
        venv.symlink_to(ROOT / ".venv")
    if args.install and venv.is_symlink():
        venv.unlink()                                           # never install into the repository's venv
    return copy


def environment(where: Path) -> dict[str, str]:
    paths = [str(where / ".venv" / "bin"), str(Path(sys.executable).parent), os.environ.get("PATH", "")]
    env = dict(os.environ, PATH=os.pathsep.join(paths), MPLBACKEND="Agg")
    if where != ROOT:                                           # the copy's code, not the editable install's
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(where), os.environ.get("PYTHONPATH", "")]))
    return env


def python_for(where: Path) -> str:
    for candidate in (where / ".venv" / "bin" / "python", ROOT / ".venv" / "bin" / "python"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def run_block(block: Block, where: Path, args: argparse.Namespace) -> tuple[int, float, str]:
    """(exit status, seconds, last lines of output) of one block; 124 on timeout, 3 when it ran but its
    shown output differs (the tail then says which line)."""
    timeout = block.timeout or args.timeout
    if block.language == "bash":
        code = block.code if args.install else "\n".join(INSTALL_PREFIX.sub(r"\1", line)
                                                           for line in block.code.splitlines())
        command = ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", code]
    else:
        script = Path(tempfile.mkstemp(prefix="block-", suffix=".py")[1])
        script.write_text(block.code, encoding="utf-8")
        command = [python_for(where), str(script)]
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=where, env=environment(where), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)                  # the block's whole process group, workers too
        output, _ = process.communicate()
        status, output = 124, (output or "") + f"\ntimed out after {timeout} s"
    finally:
        if block.language == "python":
            script.unlink(missing_ok=True)
    seconds = time.monotonic() - start
    tail = "\n".join(line for line in (output or "").strip().splitlines()[-4:])
    if status == 0 and block.shown is not None:
        differs = compare_output(block.shown, output or "")
        if differs:
            status, tail = 3, differs
    return status, seconds, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the blocks (and check the links); run nothing")
    parser.add_argument("--links", action="store_true", help="only check the links")
    parser.add_argument("--only", nargs="+", metavar="FILE", help="check only these pages (README.md, docs/search.md, ...)")
    parser.add_argument("--block", nargs="+", metavar="FILE:LINE", help="run only these blocks (the line of the "
                                                                       "opening fence, as --list prints it)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per block (default 300; a block's "
                                                                    "own timeout=N wins)")
    install = parser.add_mutually_exclusive_group()
    install.add_argument("--install", action="store_true", help="keep the 'python3 -m venv .venv && pip install' "
                                                               "prefixes (a fresh .venv in the copy)")
    install.add_argument("--no-install", dest="install", action="store_false",
                         help="strip those prefixes and reuse the existing .venv (default)")
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--in-place", action="store_true", help="run in the repository, not in a copy")
    place.add_argument("--work", type=Path, metavar="DIR", help="make (or reuse) the copy in DIR")
    args = parser.parse_args()
    if args.install and args.in_place:
        parser.error("--install runs only in a copy (it would replace the repository's .venv)")

    chosen = pages(args.only)
    blocks = [block for page in chosen for block in split_page(page)[0]]
    if args.block:
        wanted = {spec.replace("./", "", 1) for spec in args.block}
        unknown = wanted - {block.where for block in blocks}
        if unknown:
            parser.error(f"no block at {', '.join(sorted(unknown))}; --list shows where the blocks start")
        blocks = [block for block in blocks if block.where in wanted]
    failed = 0
    if not args.links:
        if args.list:
            for block in blocks:
                state = "skip-check" if block.skip else f"run (timeout {block.timeout or args.timeout} s)"
                state += f", {len(block.shown)} shown lines" if block.shown is not None and not block.skip else ""
                print(f"{block.where:28s} {block.language:6s} {state:40s} {block.first_line()}")
            runnable = sum(not b.skip for b in blocks)
            print(f"{len(blocks)} blocks: {runnable} would run, {len(blocks) - runnable} skip-check")
        else:
            where = prepare(args)
            print(f"running in {where}", flush=True)
            for block in blocks:
                if block.skip:
                    print(f"{'SKIP':13s} {block.where:28s} {block.language:6s}           {block.first_line()}", flush=True)
                    continue
                status, seconds, tail = run_block(block, where, args)
                failed += status != 0
                verdict = "PASS" if status == 0 else "FAIL (output)" if status == 3 else f"FAIL (exit {status})"
                print(f"{verdict:13s} {block.where:28s} {block.language:6s} {seconds:7.1f} s  {block.first_line()}",
                      flush=True)
                if status:
                    print("      " + tail.replace("\n", "\n      "), flush=True)
            print(f"{failed} of {sum(not b.skip for b in blocks)} block(s) failed; ran in {where}")
    broken = check_links(chosen)
    for problem in broken:
        print(f"BROKEN LINK  {problem}")
    print(f"links: {len(broken)} broken in {len(chosen)} page(s)")
    return 1 if failed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
