//! Index-time enrichment: the most similar papers of each paper, and key phrases for each
//! paper and for the whole collection.
//!
//! **Similar papers** are ranked by tf-idf cosine, computed without an n × n matrix: each
//! paper keeps only its [`VECTOR_TERMS`] heaviest terms (the rest barely move a cosine),
//! each term keeps only its [`LIST_CAP`] heaviest papers, and a paper's neighbours are
//! accumulated by walking the lists of its own terms. Work is O(n · VECTOR_TERMS ·
//! LIST_CAP) at worst, linear in the collection.
//!
//! **Key phrases** are runs of one to three words between punctuation and stopwords (the
//! candidates of RAKE), scored per paper by occurrences (title ones count thrice) times
//! inverse document frequency, with longer phrases favoured. A collection's topics are the
//! phrases that are key phrases of the most papers.
//!
//! Both run on every core, and both are deterministic: each paper's result is computed on
//! its own, in a fixed order, with ties broken by document ordinal or by text.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use folio_engine::{Analyzer, Paper, Topic};

/// Terms kept per paper for similarity.
const VECTOR_TERMS: usize = 32;
/// Papers kept per term for similarity.
const LIST_CAP: usize = 1000;
/// Similar papers stored per paper.
pub const SIMILAR: usize = 5;
/// Below this cosine a paper is not called similar.
const MIN_SIMILARITY: f32 = 0.05;
/// Key phrases stored per paper.
pub const KEY_PHRASES: usize = 5;
/// Topics stored for the collection.
pub const TOPICS: usize = 40;

/// Fills `similar` and `key_phrases` of every paper and returns the collection's topics.
/// `progress` is called with the number of papers finished, from any thread.
pub fn enrich(papers: &mut [Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Topic> {
    let similar = similar_papers(papers, progress);
    for (paper, similar) in papers.iter_mut().zip(similar) {
        paper.similar = similar;
    }
    let phrases = key_phrases(papers, progress);
    let topics = topics(&phrases);
    for (paper, phrases) in papers.iter_mut().zip(phrases) {
        paper.key_phrases = phrases.into_iter().map(|p| p.display).collect();
    }
    topics
}

/// Runs `work` over `0..n` split into contiguous parts, one per core, and returns the
/// results in index order.
fn par_map<T: Send>(n: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.max(1));
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let work = &work;
                scope.spawn(move || {
                    (start..(start + chunk).min(n))
                        .map(work)
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

// ---------------------------------------------------------------------------------------
// Similar papers

/// For each paper, the ids of its most similar papers, most similar first.
pub fn similar_papers(papers: &[Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<String>> {
    let n = papers.len();
    let analyzer = Analyzer::new();
    // Term frequencies by stem; title words count twice.
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<u32> = Vec::new();
    let mut counts: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
    for paper in papers {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        for (text, weight) in [(&paper.title, 2.0), (&paper.abstract_text, 1.0)] {
            for token in analyzer.tokens(text) {
                if token.text.len() < 2
                    || token.text.bytes().all(|b| b.is_ascii_digit())
                    || STOPWORDS.contains(&token.text.as_str())
                {
                    continue;
                }
                let stem = analyzer.stem(&token.text);
                let id = match vocabulary.get(stem.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = df.len() as u32;
                        vocabulary.insert(stem.into_owned(), id);
                        df.push(0);
                        id
                    }
                };
                *tf.entry(id).or_default() += weight;
            }
        }
        let mut terms: Vec<(u32, f32)> = tf.into_iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        for &(t, _) in &terms {
            df[t as usize] += 1;
        }
        counts.push(terms);
    }
    drop(vocabulary);

    // Pruned, normalized tf-idf vectors. A term in one paper only cannot link two papers.
    let vectors: Vec<Vec<(u32, f32)>> = counts
        .into_iter()
        .map(|terms| {
            let mut weighted: Vec<(u32, f32)> = terms
                .into_iter()
                .filter(|&(t, _)| df[t as usize] >= 2)
                .map(|(t, tf)| {
                    let idf = (n as f32 / df[t as usize] as f32).ln();
                    (t, (1.0 + tf.ln()) * idf)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect();
            weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.truncate(VECTOR_TERMS);
            let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            weighted.iter_mut().for_each(|(_, w)| *w /= norm);
            weighted
        })
        .collect();

    // Inverted lists over the pruned vectors, each capped to its heaviest papers.
    let mut lists: Vec<Vec<(u32, f32)>> = vec![Vec::new(); df.len()];
    for (doc, vector) in vectors.iter().enumerate() {
        for &(t, w) in vector {
            lists[t as usize].push((doc as u32, w));
        }
    }
    for list in &mut lists {
        if list.len() > LIST_CAP {
            list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(LIST_CAP);
        }
    }

    let done = std::sync::atomic::AtomicU64::new(0);
    par_map(n, |doc| {
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for &(t, w) in &vectors[doc] {
            for &(other, w2) in &lists[t as usize] {
                if other as usize != doc {
                    *scores.entry(other).or_default() += w * w2;
                }
            }
        }
        let mut best: Vec<(u32, f32)> = scores
            .into_iter()
            .filter(|&(_, s)| s >= MIN_SIMILARITY)
            .collect();
        best.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(SIMILAR);
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if finished % 1024 == 0 {
            progress(1024);
        }
        best.into_iter()
            .map(|(other, _)| papers[other as usize].id.clone())
            .collect()
    })
}

// ---------------------------------------------------------------------------------------
// Key phrases

/// Words that end a phrase candidate: function words, and the verbs and nouns every
/// abstract uses ("we propose a novel method").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "achieve",
    "achieved",
    "achieves",
    "achieving",
    "across",
    "after",
    "against",
    "all",
    "allows",
    "along",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "approach",
    "approaches",
    "are",
    "as",
    "at",
    "based",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "demonstrate",
    "demonstrates",
    "despite",
    "different",
    "diverse",
    "do",
    "does",
    "during",
    "each",
    "effective",
    "either",
    "enable",
    "enables",
    "existing",
    "experiments",
    "extensive",
    "few",
    "for",
    "from",
    "further",
    "furthermore",
    "has",
    "have",
    "having",
    "here",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "introduce",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "key",
    "less",
    "like",
    "made",
    "make",
    "makes",
    "many",
    "may",
    "method",
    "methods",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "new",
    "no",
    "nor",
    "not",
    "novel",
    "of",
    "on",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "outperform",
    "outperforms",
    "outperforming",
    "over",
    "paper",
    "performance",
    "present",
    "propose",
    "proposed",
    "provide",
    "provides",
    "results",
    "reveal",
    "reveals",
    "significant",
    "same",
    "several",
    "should",
    "show",
    "shows",
    "significantly",
    "so",
    "some",
    "state-of-the-art",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thus",
    "to",
    "under",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "various",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "work",
    "would",
    "yet",
    "you",
    "your",
];

/// A key phrase of one paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Stemmed words joined by spaces: the identity of the phrase.
    pub key: String,
    /// The phrase as first written in the paper (sentence-initial capitals lowered).
    pub display: String,
    pub score: f32,
}

/// One candidate occurrence: stemmed key and display form.
struct Candidate {
    key: String,
    display: String,
    in_title: bool,
}

/// The phrase candidates of a paper: every run of 1 to 3 content words.
fn candidates(paper: &Paper, analyzer: &Analyzer) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (text, in_title) in [(&paper.title, true), (&paper.abstract_text, false)] {
        for chunk in chunks(text) {
            let keys: Vec<String> = chunk.iter().map(|w| word_key(w, analyzer)).collect();
            for len in 1..=3 {
                for start in 0..chunk.len().saturating_sub(len - 1) {
                    let words = &chunk[start..start + len];
                    out.push(Candidate {
                        key: keys[start..start + len].join(" "),
                        display: words
                            .iter()
                            .map(|w| display_word(w))
                            .collect::<Vec<_>>()
                            .join(" "),
                        in_title,
                    });
                }
            }
        }
    }
    out
}

/// The identity of a word in a phrase: its analyzed, stemmed parts ("Agents" → "agent",
/// "GPT-4" → "gpt-4").
fn word_key(word: &str, analyzer: &Analyzer) -> String {
    analyzer
        .tokens(word)
        .iter()
        .map(|t| analyzer.stem(&t.text).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Splits text into runs of content words, breaking at punctuation and stopwords.
fn chunks(text: &str) -> Vec<Vec<&str>> {
    let mut chunks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let leading_break = raw
            .chars()
            .next()
            .is_some_and(|c| !c.is_alphanumeric() && c != '-');
        let trailing_break = raw
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_alphanumeric());
        let content = word.chars().count() > 1
            && word.chars().any(char::is_alphabetic)
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
            && !raw.starts_with("http")
            && !STOPWORDS.contains(&word.to_lowercase().as_str());
        if (leading_break || !content) && !current.is_empty() {
            chunks.push(std::mem::take(&mut current));
        }
        if content {
            current.push(word);
        }
        if trailing_break && !current.is_empty() {
            chunks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// "Learning" → "learning" and "Multi-Agent" → "multi-agent", but "LLM", "BioCLIP" and
/// "GPT-4" keep their capitals: only a capital that merely starts a word is lowered.
fn display_word(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().is_some_and(char::is_uppercase);
            if first && chars.all(|c| !c.is_uppercase()) {
                part.to_lowercase()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn hash_key(key: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// The key phrases of every paper, best first.
pub fn key_phrases(papers: &[Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<Phrase>> {
    let n = papers.len();
    // Document frequencies of candidates, by hash (the strings are not kept).
    let partial: Vec<HashMap<u64, u32>> = {
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        let chunk = n.div_ceil(threads).max(1);
        par_map(n.div_ceil(chunk), |part| {
            let analyzer = Analyzer::new();
            let mut df: HashMap<u64, u32> = HashMap::new();
            for paper in &papers[part * chunk..((part + 1) * chunk).min(n)] {
                let mut seen: Vec<u64> = candidates(paper, &analyzer)
                    .iter()
                    .map(|c| hash_key(&c.key))
                    .collect();
                seen.sort_unstable();
                seen.dedup();
                for h in seen {
                    *df.entry(h).or_default() += 1;
                }
            }
            df
        })
    };
    let mut df = partial.into_iter();
    let mut total = df.next().unwrap_or_default();
    for part in df {
        for (h, count) in part {
            *total.entry(h).or_default() += count;
        }
    }
    let df = total;

    let done = std::sync::atomic::AtomicU64::new(0);
    par_map(n, |doc| {
        let analyzer = Analyzer::new();
        // Per key: summed weight of its occurrences, and its first written form.
        let mut found: HashMap<String, (f32, String)> = HashMap::new();
        for candidate in candidates(&papers[doc], &analyzer) {
            let entry = found
                .entry(candidate.key)
                .or_insert((0.0, candidate.display));
            entry.0 += if candidate.in_title { 3.0 } else { 1.0 };
        }
        let mut scored: Vec<Phrase> = found
            .into_iter()
            .filter_map(|(key, (tf, display))| {
                let df = df.get(&hash_key(&key)).copied().unwrap_or(1);
                let words = key.split(' ').count();
                // A phrase only this paper uses is characteristic only if it repeats.
                if df < 2 && tf < 2.0 && n > 1 {
                    return None;
                }
                let idf = ((n as f32 + 1.0) / df as f32).ln();
                let length = [1.0, 1.6, 2.0][words - 1];
                let score = tf.sqrt() * idf * length;
                Some(Phrase {
                    key,
                    display,
                    score,
                })
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
        let mut chosen: Vec<Phrase> = Vec::new();
        for phrase in scored {
            if chosen.len() == KEY_PHRASES {
                break;
            }
            // Five phrases should say five things: none repeats a word of another.
            let overlaps = chosen.iter().any(|c| shares_word(&c.key, &phrase.key));
            if !overlaps {
                chosen.push(phrase);
            }
        }
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if finished % 1024 == 0 {
            progress(1024);
        }
        chosen
    })
}

/// Do two phrase keys have a (stemmed) word in common?
fn shares_word(a: &str, b: &str) -> bool {
    a.split(' ')
        .any(|word| b.split(' ').any(|other| other == word))
}

/// The phrases that are key phrases of the most papers (at least two), most widespread
/// first, each shown in its most frequent written form.
pub fn topics(phrases: &[Vec<Phrase>]) -> Vec<Topic> {
    let mut counts: HashMap<&str, (u32, HashMap<&str, u32>)> = HashMap::new();
    for paper in phrases {
        for phrase in paper {
            let entry = counts.entry(&phrase.key).or_default();
            entry.0 += 1;
            *entry.1.entry(&phrase.display).or_default() += 1;
        }
    }
    let mut topics: Vec<Topic> = counts
        .into_values()
        .filter(|(papers, _)| *papers >= 2)
        .map(|(papers, forms)| {
            let phrase = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(form, _)| form.to_string())
                .unwrap_or_default();
            Topic { phrase, papers }
        })
        .collect();
    topics.sort_unstable_by(|a, b| b.papers.cmp(&a.papers).then(a.phrase.cmp(&b.phrase)));
    topics.truncate(TOPICS);
    topics
}

#[cfg(test)]
mod tests {
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
            for word in phrase.key.split(' ') {
                assert!(!STOPWORDS.contains(&word), "{phrase:?}");
            }
        }
    }

    #[test]
    fn chunks_break_at_punctuation_and_stopwords() {
        assert_eq!(
            chunks("We propose GPT-4 agents, for open-ended worlds (in Minecraft)."),
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
        let topics = enrich(&mut papers, &|_| {});
        assert!(!topics.is_empty());
        for topic in &topics {
            let analyzer = Analyzer::new();
            let key = |phrase: &str| {
                phrase
                    .split(' ')
                    .map(|w| word_key(w, &analyzer))
                    .collect::<Vec<_>>()
            };
            let holders = papers
                .iter()
                .filter(|p| p.key_phrases.iter().any(|k| key(k) == key(&topic.phrase)))
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
        assert_eq!(enrich(&mut a, &|_| {}), enrich(&mut b, &|_| {}));
        assert_eq!(a, b);
    }
}
