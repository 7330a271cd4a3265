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

# Reading speed per input format: the same synthetic papers written in each format `folio
# index` reads (`folio synth --format`), and the `read` phase of its summary line (reading
# and parsing, before merging). Floor: 50 MB/s for every format.
n=${FORMAT_PAPERS:-20000}
{
  echo
  echo "| format ($n papers) | MB | read s | MB/s | ≥ 50 MB/s |"
  echo "|---|---:|---:|---:|---|"
  for format in arxiv-jsonl folio-json bibtex csl-json daily-papers-api atom; do
    input=build/bench/synth-$n.$format
    ./target/release/folio synth data --papers "$n" --seed 42 --format "$format" --out "$input"
    summary=$(./target/release/folio index "$input" --out "build/bench/index-$format" | tail -1)
    python3 - "$input" "$format" "$summary" <<'PY'
import os, re, sys
path, fmt, summary = sys.argv[1:]
seconds = float(re.search(r"\bread ([0-9.]+)", summary).group(1))
mb = os.path.getsize(path) / 1e6
speed = mb / max(seconds, 0.005)
print(f"| {fmt} | {mb:.1f} | {seconds:.2f} | {speed:.0f} | {'met' if speed >= 50 else 'NOT MET'} |")
PY
  done
} | tee -a build/bench/report.md
