#!/usr/bin/env bash
# Regenerates dataset D (the SR-NAS paper's ZiCo, MeCo and SWAP on the suite's own architectures) with
# zc-synth's own commands: NB201-CF10 (a seeded 1,000 of the 9,445 cells with all 13 suite proxies),
# NB101-CF10 (all 500 pre-release keys) and NB301-CF10 (all 725), each network built as the suite
# built it, on the MNIST stand-in (chosen on 100 other NB201 cells: benchmarks/choose_stand_in.py).
# Usage: bash benchmarks_data/builtin/regenerate_d.sh [SUITE_DIR] [OUT_DIR]
# (about 4.5 CPU-hours; a stopped run resumes from the tables in OUT_DIR, by default this folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
suite="${1:-$here/../../../shared/benchmarks}"
out="${2:-$here}"
mkdir -p "$out"
export OMP_NUM_THREADS=1
zc-synth suite-proxies --suite "$suite/suite-zero/zc_nasbench201.json" --archs random:1000 --data mnist \
    --proxies zico,meco,swap --seed 0 --device cpu --out "$out/d_nasbench201.json" --quiet
zc-synth suite-proxies --suite "$suite/suite-zero-prerelease/zc_nasbench101.json" --archs all --data mnist \
    --proxies zico,meco,swap --seed 0 --device cpu --out "$out/d_nasbench101.json" --quiet
zc-synth suite-proxies --suite "$suite/suite-zero-prerelease/zc_nasbench301.json" --archs all --data mnist \
    --proxies zico,meco,swap --seed 0 --device cpu --out "$out/d_nasbench301.json" --quiet
