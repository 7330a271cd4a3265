#!/usr/bin/env python3
"""Trunk post_build hook, run in trunk's staging directory ($TRUNK_STAGING_DIR):

It builds the site's shell: every file but the index and the service worker, which
`folio site` adds (the shell travels inside the `folio` binary: scripts/shell.py).

1. Moves the inline module script trunk writes into index.html (the wasm loader) into its
   own content-hashed file with a Subresource Integrity hash, so the site runs under a
   strict Content Security Policy (`script-src 'self' 'wasm-unsafe-eval'`, no
   'unsafe-inline'). Fails loudly if index.html does not hold exactly one inline module
   script: a trunk upgrade that changes the loader must be looked at, not shipped.
2. Writes the embeddable widget's script (`folio-embed.js`, from app/embed.js) with the
   build's hashed file names, and its stylesheet.
3. Copies the service worker's template (app/sw.js) as `sw.template.js`.

One script, not two hooks: trunk may run a stage's hooks concurrently."""

import base64
import hashlib
import os
import pathlib
import re
import sys

stage = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
here = pathlib.Path(__file__).resolve().parent

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


write_embed()

# 3. The service worker's template: `folio site` fills in its version and file list, which
#    depend on the collection (indexer/src/site/worker.rs).
template = (here.parent / "app" / "sw.js").read_text(encoding="utf-8")
(stage / "sw.template.js").write_text(template, encoding="utf-8")
print("post-build: sw.template.js for folio site")
