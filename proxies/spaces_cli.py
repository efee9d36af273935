"""``zc-synth spaces``: list the registered search spaces (name, suite files served, size, what each
supports, default network size), from :mod:`proxies.spaces`."""
from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("spaces", help="list the search spaces every command can use",
                       description="List the registered search spaces: name (what --space takes), the "
                                   "NAS-Bench-Suite-Zero files they serve, size, what each supports.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from . import spaces

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
