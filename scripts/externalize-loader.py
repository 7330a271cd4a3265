#!/usr/bin/env python3
"""Trunk post_build hook: moves the inline module script trunk writes into index.html (the
wasm loader) into its own content-hashed file, so the site runs under a strict Content
Security Policy (`script-src 'self' 'wasm-unsafe-eval'`, no 'unsafe-inline'). The file gets
a Subresource Integrity hash like trunk's own assets.

Runs in trunk's staging directory ($TRUNK_STAGING_DIR). Fails loudly if index.html does not
hold exactly one inline module script: a trunk upgrade that changes the loader must be
looked at, not silently shipped without CSP support."""

import base64
import hashlib
import os
import pathlib
import re
import sys

stage = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
index = stage / "index.html"
html = index.read_text(encoding="utf-8")
inline = re.findall(r'<script type="module">(.*?)</script>', html, flags=re.S)
if len(inline) != 1:
    sys.exit(f"externalize-loader: expected one inline module script in {index}, found {len(inline)}")
code = inline[0].strip() + "\n"
digest = hashlib.sha256(code.encode()).hexdigest()[:16]
name = f"loader-{digest}.js"
(stage / name).write_text(code, encoding="utf-8")
integrity = "sha384-" + base64.b64encode(hashlib.sha384(code.encode()).digest()).decode()
tag = f'<script type="module" src="./{name}" integrity="{integrity}"></script>'
html = re.sub(r'<script type="module">.*?</script>', lambda _: tag, html, count=1, flags=re.S)
index.write_text(html, encoding="utf-8")
print(f"externalize-loader: the wasm loader is now {name}")
