// The peer in `make bench-index`: MiniSearch indexing the same JSON Lines as `folio index`
// (title and abstract, like Folio), reporting time, memory and serialized size as JSON.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import MiniSearch from "minisearch";

const input = process.argv[2];
const started = performance.now();
const docs = readFileSync(input, "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line, i) => {
    const r = JSON.parse(line);
    return { id: i, title: r.title, abstract: r.abstract };
  });
const parsed = performance.now();
const index = new MiniSearch({ fields: ["title", "abstract"] });
index.addAll(docs);
const built = performance.now();
const serialized = Buffer.from(JSON.stringify(index));
console.log(
  JSON.stringify({
    papers: docs.length,
    parse_seconds: (parsed - started) / 1000,
    index_seconds: (built - parsed) / 1000,
    peak_rss_kib: process.resourceUsage().maxRSS,
    node: process.version,
    index_bytes: serialized.length,
    index_gzip_bytes: gzipSync(serialized).length,
  }),
);
