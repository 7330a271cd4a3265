// Folio's service worker: the site works offline after the first visit.
//
// Written by scripts/post-build.py at build time, which fills in VERSION (a hash of every
// file of the build) and FILES (the files kept at install, relative to this script: the
// site's, and the index's pieces when they are small together). A new
// deployment is a new sw.js, so the browser installs it; on activation it deletes the
// caches of earlier versions.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = `folio-${VERSION}`;
// Files without a content hash in their name: fetched from the network when it answers
// (so a new deployment shows at once), from the cache when it does not. Everything else
// is content-addressed, never changes, and comes from the cache first.
const FRESH = new Set(["./", "./index.html", "./data/manifest.json", "./folio-embed.js"]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith("folio-") && key !== CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const scope = new URL(self.registration.scope);
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const relative = "./" + url.pathname.slice(scope.pathname.length);
  if (FRESH.has(relative)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            // Only into this version's cache, and only while it exists: a newer worker may
            // have activated (deleting it) while this fetch was in flight, and writing
            // would bring the old cache back for good.
            event.waitUntil(
              caches.has(CACHE).then((kept) => kept && caches.open(CACHE).then((cache) => cache.put(request, copy))),
            );
          }
          return response;
        })
        .catch(() =>
          caches
            .match(request, { ignoreSearch: true })
            .then((cached) => cached || (request.mode === "navigate" ? caches.match("./") : Response.error())),
        ),
    );
  } else {
    // Content-addressed: from the cache, else from the network, kept for next time (the
    // pieces of a large index that were not kept at install). A range request matches a
    // cached whole file (the Cache API ignores Range), which the page reads its range of.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            // A range of a record file (206) is not a file: the Cache API refuses it, and a
            // cached whole file answers later ranges of it anyway.
            if (response.status === 200 && relative.startsWith("./data/")) {
              const copy = response.clone();
              event.waitUntil(
                caches.has(CACHE).then((kept) => kept && caches.open(CACHE).then((cache) => cache.put(request, copy))),
              );
            }
            return response;
          }),
      ),
    );
  }
});
