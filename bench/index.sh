#!/usr/bin/env bash
# `make bench-index`: the indexer at scale, on synthetic arXiv-style JSON Lines, with
# MiniSearch indexing the same records as the peer. A benchmark, not a test: it prints
# numbers to report (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
cargo build --release --quiet -p folio-indexer
mkdir -p build/bench
for n in "${sizes[@]}"; do
  input=build/bench/arxiv-$n.jsonl
  ./target/release/folio synth data --papers "$n" --seed 42 --out "$input"
  /usr/bin/time -f '%e %M' -o "build/bench/time-$n.txt" \
    ./target/release/folio index "$input" --out "build/bench/index-$n" | tee "build/bench/summary-$n.txt"
  ./target/release/folio stats "build/bench/index-$n" --json > "build/bench/stats-$n.json"
  node --max-old-space-size=6000 bench/minisearch-index.mjs "$input" > "build/bench/minisearch-$n.json"
done
python3 bench/index-report.py "${sizes[@]}" | tee build/bench/report.md
