//! Fuzz targets: one function per kind of input Folio takes from strangers. Each must never
//! panic, on any bytes, and checks the invariants its input's users rely on (a panic is
//! what the fuzzer reports).
//!
//! - [`query`]: a query typed or shared in a link, over a small index;
//! - [`index`]: index files from a hostile host, whose manifest matches whatever it serves;
//! - [`url`]: the page's URL state (`#q=…&paper=…`);
//! - [`listing`], [`jsonl`], [`folio_json`]: each collection parser of `folio index` on
//!   any text, and [`collection`]: any bytes through the CLI's whole input path (decoding,
//!   choosing the layout by content, parsing, merging).
//!
//! `make fuzz` runs the binaries in `fuzz_targets/` under libFuzzer (coverage-guided, on
//! stable Rust: see the Makefile); `tests/corpus.rs` replays `corpus/<target>/` through the
//! same functions in `make test`.

use std::cell::RefCell;

use folio_engine::format::frame;
use folio_engine::load::{block_on, open_memory, Loader, MemoryFetch};
use folio_engine::query::{spans, write_piece};
use folio_engine::{IndexBuilder, Link, LinkKind, Manifest, Paper, PieceId, PieceKind};

/// A small collection that reaches the engine's corners: technical tokens and compounds,
/// CJK text, accents, every kind of metadata a filter reads.
fn papers() -> Vec<Paper> {
    let paper = |id: &str, title: &str, abstract_text: &str| Paper {
        id: id.into(),
        title: title.into(),
        abstract_text: abstract_text.into(),
        ..Paper::default()
    };
    let mut papers = vec![
        paper(
            "2305.16291",
            "Voyager: An Open-Ended Embodied Agent with Large Language Models",
            "We introduce Voyager, the first LLM-powered embodied lifelong learning agent in \
             Minecraft. GPT-4 and Llama-3.1-8B do in-context learning.",
        ),
        paper(
            "2309.09971",
            "MindAgent: Emergent Gaming Interaction",
            "Large Language Models can coordinate agents in the Minecraft gaming domain; \
             see https://github.com/mindagent/mindagent.",
        ),
        paper(
            "tom",
            "Theory of Mind for Multi-Agent Collaboration",
            "We evaluate a theory of mind in LLM agents playing cooperative text games.",
        ),
        paper(
            "ja",
            "大規模言語モデルによる推論の改善",
            "本研究では、大規模言語モデルの推論能力を強化学習で向上させる手法を提案する。",
        ),
        paper(
            "zh",
            "基于图神经网络的推荐系统",
            "我们提出了一种新的图神经网络模型，用于大规模推荐系统。",
        ),
        paper(
            "accents",
            "Schrödinger's café: naïve Bayes for ΩMEGA",
            "Ünïcödé text, emoji 🙂 and a Kelvin sign \u{212A} in an abstract.",
        ),
    ];
    for (i, p) in papers.iter_mut().enumerate() {
        p.published = Some(format!("202{}-0{}-1{}", i % 6, i + 1, i));
        p.upvotes = Some(i as u32 * 3);
        p.authors = vec![format!("Ada Lovelace{i}"), "Alan Turing".into()];
        p.author_count = Some(2 + i as u32);
        p.organization = Some("Microsoft Research".into());
        p.listings = vec![format!("00{i}_list"), "my list".into()];
        if i % 2 == 0 {
            p.links = vec![Link {
                url: format!("https://github.com/example/{i}"),
                kind: LinkKind::Code,
            }];
        }
    }
    papers
}

/// The index files of [`papers`], built once per thread.
fn built() -> Vec<(String, Vec<u8>)> {
    thread_local! {
        static FILES: Vec<(String, Vec<u8>)> = {
            let mut builder = IndexBuilder::new();
            for paper in papers() {
                builder.add(paper);
            }
            // Every list with rows keeps them in a rows block, and every word in two
            // papers or more has a head of one, so that the rows and heads decoders are
            // reached (with the default sizes a small collection has neither).
            let sizes = folio_engine::PieceSizes {
                rows_inline_df: 0,
                head_docs: 1,
                head_min_df: 2,
                ..Default::default()
            };
            builder.build_with(&sizes).files
        };
    }
    FILES.with(Clone::clone)
}

/// The papers of the fuzz collection, for writing seed inputs.
pub fn seed_papers() -> Vec<Paper> {
    papers()
}

/// The files of the fuzz collection's index, for writing seed inputs.
pub fn seed_files() -> Vec<(String, Vec<u8>)> {
    built()
}

fn file<'a>(files: &'a [(String, Vec<u8>)], prefix: &str) -> &'a [u8] {
    files
        .iter()
        .find(|(n, _)| n.starts_with(prefix))
        .map_or(&[], |(_, d)| d.as_slice())
}

/// Searches through `loader` and checks what the page relies on: ranges inside the text,
/// on character boundaries; counts that add up; a failure in words.
fn search_and_check(loader: &Loader<MemoryFetch>, query: &str) {
    let results = match block_on(loader.search(query, 5)) {
        Ok(results) => results,
        Err(e) => {
            assert!(e.len() > 10, "an error in words: {e:?}");
            return;
        }
    };
    assert!(results.hits.len() <= 5 && results.total >= results.hits.len());
    for hit in &results.hits {
        let paper = loader
            .index()
            .paper(hit.doc)
            .ok()
            .flatten()
            .expect("a hit is a paper of the index, loaded with the search");
        for &(s, e) in &hit.title_highlights {
            assert!(
                s < e && paper.title.get(s..e).is_some(),
                "title range {s}..{e}"
            );
        }
        let text = &paper.abstract_text;
        assert!(
            text.get(hit.snippet.start..hit.snippet.end).is_some(),
            "snippet"
        );
        for &(s, e) in &hit.snippet.highlights {
            assert!(s < e && text.get(s..e).is_some(), "snippet range {s}..{e}");
        }
    }
    for suggestion in &results.suggestions {
        assert!(!suggestion.query.is_empty());
    }
}

thread_local! {
    static INDEX: RefCell<Option<Loader<MemoryFetch>>> = const { RefCell::new(None) };
}

/// A query, as typed or as it arrives in a shared link.
pub fn query(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    INDEX.with(|cell| {
        let mut cell = cell.borrow_mut();
        let loader = cell.get_or_insert_with(|| open_memory(built()).expect("built index opens"));
        search_and_check(loader, &query);
    });
    // The app edits the query through these: every piece lies on the query's character
    // boundaries, and a value written by write_piece reads back as itself.
    for span in spans(&query) {
        assert!(query.get(span.start..span.end).is_some());
        let written = write_piece("listing", &span.value, span.negated);
        let read = spans(&written);
        assert_eq!(read.len(), 1, "{written:?}");
        assert_eq!(read[0].value, span.value, "{written:?}");
    }
}

/// The file an `index` input replaces: the manifest, or the first piece of a kind.
pub const INDEX_TARGETS: [&str; 12] = [
    "manifest",
    "terms-",
    "facets-",
    "sorts-",
    "postings-",
    "title-positions-",
    "abstract-positions-",
    "records-",
    "ids-",
    "record-json",
    "rows-",
    "heads-",
];

/// Index files from a host: the first byte picks the file the rest replaces (the manifest,
/// or the body of the first piece of a kind, framed again with a matching hash and
/// build, as a hostile host can serve it, so the decoders themselves are reached).
pub fn index(data: &[u8]) {
    let Some((&which, content)) = data.split_first() else {
        return;
    };
    let mut files = built();
    let prefix = INDEX_TARGETS[usize::from(which) % INDEX_TARGETS.len()];
    let Ok(manifest) = Manifest::from_json(file(&files, "manifest")) else {
        return;
    };
    let target = if prefix == "record-json" {
        "records-"
    } else {
        prefix
    };
    let Some(slot) = files.iter_mut().find(|(n, _)| n.starts_with(target)) else {
        return;
    };
    let build = manifest.build_id().expect("built manifest");
    if prefix == "manifest" || prefix == "records-" {
        // A record file is not framed as a whole: its slots are what a host serves.
        slot.1 = content.to_vec();
    } else if prefix == "record-json" {
        // Paper 0's record, framed and compressed as the indexer does, after the slots of
        // the first record file, its slot pointing there.
        use folio_engine::format::records::{compress, put};
        let framed = frame::frame(PieceId::new(PieceKind::Records, 0), build, content);
        let size = manifest.pieces.record_slot;
        if slot.1.len() < size as usize {
            return;
        }
        put(&mut slot.1, size, 0, &compress(&framed), true);
    } else {
        let kind = PieceKind::ALL
            .into_iter()
            .find(|k| prefix.trim_end_matches('-') == k.name())
            .expect("a piece kind");
        slot.1 = frame::frame(PieceId::new(kind, 0), build, content);
    }
    let loader = match block_on(Loader::open(MemoryFetch::new(files))) {
        Ok(loader) => loader,
        Err(e) => {
            assert!(e.len() > 10, "an error in words");
            return;
        }
    };
    for query in [
        "minecraft",
        "agen",
        "emergnt ",
        "\"theory of mind\"",
        "GPT-4",
        "言語モデル",
        "year:2021 sort:date",
        "author:ada has:code",
    ] {
        search_and_check(&loader, query);
    }
    let _ = block_on(loader.doc_of("p1"));
}

/// The page's URL state: any hash gives a state, and a state survives its own hash.
pub fn url(data: &[u8]) {
    use folio_app::url::UrlState;
    let hash = String::from_utf8_lossy(data);
    let state = UrlState::from_hash(&hash);
    let again = UrlState::from_hash(&state.to_hash());
    assert_eq!(again, state, "{hash:?}");
}

/// What every parser promises of its output for `text`: each record and each skipped
/// entry has a line inside the file, a refusal says where and why, and the records merge.
fn check_parsed(
    text: &str,
    parsed: Result<
        (
            Vec<folio_indexer::parse::Record>,
            Vec<folio_indexer::parse::Skipped>,
        ),
        folio_indexer::parse::ParseError,
    >,
) {
    let lines = text.lines().count().max(1);
    match parsed {
        Ok((records, skipped)) => {
            for record in &records {
                assert!(
                    (1..=lines).contains(&record.line),
                    "record line {}",
                    record.line
                );
                assert!(!record.title.trim().is_empty() && !record.abstract_text.trim().is_empty());
                if let Some(date) = &record.published {
                    // A day (`2024-03-05`), a month or a year kept at the source's
                    // precision (`2024-03`, `2024`), or a day without a year (`--03-05`).
                    let shape: String = date
                        .chars()
                        .map(|c| if c.is_ascii_digit() { '9' } else { c })
                        .collect();
                    let valid =
                        ["9999-99-99", "9999-99", "9999", "--99-99"].contains(&shape.as_str());
                    assert!(valid && date.is_ascii(), "date {date:?}");
                }
            }
            for s in &skipped {
                assert!((1..=lines).contains(&s.line), "skipped line {}", s.line);
                assert!(!s.reason.is_empty());
            }
            for paper in folio_indexer::merge::merge(records) {
                for link in &paper.links {
                    assert!(link.url.starts_with("http://") || link.url.starts_with("https://"));
                }
            }
        }
        Err(e) => {
            assert!((1..=lines).contains(&e.line), "error line {}", e.line);
            assert!(!e.message.is_empty());
        }
    }
}

/// A Hugging Face Daily Papers capture, as `folio index` reads it.
pub fn listing(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_parsed(&text, folio_indexer::parse::listing::parse(&text, "fuzz"));
}

/// JSON Lines (arXiv snapshot records, or Folio records one per line).
pub fn jsonl(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_parsed(
        &text,
        folio_indexer::parse::json::parse_lines(&text, "fuzz"),
    );
}

/// A Folio JSON document (an array, or `{"papers": [...]}`).
pub fn folio_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_parsed(
        &text,
        folio_indexer::parse::json::parse_document(&text, "fuzz"),
    );
}

/// Any bytes as an input file: decoded (binary and non-UTF-8 refused in words), its layout
/// chosen by content, parsed and merged, as `folio index` does.
pub fn collection(data: &[u8]) {
    match folio_indexer::parse::decode(data) {
        Ok(text) => check_parsed(text, folio_indexer::parse::parse(text, "fuzz")),
        Err(e) => assert!(e.line >= 1 && !e.message.is_empty()),
    }
}
