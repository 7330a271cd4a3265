#!/usr/bin/env python3
"""Prints the `make bench-index` report from the files bench/index.sh leaves in build/bench."""
import gzip
import json
import re
import sys
from pathlib import Path

bench = Path("build/bench")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


rows = []
for n in sys.argv[1:]:
    source = (bench / f"arxiv-{n}.jsonl").read_bytes()
    text = "".join(
        r["title"] + "\n" + r["abstract"] + "\n"
        for r in map(json.loads, source.decode().splitlines())
    ).encode()
    summary = (bench / f"summary-{n}.txt").read_text()
    seconds, rss_kib = (bench / f"time-{n}.txt").read_text().split()
    phases = dict(
        (name, float(secs)) for name, secs in re.findall(r"(\w+) (\d+\.\d+)", summary.split("(", 2)[2])
    )
    stats = json.loads((bench / f"stats-{n}.json").read_text())
    files = {f["role"]: f for f in stats["files"]}
    peer = json.loads((bench / f"minisearch-{n}.json").read_text())
    papers = stats["papers"]
    core = files["terms"]["gzip_bytes"] + files["postings"]["gzip_bytes"]
    rows.append((n, papers, float(seconds), int(rss_kib), phases, files, core, source, text, peer))

print("## folio index: synthetic arXiv JSON Lines (folio synth, seed 42)\n")
for n, papers, seconds, rss, phases, files, core, source, text, peer in rows:
    print(f"### {int(n):,} records → {papers:,} papers\n")
    print(f"- wall time {seconds:.1f} s ({papers / seconds:,.0f} papers/s, "
          f"{len(source) / seconds / 2**20:.1f} MiB/s of input); peak memory {rss / 1024:.0f} MiB")
    print("- phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    print(f"- input: {len(source) / 2**20:.1f} MiB JSON Lines, gzip {gz(source) / 2**20:.1f} MiB; "
          f"title + abstract text alone {len(text) / 2**20:.1f} MiB, gzip {gz(text) / 2**20:.1f} MiB\n")
    print("| file | bytes | gzip | bytes/paper | gzip/paper |")
    print("|---|---:|---:|---:|---:|")
    # Title and abstract positions are pieces of their own since format 3; their sum is
    # reported as "positions".
    files["positions"] = {
        k: files["title-positions"][k] + files["abstract-positions"][k] for k in ("bytes", "gzip_bytes")
    }
    for role in ["terms", "postings", "positions", "records"]:
        f = files[role]
        print(f"| {role} | {f['bytes']:,} | {f['gzip_bytes']:,} | {f['bytes'] / papers:.1f} "
              f"| {f['gzip_bytes'] / papers:.1f} |")
    print()
    print(f"- terms + postings, gzip: {core:,} B = **{100 * core / gz(source):.1f}%** of the input's "
          f"gzip size ({100 * core / gz(text):.1f}% of the gzipped title + abstract text alone); "
          f"with positions {100 * (core + files['positions']['gzip_bytes']) / gz(source):.1f}%")
    ms_total = peer["index_seconds"] + peer["parse_seconds"]
    analyze = phases.get("analyze", 0) + phases.get("encode", 0)
    print(f"- peer, MiniSearch 7.2.0 on Node {peer['node']}, same records, title + abstract: "
          f"{ms_total:.1f} s (index {peer['index_seconds']:.1f} s), peak {peer['peak_rss_kib'] / 1024:.0f} MiB, "
          f"serialized index {peer['index_bytes']:,} B, gzip {peer['index_gzip_bytes']:,} B")
    print(f"- ratio Folio / MiniSearch: index size (gzip, terms + postings vs its whole index) "
          f"{core / peer['index_gzip_bytes']:.2f}; time to index (Folio analyze + encode vs its "
          f"addAll) {analyze / peer['index_seconds']:.2f}; whole run incl. similar papers and key "
          f"phrases {seconds / ms_total:.2f}\n")
