#!/usr/bin/env bash
# `make lighthouse`: serves dist/ with a plain static server and runs Lighthouse 12 (its
# default mobile profile: simulated slow 4G and a 4x slower CPU) against it in headless
# Chromium. Prints the four category scores and the main timings; the whole report is
# written to build/lighthouse.json.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${LIGHTHOUSE_PORT:-8095}
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
mkdir -p build
CHROME_PATH=/usr/bin/chromium node_modules/.bin/lighthouse "http://127.0.0.1:$port/" --quiet \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
  --output=json --output-path=build/lighthouse.json
python3 - <<'PY'
import json
report = json.load(open("build/lighthouse.json"))
print("lighthouse", report["lighthouseVersion"], "on", report["environment"]["hostUserAgent"].split(" ")[-2])
for key, category in report["categories"].items():
    print(f"  {category['title']}: {round(category['score'] * 100)}")
for audit in ["first-contentful-paint", "largest-contentful-paint", "interactive", "total-blocking-time"]:
    print(f"  {report['audits'][audit]['title']}: {report['audits'][audit]['displayValue']}")
PY
