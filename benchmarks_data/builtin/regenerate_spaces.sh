#!/usr/bin/env bash
# Regenerates the built-in tables of the other search spaces (NB101, DARTS, TransNAS-Bench-101 micro
# and macro) on the built-in ECG (1D) and MNIST (2D) datasets, with zc-synth's own commands: all 23
# proxies, the validation accuracy after brief training and each learning curve. Each space at its
# small size (DARTS: 3 cells), sized so a table costs at most 2 CPU-hours here. Epochs: DARTS and the
# TransNAS networks reach 99.6-100 % on ECG within 5-8 epochs (measured on 2 architectures each, so
# the accuracies would tie at the top), hence 3-4 ECG epochs there; NB101 stays near 90 % after 8.
# One stream, cheapest tables first; a stopped run resumes from OUT_DIR.
# Usage: bash benchmarks_data/builtin/regenerate_spaces.sh [SCRATCH_DIR] [OUT_DIR]   (about 6 CPU-hours)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${1:-${TMPDIR:-/tmp}/zc-synth-builtin}"
out="${2:-$here}"
mkdir -p "$scratch" "$out"
export OMP_NUM_THREADS=1
[ -f "$scratch/ecg.npz" ] || zc-synth make-dataset ecg --n 1200 --seed 0 --out "$scratch/ecg.npz" --quiet
[ -f "$scratch/mnist.npz" ] || zc-synth make-dataset mnist --seed 0 --out "$scratch/mnist.npz" --quiet
build() {  # SPACE DATA N EPOCHS OUT [extra build-benchmark options]
    local space="$1" data="$2" n="$3" epochs="$4" file="$5"; shift 5
    zc-synth build-benchmark --space "$space" --data "$scratch/$data.npz" --archs "random:$n" --epochs "$epochs" \
        --proxies all --jobs 1 --seed 0 --device cpu --out "$out/$file" --quiet "$@"
}
build tnb101_macro ecg 200 3 zc_tnb101_macro-1d.json
build tnb101_macro mnist 200 6 zc_tnb101_macro-2d.json
build tnb101_micro ecg 200 3 zc_tnb101_micro-1d.json
build tnb101_micro mnist 200 6 zc_tnb101_micro-2d.json
build nb101 mnist 200 6 zc_nb101-2d.json
build nb101 ecg 200 8 zc_nb101-1d.json
build darts mnist 150 4 zc_darts-2d.json --cells 3
build darts ecg 150 4 zc_darts-1d.json --cells 3
