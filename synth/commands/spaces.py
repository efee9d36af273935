"""``zc-synth spaces``: list the registered search spaces (name, suite files served, size, what each
supports, default network size), from :mod:`proxies.spaces`."""
from __future__ import annotations

import argparse
import json

from proxies.argtypes import out_file


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("spaces", help="list the search spaces every command can use",
                       description="List the registered search spaces: name (what --space takes), the "
                                   "NAS-Bench-Suite-Zero files they serve, size, what each supports.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--draw", metavar="ARCH|train.json",
                   help="draw an architecture's cells instead (a DARTS key or Genotype(...) string, or the "
                        "train.json of a zc-synth train folder) to --out")
    p.add_argument("--space", default="darts", help="--draw: the architecture's space (default darts)")
    p.add_argument("--out", type=out_file("png", "svg", "pdf"), default="genotype.png", metavar="FILE.png",
                   help="--draw: the picture, .png, .svg or .pdf (default genotype.png)")
    return p


def _drawn(args: argparse.Namespace) -> int:
    """``--draw``: the cells of one architecture (or of a training's) as a PNG."""
    import os

    from zc_core.errors import DataError
    from zc_core.jobs import claim_file
    from zc_core.jsonio import load_json

    from proxies import spaces

    arch = args.draw
    space = spaces.get(args.space)
    if arch.endswith(".json"):
        doc = load_json(arch)
        if not isinstance(doc, dict) or not isinstance(doc.get("arch"), str):
            raise DataError(f"--draw {arch}: not a zc-synth train.json (needs its arch)")
        space = spaces.get(doc.get("space", args.space))
        arch = doc["arch"]
    if not args.out.strip() or os.path.isdir(args.out):
        raise DataError(f"--out {args.out!r}: name the picture file to write")
    parsed = space.parse(arch)
    if "draw" not in space.supports:
        raise DataError(f"{space.name} has no cell drawing")
    claim_file(args.out, {"kind": "spaces --draw", "space": space.name, "arch": str(arch)}, "zc-synth drawing")
    print(f"wrote {space.draw(parsed, args.out)}")
    return 0


def run(args: argparse.Namespace) -> int:
    from proxies import spaces

    if args.draw:
        return _drawn(args)
    infos = [spaces.get(name).info() for name in spaces.names()]
    if args.json:
        print(json.dumps(infos, indent=1))
        return 0
    print(f"{'space':13s} {'serves':20s} {'architectures':>13s}  {'width/cells':>11s}  supports")
    for info in infos:
        size = f"{info['size']:,}" if info["size"] < 1e9 else f"{info['size']:.2e}"
        extra = ", ".join(info["supports"]) + (f" (tasks: {', '.join(info['tasks'])})" if info["tasks"] else "")
        print(f"{info['name']:13s} {', '.join(info['suite']):20s} {size:>13s}  "
              f"{str(info['default_width']) + '/' + str(info['default_cells']):>11s}  {extra}")
        print(f"{'':13s} {info['description']}")
    return 0
