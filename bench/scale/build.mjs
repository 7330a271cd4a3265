// Builds the two sites of one size, timing each indexer under `/usr/bin/time -v`:
//
// - Folio: `folio index <collection> --out build/bench/folio-N/index`, then the built app
//   (`dist/`, from `make build`) copied to build/bench/folio-N/site/ with its `data/`
//   replaced by that index.
// - Pagefind 1.6: one static page per paper in build/bench/pagefind-N/site/p/, the pagefind
//   CLI over the site (its bundle in site/pagefind/), then site/search.html, the search page
//   the browser measurement drives.
//
// Each returns {wall_s, peak_rss_mib, exit, output: {files, largest, raw_bytes, gzip_bytes}}.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

/** Runs a command under `/usr/bin/time -v`: wall time, peak RSS, exit status, output tail. */
export function timed(command, args, { cwd, log } = {}) {
  const report = join(log ? log + ".time" : "/tmp/folio-bench-time-" + process.pid);
  const started = process.hrtime.bigint();
  const run = spawnSync("/usr/bin/time", ["-v", "-o", report, command, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const text = existsSync(report) ? readFileSync(report, "utf8") : "";
  const field = (name) => new RegExp(`${name}: (.*)`).exec(text)?.[1]?.trim();
  const wall = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)");
  const wallSeconds = wall
    ? wall.split(":").reduce((total, part) => total * 60 + Number(part), 0)
    : elapsed;
  const rssKb = Number(field("Maximum resident set size \\(kbytes\\)") ?? NaN);
  const out = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  if (log) writeFile(log, out).catch(() => {});
  return {
    wall_s: Math.round(wallSeconds * 100) / 100,
    peak_rss_mib: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : null,
    exit: run.status,
    error: run.error?.message,
    tail: out.trim().split("\n").slice(-5).join("\n"),
  };
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Files, largest file, total bytes raw and gzip -9 (each file on its own, as a host sends it). */
export async function outputStats(dir) {
  let files = 0;
  let raw = 0;
  let gzip = 0;
  let largest = { path: null, bytes: 0 };
  for await (const path of walk(dir)) {
    const body = await readFile(path);
    files += 1;
    raw += body.length;
    // What a compressing host sends: the smaller of gzip -9 and the file as it is.
    gzip += Math.min(body.length, gzipSync(body, { level: 9 }).length);
    if (body.length > largest.bytes) largest = { path: relative(dir, path), bytes: body.length };
  }
  return { files, largest, raw_bytes: raw, gzip_bytes: gzip };
}

export async function buildFolio({ repo, bench, label, collection }) {
  const root = join(bench, `folio-${label}`);
  const index = join(root, "index");
  const site = join(root, "site");
  await mkdir(root, { recursive: true });
  const run = timed(join(repo, "target/release/folio"), ["index", collection, "--out", index], {
    cwd: repo,
    log: join(root, "index.log"),
  });
  if (run.exit !== 0) throw new Error(`folio index failed (exit ${run.exit}): ${run.tail}`);
  const output = await outputStats(index);
  const dist = join(repo, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is not built: run `make build`");
  await rm(site, { recursive: true, force: true });
  await cp(dist, site, { recursive: true });
  await rm(join(site, "data"), { recursive: true, force: true });
  await cp(index, join(site, "data"), { recursive: true });
  return { ...run, output, site, index };
}

const escapeHtml = (text) =>
  String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** The file name of a paper's page (ids such as `hep-th/9901001` hold a slash). */
export const pageName = (id) => `${String(id).replace(/[^A-Za-z0-9._-]/g, "_")}.html`;

function paperPage(paper) {
  const year = paper.date?.slice(0, 4);
  const authors = paper.authors?.length ? paper.authors.join(", ") : "";
  // Filter and metadata in attributes (`name:value`), so the year is not indexed as text.
  const filter = year ? ` data-pagefind-filter="year:${year}"` : "";
  const meta = [`id:${paper.id}`, paper.date && `date:${paper.date}`].filter(Boolean).join(", ");
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(paper.title)}</title></head>
<body>
<main data-pagefind-body${filter} data-pagefind-meta="${escapeHtml(meta)}">
<h1>${escapeHtml(paper.title)}</h1>
<p class="meta">${authors ? `<span class="authors">${escapeHtml(authors)}</span> · ` : ""}${paper.date ? `<time>${escapeHtml(paper.date)}</time>` : ""}</p>
<p class="abstract">${escapeHtml(paper.abstract)}</p>
</main>
</body>
</html>
`;
}

// The search page: the query from the URL (`?q=...&filter=year:2024`), Pagefind's JS API,
// the top 10 titles rendered, then `data-done` and `data-count` on <body>. `window.runSearch`
// does the same for the warm runs, in the same page.
const SEARCH_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Search</title></head>
<body>
<main><input id="q" type="search" aria-label="Search"><p id="count"></p><ol id="results"></ol></main>
<script type="module">
const params = new URLSearchParams(location.search);
function filtersOf(text) {
  const filters = {};
  for (const part of (text || "").split(",").filter(Boolean)) {
    const [name, value] = part.split(":");
    filters[name] = value;
  }
  return filters;
}
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
async function runSearch(q, filters) {
  const s = await pagefind.search(q, { filters });
  const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
  const list = document.getElementById("results");
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    li.className = "result";
    const a = document.createElement("a");
    a.href = d.url;
    a.className = "title";
    a.textContent = d.meta.title;
    li.append(a);
    return li;
  }));
  document.getElementById("count").textContent = s.results.length + " results";
  return { count: s.results.length, titles: data.map((d) => d.meta.title) };
}
window.runSearch = runSearch;
const q = params.get("q") ?? "";
document.getElementById("q").value = q;
const found = await runSearch(q, filtersOf(params.get("filter")));
window.__pagefindDoneAt = performance.now();
document.body.dataset.count = String(found.count);
document.body.dataset.done = "1";
</script>
</body>
</html>
`;

export async function buildPagefind({ repo, bench, label, papers }) {
  const root = join(bench, `pagefind-${label}`);
  const site = join(root, "site");
  await rm(site, { recursive: true, force: true });
  await mkdir(join(site, "p"), { recursive: true });
  // Written in batches: 100k pages one by one would wait on each write.
  for (let i = 0; i < papers.length; i += 500) {
    await Promise.all(
      papers.slice(i, i + 500).map((paper) => writeFile(join(site, "p", pageName(paper.id)), paperPage(paper))),
    );
  }
  const binary = [
    join(repo, "node_modules/@pagefind/linux-x64/bin/pagefind_extended"),
    join(repo, "node_modules/@pagefind/linux-x64/bin/pagefind"),
  ].find(existsSync);
  if (!binary) throw new Error("pagefind is not installed: run `npm ci`");
  const run = timed(binary, ["--site", site, "--quiet"], { cwd: root, log: join(root, "pagefind.log") });
  if (run.exit !== 0) throw new Error(`pagefind failed (exit ${run.exit}): ${run.tail}`);
  const output = await outputStats(join(site, "pagefind"));
  await writeFile(join(site, "search.html"), SEARCH_PAGE);
  const pages = (await stat(join(site, "p"))).isDirectory() ? papers.length : 0;
  return { ...run, output, site, pages };
}
