//! Index-time enrichment: the most similar papers of each paper, and key phrases for each
//! paper and for the whole collection.
//!
//! **Similar papers** are ranked by tf-idf cosine, computed without an n × n matrix: each
//! paper keeps only its [`VECTOR_TERMS`] heaviest terms (the rest barely move a cosine),
//! each term keeps only its [`LIST_CAP`] heaviest papers, and a paper's neighbours are
//! accumulated by walking the lists of its own terms. Work is O(n · VECTOR_TERMS ·
//! LIST_CAP) at worst: linear in the collection.
//!
//! **Key phrases** are runs of one to three words between punctuation and stopwords (the
//! candidates of RAKE), scored per paper by occurrences (title ones count thrice) times
//! inverse document frequency, longer phrases favoured. A collection's topics are the
//! phrases that are key phrases of the most papers.
//!
//! Words and phrases are identified by 64-bit hashes of their stems, so no string is
//! allocated per occurrence. Both run on every core and are deterministic: each paper's
//! result is computed on its own, in a fixed order, with ties broken by document ordinal or
//! by position in the text.

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use folio_engine::{Analyzer, Paper, Topic};

mod phrases;
mod similar;

use phrases::{key_phrases, topics};
use similar::similar_papers;

/// Fills `similar` and `key_phrases` of every paper and returns the collection's topics.
/// `progress` is called with numbers of papers finished, from any thread.
pub fn enrich(
    papers: &mut [Paper],
    progress: &(dyn Fn(u64) + Sync),
    phases: &mut crate::index::Phases,
) -> Vec<Topic> {
    let similar = similar_papers(papers, progress);
    for (paper, similar) in papers.iter_mut().zip(similar) {
        paper.similar = similar;
    }
    phases.end("similar");
    let phrases = key_phrases(papers, progress);
    let topics = topics(&phrases);
    for (paper, phrases) in papers.iter_mut().zip(phrases) {
        paper.key_phrases = phrases.into_iter().map(|p| p.display).collect();
    }
    phases.end("phrases");
    topics
}

/// Runs `work` over `0..n` split into contiguous parts, one per core, each part with its
/// own state from `init`; returns the results in index order.
pub fn par_map<S, T: Send>(
    n: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.max(1));
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let (init, work) = (&init, &work);
                scope.spawn(move || {
                    let mut state = init();
                    (start..(start + chunk).min(n))
                        .map(|i| work(&mut state, i))
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an enrichment thread panicked"))
            .collect()
    })
}

/// Counts finished papers and reports them in batches.
pub(super) struct Tally<'a> {
    done: AtomicU64,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl<'a> Tally<'a> {
    const BATCH: u64 = 1024;

    pub(super) fn new(progress: &'a (dyn Fn(u64) + Sync)) -> Self {
        Tally {
            done: AtomicU64::new(0),
            progress,
        }
    }

    pub(super) fn one(&self) {
        if (self.done.fetch_add(1, Ordering::Relaxed) + 1) % Self::BATCH == 0 {
            (self.progress)(Self::BATCH);
        }
    }
}

pub(super) fn hash_of(value: impl Hash) -> u64 {
    // FxHash has no random keys: the same on every run and platform.
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Per-thread memo of word → stem hash: stemming is the costly step and words repeat.
pub(super) struct Stems {
    analyzer: Analyzer,
    memo: HashMap<String, u64>,
}

impl Stems {
    pub(super) fn new() -> Self {
        Stems {
            analyzer: Analyzer::new(),
            memo: HashMap::default(),
        }
    }

    /// Hash of the stem of a normalized term.
    pub(super) fn term(&mut self, term: &str) -> u64 {
        if let Some(&h) = self.memo.get(term) {
            return h;
        }
        let h = hash_of(self.analyzer.stem(term).as_ref());
        self.memo.insert(term.to_string(), h);
        h
    }

    /// Hash of a written word of a phrase: the stems of its parts ("Agents" ~ "agent",
    /// "GPT-4" ~ "gpt 4").
    pub(super) fn word(&mut self, word: &str) -> u64 {
        if let Some(&h) = self.memo.get(word) {
            return h;
        }
        let parts: Vec<String> = self
            .analyzer
            .tokens(word)
            .iter()
            .map(|t| self.analyzer.stem(&t.text).into_owned())
            .collect();
        let h = hash_of(&parts);
        self.memo.insert(word.to_string(), h);
        h
    }
}

#[cfg(test)]
mod tests {
    use super::phrases::*;
    use super::similar::*;
    use super::*;

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
                "mc1",
                "Minecraft agents",
                "Open-ended agents explore Minecraft worlds and craft diamond tools.",
            ),
            paper(
                "mc2",
                "Lifelong Minecraft agent",
                "An agent learns skills in Minecraft and crafts diamond pickaxes.",
            ),
            paper(
                "bio",
                "BioCLIP: species images",
                "Vision language model for species classification of organisms.",
            ),
            paper(
                "bio2",
                "Species classification at scale",
                "Organisms and species images classified by a vision model.",
            ),
            paper(
                "music",
                "Text to music generation",
                "Music generation with flow matching and autoregressive decoding.",
            ),
        ]
    }

    #[test]
    fn similar_papers_share_their_topic() {
        let similar = similar_papers(&collection(), &|_| {});
        assert_eq!(similar[0].first().map(String::as_str), Some("mc2"));
        assert_eq!(similar[1].first().map(String::as_str), Some("mc1"));
        assert_eq!(similar[2].first().map(String::as_str), Some("bio2"));
        assert!(similar
            .iter()
            .enumerate()
            .all(|(i, s)| !s.contains(&collection()[i].id)));
        assert!(
            similar[4].is_empty(),
            "nothing resembles the music paper: {:?}",
            similar[4]
        );
    }

    #[test]
    fn key_phrases_skip_stopwords_and_prefer_shared_phrases() {
        let phrases = key_phrases(&collection(), &|_| {});
        let first: Vec<&str> = phrases[0].iter().map(|p| p.display.as_str()).collect();
        assert_eq!(first.first(), Some(&"minecraft agents"), "{first:?}");
        for phrase in phrases.iter().flatten() {
            for word in phrase.display.split(' ') {
                assert!(!is_stopword(word), "{phrase:?}");
            }
        }
    }

    #[test]
    fn chunks_break_at_punctuation_and_stopwords() {
        assert_eq!(
            chunks_of("We propose GPT-4 agents, for open-ended worlds (in Minecraft)."),
            vec![
                vec!["GPT-4", "agents"],
                vec!["open-ended", "worlds"],
                vec!["Minecraft"]
            ]
        );
    }

    #[test]
    fn topics_are_phrases_shared_by_papers() {
        let mut papers = collection();
        let topics = enrich(&mut papers, &|_| {}, &mut crate::index::Phases::start());
        assert!(!topics.is_empty());
        let mut stems = Stems::new();
        for topic in &topics {
            let mut key =
                |phrase: &str| -> Vec<u64> { phrase.split(' ').map(|w| stems.word(w)).collect() };
            let wanted = key(&topic.phrase);
            let holders = papers
                .iter()
                .filter(|p| p.key_phrases.iter().any(|k| key(k) == wanted))
                .count();
            assert!(
                topic.papers >= 2 && holders as u32 == topic.papers,
                "{topic:?}"
            );
        }
        assert!(papers.iter().all(|p| p.key_phrases.len() <= KEY_PHRASES));
        assert!(papers[0].similar.len() <= SIMILAR);
    }

    #[test]
    fn is_deterministic() {
        let mut a = collection();
        let mut b = collection();
        let mut phases = crate::index::Phases::start();
        assert_eq!(
            enrich(&mut a, &|_| {}, &mut phases),
            enrich(&mut b, &|_| {}, &mut phases)
        );
        assert_eq!(a, b);
    }
}
