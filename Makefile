# Folio. The two commands a person needs: `make serve` and `make test` (see README.md).
# Both install what is missing first (scripts/install-tools.sh, pinned versions).

SHELL := /bin/bash
# Tools installed by scripts/install-tools.sh: cargo-installed binaries and npm's wasm-opt.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080
# The collection the site is built from: files or directories, any format `folio index`
# reads. `make serve COLLECTION="my-papers.json arxiv.jsonl"`; the bundled one by default.
COLLECTION ?= data
# Its title and description, as `folio site --title/--description` take them.
TITLE ?= Folio
DESCRIPTION ?= Explore the papers, right in your browser.

.PHONY: all tools build-tools index shell build serve screenshot test test-native test-wasm test-e2e bench-index bench-relevance bench-query bench-100k bench-worst-query bench-size bench-scale lighthouse fuzz fuzz-build fmt clean

all: build

## Install the pinned toolchain (wasm target, trunk, wasm-bindgen-cli, wasm-opt) and the
## test browsers (Chromium, Firefox, WebKit and their WebDriver servers).
tools:
	@scripts/install-tools.sh

## Only what building the site needs: no browsers.
build-tools:
	@scripts/install-tools.sh --build

## Index the bundled collection into build/index (the site build does this itself).
index:
	cargo run --release -p folio-indexer --bin folio -- index data --out build/index

## The site's shell (every file but the index): the app built by trunk into build/shell,
## then copied into indexer/shell/, which the folio binary embeds (commit it when it
## changes: `scripts/shell.py check`, run by `make test`, fails when it is stale).
shell: build-tools
	cd app && trunk build --release
	scripts/shell.py vendor build/shell

## Build the static site of $(COLLECTION) into dist/, the way a user does: `folio site`.
build: shell
	cargo build --release -p folio-indexer
	target/release/folio site $(COLLECTION) --out dist --title "$(TITLE)" --description "$(DESCRIPTION)" $(if $(filter data,$(COLLECTION)),--demo)

## Build, then serve dist/ on http://127.0.0.1:$(PORT) (byte ranges answered, as static hosts do).
serve: build
	@echo "Folio is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	scripts/serve.py dist $(PORT) --bind 127.0.0.1

## Every test: native, wasm in headless Chromium, end-to-end in Chromium, Firefox and WebKit.
test: tools test-native test-wasm test-e2e

test-native:
	# The site's files inside folio (indexer/shell/) are built from today's sources.
	scripts/shell.py check
	cargo test --workspace --exclude folio-e2e
	# The engine's documentation builds without a warning (broken links included).
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p folio-engine --quiet
	# The benchmarks and examples compile (bench-query's had stopped compiling unseen).
	cargo check --workspace --exclude folio-e2e --benches --examples

test-wasm:
	cargo test --target wasm32-unknown-unknown -p folio-engine
	# With the app, whose engine reads JSON by the browser's JSON.parse (feature js-json).
	cargo test --target wasm32-unknown-unknown -p folio-engine -p folio-app

# Each browser's suite runs once more if it fails: a browser can crash under load (seen in
# WebKit), and a session that stops answering ends the run (tests/src/lib.rs, Watchdog). A
# real failure fails twice.
E2E = FOLIO_DIST=$(CURDIR)/dist cargo test -p folio-e2e -- --test-threads=2
test-e2e: build
	for browser in chromium firefox webkit; do \
	  FOLIO_BROWSER=$$browser $(E2E) || { echo "== the $$browser suite failed; running it once more"; \
	    FOLIO_BROWSER=$$browser $(E2E); } || exit 1; \
	done

## The README's picture of the explorer (docs/explorer.png), taken in headless Chromium
## from the site built of the bundled collection.
screenshot: tools build
	FOLIO_DIST=$(CURDIR)/dist cargo run --release -q -p folio-e2e --example screenshots -- --readme docs/explorer.png

## Indexer scale benchmark: 10k and 100k synthetic arXiv records, MiniSearch as the peer.
bench-index: tools
	bench/index.sh 10000 100000

## Relevance: the judged queries through Folio, MiniSearch and lunr, side by side.
bench-relevance: tools index
	node bench/relevance.mjs build/index target/release/folio

## Query latency: Folio natively (criterion) and in Chromium, MiniSearch in node and in
## Chromium as the peer, over the judged queries, on the bundled and the 100k collections.
bench-query: build index bench-100k
	cargo bench -p folio-engine --bench query
	node --max-old-space-size=6000 bench/query-latency.mjs build/index build/bench/index-100000
	cd app && trunk build --release --features bench --dist ../build/shell-bench
	target/release/folio site data --out build/dist-bench --shell build/shell-bench --demo
	FOLIO_DIST=$(CURDIR)/build/dist-bench cargo run --release -p folio-e2e --example latency

## The 100k synthetic index the latency benchmarks run on (built once, kept in build/bench/).
bench-100k:
	@[ -f build/bench/index-100000/manifest.json ] || { cargo build --release --quiet -p folio-indexer && \
	  mkdir -p build/bench && ./target/release/folio synth data --papers 100000 --seed 42 --out build/bench/arxiv-100000.jsonl && \
	  ./target/release/folio index build/bench/arxiv-100000.jsonl --out build/bench/index-100000; }

## The slowest query of at most 2,000 characters we can find over the 100k index: hand-made
## seeds, then a hill climb (FOLIO_WORST_SECONDS, default 120), natively; then the five
## slowest found, timed in Chromium through the bench build.
bench-worst-query: tools bench-100k
	cargo bench -p folio-engine --bench worst_query
	cd app && trunk build --release --features bench --dist ../build/shell-bench
	target/release/folio site data --out build/dist-bench --shell build/shell-bench --demo
	FOLIO_DIST=$(CURDIR)/build/dist-bench FOLIO_QUERIES=$(CURDIR)/build/bench/worst-queries.json \
	  cargo run --release -p folio-e2e --example latency

## Size budget (wasm + JS gzip) and time to first result in headless Chromium.
bench-size: build
	cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown -p folio-app --example floor
	wasm-bindgen --target web --out-dir build/floor target/wasm32-unknown-unknown/wasm-release/examples/floor.wasm
	node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	  --enable-mutable-globals build/floor/floor_bg.wasm -o build/floor/floor_bg.wasm
	FOLIO_DIST=$(CURDIR)/dist FOLIO_FLOOR=$(CURDIR)/build/floor cargo run --release -q -p folio-e2e --example budget

## Folio against Pagefind 1.6 at scale: SIZES synthetic collections (`folio synth`) and the
## real 10,808 Daily Papers of ../shared/collections; both indexers timed (wall, peak RSS),
## their output sized, both sites served gzip by bench/scale/serve.mjs and measured cold
## (throttled to 1.6 Mbps / 150 ms) and warm in Chromium. Writes build/bench/scale.json and
## build/bench/scale.md; a size that fails is reported and the run goes on.
SIZES ?= 10000 100000
bench-scale: tools build
	@mkdir -p build/bench
	node bench/scale/run.mjs $(SIZES)

## Lighthouse's four scores for the built site (installs lighthouse 12 into node_modules).
lighthouse: build
	@[ -x node_modules/.bin/lighthouse ] || npm install --no-save --no-audit --no-fund lighthouse@12
	bench/lighthouse.sh

## Coverage-guided fuzzing with libFuzzer on stable Rust: rustc's SanitizerCoverage pass
## (stable -C flags) feeds libfuzzer-sys's runtime, as cargo-fuzz does but without its
## nightly-only sanitizer flags. Each target runs FUZZ_SECONDS from fuzz/corpus/<target>
## (plus what earlier runs found, in build/fuzz/); then fuzz/corpus/<target> becomes its
## seeds plus the smallest set of inputs covering everything reached (commit it: `make test`
## replays it). Crashes land in build/fuzz/crashes/.
FUZZ_TARGETS ?= query index url listing jsonl folio-json collection
FUZZ_SECONDS ?= 600
FUZZ_TRIPLE := $(shell rustc -vV | sed -n 's/^host: //p')
FUZZ_FLAGS := -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks
fuzz-build:
	RUSTFLAGS="$(FUZZ_FLAGS)" cargo build --release -p folio-fuzz --features libfuzzer --bins \
	  --target $(FUZZ_TRIPLE) --target-dir target/fuzz

fuzz: fuzz-build
	@mkdir -p build/fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; mkdir -p build/fuzz/$$t; \
	  target/fuzz/$(FUZZ_TRIPLE)/release/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/$$t- \
	    build/fuzz/$$t fuzz/corpus/$$t 2>&1 | tee build/fuzz/$$t.log | grep -E '^(#[0-9]+ +(INITED|DONE)|stat::|==[0-9]+== ERROR|SUMMARY)'; \
	  rm -rf build/fuzz/min-$$t && mkdir -p build/fuzz/min-$$t; \
	  target/fuzz/$(FUZZ_TRIPLE)/release/$$t -merge=1 build/fuzz/min-$$t fuzz/corpus/$$t build/fuzz/$$t 2>&1 \
	    | grep -E 'MERGE-OUTER: [0-9]+ new files' || true; \
	  find fuzz/corpus/$$t -type f ! -name 'seed-*' -delete; cp build/fuzz/min-$$t/* fuzz/corpus/$$t/; \
	  echo "   fuzz/corpus/$$t: $$(ls fuzz/corpus/$$t | wc -l) inputs (seeds + the smallest set covering what was reached)"; \
	done

fmt:
	cargo fmt --all

clean:
	rm -rf dist build target
