//! Engine tests that run natively (`cargo test`) and, compiled to wasm32, in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown`), so both builds are held to the
//! same results.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use folio_engine::load::{block_on, Loader, MemoryFetch};
use folio_engine::{
    Field, IndexBuilder, Link, LinkKind, MatchKind, Paper, PieceId, PieceKind, PieceSizes, SearchResults,
};

fn paper(id: &str, title: &str, abstract_text: &str) -> Paper {
    Paper {
        id: id.into(),
        title: title.into(),
        abstract_text: abstract_text.into(),
        ..Paper::default()
    }
}

fn collection() -> Vec<Paper> {
    vec![
        paper(
            "voyager",
            "Voyager: An Open-Ended Embodied Agent with Large Language Models",
            "We introduce Voyager, the first LLM-powered embodied lifelong learning agent in \
             Minecraft that continuously explores the world and acquires diverse skills.",
        ),
        paper(
            "mindagent",
            "MindAgent: Emergent Gaming Interaction",
            "Large Language Models can coordinate agents. Our infrastructure can be deployed \
             in the broader Minecraft gaming domain.",
        ),
        paper(
            "bioclip",
            "BioCLIP 2: Emergent Properties from Scaling Hierarchical Contrastive Learning",
            "Foundation models trained at scale exhibit remarkable emergent behaviors in \
             biological vision.",
        ),
        paper(
            "retool",
            "ReTool: Reinforcement Learning for Strategic Tool Use in LLMs",
            "Reasoning models trained with reinforcement learning struggle with structured \
             problem solving; tools help.",
        ),
    ]
}

fn files(papers: Vec<Paper>) -> Vec<(String, Vec<u8>)> {
    let mut builder = IndexBuilder::new();
    for p in papers {
        builder.add(p);
    }
    builder.build().files
}

/// An index opened through the loader, its pieces fetched as searches need them.
struct Opened(Loader<MemoryFetch>);

impl Opened {
    fn search(&self, query: &str, limit: usize) -> SearchResults {
        block_on(self.0.search(query, limit)).unwrap()
    }

    fn paper(&self, doc: u32) -> Option<&Paper> {
        block_on(self.0.paper(doc)).unwrap();
        self.0.index().paper(doc).unwrap()
    }

    fn doc_of(&self, id: &str) -> Option<u32> {
        block_on(self.0.doc_of(id)).unwrap()
    }
}

fn open(files: &[(String, Vec<u8>)]) -> Result<Opened, String> {
    block_on(Loader::open(MemoryFetch::new(files.to_vec()))).map(Opened)
}

/// The same papers built in the smallest pieces: every term, list and paper nearly in a
/// piece of its own. Searches must give the same answers as over the default pieces.
fn open_tiny(papers: Vec<Paper>) -> Opened {
    let mut builder = IndexBuilder::new();
    for p in papers {
        builder.add(p);
    }
    open(&builder.build_with(&PieceSizes::tiny()).files).unwrap()
}

fn ids(index: &Opened, query: &str) -> Vec<String> {
    index
        .search(query, 10)
        .hits
        .iter()
        .map(|h| index.paper(h.doc).unwrap().id.clone())
        .collect()
}

#[test]
fn finds_papers_by_a_word_of_the_abstract() {
    let index = open(&files(collection())).unwrap();
    let found = ids(&index, "minecraft");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&"voyager".to_string()) && found.contains(&"mindagent".to_string()));
}

#[test]
fn phrases_are_checked_after_narrowing_and_partial_matches_still_count_everywhere() {
    let index = open(&files(collection())).unwrap();
    assert_eq!(ids(&index, "\"learning agent\" minecraft "), ["voyager"]);
    // Voyager holds "agent", "learning" and "minecraft", but not the phrase: no paper
    // matches both groups, and the partial answer is every paper matching one of them.
    let results = index.search("\"agent learning\" minecraft ", 10);
    assert!(results.partial);
    let mut found: Vec<&str> = results
        .hits
        .iter()
        .map(|h| index.paper(h.doc).unwrap().id.as_str())
        .collect();
    found.sort();
    assert_eq!(found, ["mindagent", "voyager"]);
}

#[test]
fn a_word_being_typed_matches_as_a_prefix() {
    let index = open(&files(collection())).unwrap();
    assert_eq!(ids(&index, "minecr").len(), 2);
    // Once a space follows, the word is complete and no longer a prefix.
    assert!(ids(&index, "minecr ").is_empty());
}

#[test]
fn all_words_must_match() {
    let index = open(&files(collection())).unwrap();
    assert_eq!(ids(&index, "minecraft lifelong"), ["voyager"]);
    let results = index.search("minecraft lifelong", 10);
    assert!(!results.partial);
    // Nothing holds both words: the best partial matches come back, flagged.
    let results = index.search("minecraft biological", 10);
    assert!(results.partial);
    let found: Vec<&str> = results
        .hits
        .iter()
        .map(|h| index.paper(h.doc).unwrap().id.as_str())
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.contains(&"bioclip"), "{found:?}");
}

#[test]
fn stemming_finds_other_forms_of_a_word() {
    let index = open(&files(collection())).unwrap();
    // "agents" (query) ↔ "agent"/"agents" (papers); "emerges" ↔ "emergent"? No: different stems.
    let found = ids(&index, "agents ");
    assert!(found.contains(&"voyager".to_string()), "{found:?}");
    assert!(found.contains(&"mindagent".to_string()), "{found:?}");
}

#[test]
fn title_matches_rank_above_abstract_matches() {
    let index = open(&files(collection())).unwrap();
    // "emergent" is in the titles of mindagent and bioclip, and in bioclip's abstract.
    let found = ids(&index, "emergent gaming ");
    assert_eq!(found, ["mindagent"]);
    let found = ids(&index, "reinforcement ");
    assert_eq!(found, ["retool"]);
}

#[test]
fn highlights_and_snippet_point_at_the_matched_words() {
    let index = open(&files(collection())).unwrap();
    let results = index.search("minecraft", 10);
    for hit in &results.hits {
        let paper = index.paper(hit.doc).unwrap();
        let text = &paper.abstract_text;
        assert!(!hit.snippet.highlights.is_empty());
        for &(s, e) in &hit.snippet.highlights {
            assert_eq!(text[s..e].to_lowercase(), "minecraft");
            assert!(s >= hit.snippet.start && e <= hit.snippet.end);
        }
    }
}

#[test]
fn empty_query_finds_nothing_and_does_not_panic() {
    let index = open(&files(collection())).unwrap();
    assert_eq!(index.search("", 10).total, 0);
    assert_eq!(index.search("  --- ", 10).total, 0);
    // A sort alone lists the whole collection, in that order.
    let all = index.search("sort:date", 10);
    assert_eq!(all.total, collection().len());
    assert_eq!(
        index
            .doc_of("bioclip")
            .map(|d| index.paper(d).unwrap().id.as_str()),
        Some("bioclip")
    );
    assert_eq!(index.doc_of("nope"), None);
}

#[test]
fn building_twice_gives_identical_bytes() {
    assert_eq!(files(collection()), files(collection()));
}

#[test]
fn a_truncated_piece_is_reported_in_words() {
    let mut files = files(collection());
    let postings = files
        .iter_mut()
        .find(|(n, _)| n.starts_with("postings-"))
        .unwrap();
    postings.1.truncate(postings.1.len() / 2);
    let name = postings.0.clone();
    let index = open(&files).unwrap();
    let err = block_on(index.0.search("minecraft", 10)).unwrap_err();
    assert!(err.contains(&name) && err.contains("truncated"), "{err}");
    // What does not need the piece still works.
    assert_eq!(index.doc_of("bioclip"), Some(2));
}

// ---------------------------------------------------------------------------------------
// The query language, over a collection with metadata.

fn rich() -> Vec<Paper> {
    let mut papers = collection();
    papers[0].published = Some("2023-05-25".into());
    papers[0].upvotes = Some(12);
    papers[0].authors = vec!["Guanzhi Wang".into(), "Linxi Fan".into()];
    papers[0].author_count = Some(2);
    papers[0].listings = vec!["000_agents".into()];
    papers[0].links = vec![Link {
        url: "https://github.com/MineDojo/Voyager".into(),
        kind: LinkKind::Code,
    }];
    papers[1].published = Some("2023-09-18".into());
    papers[1].upvotes = Some(3);
    papers[1].listings = vec!["000_agents".into(), "003_emergent".into()];
    papers[1].organization = Some("Microsoft Research".into());
    papers[1].author_count = Some(14);
    papers[2].published = Some("2025-05-29".into());
    papers[2].listings = vec!["003_emergent".into()];
    papers[2].organization = Some("HDR Imageomics Institute".into());
    papers[2].links = vec![Link {
        url: "https://imageomics.github.io/bioclip-2/".into(),
        kind: LinkKind::Project,
    }];
    papers.extend([
        paper(
            "tom",
            "Theory of Mind for Multi-Agent Collaboration",
            "We evaluate a theory of mind in LLM agents playing cooperative text games.",
        ),
        paper(
            "mindtheory",
            "Mind the Gap: a theory for agents",
            "A mind needs a theory of its own; we study GPT-3 on 4 benchmarks.",
        ),
        paper(
            "gpt4",
            "Sparks of AGI: early experiments with GPT-4",
            "GPT-4 and Llama-3.1-8B are evaluated on reasoning with CoT prompting.",
        ),
        paper("tokens", "Tokens everywhere", "Counting things."),
        paper("tokenset", "Tokenset partitions", "Splitting things."),
        paper("tolkens", "Tolkens of fantasy", "Reading things."),
    ]);
    papers
}

fn rich_index() -> Opened {
    open(&files(rich())).unwrap()
}

#[test]
fn exact_ranks_above_prefix_above_fuzzy() {
    let index = rich_index();
    let kinds = |query: &str| -> Vec<(String, MatchKind)> {
        let results = index.search(query, 10);
        results
            .hits
            .iter()
            .map(|h| {
                (
                    index.paper(h.doc).unwrap().id.clone(),
                    h.explanation[0].kind,
                )
            })
            .collect()
    };
    // A word the collection holds is taken as meant: exact, then longer words it starts.
    assert_eq!(
        kinds("tokens"),
        [
            ("tokens".to_string(), MatchKind::Exact),
            ("tokenset".to_string(), MatchKind::Prefix)
        ]
    );
    // A word it does not hold: its other forms first, then what is one typo away.
    let found = kinds("tolken");
    assert_eq!(found[0], ("tolkens".to_string(), MatchKind::Stem));
    assert_eq!(found.len(), 3, "{found:?}");
    for (_, kind) in &found[1..] {
        assert_eq!(*kind, MatchKind::Fuzzy { distance: 1 });
    }
}

#[test]
fn typos_are_forgiven_by_word_length() {
    let index = rich_index();
    // 9 letters: two edits allowed ("minecarft" is one transposition away).
    let mut found = ids(&index, "minecarft ");
    found.sort();
    assert_eq!(found, ["mindagent", "voyager"]);
    assert_eq!(ids(&index, "reinforcment "), ["retool"]);
    // Four letters: no typo allowed, "mimd" is not "mind".
    assert!(ids(&index, "mimd ").is_empty());
}

#[test]
fn a_typo_or_a_correction_fetches_the_term_pieces_of_its_first_letter_only() {
    let index = open_tiny(rich());
    let manifest = index.0.index().manifest().clone();
    let firsts = &manifest.pieces.terms;
    assert!(firsts.len() > 20, "tiny pieces: {}", firsts.len());
    // "minecarft" and "reinforcment": no term, so typo matching and a suggestion.
    for (query, letter) in [("minecarft ", "m"), ("reinforcment ", "r")] {
        let index = open_tiny(rich());
        let results = index.search(query, 10);
        assert!(!results.hits.is_empty(), "{query}");
        assert!(!results.suggestions.is_empty(), "{query}");
        let loaded: Vec<usize> = (0..firsts.len())
            .filter(|&n| index.0.index().has(PieceId::new(PieceKind::Terms, n as u32)))
            .collect();
        // Every term piece fetched holds terms of that letter: its range starts before
        // the next letter and ends after the letter starts.
        let next = ((letter.as_bytes()[0] + 1) as char).to_string();
        for &n in &loaded {
            let starts_before_next = firsts[n].as_str() < next.as_str();
            let ends_after_letter = firsts.get(n + 1).is_none_or(|end| end.as_str() > letter);
            assert!(starts_before_next && ends_after_letter, "{query}: piece {n} from {:?}", firsts[n]);
        }
        assert!(loaded.len() < firsts.len() / 2, "{query}: {} of {}", loaded.len(), firsts.len());
    }
    // A word being typed that terms start with looks for no typos: only the term pieces
    // of its completions are fetched, not its letter's.
    let index = open_tiny(rich());
    assert_eq!(index.search("minecr", 10).hits.len(), 2);
    for n in 0..firsts.len() {
        if index.0.index().has(PieceId::new(PieceKind::Terms, n as u32)) {
            let starts_before_end = firsts[n].as_str() < "minecs";
            let ends_after_start = firsts.get(n + 1).is_none_or(|end| end.as_str() > "minecr");
            assert!(starts_before_end && ends_after_start, "piece {n} from {:?}", firsts[n]);
        }
    }
}

#[test]
fn quoted_phrases_need_adjacent_words_however_the_index_is_cut() {
    let built = files(rich());
    let with = open(&built).unwrap();
    let without = open_tiny(rich());
    for index in [&with, &without] {
        assert_eq!(ids(index, "\"theory of mind\""), ["tom"]);
        let mut loose = ids(index, "theory mind ");
        loose.sort();
        assert_eq!(loose, ["mindtheory", "tom"]);
    }
}

#[test]
fn a_piece_of_another_kind_or_build_is_refused_and_the_rest_keeps_working() {
    let built = files(rich());
    let index = open(&built).unwrap();
    let file = |prefix: &str| built.iter().find(|(n, _)| n.starts_with(prefix)).unwrap().1.clone();
    let postings = folio_engine::PieceId::new(folio_engine::PieceKind::Postings, 0);
    let err = index.0.index().add_piece(postings, &file("terms-")).unwrap_err().to_string();
    assert!(err.contains("holds piece 0 of the terms pieces"), "{err}");
    let other = files(collection());
    let theirs = other.iter().find(|(n, _)| n.starts_with("postings-")).unwrap();
    let err = index.0.index().add_piece(postings, &theirs.1).unwrap_err().to_string();
    assert!(err.contains("belongs to build"), "{err}");
    assert!(!index.0.index().has(postings));
    assert_eq!(ids(&index, "\"theory of mind\""), ["tom"]);
}

#[test]
fn technical_tokens_match_whole_and_by_parts() {
    let index = rich_index();
    // "GPT-4" must be adjacent "gpt" "4": "GPT-3 on 4 benchmarks" does not count.
    assert_eq!(ids(&index, "GPT-4 "), ["gpt4"]);
    let mut parts = ids(&index, "gpt ");
    parts.sort();
    assert_eq!(parts, ["gpt4", "mindtheory"]);
    assert_eq!(ids(&index, "Llama-3.1-8B "), ["gpt4"]);
    assert_eq!(ids(&index, "cot "), ["gpt4"]);
    // Written without the hyphen, the whole token still finds it, highlighted whole.
    assert_eq!(ids(&index, "gpt4 "), ["gpt4"]);
    assert_eq!(ids(&index, "llama318b"), ["gpt4"]);
    let results = index.search("gpt4 ", 10);
    let hit = &results.hits[0];
    let title = &index.paper(hit.doc).unwrap().title;
    let marked: Vec<&str> = hit
        .title_highlights
        .iter()
        .map(|&(s, e)| &title[s..e])
        .collect();
    assert_eq!(marked, ["GPT-4"]);
    // "GPT-3 on 4 benchmarks" holds no compound "gpt4".
    assert!(results
        .hits
        .iter()
        .all(|h| index.paper(h.doc).unwrap().id != "mindtheory"));
}

#[test]
fn exclusions_alternatives_and_fields() {
    let index = rich_index();
    assert_eq!(ids(&index, "minecraft -lifelong"), ["mindagent"]);
    let mut either = ids(&index, "biological OR reinforcement ");
    either.sort();
    assert_eq!(either, ["bioclip", "retool"]);
    assert!(ids(&index, "title:minecraft ").is_empty());
    assert_eq!(ids(&index, "abstract:minecraft ").len(), 2);
    let mut titles = ids(&index, "title:emergent ");
    titles.sort();
    assert_eq!(titles, ["bioclip", "mindagent"]);
}

#[test]
fn metadata_filters_and_sorting() {
    let index = rich_index();
    assert_eq!(ids(&index, "year:2025"), ["bioclip"]);
    assert_eq!(
        ids(&index, "year:2023..2024 sort:date"),
        ["mindagent", "voyager"]
    );
    assert_eq!(
        ids(&index, "upvotes:>=3 sort:upvotes"),
        ["voyager", "mindagent"]
    );
    assert_eq!(ids(&index, "minecraft has:code"), ["voyager"]);
    assert_eq!(ids(&index, "minecraft -has:code"), ["mindagent"]);
    let mut listed = ids(&index, "listing:003");
    listed.sort();
    assert_eq!(listed, ["bioclip", "mindagent"]);
    assert_eq!(ids(&index, "author:fan"), ["voyager"]);
    assert_eq!(ids(&index, "org:\"microsoft research\""), ["mindagent"]);
    assert_eq!(ids(&index, "emergent org:imageomics"), ["bioclip"]);
}

#[test]
fn author_count_filters_select_the_facet_buckets() {
    let index = rich_index();
    assert_eq!(ids(&index, "authors:>=11 "), ["mindagent"]);
    assert_eq!(ids(&index, "agents authors:2..5"), ["voyager"]);
    let mut unfiltered = ids(&index, "-authors:1..1000 minecraft");
    unfiltered.sort();
    assert!(unfiltered.is_empty(), "{unfiltered:?}");
    assert_eq!(ids(&index, "-authors:>=11 minecraft "), ["voyager"]);
}

#[test]
fn facets_count_the_whole_result_set() {
    let index = rich_index();
    let results = index.search("emergent OR minecraft ", 1);
    assert_eq!(results.total, 3);
    assert_eq!(results.hits.len(), 1);
    let facets = &results.facets;
    assert_eq!(facets.years, [(2025, 1), (2023, 2)]);
    assert_eq!(facets.has_code, 1);
    assert_eq!(
        facets.listings,
        [
            ("000_agents".to_string(), 2),
            ("003_emergent".to_string(), 2)
        ]
    );
    assert_eq!(
        facets.author_counts,
        [
            ("1", 0),
            ("2-5", 1),
            ("6-10", 0),
            ("11+", 1),
            ("unknown", 1)
        ]
    );
}

#[test]
fn a_facet_in_use_counts_what_the_search_gives_without_its_filter() {
    let index = rich_index();
    let results = index.search("emergent OR minecraft year:2025 ", 10);
    assert_eq!(results.total, 1);
    // The year filter in use: every year the search holds without it, to choose another.
    assert_eq!(results.facets.years, [(2025, 1), (2023, 2)]);
    // The other facets count the one paper matched.
    let unfiltered = index.search("emergent OR minecraft ", 10);
    let counted: usize = results.facets.author_counts.iter().map(|c| c.1).sum();
    assert_eq!(counted, 1);
    assert!(results.facets.has_code <= 1);
    // Two facets in use: each counts without its own filter, with the other's.
    let both = index.search("emergent OR minecraft year:2023 listing:003 ", 10);
    let by_year = index.search("emergent OR minecraft listing:003 ", 0);
    let by_listing = index.search("emergent OR minecraft year:2023 ", 0);
    assert_eq!(both.facets.years, by_year.facets.years);
    assert_eq!(both.facets.listings, by_listing.facets.listings);
    assert_eq!(by_year.facets.years, [(2025, 1), (2023, 1)]);
    assert_eq!(unfiltered.total, 3);
    // A negated filter is not a facet in use: its counts are of the papers matched.
    let negated = index.search("emergent OR minecraft -year:2025 ", 10);
    assert_eq!(negated.total, 2);
    assert_eq!(negated.facets.years, [(2023, 2)]);
}

#[test]
fn explanations_add_up_to_the_score() {
    let index = rich_index();
    let results = index.search("minecraft lifelong", 10);
    let hit = &results.hits[0];
    let total: f32 = hit.explanation.iter().map(|c| c.score).sum();
    assert!((total - hit.score).abs() < 1e-3, "{total} vs {}", hit.score);
    let minecraft = hit
        .explanation
        .iter()
        .find(|c| c.word == "minecraft")
        .unwrap();
    assert_eq!(
        (minecraft.term.as_str(), minecraft.field),
        ("minecraft", Field::Abstract)
    );
    assert_eq!(minecraft.kind, MatchKind::Exact);
    // "lifelong" is being typed: a prefix of itself is still an exact match.
    assert!(hit.explanation.iter().any(|c| c.word == "lifelong"));
}

#[test]
fn did_you_mean_comes_from_the_dictionary() {
    let index = rich_index();
    let results = index.search("Minecarft agents", 10);
    assert_eq!(results.suggestions.len(), 1);
    let suggestion = &results.suggestions[0];
    assert_eq!(suggestion.replacement, "minecraft");
    assert_eq!(suggestion.query, "minecraft agents");
    assert!(index.search("minecraft agents", 10).suggestions.is_empty());
    assert!(index.search("xqzvwk ", 10).suggestions.is_empty());
    // Found only through its stem, a misspelling is still corrected.
    let results = index.search("reinforcment learning", 10);
    assert!(!results.hits.is_empty());
    let replacements: Vec<&str> = results
        .suggestions
        .iter()
        .map(|s| s.replacement.as_str())
        .collect();
    assert_eq!(replacements, ["reinforcement"]);
}

#[test]
fn hostile_queries_do_not_panic() {
    let index = rich_index();
    let long = "ab\"c -d OR ".repeat(1000);
    for query in [
        "\"",
        "\"\"\"",
        "- - OR OR -",
        "title: abstract: year: sort:",
        "year:99999999999 upvotes:>4294967295 upvotes:<0",
        "🙂 ümlaut ÆØÅ 漢字 \u{0}",
        "a:b:c:d \"unclosed -x",
        long.as_str(),
    ] {
        let results = index.search(query, 10);
        assert!(results.hits.len() <= 10);
    }
}

// ---------------------------------------------------------------------------------------
// Issue 13: what comes from outside never panics and tells the truth.

#[test]
fn did_you_mean_rewrites_queries_whose_lowercase_has_another_length() {
    // Regression: the misspelling was found in a lowercased copy of the query and, when the
    // copy had the same byte length, the original was sliced at the copy's offsets. "Ω" (2
    // bytes) lowercases to "ω" (2), "İ" (2) to "i̇" (3), "ẞ" (3) to "ß" (2), the Kelvin sign
    // (3) to "k" (1): the offsets shifted and the slice fell inside "«" (a panic, and a
    // wasm trap that stopped the page for good).
    let index = rich_index();
    for (query, expected) in [
        ("Ω «minecrafx İ", "Ω «minecraft İ"),
        // The Ohm sign (3 bytes) lowercases to "ω" (2) and "İ" gains one: same length.
        ("\u{2126} «minecrafx İ", "\u{2126} «minecraft İ"),
        ("İİ minecrafx", "İİ minecraft"),
        ("ẞ minecrafx ẞ", "ẞ minecraft ẞ"),
        (
            "\u{212A}\u{212A} «MINECRAFX» agents",
            "\u{212A}\u{212A} «minecraft» agents",
        ),
        ("ΣΣ minecrafx ς", "ΣΣ minecraft ς"),
    ] {
        let results = index.search(query, 10);
        let queries: Vec<&str> = results
            .suggestions
            .iter()
            .map(|s| s.query.as_str())
            .collect();
        assert_eq!(queries, [expected], "{query}");
    }
}

#[test]
fn a_repeated_misspelling_gets_one_suggestion() {
    let index = rich_index();
    let results = index.search("minecrafx minecrafx MINECRAFX", 10);
    assert_eq!(results.suggestions.len(), 1);
    assert_eq!(
        results.suggestions[0].query,
        "minecraft minecrafx MINECRAFX"
    );
}

#[test]
fn long_queries_are_searched_up_to_the_cap_and_say_so() {
    let index = rich_index();
    let query = format!("minecraft {}", "agents ".repeat(5_000));
    let results = index.search(&query, 10);
    assert_eq!(results.total, 2);
    assert!(results.query.limits.words);
    assert!(results.query.notice().is_some());
    assert!(index.search("minecraft", 10).query.notice().is_none());
}

#[test]
fn words_do_not_sit_next_to_each_other_across_an_overlong_token() {
    // Regression: a token over 40 bytes was dropped without taking a position, so the
    // words on its sides read as adjacent: the phrase "graph neural" and the part-wise
    // match of "GPT-4" both matched across it.
    let long = "x".repeat(41);
    let built = files(vec![
        paper(
            "across",
            "Graph methods",
            &format!("graph {long} neural nets; GPT {long} 4 runs"),
        ),
        paper("real", "Neural graphs", "a graph neural network"),
    ]);
    let with = open(&built).unwrap();
    let without = open(&{
        let mut builder = IndexBuilder::new();
        for p in [
            paper("across", "Graph methods", &format!("graph {long} neural nets; GPT {long} 4 runs")),
            paper("real", "Neural graphs", "a graph neural network"),
        ] {
            builder.add(p);
        }
        builder.build_with(&PieceSizes::tiny()).files
    })
    .unwrap();
    for index in [&with, &without] {
        assert_eq!(ids(index, "\"graph neural\""), ["real"]);
        assert!(ids(index, "GPT-4 ").is_empty());
        assert_eq!(ids(index, "graph neural ").len(), 2);
    }
}

#[test]
fn japanese_and_chinese_text_is_searchable() {
    // Regression: unspaced CJK text was one token of more than 40 bytes, and vanished.
    let cjk = vec![
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
        paper("en", "Language models", "Reasoning with language models."),
    ];
    let with = open(&files(cjk.clone())).unwrap();
    let without = open_tiny(cjk);
    for index in [&with, &without] {
        assert_eq!(ids(index, "言語モデル"), ["ja"]);
        assert_eq!(ids(index, "強化学習"), ["ja"]);
        assert_eq!(ids(index, "图神经网络"), ["zh"]);
        assert_eq!(ids(index, "推荐系统 "), ["zh"]);
        // Bigrams must be adjacent: the characters of 言語 and モデル apart do not match.
        assert!(ids(index, "語言").is_empty());
        assert_eq!(ids(index, "大規模"), ["ja"]);
        assert_eq!(ids(index, "大规模"), ["zh"]);
    }
    // Highlights of overlapping bigrams come back as one range on character boundaries.
    let results = with.search("言語モデル", 10);
    let title = &with.paper(results.hits[0].doc).unwrap().title;
    let marked: Vec<&str> = results.hits[0]
        .title_highlights
        .iter()
        .map(|&(s, e)| &title[s..e])
        .collect();
    assert_eq!(marked, ["言語モデル"]);
}
