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

/// Terms kept per paper for similarity.
const VECTOR_TERMS: usize = 24;
/// Papers kept per term for similarity.
const LIST_CAP: usize = 400;
/// Similar papers stored per paper.
pub const SIMILAR: usize = 5;
/// Below this cosine a paper is not called similar.
const MIN_SIMILARITY: f32 = 0.05;
/// Key phrases stored per paper.
pub const KEY_PHRASES: usize = 5;
/// Topics stored for the collection.
pub const TOPICS: usize = 40;

/// Fills `similar` and `key_phrases` of every paper and returns the collection's topics.
/// `progress` is called with numbers of papers finished, from any thread.
pub fn enrich(
    papers: &mut [Paper],
    progress: &(dyn Fn(u64) + Sync),
    phases: &mut crate::Phases,
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
struct Tally<'a> {
    done: AtomicU64,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl<'a> Tally<'a> {
    const BATCH: u64 = 1024;

    fn new(progress: &'a (dyn Fn(u64) + Sync)) -> Self {
        Tally {
            done: AtomicU64::new(0),
            progress,
        }
    }

    fn one(&self) {
        if (self.done.fetch_add(1, Ordering::Relaxed) + 1) % Self::BATCH == 0 {
            (self.progress)(Self::BATCH);
        }
    }
}

fn hash_of(value: impl Hash) -> u64 {
    // FxHash has no random keys: the same on every run and platform.
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Per-thread memo of word → stem hash: stemming is the costly step and words repeat.
struct Stems {
    analyzer: Analyzer,
    memo: HashMap<String, u64>,
}

impl Stems {
    fn new() -> Self {
        Stems {
            analyzer: Analyzer::new(),
            memo: HashMap::default(),
        }
    }

    /// Hash of the stem of a normalized term.
    fn term(&mut self, term: &str) -> u64 {
        if let Some(&h) = self.memo.get(term) {
            return h;
        }
        let h = hash_of(self.analyzer.stem(term).as_ref());
        self.memo.insert(term.to_string(), h);
        h
    }

    /// Hash of a written word of a phrase: the stems of its parts ("Agents" ~ "agent",
    /// "GPT-4" ~ "gpt 4").
    fn word(&mut self, word: &str) -> u64 {
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

// ---------------------------------------------------------------------------------------
// Similar papers

/// For each paper, the ids of its most similar papers, most similar first.
pub fn similar_papers(papers: &[Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<String>> {
    let n = papers.len();
    // Term frequencies by stem hash; title words count twice.
    let counts: Vec<Vec<(u64, f32)>> = par_map(n, Stems::new, |stems, doc| {
        let paper = &papers[doc];
        let mut tf: HashMap<u64, f32> = HashMap::default();
        for (text, weight) in [(&paper.title, 2.0), (&paper.abstract_text, 1.0)] {
            for token in stems.analyzer.tokens(text) {
                let term = token.text.as_str();
                if term.len() < 2
                    || term.bytes().all(|b| b.is_ascii_digit())
                    || STOPWORDS.contains(&term)
                {
                    continue;
                }
                *tf.entry(stems.term(term)).or_default() += weight;
            }
        }
        let mut terms: Vec<(u64, f32)> = tf.into_iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        terms
    });
    // Dense term ids, in order of first appearance (deterministic), and their frequencies.
    let mut ids: HashMap<u64, u32> = HashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let counts: Vec<Vec<(u32, f32)>> = counts
        .into_iter()
        .map(|terms| {
            terms
                .into_iter()
                .map(|(hash, tf)| {
                    let id = *ids.entry(hash).or_insert_with(|| {
                        df.push(0);
                        df.len() as u32 - 1
                    });
                    df[id as usize] += 1;
                    (id, tf)
                })
                .collect()
        })
        .collect();
    drop(ids);

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

    let tally = Tally::new(progress);
    // Per thread: a dense score accumulator and the papers it touched.
    let init = || (vec![0f32; n], Vec::<u32>::new());
    par_map(n, init, |(scores, touched), doc| {
        for &(t, w) in &vectors[doc] {
            for &(other, w2) in &lists[t as usize] {
                let score = &mut scores[other as usize];
                if *score == 0.0 {
                    touched.push(other);
                }
                *score += w * w2;
            }
        }
        let mut best: Vec<(u32, f32)> = Vec::with_capacity(SIMILAR + 1);
        for other in touched.drain(..) {
            let score = std::mem::take(&mut scores[other as usize]);
            if other as usize == doc || score < MIN_SIMILARITY {
                continue;
            }
            let better = |b: &(u32, f32)| score > b.1 || (score == b.1 && other < b.0);
            if best.len() < SIMILAR || better(&best[best.len() - 1]) {
                let at = best.iter().position(better).unwrap_or(best.len());
                best.insert(at, (other, score));
                best.truncate(SIMILAR);
            }
        }
        tally.one();
        best.into_iter()
            .map(|(other, _)| papers[other as usize].id.clone())
            .collect()
    })
}

// ---------------------------------------------------------------------------------------
// Key phrases

/// Words that end a phrase candidate: function words, and the verbs and nouns every
/// abstract uses ("we propose a novel method").
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "achieve", "achieved", "achieves", "achieving", "across", "after",
    "against", "all", "allows", "along", "also", "although", "among", "an", "and", "another",
    "any", "approach", "approaches", "are", "as", "at", "based", "be", "because", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "demonstrate",
    "demonstrates", "despite", "different", "diverse", "do", "does", "during", "each",
    "effective", "either", "enable", "enables", "existing", "experiments", "extensive", "few",
    "for", "from", "further", "furthermore", "has", "have", "having", "here", "how", "however",
    "i", "if", "in", "into", "introduce", "is", "it", "its", "itself", "just", "key", "less",
    "like", "made", "make", "makes", "many", "may", "method", "methods", "more", "moreover",
    "most", "much", "must", "new", "no", "nor", "not", "novel", "of", "on", "only", "or",
    "other", "our", "ours", "out", "outperform", "outperforming", "outperforms", "over",
    "paper", "performance", "present", "propose", "proposed", "provide", "provides", "results",
    "reveal", "reveals", "same", "several", "should", "show", "shows", "significant",
    "significantly", "so", "some", "state-of-the-art", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "thus", "to", "under",
    "up", "upon", "us", "use", "used", "uses", "using", "various", "via", "was", "we", "well",
    "were", "what", "when", "where", "whether", "which", "while", "who", "whose", "why", "will",
    "with", "within", "without", "work", "would", "yet", "you", "your",
];

/// A key phrase of one paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Hash of the phrase's stemmed words: its identity.
    pub key: u64,
    /// Hashes of its words, for telling overlapping phrases apart.
    pub words: Vec<u64>,
    /// The phrase as first written in the paper (capitals that merely start a word lowered).
    pub display: String,
    pub score: f32,
}

/// One occurrence of a candidate phrase: `len` words from `start` of chunk `chunk`.
#[derive(Clone, Copy)]
struct Occurrence {
    chunk: u32,
    start: u16,
    len: u8,
    in_title: bool,
}

/// A paper's text cut into chunks of content words, with each word's hash.
struct Chunked<'a> {
    chunks: Vec<(Vec<&'a str>, Vec<u64>, bool)>,
}

impl<'a> Chunked<'a> {
    fn new(paper: &'a Paper, stems: &mut Stems) -> Self {
        let mut chunks = Vec::new();
        for (text, in_title) in [(&paper.title, true), (&paper.abstract_text, false)] {
            for chunk in chunks_of(text) {
                let hashes = chunk.iter().map(|w| stems.word(w)).collect();
                chunks.push((chunk, hashes, in_title));
            }
        }
        Chunked { chunks }
    }

    /// Every run of 1 to 3 words: its key hash and where it is.
    fn candidates(&self) -> impl Iterator<Item = (u64, Occurrence)> + '_ {
        self.chunks
            .iter()
            .enumerate()
            .flat_map(|(c, (words, hashes, in_title))| {
                (1..=3usize).flat_map(move |len| {
                    (0..words.len().saturating_sub(len - 1)).map(move |start| {
                        let key = hash_of(&hashes[start..start + len]);
                        let at = Occurrence {
                            chunk: c as u32,
                            start: start as u16,
                            len: len as u8,
                            in_title: *in_title,
                        };
                        (key, at)
                    })
                })
            })
    }

    fn words(&self, at: Occurrence) -> &[&'a str] {
        let words = &self.chunks[at.chunk as usize].0;
        &words[at.start as usize..at.start as usize + at.len as usize]
    }

    fn hashes(&self, at: Occurrence) -> &[u64] {
        let hashes = &self.chunks[at.chunk as usize].1;
        &hashes[at.start as usize..at.start as usize + at.len as usize]
    }
}

/// Splits text into runs of content words, breaking at punctuation and stopwords.
fn chunks_of(text: &str) -> Vec<Vec<&str>> {
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
        let content = word.len() > 1
            && u16::try_from(current.len()).is_ok()
            && word.chars().any(char::is_alphabetic)
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
            && !raw.starts_with("http")
            && !is_stopword(word);
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

fn is_stopword(word: &str) -> bool {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        STOPWORDS.contains(&word.to_ascii_lowercase().as_str())
    } else {
        STOPWORDS.contains(&word)
    }
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

/// The key phrases of every paper, best first.
pub fn key_phrases(papers: &[Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<Phrase>> {
    let n = papers.len();
    // Document frequencies of candidates, by hash, counted per thread and then summed.
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let part = n.div_ceil(threads).max(1);
    let partial: Vec<HashMap<u64, u32>> = par_map(n.div_ceil(part), Stems::new, |stems, p| {
        let mut df: HashMap<u64, u32> = HashMap::default();
        let mut seen: Vec<u64> = Vec::new();
        for paper in &papers[p * part..((p + 1) * part).min(n)] {
            seen.clear();
            seen.extend(Chunked::new(paper, stems).candidates().map(|(key, _)| key));
            seen.sort_unstable();
            seen.dedup();
            for &key in &seen {
                *df.entry(key).or_default() += 1;
            }
        }
        df
    });
    let mut partial = partial.into_iter();
    let mut df = partial.next().unwrap_or_default();
    for part in partial {
        for (key, count) in part {
            *df.entry(key).or_default() += count;
        }
    }

    let tally = Tally::new(progress);
    par_map(n, Stems::new, |stems, doc| {
        let chunked = Chunked::new(&papers[doc], stems);
        // Per key: summed weight of its occurrences and its first occurrence.
        let mut found: HashMap<u64, (f32, Occurrence, usize)> = HashMap::default();
        for (order, (key, at)) in chunked.candidates().enumerate() {
            let entry = found.entry(key).or_insert((0.0, at, order));
            entry.0 += if at.in_title { 3.0 } else { 1.0 };
        }
        let mut scored: Vec<(f32, usize, u64, Occurrence)> = found
            .into_iter()
            .filter_map(|(key, (tf, at, order))| {
                let df = df.get(&key).copied().unwrap_or(1);
                // A phrase only this paper uses is characteristic only if it repeats.
                if df < 2 && tf < 2.0 && n > 1 {
                    return None;
                }
                let idf = ((n as f32 + 1.0) / df as f32).ln();
                let length = [1.0, 1.6, 2.0][usize::from(at.len) - 1];
                Some((tf.sqrt() * idf * length, order, key, at))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chosen: Vec<Phrase> = Vec::new();
        for (score, _, key, at) in scored {
            if chosen.len() == KEY_PHRASES {
                break;
            }
            let words = chunked.hashes(at);
            // Five phrases should say five things: none repeats a word of another.
            let overlaps = chosen
                .iter()
                .any(|c| c.words.iter().any(|w| words.contains(w)));
            if !overlaps {
                chosen.push(Phrase {
                    key,
                    words: words.to_vec(),
                    display: chunked
                        .words(at)
                        .iter()
                        .map(|w| display_word(w))
                        .collect::<Vec<_>>()
                        .join(" "),
                    score,
                });
            }
        }
        tally.one();
        chosen
    })
}

/// The phrases that are key phrases of the most papers (at least two), most widespread
/// first, each shown in its most frequent written form.
pub fn topics(phrases: &[Vec<Phrase>]) -> Vec<Topic> {
    let mut counts: HashMap<u64, (u32, HashMap<&str, u32>)> = HashMap::default();
    for paper in phrases {
        for phrase in paper {
            let entry = counts.entry(phrase.key).or_default();
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
        let topics = enrich(&mut papers, &|_| {}, &mut crate::Phases::start());
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
        let mut phases = crate::Phases::start();
        assert_eq!(
            enrich(&mut a, &|_| {}, &mut phases),
            enrich(&mut b, &|_| {}, &mut phases)
        );
        assert_eq!(a, b);
    }
}
