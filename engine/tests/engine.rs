//! Matching and ranking: words, stems, prefixes, typos, phrases, technical tokens, the
//! query language's operators, explanations and "did you mean". These tests run natively
//! (`cargo test`) and, compiled to wasm32, in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown`), so both builds are held to the same results.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{collection, files, ids, open, open_tiny, paper, rich, rich_index};
use folio_engine::{Field, IndexBuilder, MatchKind, PieceSizes};

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
            paper(
                "across",
                "Graph methods",
                &format!("graph {long} neural nets; GPT {long} 4 runs"),
            ),
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

/// Issue 33: typing an arXiv id (`2403.11872`) found nothing. A pasted id, with a version
/// or as a URL, puts its paper first, said so in "why this result"; other words' partial
/// matches are not shown beside it.
#[test]
fn a_pasted_arxiv_id_puts_its_paper_first() {
    let mut lattice = paper(
        "2403.11872",
        "Lattice attention",
        "Sparse attention over lattices.",
    );
    lattice.published = Some("2024-03-18".into());
    let mut other = paper(
        "2401.00001",
        "Attention in 2403 rooms",
        "A study of 2403 rooms and arxiv.",
    );
    other.published = Some("2024-01-02".into());
    let index = common::open_tiny(vec![other, lattice]);
    for pasted in [
        "2403.11872",
        "2403.11872v2",
        "arXiv:2403.11872",
        "https://arxiv.org/abs/2403.11872v2",
        "arxiv.org/pdf/2403.11872.pdf",
    ] {
        let results = index.search(pasted, 10);
        let first = results
            .hits
            .first()
            .unwrap_or_else(|| panic!("{pasted}: no hit"));
        assert_eq!(index.paper(first.doc).unwrap().id, "2403.11872", "{pasted}");
        assert_eq!(first.explanation[0].kind, MatchKind::Id, "{pasted}");
        assert!(!results.partial, "{pasted}");
        assert_eq!(
            results.total, 1,
            "{pasted}: the words' partial matches stay out"
        );
    }
    // An id the collection does not hold is searched as words.
    let results = index.search("2402.99999", 10);
    assert!(results
        .hits
        .iter()
        .all(|h| h.explanation.iter().all(|c| c.kind != MatchKind::Id)));
    // A query that is no id is untouched.
    assert_eq!(ids(&index, "lattice"), ["2403.11872"]);
}
