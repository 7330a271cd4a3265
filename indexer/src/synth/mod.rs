//! `folio synth`: synthetic collections for scale benchmarks, written in any format
//! `folio index` reads (`formats.rs`): arXiv JSON Lines by default.
//!
//! Text is drawn from a real collection (by default the bundled listings) so term statistics
//! stay realistic: abstracts are sentences of real abstracts, titles are walks of a word
//! bigram chain built from real titles. Real collections grow their vocabulary with their
//! size (every paper names its method, its dataset); a fixed pool of sentences would not,
//! so each paper also gets an invented method name ("Travokel-7B"), used in its title and
//! repeated in its abstract. The output depends only on the source and the seed.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use folio_engine::Paper;

mod formats;

pub use formats::Format;

/// SplitMix64: small, fast, and the same on every platform, which is all a fixed-seed
/// benchmark needs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One line of the arXiv metadata snapshot (the fields Folio reads, plus the usual others),
/// with what the other formats write of it.
#[derive(Serialize)]
struct ArxivRecord {
    #[serde(skip)]
    author_list: Vec<String>,
    /// Year, month, day.
    #[serde(skip)]
    date: (usize, usize, usize),
    id: String,
    submitter: String,
    authors: String,
    title: String,
    comments: Option<String>,
    categories: String,
    #[serde(rename = "abstract")]
    abstract_text: String,
    versions: Vec<Version>,
    update_date: String,
}

#[derive(Serialize)]
struct Version {
    version: &'static str,
    created: String,
}

const CATEGORIES: &[&str] = &[
    "cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.RO", "cs.MA", "cs.NE", "stat.ML", "cs.IR", "q-bio.NC",
];
const SYLLABLES: &[&str] = &[
    "ka", "ro", "vex", "li", "tra", "mon", "zu", "pel", "dri", "sa", "no", "qui", "ber", "fa",
    "tor", "gli", "ne", "ox", "ha", "mi", "sto", "ren", "vo", "ul",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn invented_word(rng: &mut Rng, parts: usize) -> String {
    let mut word: String = (0..parts).map(|_| *rng.pick(SYLLABLES)).collect();
    if let Some(first) = word.get(..1) {
        word = first.to_uppercase() + &word[1..];
    }
    word
}

/// The text synthetic records are drawn from: sentences of real abstracts and a word
/// bigram chain of real titles.
pub struct Source<'a> {
    sentences: Vec<&'a str>,
    /// Word → the words that follow it; "" starts and ends a title.
    chain: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Source<'a> {
    /// `None` when `papers` hold no title or no sentence long enough to use.
    pub fn new(papers: &'a [Paper]) -> Option<Self> {
        let sentences: Vec<&str> = papers
            .iter()
            .flat_map(|p| p.abstract_text.split_inclusive(". "))
            .map(str::trim)
            .filter(|s| s.len() > 20)
            .collect();
        let mut chain: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for paper in papers {
            let mut previous = "";
            for word in paper.title.split_whitespace().chain([""]) {
                chain.entry(previous).or_default().push(word);
                previous = word;
            }
        }
        (!sentences.is_empty() && chain.contains_key("")).then_some(Source { sentences, chain })
    }

    /// Writes `count` synthetic records to `out` in `format`.
    pub fn generate(
        &self,
        count: usize,
        seed: u64,
        format: Format,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        formats::start(format, out)?;
        generate(self, count, seed, &mut |n, record| {
            formats::write(format, n, record, out)
        })?;
        formats::end(format, out)
    }
}

fn generate(
    source: &Source,
    count: usize,
    seed: u64,
    emit: &mut dyn FnMut(usize, &ArxivRecord) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    let (sentences, chain) = (&source.sentences, &source.chain);
    let mut titles = std::collections::HashSet::new();
    for n in 0..count {
        let name = format!(
            "{}{}",
            {
                let parts = rng.range(3, 5);
                invented_word(&mut rng, parts)
            },
            match rng.below(4) {
                0 => format!("-{}B", rng.range(1, 70)),
                1 => format!("-{}", rng.range(2, 5)),
                _ => String::new(),
            }
        );
        let mut title_words: Vec<&str> = Vec::new();
        let mut word = "";
        while title_words.len() < 14 {
            // Every word of the chain has followers ("" ends a title), and "" is there.
            let Some(followers) = chain.get(word) else {
                break;
            };
            word = *rng.pick(followers);
            if word.is_empty() {
                break;
            }
            title_words.push(word);
        }
        let mut title = format!("{name}: {}", title_words.join(" "));
        // Every record must be its own paper, as in arXiv: merging by title would eat some.
        if !titles.insert(crate::merge::title_key(&title)) {
            title = format!("{title} ({n})");
            titles.insert(crate::merge::title_key(&title));
        }
        let mut abstract_text = String::new();
        let sentence_count = rng.range(5, 11);
        let name_at = rng.below(sentence_count);
        for i in 0..sentence_count {
            if i == name_at {
                abstract_text.push_str(&format!("We introduce {name}. "));
            }
            abstract_text.push_str(rng.pick::<&str>(sentences));
            abstract_text.push(' ');
            if rng.below(5) == 0 {
                abstract_text.push_str(&format!("{name} improves on this. "));
            }
        }
        let year = 2015 + rng.below(11);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let authors: Vec<String> = (0..rng.range(1, 12))
            .map(|_| {
                format!(
                    "{}. {}",
                    &invented_word(&mut rng, 1)[..1],
                    invented_word(&mut rng, 3)
                )
            })
            .collect();
        let mut categories: Vec<&str> = (0..rng.range(1, 3))
            .map(|_| *rng.pick(CATEGORIES))
            .collect();
        categories.dedup();
        let record = ArxivRecord {
            author_list: authors.clone(),
            date: (year, month, day),
            id: format!("{:02}{:02}.{:05}", year % 100, month, n % 100_000),
            submitter: authors[0].clone(),
            authors: authors.join(", "),
            title,
            comments: (rng.below(2) == 0).then(|| format!("{} pages", rng.range(4, 40))),
            categories: categories.join(" "),
            abstract_text: abstract_text.trim_end().to_string(),
            versions: vec![Version {
                version: "v1",
                created: format!(
                    "{}, {day} {} {year} {:02}:{:02}:{:02} GMT",
                    WEEKDAYS[rng.below(7)],
                    MONTHS[month - 1],
                    rng.below(24),
                    rng.below(60),
                    rng.below(60)
                ),
            }],
            update_date: format!("{year}-{month:02}-{day:02}"),
        };
        emit(n, &record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Vec<Paper> {
        vec![Paper {
            id: "a".into(),
            title: "Minecraft agents that learn".into(),
            abstract_text: "Agents explore worlds in Minecraft. They craft diamond tools quickly. \
                            A lifelong curriculum guides them."
                .into(),
            ..Paper::default()
        }]
    }

    #[test]
    fn same_seed_same_output_other_seed_other_output() {
        let run = |seed| {
            let mut out = Vec::new();
            let papers = source();
            Source::new(&papers)
                .unwrap()
                .generate(50, seed, Format::ArxivJsonl, &mut out)
                .unwrap();
            out
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn lines_are_arxiv_records_with_source_text() {
        let mut out = Vec::new();
        let papers = source();
        Source::new(&papers)
            .unwrap()
            .generate(20, 1, Format::ArxivJsonl, &mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 20);
        let records: Vec<_> = text
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                folio_indexer::parse::json::record_from_json(&value, 1, "synth")
                    .unwrap()
                    .0
            })
            .collect();
        assert_eq!(
            crate::merge::merge(records).len(),
            20,
            "every record is its own paper"
        );
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let (record, dropped) =
                folio_indexer::parse::json::record_from_json(&value, 1, "synth").unwrap();
            assert!(dropped.is_empty(), "{dropped:?}");
            assert!(record.title.contains(": "));
            assert!(record.abstract_text.contains("We introduce"));
            assert!(record.published.is_some() && !record.authors.is_empty());
        }
    }
}
