#!/usr/bin/env bash
# Installs every tool the build and the tests need, at pinned versions, skipping what is
# already there at the right version. Safe to run again. See ../README.md ("Try it").
#
#   scripts/install-tools.sh          everything `make test` needs
#   scripts/install-tools.sh --build  only what building the site needs (`make serve`,
#                                     `make build`): no browsers, no WebDriver servers
#
# Why these versions: ../shared/TOOLCHAIN.md (checked on this machine kind).
#  - trunk 0.22 needs rustc >= 1.96; 0.21.14 builds only with --locked.
#  - wasm-bindgen-cli must equal the wasm-bindgen crate pinned in Cargo.toml, and must be
#    installed WITHOUT --locked.
#  - Debian's binaryen (108) produces wasm that fails in Chromium; npm's binaryen 132 works.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
GECKODRIVER_VERSION=0.37.1
here="$(cd "$(dirname "$0")/.." && pwd)"
build_only=false
[ "${1:-}" = "--build" ] && build_only=true

log() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

need_root_cmd() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk, pinned.
if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; then
  log "cargo install trunk ${TRUNK_VERSION} (about 8 minutes on 2 cores)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# 3. wasm-bindgen-cli (also gives wasm-bindgen-test-runner), pinned to the crate's version.
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$" \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  log "cargo install wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# 3b. geckodriver (drives Firefox for the end-to-end suite), from crates.io.
if ! $build_only && ! geckodriver --version 2>/dev/null | grep -q "^geckodriver ${GECKODRIVER_VERSION}"; then
  log "cargo install geckodriver ${GECKODRIVER_VERSION} (about 3 minutes)"
  cargo install geckodriver --version "${GECKODRIVER_VERSION}" --locked
fi

# 4. Node packages: wasm-opt (binaryen 132) and the peers used by benchmarks, from package-lock.json.
if [ ! -x "$here/node_modules/.bin/wasm-opt" ] \
   || ! "$here/node_modules/.bin/wasm-opt" --version | grep -q 'version 132' \
   || [ ! -f "$here/node_modules/minisearch/package.json" ] \
   || [ ! -f "$here/node_modules/lunr/package.json" ]; then
  log "npm ci (binaryen for wasm-opt; minisearch and lunr for benchmarks)"
  (cd "$here" && npm ci --no-audit --no-fund)
fi

if $build_only; then
  log "build tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $("$here/node_modules/.bin/wasm-opt" --version)"
  exit 0
fi

# 5. The browsers of the end-to-end suite, from Debian: Chromium and chromedriver, Firefox
#    ESR, WebKitGTK's WebDriver (with its MiniBrowser), and Xvfb (MiniBrowser has no
#    headless mode in Debian 12, so it runs on a virtual display).
packages=(chromium chromium-driver firefox-esr webkit2gtk-driver xvfb)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/firefox-esr ] \
   || [ ! -x /usr/bin/WebKitWebDriver ] || [ ! -x /usr/bin/Xvfb ]; then
  log "apt-get install ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  need_root_cmd apt-get update -qq
  if ! need_root_cmd apt-get install -y -qq "${packages[@]}"; then
    # Seen once on this machine kind: an unpack error on a systemd library. This mends it.
    need_root_cmd apt-get --fix-broken install -y -qq
    need_root_cmd apt-get install -y -qq "${packages[@]}"
  fi
fi

log "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $("$here/node_modules/.bin/wasm-opt" --version), $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/firefox-esr --version 2>/dev/null), $(geckodriver --version 2>/dev/null | head -1), WebKitWebDriver $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null)"
