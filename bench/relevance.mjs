// `make bench-relevance`: the judged queries of bench/relevance/queries.json through Folio
// (`folio search --json`), MiniSearch (prefix + fuzzy, title boosted) and lunr (title
// boosted; the last word as a prefix, words of 5+ letters with one edit), over the same
// bundled index. Prints MRR and recall@10 per query group, side by side.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import MiniSearch from "minisearch";
import lunr from "lunr";
import { buildMiniSearch, miniSearchTop10, passes } from "./minisearch-latency.mjs";
import { readPapers } from "./papers.mjs";

const indexDir = process.argv[2] ?? "build/index";
const folio = process.argv[3] ?? "target/release/folio";
const papers = readPapers(indexDir, folio);
const { queries } = JSON.parse(readFileSync("bench/relevance/queries.json", "utf8"));

const mini = buildMiniSearch(MiniSearch, papers);

const lunrIndex = lunr(function () {
  this.ref("id");
  this.field("title", { boost: 3 });
  this.field("abstract");
  papers.forEach((p, i) => this.add({ id: i, title: p.title, abstract: p.abstract }));
});

const engines = {
  Folio: (q) => {
    const out = execFileSync(folio, ["search", "--index", indexDir, q.query, "--json", "--limit", "10"]);
    return JSON.parse(out).results.map((r) => papers.find((p) => p.id === r.id));
  },
  MiniSearch: (q) => miniSearchTop10(mini, papers, q).map((r) => papers[r.id]),
  lunr: (q) => {
    const words = lunr.tokenizer(q.text ?? q.query).map((t) => t.toString());
    const typing = !(q.text ?? q.query).endsWith(" ");
    const clause = (w, i) =>
      w.replace(/[:~^*+\-]/g, "") +
      (typing && i === words.length - 1 ? "*" : w.length >= 5 ? "~1" : "");
    const queryString = words.map(clause).filter((w) => w.length > 0).join(" ");
    let hits = [];
    try {
      hits = lunrIndex.search(queryString);
    } catch {
      hits = [];
    }
    return hits
      .map((h) => papers[Number(h.ref)])
      .filter((p) => passes(p, q.filter))
      .slice(0, 10);
  },
};

const groups = {};
for (const q of queries) {
  const isRelevant = (p) => p && q.relevant.some((r) => p.title.startsWith(r));
  for (const [name, run] of Object.entries(engines)) {
    const hits = run(q);
    const first = hits.findIndex(isRelevant);
    const rr = first < 0 ? 0 : 1 / (first + 1);
    const recall = q.relevant.filter((r) => hits.some((p) => p && p.title.startsWith(r))).length / q.relevant.length;
    const g = (groups[q.group] ??= {});
    (g[name] ??= []).push([rr, recall]);
  }
}

const names = Object.keys(engines);
console.log(`| group (queries) | ${names.map((n) => `${n} MRR | ${n} R@10`).join(" | ")} |`);
console.log(`|---|${names.map(() => "---:|---:").join("|")}|`);
const all = {};
for (const [group, byEngine] of Object.entries(groups)) {
  const cells = names.map((n) => {
    const s = byEngine[n];
    (all[n] ??= []).push(...s);
    const mrr = s.reduce((a, x) => a + x[0], 0) / s.length;
    const rec = s.reduce((a, x) => a + x[1], 0) / s.length;
    return `${mrr.toFixed(3)} | ${rec.toFixed(3)}`;
  });
  console.log(`| ${group} (${byEngine[names[0]].length}) | ${cells.join(" | ")} |`);
}
const total = names.map((n) => {
  const s = all[n];
  return `${(s.reduce((a, x) => a + x[0], 0) / s.length).toFixed(3)} | ${(s.reduce((a, x) => a + x[1], 0) / s.length).toFixed(3)}`;
});
console.log(`| **all (${queries.length})** | ${total.join(" | ")} |`);
