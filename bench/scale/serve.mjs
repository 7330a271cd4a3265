// A small static file server for the scale benchmark (`make bench-scale`): serves one site
// directory on one port, as a compressing static host would.
//
// - `Content-Encoding: gzip` for text, JSON, JavaScript, wasm, binary index files and
//   Pagefind's files when the request accepts gzip and compressing makes the file smaller
//   (Pagefind's `.pf_*` files are gzip already: those go as they are). Compressed bodies are
//   kept in memory per file, so a benchmark run does not time the compression.
// - the right Content-Type (application/wasm included), Content-Length, `Cache-Control:
//   no-cache`; `/` and `dir/` serve `index.html`; no directory listing; GET and HEAD only.
// - a single byte range (`Range: bytes=a-b`, how Folio reads a paper's record) as 206
//   Partial Content, uncompressed, as static hosts answer ranges.
// - counts what it served (requests, bytes of bodies), so a run can check what the browser
//   reported.
//
// As a module: `const server = await serve(dir, port)` → `{url, port, stats, close()}`.
// As a script: `node bench/scale/serve.mjs DIR [PORT]`.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".bin": "application/octet-stream",
  ".fst": "application/octet-stream",
  ".pagefind": "application/octet-stream",
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".pf_filter": "application/octet-stream",
};

// What a host would compress: everything but images that are compressed already.
const COMPRESS = new Set([
  ".html", ".htm", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".bin", ".fst",
  ".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter",
]);

export function contentType(path) {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

export async function serve(dir, port = 0, host = "127.0.0.1") {
  const root = resolve(dir);
  const gzipped = new Map(); // path -> {mtimeMs, body (Buffer or null when gzip does not help)}
  const stats = { requests: 0, bytes: 0, notFound: 0, byPath: new Map() };

  const server = createServer(async (req, res) => {
    stats.requests += 1;
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": 0 });
        return res.end();
      }
      let pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (pathname.endsWith("/")) pathname += "index.html";
      const file = normalize(join(root, pathname));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
      const ext = extname(file).toLowerCase();
      const headers = {
        "Content-Type": contentType(file),
        "Cache-Control": "no-cache",
        "Last-Modified": info.mtime.toUTCString(),
      };
      let body;
      const accepts = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      // A single byte range (Folio's records), answered uncompressed, as hosts do.
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      headers["Accept-Ranges"] = "bytes";
      if (range) {
        const raw = await readFile(file);
        const start = Number(range[1]);
        const end = Math.min(range[2] === "" ? raw.length - 1 : Number(range[2]), raw.length - 1);
        if (start >= raw.length || end < start) {
          res.writeHead(416, { "Content-Range": `bytes */${raw.length}`, "Content-Length": 0 });
          return res.end();
        }
        body = raw.subarray(start, end + 1);
        headers["Content-Range"] = `bytes ${start}-${end}/${raw.length}`;
        headers["Content-Length"] = body.length;
        res.writeHead(206, headers);
        if (req.method === "HEAD") return res.end();
        stats.bytes += body.length;
        stats.byPath.set(pathname, (stats.byPath.get(pathname) ?? 0) + 1);
        return res.end(body);
      }
      if (COMPRESS.has(ext)) {
        headers.Vary = "Accept-Encoding";
        let cached = gzipped.get(file);
        if (!cached || cached.mtimeMs !== info.mtimeMs) {
          const raw = await readFile(file);
          const packed = gzipSync(raw, { level: 9 });
          cached = { mtimeMs: info.mtimeMs, raw, body: packed.length < raw.length ? packed : null };
          gzipped.set(file, cached);
        }
        if (accepts && cached.body) {
          headers["Content-Encoding"] = "gzip";
          body = cached.body;
        } else {
          body = cached.raw;
        }
      } else {
        body = await readFile(file);
      }
      headers["Content-Length"] = body.length;
      res.writeHead(200, headers);
      if (req.method === "HEAD") return res.end();
      stats.bytes += body.length;
      stats.byPath.set(pathname, (stats.byPath.get(pathname) ?? 0) + 1);
      res.end(body);
    } catch (error) {
      const missing = error.code === "ENOENT" || error.code === "ENOTDIR" || error instanceof URIError;
      if (missing) stats.notFound += 1;
      const text = missing ? "not found\n" : "server error\n";
      res.writeHead(missing ? 404 : 500, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
        "Cache-Control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : text);
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    stats,
    resetStats() {
      stats.requests = 0;
      stats.bytes = 0;
      stats.notFound = 0;
      stats.byPath = new Map();
    },
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, port] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/scale/serve.mjs DIR [PORT]");
    process.exit(2);
  }
  const server = await serve(dir, Number(port ?? 8090));
  console.log(`serving ${resolve(dir)} at ${server.url}`);
}
