//! The slowest query we can find, natively: `make bench-worst-query` (or `cargo bench -p
//! folio-engine --bench worst_query`). Over the 100k synthetic index
//! (`build/bench/index-100000`, from `make bench-query` or `make bench-index`), it searches
//! for the query of at most 2,000 characters that takes the engine longest:
//!
//! 1. seeds built by hand from what costs the engine work: the most frequent terms (long
//!    postings lists), misspellings of long frequent terms (typo scans that do match),
//!    long non-words (typo scans that match nothing), one-letter words (stem and prefix
//!    scans), phrases and hyphenated runs of frequent words (positions to decode), `OR`
//!    chains, exclusions, name filters over every paper, CJK runs, and the hostile inputs
//!    of issue 13;
//! 2. then a hill climb from the slowest seeds: each step replaces, inserts or deletes one
//!    ingredient (a piece of one of the kinds above), keeps the query within 2,000
//!    characters, times it (the least of 3 runs), and keeps it when slower.
//!
//! Prints the five slowest queries found with their times, and writes them to
//! `build/bench/worst-queries.json` for the Chromium run (`tests/examples/latency.rs` with
//! `FOLIO_QUERIES`). `FOLIO_WORST_SECONDS` sets the climb's budget (default 120).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use folio_engine::Index;

const MAX_CHARS: usize = 2_000;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A small deterministic generator (xorshift64*): the search is repeatable for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The least of three runs, in milliseconds.
fn time(index: &Index, query: &str) -> f64 {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(index.search(black_box(query), 10));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

/// Pieces of queries that cost the engine work, by kind.
struct Ingredients {
    kinds: Vec<Vec<String>>,
}

impl Ingredients {
    fn new(terms: &[(String, usize)]) -> Ingredients {
        let known: std::collections::HashSet<&str> = terms.iter().map(|t| t.0.as_str()).collect();
        let frequent: Vec<String> = terms.iter().take(300).map(|t| t.0.clone()).collect();
        let long: Vec<&String> = terms
            .iter()
            .take(5_000)
            .map(|t| &t.0)
            .filter(|t| t.chars().count() >= 9 && t.is_ascii())
            .collect();
        let misspelled: Vec<String> = long
            .iter()
            .flat_map(|t| {
                let b = t.as_bytes();
                let mut swapped = b.to_vec();
                swapped.swap(2, 3);
                let mut dropped = b.to_vec();
                dropped.remove(b.len() / 2);
                [swapped, dropped].map(|v| String::from_utf8(v).unwrap_or_default())
            })
            .filter(|w| !known.contains(w.as_str()))
            .collect();
        let nonwords: Vec<String> = (0..200)
            .map(|i| {
                let first = frequent[i % frequent.len()].chars().next().unwrap_or('a');
                let tail: String = (0..10 + i % 5)
                    .map(|j| (b'a' + ((i * 7 + j * 13) % 26) as u8) as char)
                    .collect();
                format!("{first}{tail}")
            })
            .collect();
        let letters: Vec<String> = ('a'..='z')
            .map(String::from)
            .chain(frequent.iter().map(|t| t.chars().take(2).collect()))
            .collect();
        let pairs = |n: usize, joiner: &str| -> Vec<String> {
            (0..200)
                .map(|i| {
                    (0..n)
                        .map(|j| frequent[(i * 31 + j * 7) % 60].as_str())
                        .collect::<Vec<_>>()
                        .join(joiner)
                })
                .collect()
        };
        let phrases: Vec<String> = pairs(2, " ")
            .into_iter()
            .chain(pairs(4, " "))
            .map(|p| format!("\"{p}\""))
            .collect();
        let hyphenated: Vec<String> = pairs(2, "-").into_iter().chain(pairs(6, "-")).collect();
        let ors: Vec<String> = pairs(8, " OR ");
        let excluded: Vec<String> = frequent.iter().take(100).map(|t| format!("-{t}")).collect();
        let filters: Vec<String> = frequent
            .iter()
            .take(50)
            .flat_map(|t| {
                [
                    format!("author:{t}"),
                    format!("-author:{t}"),
                    format!("org:{t}"),
                    format!("listing:{t}"),
                    format!("-title:{t}"),
                    format!("abstract:{t}"),
                ]
            })
            .chain(
                [
                    "year:1900..2100",
                    "-has:code",
                    "has:link",
                    "upvotes:>=0",
                    "sort:upvotes",
                ]
                .map(String::from),
            )
            .collect();
        let odd: Vec<String> = [
            "\u{2126} «minecrafx İ",
            "言語モデルによる推論の強化学習",
            "图神经网络推荐系统",
            "\"",
            "OR",
            "-",
            "GPT-4",
            "in-context",
            "Llama-3.1-8B",
            "a.b.c.d.e.f",
        ]
        .map(String::from)
        .to_vec();
        Ingredients {
            kinds: vec![
                frequent, misspelled, nonwords, letters, phrases, hyphenated, ors, excluded,
                filters, odd,
            ],
        }
    }

    fn any(&self, rng: &mut Rng) -> String {
        let kind = rng.pick(&self.kinds);
        rng.pick(kind).clone()
    }
}

fn join(parts: &[String], open_end: bool) -> String {
    let mut query = String::new();
    for part in parts {
        if query.chars().count() + part.chars().count() + 1 > MAX_CHARS {
            break;
        }
        if !query.is_empty() {
            query.push(' ');
        }
        query.push_str(part);
    }
    if !open_end {
        query.push(' ');
    }
    query
}

fn main() {
    let dir = root().join("build/bench/index-100000");
    let Ok(loader) = folio_engine::load::open_dir_whole(&dir) else {
        println!(
            "no index at {} (make bench-query builds it): skipped",
            dir.display()
        );
        return;
    };
    let index = loader.index();

    // Every term with its document frequency, most frequent first.
    let mut terms: Vec<(String, usize)> = index
        .loaded_terms()
        .into_iter()
        .map(|(t, df)| (t, df as usize))
        .collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ingredients = Ingredients::new(&terms);

    // Seeds: each kind alone, repeated up to the caps, and all kinds mixed.
    let mut seeds: Vec<Vec<String>> = Vec::new();
    for kind in &ingredients.kinds {
        seeds.push(kind.iter().take(64).cloned().collect());
        seeds.push(kind.iter().rev().take(8).cloned().collect());
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..40 {
        seeds.push(
            (0..1 + rng.below(40))
                .map(|_| ingredients.any(&mut rng))
                .collect(),
        );
    }
    let mut found: Vec<(f64, String)> = seeds
        .iter()
        .flat_map(|parts| [join(parts, true), join(parts, false)])
        .map(|q| (time(index, &q), q))
        .collect();
    found.sort_by(|a, b| b.0.total_cmp(&a.0));

    // Hill climb from the five slowest seeds, in turn.
    let budget: f64 = std::env::var("FOLIO_WORST_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120.0);
    let started = Instant::now();
    let mut climbers: Vec<(f64, Vec<String>, bool)> = found
        .iter()
        .take(5)
        .map(|(t, q)| {
            let open_end = !q.ends_with(' ');
            (
                *t,
                q.split(' ')
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect(),
                open_end,
            )
        })
        .collect();
    let mut steps = 0usize;
    while started.elapsed().as_secs_f64() < budget {
        let c = steps % climbers.len();
        steps += 1;
        let (best, parts, open_end) = &climbers[c];
        let mut parts = parts.clone();
        let mut open_end = *open_end;
        match rng.below(4) {
            0 if !parts.is_empty() => {
                let at = rng.below(parts.len());
                parts[at] = ingredients.any(&mut rng);
            }
            1 => {
                let at = rng.below(parts.len() + 1);
                parts.insert(at, ingredients.any(&mut rng));
            }
            2 if parts.len() > 1 => {
                parts.remove(rng.below(parts.len()));
            }
            _ => open_end = !open_end,
        }
        let query = join(&parts, open_end);
        let t = time(index, &query);
        if t > *best {
            found.push((t, query.clone()));
            climbers[c] = (t, parts, open_end);
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.dedup_by(|a, b| a.1 == b.1);

    println!(
        "folio native, worst query over {} papers: {} seeds, {steps} climbing steps in {:.0} s",
        index.paper_count(),
        seeds.len() * 2,
        started.elapsed().as_secs_f64()
    );
    for (t, q) in found.iter().take(5) {
        let shown: String = q.chars().take(160).collect();
        println!(
            "  {t:8.2} ms  {} chars  {shown:?}{}",
            q.chars().count(),
            if q.chars().count() > 160 { "…" } else { "" }
        );
    }
    let worst: Vec<&String> = found.iter().take(5).map(|(_, q)| q).collect();
    let out = root().join("build/bench/worst-queries.json");
    std::fs::write(&out, serde_json::to_string_pretty(&serde_json::json!({"queries": worst.iter().map(|q| serde_json::json!({"query": q})).collect::<Vec<_>>()})).unwrap())
        .expect("write worst-queries.json");
    println!("  written to {}", out.display());
}
