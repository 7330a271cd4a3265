// The papers of an index, for the benchmarks that compare other tools over the same papers
// (node only: the browser-side peer module, minisearch-latency.mjs, must not import it).
import { execFileSync } from "node:child_process";

/** The papers of the index in `dir`, in document order, as `folio papers DIR` prints them
 *  (the records sit in slots of many files, so they are read through Folio's loader). */
export function readPapers(dir, folio) {
  const lines = execFileSync(folio, ["papers", dir], { maxBuffer: 1 << 30, encoding: "utf8" });
  return lines
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}
