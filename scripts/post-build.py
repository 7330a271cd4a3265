#!/usr/bin/env python3
"""Trunk post_build hook, run in trunk's staging directory ($TRUNK_STAGING_DIR):

1. Moves the inline module script trunk writes into index.html (the wasm loader) into its
   own content-hashed file with a Subresource Integrity hash, so the site runs under a
   strict Content Security Policy (`script-src 'self' 'wasm-unsafe-eval'`, no
   'unsafe-inline'). Fails loudly if index.html does not hold exactly one inline module
   script: a trunk upgrade that changes the loader must be looked at, not shipped.
2. Writes the embeddable widget's script (`folio-embed.js`, from app/embed.js) with the
   build's hashed file names, and its stylesheet.
3. Writes the service worker (`sw.js`, from app/sw.js) with the list of the files to keep
   at install and a version that is the hash of all of the build's files, so the site
   works offline after the first visit and a new deployment replaces the old caches. The
   index's pieces are listed too while they are small together (PRECACHE_INDEX_BYTES);
   past that only its manifest is, and the worker keeps each piece as a search fetches it.

One script, not two hooks: trunk may run a stage's hooks concurrently, and the worker's
file list must include the loader."""

import base64
import hashlib
import json
import os
import pathlib
import re
import sys

stage = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
here = pathlib.Path(__file__).resolve().parent
# `--service-worker-only`: step 3 alone, over an already built site (tests use it to
# stage a new deployment of the index).
worker_only = "--service-worker-only" in sys.argv[1:]

# 1. The loader, out of index.html.
def externalize_loader():
    index = stage / "index.html"
    html = index.read_text(encoding="utf-8")
    inline = re.findall(r'<script type="module">(.*?)</script>', html, flags=re.S)
    if len(inline) != 1:
        sys.exit(f"post-build: expected one inline module script in {index}, found {len(inline)}")
    code = inline[0].strip() + "\n"
    name = f"loader-{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
    (stage / name).write_text(code, encoding="utf-8")
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(code.encode()).digest()).decode()
    tag = f'<script type="module" src="./{name}" integrity="{integrity}"></script>'
    html = re.sub(r'<script type="module">.*?</script>', lambda _: tag, html, count=1, flags=re.S)
    index.write_text(html, encoding="utf-8")
    print(f"post-build: the wasm loader is now {name}")


if not worker_only:
    externalize_loader()

# 2. The embeddable widget: folio-embed.js (a stable name, for other sites to link) with the
#    build's hashed file names filled in, and its stylesheet under a content hash.
def write_embed():
    glue = [p.name for p in stage.glob("folio-app-*.js")]
    wasm = [p.name for p in stage.glob("folio-app-*_bg.wasm")]
    if len(glue) != 1 or len(wasm) != 1:
        sys.exit(f"post-build: expected one folio-app JS and wasm in {stage}, found {glue} {wasm}")
    css = (here.parent / "app" / "embed.css").read_bytes()
    css_name = f"embed-{hashlib.sha256(css).hexdigest()[:16]}.css"
    (stage / css_name).write_bytes(css)
    script = (here.parent / "app" / "embed.js").read_text(encoding="utf-8")
    script = script.replace("__GLUE__", glue[0]).replace("__WASM__", wasm[0]).replace("__CSS__", css_name)
    (stage / "folio-embed.js").write_text(script, encoding="utf-8")
    print(f"post-build: folio-embed.js loads {glue[0]} and {css_name}")


if not worker_only:
    write_embed()

# 3. The service worker.
files = sorted(
    p.relative_to(stage).as_posix()
    for p in stage.rglob("*")
    if p.is_file() and p.name != "sw.js" and not p.name.startswith(".")
)
version = hashlib.sha256()
for relative in files:
    version.update(relative.encode() + b"\0" + (stage / relative).read_bytes())
# A small index is kept whole at install, so every search works offline after the first
# visit; a large one (a visitor would download all of it) only as its pieces are used.
PRECACHE_INDEX_BYTES = 4 << 20
pieces = [f for f in files if f.startswith("data/") and f != "data/manifest.json"]
if sum((stage / f).stat().st_size for f in pieces) > PRECACHE_INDEX_BYTES:
    files = [f for f in files if f not in set(pieces)]
listed = ["./"] + [f"./{f}" for f in files if f != "index.html"]
worker = (here.parent / "app" / "sw.js").read_text(encoding="utf-8")
worker = worker.replace('"__VERSION__"', json.dumps(version.hexdigest()[:16]))
worker = worker.replace("__FILES__", json.dumps(listed))
(stage / "sw.js").write_text(worker, encoding="utf-8")
print(f"post-build: sw.js caches {len(listed)} files, version {version.hexdigest()[:16]}")
