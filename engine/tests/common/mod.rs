//! What the engine's integration tests share: small collections, and an index opened
//! through the loader (its pieces fetched as searches need them).
#![allow(dead_code)] // Each test file uses some of these.

use folio_engine::load::{block_on, Loader, MemoryFetch};
use folio_engine::{IndexBuilder, Link, LinkKind, Paper, PieceSizes, SearchResults};

pub fn paper(id: &str, title: &str, abstract_text: &str) -> Paper {
    Paper {
        id: id.into(),
        title: title.into(),
        abstract_text: abstract_text.into(),
        ..Paper::default()
    }
}

pub fn collection() -> Vec<Paper> {
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

pub fn files(papers: Vec<Paper>) -> Vec<(String, Vec<u8>)> {
    let mut builder = IndexBuilder::new();
    for p in papers {
        builder.add(p);
    }
    builder.build().files
}

/// An index opened through the loader, its pieces fetched as searches need them.
pub struct Opened(pub Loader<MemoryFetch>);

impl Opened {
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        block_on(self.0.search(query, limit)).unwrap()
    }

    pub fn paper(&self, doc: u32) -> Option<&Paper> {
        block_on(self.0.paper(doc)).unwrap();
        self.0.index().paper(doc).unwrap()
    }

    pub fn doc_of(&self, id: &str) -> Option<u32> {
        block_on(self.0.doc_of(id)).unwrap()
    }
}

pub fn open(files: &[(String, Vec<u8>)]) -> Result<Opened, String> {
    block_on(Loader::open(MemoryFetch::new(files.to_vec()))).map(Opened)
}

/// The same papers built in the smallest pieces: every term, list and paper nearly in a
/// piece of its own. Searches must give the same answers as over the default pieces.
pub fn open_tiny(papers: Vec<Paper>) -> Opened {
    let mut builder = IndexBuilder::new();
    for p in papers {
        builder.add(p);
    }
    open(&builder.build_with(&PieceSizes::tiny()).files).unwrap()
}

pub fn ids(index: &Opened, query: &str) -> Vec<String> {
    index
        .search(query, 10)
        .hits
        .iter()
        .map(|h| index.paper(h.doc).unwrap().id.clone())
        .collect()
}

pub fn rich() -> Vec<Paper> {
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

pub fn rich_index() -> Opened {
    open(&files(rich())).unwrap()
}

/// `files` with every piece of `kind` a byte short, framed again with a matching hash and
/// build: damage behind a good frame, which only the piece's decoder can see.
pub fn cut_a_byte(
    files: &[(String, Vec<u8>)],
    kind: folio_engine::format::PieceKind,
) -> Vec<(String, Vec<u8>)> {
    use folio_engine::format::{frame, PieceId};
    let (_, manifest) = files.iter().find(|(n, _)| n == "manifest.json").unwrap();
    let build = folio_engine::Manifest::from_json(manifest)
        .unwrap()
        .build_id()
        .unwrap();
    let prefix = format!("{}-", kind.name());
    files
        .iter()
        .map(|(name, bytes)| {
            let n = name
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.split('.').next());
            match n.and_then(|n| n.parse().ok()) {
                Some(n) => {
                    let id = PieceId::new(kind, n);
                    let mut body = frame::unframe(name, bytes, id, build).unwrap().to_vec();
                    body.pop();
                    (name.clone(), frame::frame(id, build, &body))
                }
                None => (name.clone(), bytes.clone()),
            }
        })
        .collect()
}
