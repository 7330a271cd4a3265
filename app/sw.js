// Folio's service worker: the site works offline after the first visit.
//
// A template: `folio site` (indexer/src/site/worker.rs) fills in VERSION (a hash of every
// file of the site) and FILES (the files kept at install, relative to this script: the
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

// Deletes the caches of every other version. At activation, and again at each navigation
// this worker answers: a replaced worker may still be finishing a fetch it began before
// the new one activated, and its write can bring its cache back after the deletion.
// At a navigation a newer worker may have begun installing meanwhile, whose cache is not
// stale but not yet active: so it checks again, just before deleting.
function dropOtherVersions() {
  return caches
    .keys()
    .then((keys) =>
      newest()
        ? Promise.all(keys.filter((key) => key.startsWith("folio-") && key !== CACHE).map((key) => caches.delete(key)))
        : undefined,
    );
}

// Whether this worker is the registration's newest: none is installing or waiting (with
// skipWaiting, a new one activates as soon as it has installed), and where the browser
// tells this worker's state, it has not been replaced ("redundant").
function newest() {
  const registration = self.registration;
  if (registration.installing || registration.waiting) return false;
  return !self.serviceWorker || self.serviceWorker.state !== "redundant";
}

// Keeps a copy of a response in this version's cache, but only while this worker is the
// newest and its cache exists: `caches.open` creates a cache it does not find, so a write
// from a replaced worker would otherwise bring a deleted cache back for good.
function keep(request, response) {
  if (!newest()) return Promise.resolve();
  return caches.has(CACHE).then((kept) => kept && newest() && caches.open(CACHE).then((cache) => cache.put(request, response)));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOtherVersions().then(() => self.clients.claim()));
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
          if (response.ok) event.waitUntil(keep(request, response.clone()));
          if (request.mode === "navigate" && newest()) event.waitUntil(dropOtherVersions());
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
              event.waitUntil(keep(request, response.clone()));
            }
            return response;
          }),
      ),
    );
  }
});
