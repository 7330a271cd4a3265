//! Key phrases per paper (RAKE-style candidates scored by occurrences and inverse
//! document frequency) and the collection's topics (see [`super`]).

use rustc_hash::FxHashMap as HashMap;

use folio_engine::{Paper, Topic};

use super::{hash_of, par_map, Stems, Tally};

/// Key phrases stored per paper.
pub const KEY_PHRASES: usize = 5;
/// Topics stored for the collection.
pub const TOPICS: usize = 40;

/// Words that end a phrase candidate: function words, and the verbs and nouns every
/// abstract uses ("we propose a novel method").
#[rustfmt::skip]
pub(super) const STOPWORDS: &[&str] = &[
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
pub(super) fn chunks_of(text: &str) -> Vec<Vec<&str>> {
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

pub(super) fn is_stopword(word: &str) -> bool {
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
