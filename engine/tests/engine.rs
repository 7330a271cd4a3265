//! Engine tests that run natively (`cargo test`) and, compiled to wasm32, in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown`), so both builds are held to the
//! same results.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use folio_engine::{FormatError, Index, IndexBuilder, Manifest, Paper};

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

fn open(files: &[(String, Vec<u8>)]) -> Result<Index, FormatError> {
    let file = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .unwrap_or_default()
    };
    let manifest = Manifest::from_json(&file("manifest.json"))?;
    Index::open(
        manifest.clone(),
        file(&manifest.files.terms.name),
        file(&manifest.files.postings.name),
        Some(file(&manifest.files.positions.name)),
        &file(&manifest.files.papers.name),
    )
}

fn ids(index: &Index, query: &str) -> Vec<String> {
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
    assert!(ids(&index, "minecraft biological").is_empty());
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
}

#[test]
fn building_twice_gives_identical_bytes() {
    assert_eq!(files(collection()), files(collection()));
}

#[test]
fn a_truncated_file_is_reported_in_words() {
    let mut files = files(collection());
    let postings = files
        .iter_mut()
        .find(|(n, _)| n.starts_with("postings."))
        .unwrap();
    postings.1.truncate(postings.1.len() / 2);
    let name = postings.0.clone();
    let err = open(&files).unwrap_err();
    assert!(matches!(err, FormatError::Truncated { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&name) && message.contains("truncated"),
        "{message}"
    );
}
