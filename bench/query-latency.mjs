// `make bench-query`, the peer side in node: MiniSearch's query latency over the judged
// queries of bench/relevance/queries.json, on each index directory given (its papers, as
// `folio papers DIR` prints them, are what MiniSearch indexes; FOLIO names the binary). Prints p50 and p95, like `cargo bench --bench query` does
// for Folio natively.
import { readFileSync } from "node:fs";
import { readPapers } from "./papers.mjs";
import { performance } from "node:perf_hooks";
import MiniSearch from "minisearch";
import { buildMiniSearch, measure, percentile } from "./minisearch-latency.mjs";

const { queries } = JSON.parse(readFileSync("bench/relevance/queries.json", "utf8"));
for (const dir of process.argv.slice(2)) {
  let papers;
  try {
    papers = readPapers(dir, process.env.FOLIO ?? "target/release/folio");
  } catch {
    console.log(`minisearch (node ${process.version}), ${dir}: no index there, skipped`);
    continue;
  }
  const built = performance.now();
  const mini = buildMiniSearch(MiniSearch, papers);
  const buildMs = performance.now() - built;
  const large = papers.length > 20000;
  const times = measure(mini, papers, queries, large ? 2 : 20, large ? 3 : 5, () => performance.now());
  const order = times.map((t, i) => [t, queries[i].query]).sort((a, b) => b[0] - a[0]);
  times.sort((a, b) => a - b);
  console.log(
    `minisearch (node ${process.version}), ${dir} (${papers.length} papers, indexed in ${(buildMs / 1000).toFixed(1)} s): ` +
      `${times.length} queries, p50 ${percentile(times, 50).toFixed(3)} ms, p95 ${percentile(times, 95).toFixed(3)} ms, ` +
      `max ${order[0][0].toFixed(3)} ms (${JSON.stringify(order[0][1])})`,
  );
}
