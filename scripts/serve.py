#!/usr/bin/env python3
"""A plain static file server for `make serve`: Python's http.server, plus byte ranges.

Folio reads each paper's record with an HTTP range request (`Range: bytes=a-b`), as every
static host answers them (GitHub Pages, Cloudflare Pages, Netlify, S3, nginx, Caddy).
Python's own `http.server` ignores ranges and sends the whole file, which Folio survives
but pays for; this one answers a single range with 206 Partial Content.

Usage: scripts/serve.py DIR [PORT] [--bind HOST]
"""

import argparse
import http.server
import os
import re

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        # One handler serves every request of a kept-alive connection.
        self._left = None
        wanted = RANGE.match(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if not wanted or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = wanted.groups()
        if first == "":
            # The last N bytes.
            start, end = max(0, size - int(last or 0)), size - 1
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body = open(path, "rb")
        body.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._left = end - start + 1
        return body

    def copyfile(self, source, outputfile):
        left = self._left
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            chunk = source.read(min(64 << 10, left))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("port", nargs="?", type=int, default=8080)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args()
    handler = lambda *a, **k: RangeHandler(*a, directory=args.dir, **k)
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
