// Browser measurement of the scale benchmark: Debian's Chromium driven by playwright-core,
// network and timing read over the DevTools protocol.
//
// Cold: each query of the mix in a new browser context (empty cache, cache disabled, service
// workers blocked), on a throttled network (1.6 Mbps down, 750 kbps up, 150 ms latency).
// Requests of dedicated workers (Pagefind searches in one) are followed by auto-attaching
// to them over the page's session: they share the page's throttling, and their
// `Network.loadingFinished` events are counted too. Per query: the requests that had
// finished when the first result was in the DOM (time from navigation start), their bytes
// (`encodedDataLength`, split into the app's own files and index data) and sequential round
// trips (waves, below), the result count and titles; then the page is left until the network
// is idle (at most 2 minutes), and everything it fetched is counted again (`until_idle`).
//
// Waves: a request is one wave later than the latest-wave request that had finished before
// it started (a request starting before any other finished is wave 1). `waves` counts them
// over all requests; `data_waves` over the index data requests alone, i.e. the sequential
// round trips the search needs after the page's own html/js/wasm/css.
//
// Warm: one page, no throttling, the site loaded and idle; each query of the mix once to
// warm up, then 20 rounds of the mix (consecutive queries differ, so each one changes the
// page); per query p50/p95 of the time from the event (Folio: the search box's value set and
// an `input` event dispatched, or the hash changed to open a paper; Pagefind: its search
// page's `runSearch`, which calls `pagefind.search`, the top 10 `data()` and renders them)
// to the last DOM mutation it caused. Then `JSHeapUsedSize` (Performance.getMetrics), the
// wasm linear memory where the page has one (Folio: announced by trunk's loader), and the
// resident memory of the browser's renderer processes.
//
// As a script (for trying one site): node bench/scale/measure.mjs folio|pagefind SITE_DIR QUERIES.json

import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

import { serve } from "./serve.mjs";

export const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1.6e6 / 8,
  uploadThroughput: 750e3 / 8,
};

const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

// What marks a rendered state, per tool. Folio (app/src/results.rs, paper.rs, lib.rs; the
// selectors tests/e2e/page.rs uses): result items `.result`, the count `.count .found` ("No
// papers found" when nothing matched), the open paper's `[role=dialog] h2`, the load error
// `.error[role=alert]`, and the loading state `progress.loading`. Pagefind: the search page
// sets `data-done` on <body>; a paper's page has its `main h1`.
const MARKERS = {
  folio: [
    { kind: "paper", selector: "[role=dialog] h2", nonEmpty: true },
    { kind: "results", selector: ".result" },
    { kind: "none", selector: ".count .found", text: "^No papers" },
    { kind: "error", selector: ".error[role=alert]" },
    { kind: "loading", selector: "progress.loading" },
  ],
  pagefind: [
    { kind: "results", selector: "body[data-done]" },
    { kind: "paper", selector: "main h1", nonEmpty: true },
  ],
};

// Installed before the page's own scripts: records when each marker first appears
// (performance.now(), i.e. milliseconds since navigation start).
function markerWatcher(markers) {
  const seen = {};
  window.__benchSeen = seen;
  const check = () => {
    const now = performance.now();
    for (const m of markers) {
      if (seen[m.kind] !== undefined) continue;
      const el = document.querySelector(m.selector);
      if (!el) continue;
      const text = (el.textContent || "").trim();
      if (m.nonEmpty && !text) continue;
      if (m.text && !new RegExp(m.text).test(text)) continue;
      seen[m.kind] = now;
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** app (the page's own html/js/wasm/css, Pagefind's js and wasm) or data (the index). */
export function classify(url) {
  const path = new URL(url).pathname;
  if (path.startsWith("/data/")) return "data";
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (/\.(html?|m?js|css|wasm|svg|ico|png|woff2?)$/i.test(name) || name === "" || name.startsWith("wasm.")) return "app";
  return "data";
}

/** Assigns waves (see above) to requests with {start, end} (seconds); returns the depth. */
export function waves(requests) {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let depth = 0;
  for (const r of sorted) {
    let wave = 1;
    for (const p of sorted) {
      if (p !== r && p.end !== undefined && p.end <= r.start && p.wave !== undefined) wave = Math.max(wave, p.wave + 1);
    }
    r.wave = wave;
    depth = Math.max(depth, wave);
  }
  return depth;
}

/** Network events of a page and of the workers it starts, over one CDP session. */
async function watchNetwork(context, page, { throttle, disableCache }) {
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  const onNetwork = (where) => (method, p) => {
    if (method === "Network.requestWillBeSent") {
      if (!/^https?:/.test(p.request.url)) return;
      // Request ids are the browser's, the same in the page's and a worker's session (a
      // worker's script is requested by the page and finished in the worker's). A redirect
      // reuses the id: the first start is kept.
      if (requests.has(p.requestId)) return;
      requests.set(p.requestId, { url: p.request.url, where, type: p.type, start: p.timestamp, bytes: 0 });
    } else if (method === "Network.loadingFinished") {
      const r = requests.get(p.requestId);
      if (r) Object.assign(r, { end: p.timestamp, bytes: p.encodedDataLength });
    } else if (method === "Network.loadingFailed") {
      const r = requests.get(p.requestId);
      if (r) Object.assign(r, { end: p.timestamp, failed: p.errorText });
    } else if (method === "Network.responseReceived") {
      const r = requests.get(p.requestId);
      if (r) Object.assign(r, { status: p.response.status, encoding: p.response.headers["content-encoding"] ?? p.response.headers["Content-Encoding"] });
    }
  };
  const pageEvents = onNetwork("page");
  for (const m of ["Network.requestWillBeSent", "Network.loadingFinished", "Network.loadingFailed", "Network.responseReceived"]) {
    cdp.on(m, (p) => pageEvents(m, p));
  }
  // Workers: attached (not flattened, so this session routes their messages), paused at
  // start until their Network domain is on. They share the page's network conditions
  // (emulateNetworkConditions on a worker answers "Not supported").
  let nextId = 1;
  const pending = new Map();
  const workers = [];
  cdp.on("Target.attachedToTarget", async ({ sessionId, targetInfo }) => {
    workers.push(targetInfo.url);
    const send = (method, params = {}) =>
      new Promise((ok, fail) => {
        const id = nextId++;
        pending.set(id, { ok, fail });
        cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) }).catch(fail);
      });
    const events = onNetwork(sessionId);
    pending.set(`events:${sessionId}`, events);
    await send("Network.enable").catch(() => {});
    if (disableCache) await send("Network.setCacheDisabled", { cacheDisabled: true }).catch(() => {});
    await send("Runtime.runIfWaitingForDebugger").catch(() => {});
  });
  cdp.on("Target.receivedMessageFromTarget", ({ sessionId, message }) => {
    const m = JSON.parse(message);
    if (m.id !== undefined) {
      const p = pending.get(m.id);
      if (p) {
        pending.delete(m.id);
        if (m.error) p.fail(new Error(m.error.message));
        else p.ok(m.result);
      }
      return;
    }
    pending.get(`events:${sessionId}`)?.(m.method, m.params);
  });
  await cdp.send("Network.enable");
  if (disableCache) await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (throttle) await cdp.send("Network.emulateNetworkConditions", throttle);
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return {
    cdp,
    requests: () => [...requests.values()],
    workers,
    inFlight: () => [...requests.values()].filter((r) => r.end === undefined).length,
  };
}

/** Requests (all, or those finished by `until`, CDP seconds) in bytes, counts and waves. */
function summarize(requests, until = Infinity) {
  const done = until === Infinity ? requests : requests.filter((r) => r.end !== undefined && r.end <= until);
  const sum = (list) => list.reduce((total, r) => total + (r.bytes ?? 0), 0);
  const app = done.filter((r) => classify(r.url) === "app");
  const data = done.filter((r) => classify(r.url) === "data");
  const dataCopies = data.map((r) => ({ ...r }));
  return {
    requests: done.length,
    bytes: sum(done),
    app_requests: app.length,
    app_bytes: sum(app),
    data_requests: data.length,
    data_bytes: sum(data),
    waves: waves(done.map((r) => ({ ...r }))),
    data_waves: dataCopies.length ? waves(dataCopies) : 0,
    failed: done.filter((r) => r.failed || (r.status && r.status >= 400)).map((r) => `${new URL(r.url).pathname} ${r.failed ?? r.status}`),
  };
}

/** Waits until no request is in flight and none started for `quietMs`, at most `maxMs`. */
async function networkIdle(net, quietMs, maxMs) {
  const started = Date.now();
  let count = net.requests().length;
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    await sleep(250);
    const now = net.requests().length;
    if (now !== count || net.inFlight() > 0) {
      count = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return true;
    }
  }
  return false;
}

function queryUrl(tool, base, query) {
  if (tool === "folio") return `${base}${query.folio}`;
  if (query.pagefind?.page) return `${base}p/${String(query.pagefind.page).replace(/[^A-Za-z0-9._-]/g, "_")}.html`;
  const params = new URLSearchParams({ q: query.pagefind.q });
  const filters = Object.entries(query.pagefind.filters ?? {}).map(([k, v]) => `${k}:${v}`).join(",");
  if (filters) params.set("filter", filters);
  return `${base}search.html?${params}`;
}

/** What the page shows: count text and the first 10 titles. */
async function readResults(page, tool, query) {
  return page.evaluate(
    ({ tool, paper }) => {
      const text = (el) => (el?.textContent ?? "").trim();
      if (paper) {
        const h = document.querySelector(tool === "folio" ? "[role=dialog] h2" : "main h1");
        return { count: null, count_text: null, titles: [text(h)] };
      }
      if (tool === "folio") {
        return {
          count_text: text(document.querySelector(".count .found")),
          engine_ms: text(document.querySelector(".count .time")),
          titles: [...document.querySelectorAll(".result .title")].slice(0, 10).map(text),
        };
      }
      return {
        count_text: document.body.dataset.count ?? null,
        titles: [...document.querySelectorAll("#results .title")].slice(0, 10).map(text),
      };
    },
    { tool, paper: !!(query.paper || query.pagefind?.page) },
  );
}

const countOf = (text) => {
  const m = /([\d,]+)/.exec(text ?? "");
  return m ? Number(m[1].replace(/,/g, "")) : null;
};

async function coldQuery(browser, tool, base, query, { timeoutMs, idleMs }) {
  const context = await browser.newContext({ serviceWorkers: "block" });
  try {
    await context.addInitScript(markerWatcher, MARKERS[tool]);
    const page = await context.newPage();
    const net = await watchNetwork(context, page, { throttle: NETWORK, disableCache: true });
    const url = queryUrl(tool, base, query);
    await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
    const wanted = query.paper || query.pagefind?.page ? ["paper", "error"] : ["results", "none", "error"];
    const started = Date.now();
    let seen = {};
    let loadingSeenAt = null;
    while (Date.now() - started < timeoutMs) {
      seen = (await page.evaluate(() => window.__benchSeen ?? {}).catch(() => ({}))) ?? {};
      if (seen.loading !== undefined) loadingSeenAt = seen.loading;
      if (wanted.some((k) => seen[k] !== undefined)) break;
      await sleep(100);
    }
    const kind = wanted.find((k) => seen[k] !== undefined) ?? null;
    const firstMs = kind ? seen[kind] : null;
    const requests = net.requests();
    const doc = requests.find((r) => r.type === "Document") ?? requests[0];
    const navStart = doc?.start ?? 0;
    const atFirst = firstMs !== null ? summarize(requests, navStart + firstMs / 1000) : null;
    const shown = kind ? await readResults(page, tool, query) : null;
    // Then what the page goes on to fetch (Folio: the positions, in the background).
    const idle = kind ? await networkIdle(net, 2000, idleMs) : false;
    const total = summarize(net.requests());
    const result = {
      url: url.slice(base.length - 1),
      state: kind ?? "timeout",
      time_to_first_result_ms: firstMs !== null ? Math.round(firstMs) : null,
      loading_state_at_ms: loadingSeenAt !== null ? Math.round(loadingSeenAt) : null,
      before_first_result: atFirst,
      until_idle: { ...total, idle },
      workers: net.workers.length,
      count: shown ? (tool === "pagefind" && !query.pagefind?.page ? Number(shown.count_text) : countOf(shown.count_text)) : null,
      count_text: shown?.count_text ?? null,
      engine_ms: shown?.engine_ms ?? null,
      titles: shown?.titles ?? [],
    };
    if (query.target) {
      result.target_in_top5 = result.titles.slice(0, 5).includes(query.target.title.trim());
      result.target_rank = result.titles.indexOf(query.target.title.trim()) + 1 || null;
    }
    if (!kind) result.error = `no result on the page after ${timeoutMs / 1000} s`;
    return result;
  } finally {
    await context.close().catch(() => {});
  }
}

// In-page runners for the warm phase. Each returns the milliseconds from the event to the
// last DOM mutation it caused (null if nothing changed within 15 s).
function installWarmRunner() {
  // Trunk's loader announces the wasm instance (its exports, `memory` among them).
  addEventListener("TrunkApplicationStarted", (e) => {
    window.__benchWasmMemory = e.detail?.wasm?.memory ?? null;
  });
  const settle = (kick) =>
    new Promise((resolve) => {
      let last = null;
      const started = performance.now();
      const observer = new MutationObserver(() => {
        last = performance.now();
        schedule();
      });
      let timer = null;
      // Done when a macrotask passes with no new mutation: all the microtasks (Leptos's
      // effects) of the update have run.
      const channel = new MessageChannel();
      let marked = null;
      channel.port1.onmessage = () => {
        if (marked === last) finish(last);
        else {
          marked = last;
          channel.port2.postMessage(0);
        }
      };
      const schedule = () => {
        if (marked === null) {
          marked = -1;
          channel.port2.postMessage(0);
        }
      };
      const finish = (at) => {
        observer.disconnect();
        clearTimeout(timer);
        channel.port1.close();
        resolve(at === null ? null : at - started);
      };
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      timer = setTimeout(() => finish(null), 15000);
      kick();
    });
  window.__benchInput = (value) =>
    settle(() => {
      const input = document.getElementById("search-input");
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  window.__benchHash = (hash) => settle(() => (location.hash = hash));
  window.__benchPagefind = async (q, filters) => {
    const started = performance.now();
    const found = await window.runSearch(q, filters);
    return { ms: performance.now() - started, count: found.count };
  };
}

function percentile(values, p) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return Math.round(sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] * 100) / 100;
}

function rendererRssMib(ancestorPid) {
  const parents = new Map();
  const commands = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parents.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      commands.set(pid, readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {}
  }
  const descends = (pid) => {
    for (let p = pid, i = 0; p && p !== "0" && i < 50; p = parents.get(p), i++) if (p === String(ancestorPid)) return true;
    return false;
  };
  let kb = 0;
  for (const [pid, cmd] of commands) {
    if (!cmd.includes("--type=renderer") || !descends(pid)) continue;
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {}
  }
  return Math.round(kb / 1024);
}

async function warmRuns(browser, tool, base, queries, { rounds, timeoutMs }) {
  const context = await browser.newContext({ serviceWorkers: "block" });
  try {
    await context.addInitScript(markerWatcher, MARKERS[tool]);
    await context.addInitScript(installWarmRunner);
    const page = await context.newPage();
    const net = await watchNetwork(context, page, { throttle: null, disableCache: false });
    const first = queries.find((q) => !q.browse && !q.paper) ?? queries[0];
    await page.goto(queryUrl(tool, base, first), { waitUntil: "commit", timeout: timeoutMs });
    await page.waitForFunction(() => window.__benchSeen && (window.__benchSeen.results !== undefined || window.__benchSeen.none !== undefined), null, {
      timeout: timeoutMs,
      polling: 200,
    });
    await networkIdle(net, 2000, timeoutMs);
    const loaded = summarize(net.requests());
    const mix = queries.filter((q) => (tool === "folio" ? true : q.pagefind && !q.pagefind.page));
    const times = new Map(mix.map((q) => [q.name, []]));
    const run = async (q) => {
      if (tool === "pagefind") {
        const r = await page.evaluate(([q, f]) => window.__benchPagefind(q, f), [q.pagefind.q, q.pagefind.filters ?? {}]);
        return r.ms;
      }
      if (q.paper) {
        const ms = await page.evaluate((h) => window.__benchHash(h), q.folio);
        await page.evaluate(() => window.__benchHash("")); // close it again (not timed)
        return ms;
      }
      return page.evaluate((v) => window.__benchInput(v), q.text);
    };
    // The warm-up pass (each query's first run in this page): not in the percentiles, kept.
    const firstRun = new Map();
    for (const q of mix) firstRun.set(q.name, await run(q));
    const before = net.requests().length;
    for (let i = 0; i < rounds; i++) {
      for (const q of mix) times.get(q.name).push(await run(q));
    }
    const cdp = net.cdp;
    await cdp.send("Performance.enable");
    const wasmBytes = await page.evaluate(() => window.__benchWasmMemory?.buffer?.byteLength ?? null);
    const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
    return {
      rounds,
      index_load: { requests: loaded.requests, bytes: loaded.bytes },
      requests_during_runs: net.requests().length - before,
      paths_during_runs: [...new Set(net.requests().slice(before).map((r) => new URL(r.url).pathname))].slice(0, 20),
      queries: Object.fromEntries(
        [...times].map(([name, list]) => [
          name,
          { first_ms: firstRun.get(name) === null ? null : Math.round(firstRun.get(name) * 100) / 100, p50_ms: percentile(list, 50), p95_ms: percentile(list, 95), max_ms: percentile(list, 100), missed: list.filter((v) => v === null).length },
        ]),
      ),
      js_heap_used_mib: Math.round((metrics.JSHeapUsedSize / 1048576) * 10) / 10,
      js_heap_total_mib: Math.round((metrics.JSHeapTotalSize / 1048576) * 10) / 10,
      // The wasm instance's linear memory (Folio's engine and index live there, not in the JS heap).
      wasm_memory_mib: wasmBytes === null ? null : Math.round((wasmBytes / 1048576) * 10) / 10,
      // Chromium runs as a child of this process (playwright-core drives it in-process).
      renderer_rss_mib: rendererRssMib(process.pid),
    };
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * Measures one site: `tool` is "folio" or "pagefind", `site` the directory to serve.
 * Options: timeoutMs (per cold query), slowMs (after a cold query slower than this, the
 * tool's other cold queries at this size are skipped), idleMs (how long to wait for the
 * network to go idle after the first result), rounds (warm), cold (false: warm only), log.
 */
export async function measureSite(tool, site, queries, options = {}) {
  const { timeoutMs = 600000, slowMs = 180000, idleMs = 120000, rounds = 20, cold: runCold = true, log = () => {} } = options;
  const server = await serve(site, 0);
  // launch() starts Chromium on a fresh temporary profile (its own --user-data-dir).
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  try {
    const version = browser.version();
    const cold = [];
    let skip = runCold ? null : "cold queries not asked for";
    for (const q of queries) {
      if (tool === "pagefind" && !q.pagefind) {
        cold.push({ name: q.name, state: "n/a", note: "Pagefind cannot list a collection without a query" });
        continue;
      }
      if (skip) {
        cold.push({ name: q.name, state: "skipped", note: skip });
        continue;
      }
      const t0 = Date.now();
      let r;
      try {
        r = await coldQuery(browser, tool, server.url, q, { timeoutMs, idleMs });
      } catch (error) {
        r = { state: "error", error: String(error.message ?? error).split("\n")[0] };
      }
      const took = Date.now() - t0;
      // A cold query this slow (a whole index over the throttled link) is not repeated for
      // every query of the mix: the rest are marked skipped.
      if (r.state === "timeout") skip = "an earlier cold query timed out";
      else if (took > slowMs) skip = `an earlier cold query took ${Math.round(took / 1000)} s (over ${slowMs / 1000} s)`;
      cold.push({ name: q.name, text: q.text, ...r });
      log(`  ${tool} cold ${q.name}: ${r.state} ${r.time_to_first_result_ms ?? "-"} ms, ${r.before_first_result?.bytes ?? "-"} B, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    let warm;
    try {
      warm = await warmRuns(browser, tool, server.url, queries, { rounds, timeoutMs });
      log(`  ${tool} warm: ${JSON.stringify(Object.fromEntries(Object.entries(warm.queries).map(([k, v]) => [k, v.p50_ms])))}`);
    } catch (error) {
      warm = { error: String(error.message ?? error).split("\n")[0] };
      log(`  ${tool} warm failed: ${warm.error}`);
    }
    return { tool, chromium: version, served: { requests: server.stats.requests, bytes: server.stats.bytes }, cold, warm };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [tool, site, queriesFile] = process.argv.slice(2);
  if (!tool || !site || !queriesFile) {
    console.error("usage: node bench/scale/measure.mjs folio|pagefind SITE_DIR QUERIES.json");
    process.exit(2);
  }
  const queries = JSON.parse(readFileSync(queriesFile, "utf8"));
  const result = await measureSite(tool, site, queries.mix ?? queries, {
    rounds: Number(process.env.ROUNDS ?? 20),
    timeoutMs: Number(process.env.COLD_TIMEOUT ?? 600) * 1000,
    slowMs: Number(process.env.COLD_SLOW ?? 180) * 1000,
    cold: process.env.COLD !== "0",
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
}
