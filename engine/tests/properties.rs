//! Property tests: the engine never panics on what comes from outside — any query string,
//! any damage to the index files. Native only (proptest drives many cases quickly); the
//! wasm build runs the same engine code through `engine.rs`.
#![cfg(not(target_arch = "wasm32"))]

use folio_engine::{Index, IndexBuilder, Manifest, Paper, Query};
use proptest::prelude::*;

fn files() -> Vec<(String, Vec<u8>)> {
    let mut builder = IndexBuilder::new();
    for (i, (title, abstract_text)) in [
        (
            "Voyager: An Open-Ended Embodied Agent",
            "A lifelong learning agent in Minecraft with GPT-4.",
        ),
        (
            "Theory of Mind for Multi-Agent Collaboration",
            "We evaluate a theory of mind in LLM agents.",
        ),
        (
            "BioCLIP 2: Emergent Properties",
            "Foundation models trained at scale exhibit emergent behaviors.",
        ),
        (
            "Schrödinger's café: naïve Bayes",
            "Ünïcödé text, 漢字 and emoji 🙂 in an abstract.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        builder.add(Paper {
            id: format!("p{i}"),
            title: title.into(),
            abstract_text: abstract_text.into(),
            published: Some(format!("202{i}-01-0{}", i + 1)),
            upvotes: Some(i as u32),
            ..Paper::default()
        });
    }
    builder.build().files
}

fn file<'a>(files: &'a [(String, Vec<u8>)], prefix: &str) -> &'a [u8] {
    &files.iter().find(|(n, _)| n.starts_with(prefix)).unwrap().1
}

fn open(files: &[(String, Vec<u8>)], positions: bool) -> Index {
    let manifest = Manifest::from_json(file(files, "manifest")).unwrap();
    Index::open(
        manifest,
        file(files, "terms").to_vec(),
        file(files, "postings").to_vec(),
        positions.then(|| file(files, "positions").to_vec()),
        file(files, "papers"),
    )
    .unwrap()
}

/// Query text built from the pieces of the query language, to reach its corners.
fn query_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("OR".to_string()),
        Just(" ".to_string()),
        Just(":".to_string()),
        Just("title:".to_string()),
        Just("year:".to_string()),
        Just("upvotes:>=".to_string()),
        Just("sort:date".to_string()),
        Just("has:code".to_string()),
        Just("..".to_string()),
        "[a-zA-Z]{1,12}",
        "[0-9]{1,12}",
        "\\PC{1,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_query_is_answered(query in query_strategy()) {
        let built = files();
        let index = open(&built, true);
        let results = index.search(&query, 5);
        prop_assert!(results.hits.len() <= 5);
        prop_assert!(results.total >= results.hits.len());
        for hit in &results.hits {
            let paper = index.paper(hit.doc).unwrap();
            for &(s, e) in &hit.title_highlights {
                prop_assert!(paper.title.get(s..e).is_some());
            }
            prop_assert!(paper.abstract_text.get(hit.snippet.start..hit.snippet.end).is_some());
        }
        // With or without the positions file, the same papers come back.
        let without = open(&built, false);
        let other = without.search(&query, 5);
        prop_assert_eq!(
            results.hits.iter().map(|h| h.doc).collect::<Vec<_>>(),
            other.hits.iter().map(|h| h.doc).collect::<Vec<_>>()
        );
    }

    #[test]
    fn any_unicode_is_parsed(query in "\\PC{0,200}") {
        let _ = Query::parse(&query);
        let built = files();
        let _ = open(&built, true).search(&query, 10);
    }

    #[test]
    fn damaged_files_are_errors_in_words(
        which in 0usize..4,
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..4),
    ) {
        let built = files();
        let names = ["terms", "postings", "positions", "papers"];
        let mut damaged: Vec<(String, Vec<u8>)> = built.clone();
        let target = damaged.iter_mut().find(|(n, _)| n.starts_with(names[which])).unwrap();
        if flips.is_empty() {
            let len = cut.index(target.1.len());
            target.1.truncate(len);
        }
        for (at, mask) in &flips {
            let i = at.index(target.1.len());
            target.1[i] ^= mask;
        }
        let manifest = Manifest::from_json(file(&damaged, "manifest")).unwrap();
        let result = Index::open(
            manifest,
            file(&damaged, "terms").to_vec(),
            file(&damaged, "postings").to_vec(),
            Some(file(&damaged, "positions").to_vec()),
            file(&damaged, "papers"),
        );
        match result {
            Err(err) => prop_assert!(err.to_string().len() > 20),
            Ok(_) => prop_assert!(false, "damaged {} was accepted", names[which]),
        }
    }

    #[test]
    fn any_manifest_bytes_are_an_error_or_a_manifest(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Manifest::from_json(&bytes);
    }
}

/// The hash check catches damage; this goes past it, to the decoders themselves: index
/// files whose manifest was rewritten to match damaged content must not panic either.
#[test]
fn damage_behind_a_matching_manifest_does_not_panic() {
    use folio_engine::format::FileRef;
    let built = files();
    let mut state = 0x9e37_79b9u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for round in 0..300 {
        let mut manifest = Manifest::from_json(file(&built, "manifest")).unwrap();
        let mut postings = file(&built, "postings").to_vec();
        let mut positions = file(&built, "positions").to_vec();
        let mut terms = file(&built, "terms").to_vec();
        let target = match round % 3 {
            0 => &mut postings,
            1 => &mut positions,
            _ => &mut terms,
        };
        for _ in 0..1 + next() % 4 {
            let i = next() as usize % target.len();
            target[i] ^= (next() % 255 + 1) as u8;
        }
        manifest.files.terms = FileRef::for_data("terms", "fst", &terms);
        manifest.files.postings = FileRef::for_data("postings", "bin", &postings);
        manifest.files.positions = FileRef::for_data("positions", "bin", &positions);
        if let Ok(index) = Index::open(
            manifest,
            terms,
            postings,
            Some(positions),
            file(&built, "papers"),
        ) {
            for query in [
                "minecraft",
                "\"theory of mind\"",
                "agen",
                "emergnt ",
                "year:2021 sort:date",
                "GPT-4",
            ] {
                let _ = index.search(query, 10);
            }
        }
    }
}

/// Rewrites the manifest's references to match the given files, as a hostile host can.
fn reopen(
    built: &[(String, Vec<u8>)],
    terms: Vec<u8>,
    postings: Vec<u8>,
    positions: Vec<u8>,
) -> Result<Index, folio_engine::FormatError> {
    use folio_engine::format::FileRef;
    let mut manifest = Manifest::from_json(file(built, "manifest")).unwrap();
    manifest.files.terms = FileRef::for_data("terms", "fst", &terms);
    manifest.files.postings = FileRef::for_data("postings", "bin", &postings);
    manifest.files.positions = FileRef::for_data("positions", "bin", &positions);
    Index::open(
        manifest,
        terms,
        postings,
        Some(positions),
        file(built, "papers"),
    )
}

/// Issue 13, item 6: a damaged list behind a matching manifest was read as an empty list,
/// so the search silently found nothing. It is now reported in words.
#[test]
fn a_list_that_does_not_decode_is_reported_not_taken_as_empty() {
    let built = files();
    let postings = file(&built, "postings");
    let index = reopen(
        &built,
        file(&built, "terms").to_vec(),
        postings[..postings.len() / 2].to_vec(),
        file(&built, "positions").to_vec(),
    )
    .unwrap();
    let damaged: Vec<String> = ["voyager", "emergent", "bayes", "mind", "lifelong"]
        .iter()
        .filter_map(|q| index.search(q, 10).damage)
        .collect();
    assert!(
        !damaged.is_empty(),
        "no search noticed the cut postings file"
    );
    assert!(damaged[0].contains("postings") && damaged[0].contains("does not decode"));
    // The intact index reports nothing.
    assert!(open(&built, true).search("voyager", 10).damage.is_none());
}

/// Issue 13, item 6: the fst crate trusts its nodes, and its checksum is no integrity
/// boundary against a host that recomputes it. Every one-byte damage of the terms file
/// (three masks at every byte), behind a recomputed checksum and manifest, opened and then
/// panicked inside fst on the first lookup ("attempt to subtract with overflow" in
/// fst's node.rs) before the dictionary was checked on load (`fst_check.rs`).
#[test]
fn terms_damaged_behind_a_recomputed_checksum_do_not_panic() {
    let built = files();
    let terms = file(&built, "terms").to_vec();
    for at in 0..terms.len() - 4 {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut damaged = terms.clone();
            damaged[at] ^= mask;
            let split = damaged.len() - 4;
            let checksum = folio_engine::format::fst_checksum(&damaged[..split]);
            damaged[split..].copy_from_slice(&checksum.to_le_bytes());
            if let Ok(index) = reopen(
                &built,
                damaged,
                file(&built, "postings").to_vec(),
                file(&built, "positions").to_vec(),
            ) {
                for query in ["minecraft", "agen", "emergnt ", "\"theory of mind\""] {
                    let _ = index.search(query, 10);
                }
            }
        }
    }
}
