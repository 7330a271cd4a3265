// `make bench-scale`: Folio against Pagefind 1.6 at scale, from indexing to the browser.
//
//   node bench/scale/run.mjs [SIZE...] [--no-real]
//   node bench/scale/run.mjs --report      (the tables of the last run, from scale.json)
//
// For each SIZE (default 10000 100000) a synthetic collection (`folio synth`), and the real
// 10,808 Hugging Face Daily Papers of ../shared/collections (unless --no-real), run in
// order of size: both indexers timed (wall, peak RSS) and their output measured, both sites
// served by bench/scale/serve.mjs and measured in Chromium by bench/scale/measure.mjs. Writes
// build/bench/scale.json (everything) and build/bench/scale.md (the tables it prints). A
// size or a tool that fails is reported as failed and the run goes on.
//
// Environment: COLD_TIMEOUT (s per cold query, 600), COLD_SLOW (s: after a cold query
// slower than this the tool's other cold queries at that size are skipped, 180), ROUNDS
// (warm rounds, 20).

import { readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

import { buildFolio, buildPagefind } from "./build.mjs";
import { collectionFile, readPapers, REAL } from "./collections.mjs";
import { NETWORK, measureSite } from "./measure.mjs";
import { chooseQueries } from "./queries.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bench = join(repo, "build/bench");
const shared = resolve(repo, "../shared");

const args = process.argv.slice(2);
const noReal = args.includes("--no-real");
const given = args.filter((a) => !a.startsWith("--"));
const sizes = (given.length ? given : ["10000", "100000"]).map((s) => (s === REAL ? REAL : Number(s)));
if (!noReal && !sizes.includes(REAL)) sizes.push(REAL);
// In order of papers, the real collection counted as its 10,808.
sizes.sort((a, b) => (a === REAL ? 10808 : a) - (b === REAL ? 10808 : b));

const options = {
  timeoutMs: Number(process.env.COLD_TIMEOUT ?? 600) * 1000,
  slowMs: Number(process.env.COLD_SLOW ?? 180) * 1000,
  rounds: Number(process.env.ROUNDS ?? 20),
  log: (line) => console.error(line),
};

let command = `make bench-scale SIZES="${given.join(" ") || "10000 100000"}"${noReal ? " (--no-real)" : ""}`;
const started = new Date();

function version(cmd, cmdArgs) {
  try {
    return execFileSync(cmd, cmdArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0];
  } catch {
    return null;
  }
}

const report = {
  date: started.toISOString(),
  command,
  machine: { cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
  tools: {
    folio: version(join(repo, "target/release/folio"), ["--version"]),
    pagefind: version(join(repo, "node_modules/@pagefind/linux-x64/bin/pagefind_extended"), ["--version"]),
    chromium: version("/usr/bin/chromium", ["--version"]),
  },
  network: { ...NETWORK, note: "Network.emulateNetworkConditions on the page (its workers share it); cache disabled; service workers blocked" },
  sizes: [],
};

function save() {
  writeFileSync(join(bench, "scale.json"), JSON.stringify(report, null, 2) + "\n");
}

async function step(what, fn) {
  const t0 = Date.now();
  try {
    const value = await fn();
    options.log(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    options.log(`${what}: FAILED: ${error.message ?? error}`);
    return { failed: String(error.message ?? error).split("\n").slice(0, 3).join(" ") };
  }
}

async function runSize(size) {
  const label = size === REAL ? "hf-daily-papers-10808" : String(size);
  const entry = { label, size, started: new Date().toISOString(), load_average: loadavg().map((l) => Math.round(l * 100) / 100) };
  report.sizes.push(entry);
  const t0 = Date.now();
  try {
    const collection = await collectionFile({ size, repo, bench, shared });
    entry.collection = collection.startsWith(repo) ? collection.slice(repo.length + 1) : collection;
    const papers = readPapers(collection);
    entry.papers = papers.length;
    const { mix, year, typo } = chooseQueries(papers);
    entry.queries = mix;
    entry.filter_year = year;
    entry.typo = typo;
    writeFileSync(join(bench, `queries-${label}.json`), JSON.stringify({ mix, year, typo }, null, 1));
    save();
    const folio = await step(`${label}: folio index`, () => buildFolio({ repo, bench, label, collection }));
    entry.folio = { index: folio };
    save();
    const pagefind = await step(`${label}: pagefind`, () => buildPagefind({ repo, bench, label, papers }));
    entry.pagefind = { index: pagefind };
    save();
    if (!folio.failed) entry.folio.browser = await step(`${label}: folio in Chromium`, () => measureSite("folio", folio.site, mix, options));
    save();
    if (!pagefind.failed) entry.pagefind.browser = await step(`${label}: pagefind in Chromium`, () => measureSite("pagefind", pagefind.site, mix, options));
  } catch (error) {
    entry.failed = String(error.message ?? error);
    options.log(`${label}: FAILED: ${entry.failed}`);
  }
  entry.seconds = Math.round((Date.now() - t0) / 1000);
  save();
}

// ---- the report -------------------------------------------------------------------------

const mib = (b) => (b === null || b === undefined ? "–" : b >= 1048576 ? `${(b / 1048576).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const ms = (v) => (v === null || v === undefined ? "–" : v >= 10000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const ratio = (a, b) => (typeof a === "number" && typeof b === "number" && b > 0 ? (a / b).toFixed(2) : "–");
const num = (v) => (v === null || v === undefined ? "–" : String(v));

function indexRows(f, p) {
  const fi = f?.index ?? {};
  const pi = p?.index ?? {};
  const row = (name, a, b, fmt, r = true) => `| ${name} | ${fmt(a)} | ${fmt(b)} | ${r ? ratio(a, b) : ""} |`;
  const failed = (x) => (x?.failed ? `FAILED: ${x.failed}` : null);
  const lines = [
    "| index | Folio | Pagefind | Folio/Pagefind |",
    "|---|---:|---:|---:|",
  ];
  if (failed(fi) || failed(pi)) lines.push(`| status | ${failed(fi) ?? "ok"} | ${failed(pi) ?? "ok"} | |`);
  lines.push(
    row("index time (wall)", fi.wall_s, pi.wall_s, (v) => (v === undefined ? "–" : `${v} s`)),
    row("peak memory (max RSS)", fi.peak_rss_mib, pi.peak_rss_mib, (v) => (v === undefined || v === null ? "–" : `${v} MiB`)),
    row("files", fi.output?.files, pi.output?.files, num),
    row("largest file", fi.output?.largest?.bytes, pi.output?.largest?.bytes, mib),
    row("total raw", fi.output?.raw_bytes, pi.output?.raw_bytes, mib),
    row("total gzip -9", fi.output?.gzip_bytes, pi.output?.gzip_bytes, mib),
  );
  return lines;
}

function coldRows(entry) {
  const fCold = entry.folio?.browser?.cold ?? [];
  const pCold = entry.pagefind?.browser?.cold ?? [];
  const lines = [
    "| cold query | Folio: first result | Pagefind | F/P | Folio: bytes (app + data) | Pagefind | F/P | requests F / P | data round trips F / P | results F / P |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const q of entry.queries ?? []) {
    const f = fCold.find((c) => c.name === q.name) ?? {};
    const p = pCold.find((c) => c.name === q.name) ?? {};
    const shown = (c) => (c.state === "results" || c.state === "paper" || c.state === "none" ? null : c.state ?? "–");
    const t = (c) => shown(c) ?? ms(c.time_to_first_result_ms);
    const b = (c) => {
      if (shown(c)) return shown(c);
      const x = c.before_first_result;
      return `${mib(x.bytes)} (${mib(x.app_bytes)} + ${mib(x.data_bytes)})`;
    };
    const reqs = (c) => (shown(c) ? "–" : `${c.before_first_result.requests}`);
    const wav = (c) => (shown(c) ? "–" : `${c.before_first_result.data_waves}`);
    const cnt = (c) => (shown(c) ? "–" : c.count === null || c.count === undefined ? "–" : String(c.count));
    lines.push(
      `| ${q.name}: \`${q.text || "(empty)"}\` | ${t(f)} | ${t(p)} | ${ratio(f.time_to_first_result_ms, p.time_to_first_result_ms)} | ${b(f)} | ${b(p)} | ${ratio(f.before_first_result?.bytes, p.before_first_result?.bytes)} | ${reqs(f)} / ${reqs(p)} | ${wav(f)} / ${wav(p)} | ${cnt(f)} / ${cnt(p)} |`,
    );
  }
  const notes = [];
  const typoF = fCold.find((c) => c.name === "typo");
  const typoP = pCold.find((c) => c.name === "typo");
  if (entry.typo) {
    const said = (c) => (c?.target_in_top5 === undefined ? "–" : c.target_in_top5 ? `yes (rank ${c.target_rank})` : "no");
    notes.push(`Typo \`${entry.typo.typo}\` for "${entry.typo.word}" in "${entry.typo.title}": in the top 5? Folio ${said(typoF)}, Pagefind ${said(typoP)}.`);
  }
  const idle = (c) => c.find((x) => x.until_idle)?.until_idle;
  const fi = idle(fCold);
  const pi = idle(pCold);
  if (fi || pi) {
    notes.push(
      `Everything fetched until the network was idle (first cold query): Folio ${mib(fi?.bytes)} in ${fi?.requests ?? "–"} requests, Pagefind ${mib(pi?.bytes)} in ${pi?.requests ?? "–"}.`,
    );
  }
  const skipped = [...fCold, ...pCold].filter((c) => c.state === "skipped" || c.state === "error" || c.state === "timeout");
  for (const c of skipped.slice(0, 3)) notes.push(`${c.name}: ${c.state}: ${c.note ?? c.error ?? ""}`);
  return { lines, notes };
}

function warmRows(entry) {
  const fw = entry.folio?.browser?.warm ?? {};
  const pw = entry.pagefind?.browser?.warm ?? {};
  const lines = [
    `| warm query (first run in the page; then p50 / p95 of ${fw.rounds ?? pw.rounds ?? "–"} rounds) | Folio first | Folio p50 / p95 | Pagefind first | Pagefind p50 / p95 |`,
    "|---|---:|---:|---:|---:|",
  ];
  for (const q of entry.queries ?? []) {
    const f = fw.queries?.[q.name];
    const p = pw.queries?.[q.name];
    const cell = (x) => (x ? `${x.p50_ms} / ${x.p95_ms} ms` : "n/a");
    const first = (x) => (x?.first_ms !== undefined && x?.first_ms !== null ? `${x.first_ms} ms` : x ? "–" : "n/a");
    lines.push(`| ${q.name} | ${first(f)} | ${cell(f)} | ${first(p)} | ${cell(p)} |`);
  }
  const mem = (w) =>
    w.error ? `failed (${w.error})` : `JS heap ${w.js_heap_used_mib ?? "–"} MiB${w.wasm_memory_mib ? `, wasm memory ${w.wasm_memory_mib} MiB` : ""}, renderer RSS ${w.renderer_rss_mib ?? "–"} MiB`;
  lines.push(`| memory after the runs | | ${mem(fw)} | | ${mem(pw)} |`);
  const during = (w, name) =>
    w.requests_during_runs ? `${name} made ${w.requests_during_runs} requests during the warm runs (${(w.paths_during_runs ?? []).join(", ")})` : null;
  const extra = [during(fw, "Folio"), during(pw, "Pagefind")].filter(Boolean);
  if (extra.length) lines.push("", ...extra.map((e) => `- ${e}.`));
  return lines;
}

function markdown() {
  const out = [
    `# Folio vs Pagefind 1.6 at scale — ${report.date.slice(0, 10)}`,
    "",
    `Command: \`${command}\` (${report.date}); ${report.machine.cores} cores, ${report.machine.memory_gib} GiB; ${report.tools.chromium}; ${report.tools.pagefind}.`,
    ...(report.runs ? [`Put together from ${report.runs.length} runs: ${report.runs.map((r) => `\`${r.command}\` (${r.date}, ${r.seconds} s)`).join("; ")}.`] : []),
    `Index output: every file the indexer wrote (Pagefind's includes its UI bundles, which the API page does not load); gzip -9 per file, or the file as it is where gzip does not make it smaller (Pagefind's .pf_* files are gzip already).`,
    `Cold: a new context per query, 1.6 Mbps down / 750 kbps up / 150 ms latency (DevTools emulation), cache disabled, service workers blocked; bytes are encoded (gzip) bytes on the wire until the first result was in the DOM. Warm: one page, no throttling.`,
    "",
  ];
  for (const entry of report.sizes) {
    out.push(`## ${entry.label} (${entry.papers ?? "?"} papers) — ${entry.seconds ?? "?"} s, load average at start ${entry.load_average?.join(" ")}`, "");
    if (entry.failed) out.push(`FAILED: ${entry.failed}`, "");
    out.push(...indexRows(entry.folio, entry.pagefind), "");
    if (entry.queries) {
      const { lines, notes } = coldRows(entry);
      out.push(...lines, "", ...notes.map((n) => `- ${n}`), "", ...warmRows(entry), "");
    }
  }
  return out.join("\n");
}

if (args.includes("--report")) {
  // Only the tables, from the last run's build/bench/scale.json.
  Object.assign(report, JSON.parse(readFileSync(join(bench, "scale.json"), "utf8")));
  command = report.command;
  console.log(markdown());
  process.exit(0);
}

await mkdir(bench, { recursive: true });
for (const size of sizes) {
  options.log(`== ${size === REAL ? "the real collection (10,808 papers)" : `${size} synthetic papers`}`);
  await runSize(size);
}
report.seconds = Math.round((Date.now() - started.getTime()) / 1000);
save();
const text = markdown();
writeFileSync(join(bench, "scale.md"), text + "\n");
console.log(text);
