//! The query language, parsed into a typed [`Query`]. Parsing never fails: whatever is not
//! understood is searched as text.
//!
//! | syntax | meaning |
//! |---|---|
//! | `word word` | every word must match (a word being typed matches as a prefix) |
//! | `"exact phrase"` | the words next to each other, in order |
//! | `-word`, `-"phrase"` | papers holding it are left out |
//! | `a OR b` | either (binds tighter than the implicit AND) |
//! | `title:word`, `abstract:"a phrase"` | only in that field |
//! | `author:name`, `org:name` | a paper's authors / organization contain the name |
//! | `year:2024`, `year:2023..2025`, `year:>=2023` | publication year |
//! | `upvotes:>=3`, `upvotes:3..10` | upvote count |
//! | `has:code`, `has:link`, `-has:code` | a code / any link in the abstract |
//! | `listing:NAME` | appeared in a listing whose name starts with NAME |
//! | `authors:1`, `authors:2..5`, `authors:>=11` | number of authors |
//! | `sort:relevance`, `sort:date`, `sort:upvotes` | result order; alone, lists every paper |
//!
//! Inside quotes, `\"` is a quote and `\\` a backslash, so any value can be written
//! ([`write_piece`]): `listing:"my list"`, `author:"O\"Brien"`. A query is read up to
//! [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_WORDS`] words and filters, which bounds
//! what any query costs; [`Query::notice`] says in words what was left out.

use crate::model::Field;

mod ids;
mod spans;

pub use ids::arxiv_id;
pub use spans::{spans, write_piece, Span};

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Every group must match; a group matches when any of its alternatives does.
    pub groups: Vec<Group>,
    /// Papers matching any of these are left out.
    pub excluded: Vec<Atom>,
    pub filters: Vec<Filter>,
    pub sort: Sort,
    /// A `sort:` was given. A query of nothing but a sort lists the whole collection in
    /// that order (browsing); an empty query finds nothing.
    pub sorted: bool,
    /// What was left out of a long query.
    pub limits: Limits,
}

/// Alternatives joined by `OR` (a single plain word is a group of one).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub alternatives: Vec<Atom>,
}

/// A piece of text to find.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    /// The text as typed (without quotes or scope).
    pub text: String,
    /// Quoted: its words must be adjacent, and no prefix or typo matching applies.
    pub phrase: bool,
    /// Limited to one field, or `None` for title and abstract.
    pub field: Option<Field>,
    /// The word is still being typed: it matches as a prefix.
    pub prefix: bool,
}

/// A condition on a paper's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub kind: FilterKind,
    /// Written with a leading `-`: papers matching it are the ones left out.
    pub negated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FilterKind {
    /// Publication year within `from..=to`.
    Year {
        from: u32,
        to: u32,
    },
    /// Upvotes within `min..=max`.
    Upvotes {
        min: u32,
        max: u32,
    },
    HasCode,
    HasLink,
    /// A listing whose name starts with this (lowercase).
    Listing(String),
    /// An author whose name holds these words (normalized), in any order.
    Author(String),
    /// An organization whose name holds these words (normalized).
    Org(String),
    /// Number of authors within `min..=max` (papers with no known count never match).
    Authors {
        min: u32,
        max: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first; papers without a date last.
    Date,
    /// Most upvoted first.
    Upvotes,
}

/// At most this many characters of a query are read; the rest is ignored (and said so,
/// [`Query::notice`]). Long enough for a pasted title with filters, short enough that no
/// query can make the engine scan the dictionary for long.
pub const MAX_QUERY_CHARS: usize = 1000;
/// At most this many words (and filters) of a query are searched. Each word costs a few
/// dictionary scans and a postings merge; past a few dozen, more words add cost, not
/// precision.
pub const MAX_QUERY_WORDS: usize = 32;

/// What the parser left out of a long query, so the page can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// The query was longer than [`MAX_QUERY_CHARS`]: the rest was not read.
    pub chars: bool,
    /// The query held more than [`MAX_QUERY_WORDS`] words and filters: the later ones were
    /// not searched.
    pub words: bool,
}

/// `input` cut to at most [`MAX_QUERY_CHARS`] characters, at a character boundary.
fn within_limit(input: &str) -> (&str, bool) {
    match input.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => (&input[..cut], true),
        None => (input, false),
    }
}

impl Query {
    /// Parses a query. Never fails. Reads at most [`MAX_QUERY_CHARS`] characters and
    /// [`MAX_QUERY_WORDS`] words and filters; [`Query::limits`] says what was left out.
    pub fn parse(input: &str) -> Query {
        let (input, cut) = within_limit(input);
        let mut query = Query {
            limits: Limits {
                chars: cut,
                words: false,
            },
            ..Query::default()
        };
        let analyzer = crate::analyze::Analyzer::new();
        let mut words = 0;
        let mut join_next = false;
        let spans = spans(input);
        let count = spans.len();
        for (i, span) in spans.into_iter().enumerate() {
            if words >= MAX_QUERY_WORDS {
                query.limits.words = true;
                break;
            }
            if span.value == "OR" && !span.quoted && span.name.is_none() && !span.negated {
                // `OR` joins the previous group with the next atom; dangling, it is ignored.
                join_next = !query.groups.is_empty() && i + 1 < count;
                continue;
            }
            if let Some(filter) = filter(&span) {
                match filter {
                    Ok(FilterOrSort::Filter(mut kind)) => {
                        // A name filter costs a word per word of the name; past the cap, its
                        // later words are dropped.
                        let mut cost = 1;
                        if let FilterKind::Author(name) | FilterKind::Org(name) = &mut kind {
                            let allowed = MAX_QUERY_WORDS - words;
                            cost = name.split(' ').count();
                            if cost > allowed {
                                let cut =
                                    name.split(' ').take(allowed).collect::<Vec<_>>().join(" ");
                                *name = cut;
                                cost = allowed;
                                query.limits.words = true;
                            }
                        }
                        words += cost;
                        let filter = Filter {
                            kind,
                            negated: span.negated,
                        };
                        // The same filter twice filters once.
                        if !query.filters.contains(&filter) {
                            query.filters.push(filter);
                        }
                    }
                    Ok(FilterOrSort::Sort(sort)) => {
                        query.sort = sort;
                        query.sorted = true;
                    }
                    Err(()) => {}
                }
                join_next = false;
                continue;
            }
            let field = match span.name.as_deref() {
                Some("title") => Some(Field::Title),
                Some("abstract") => Some(Field::Abstract),
                _ => None,
            };
            // An unknown `name:` is text: search "name value" as typed.
            let mut text = match (field, span.name) {
                (None, Some(name)) => format!("{name} {}", span.value),
                _ => span.value,
            };
            // Keep only the words that fit under the cap.
            let allowed = MAX_QUERY_WORDS - words;
            let (mut tokens, mut kept_end) = (0, 0);
            analyzer.each_token(&text, |_, _, end, _| {
                tokens += 1;
                if tokens <= allowed {
                    kept_end = end;
                }
            });
            if tokens == 0 {
                continue;
            }
            let mut at_end = span.at_end;
            if tokens > allowed {
                text.truncate(kept_end);
                tokens = allowed;
                query.limits.words = true;
                at_end = false;
            }
            words += tokens;
            let atom = Atom {
                prefix: at_end && !span.quoted && !span.negated && !query.limits.chars,
                text,
                phrase: span.quoted,
                field,
            };
            if span.negated {
                query.excluded.push(atom);
            } else if join_next {
                if let Some(last) = query.groups.last_mut() {
                    last.alternatives.push(atom);
                }
            } else {
                query.groups.push(Group {
                    alternatives: vec![atom],
                });
            }
            join_next = false;
        }
        query
    }

    /// Does the query search any text (rather than only filter)?
    pub fn has_text(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Is there nothing at all to search or filter by?
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.excluded.is_empty() && self.filters.is_empty()
    }

    /// What the parser left out of a long query, in words for the page, if anything.
    pub fn notice(&self) -> Option<String> {
        match (self.limits.chars, self.limits.words) {
            (_, true) => Some(format!(
                "Only the first {MAX_QUERY_WORDS} words and filters are searched."
            )),
            (true, false) => Some(format!(
                "Only the first {} characters are searched.",
                group_thousands(MAX_QUERY_CHARS)
            )),
            (false, false) => None,
        }
    }
}

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

enum FilterOrSort {
    Filter(FilterKind),
    Sort(Sort),
}

/// Interprets a `name:value` piece as a filter or sort. `None`: not a filter name (search
/// it as text); `Some(Err)`: a filter name with a value that means nothing (dropped).
fn filter(span: &Span) -> Option<Result<FilterOrSort, ()>> {
    let name = span.name.as_deref()?;
    let value = span.value.trim();
    let lower = crate::analyze::lowercase(value);
    let result = match name {
        "year" => range(value, 0, 9999).map(|(from, to)| FilterKind::Year { from, to }),
        "upvotes" | "votes" => {
            range(value, 0, u32::MAX).map(|(min, max)| FilterKind::Upvotes { min, max })
        }
        "has" => match lower.as_str() {
            "code" | "github" | "repo" => Some(FilterKind::HasCode),
            "link" | "links" | "url" | "project" => Some(FilterKind::HasLink),
            _ => None,
        },
        "listing" | "in" => (!lower.is_empty()).then(|| FilterKind::Listing(lower.clone())),
        "author" | "by" => normalized(value).map(FilterKind::Author),
        "org" | "organization" => normalized(value).map(FilterKind::Org),
        "authors" => range(value, 0, u32::MAX).map(|(min, max)| FilterKind::Authors { min, max }),
        "sort" => {
            return Some(match lower.as_str() {
                "relevance" | "score" => Ok(FilterOrSort::Sort(Sort::Relevance)),
                "date" | "new" | "newest" | "recent" => Ok(FilterOrSort::Sort(Sort::Date)),
                "upvotes" | "votes" | "popular" => Ok(FilterOrSort::Sort(Sort::Upvotes)),
                _ => Err(()),
            })
        }
        _ => return None,
    };
    Some(result.map(FilterOrSort::Filter).ok_or(()))
}

/// Lowercase words of a name, for matching author and organization names.
fn normalized(value: &str) -> Option<String> {
    let words: Vec<String> = crate::analyze::Analyzer::new()
        .tokens(value)
        .into_iter()
        .map(|t| t.text)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// `N`, `A..B`, `A..`, `..B`, `>=N`, `>N`, `<=N`, `<N`, `=N` as an inclusive range within
/// `min..=max`.
fn range(value: &str, min: u32, max: u32) -> Option<(u32, u32)> {
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let (from, to) = if let Some((a, b)) = value.split_once("..") {
        let from = if a.is_empty() { min } else { number(a)? };
        let to = if b.is_empty() { max } else { number(b)? };
        (from, to)
    } else if let Some(n) = value.strip_prefix(">=") {
        (number(n)?, max)
    } else if let Some(n) = value.strip_prefix('>') {
        (number(n)?.checked_add(1)?, max)
    } else if let Some(n) = value.strip_prefix("<=") {
        (min, number(n)?)
    } else if let Some(n) = value.strip_prefix('<') {
        (min, number(n)?.checked_sub(1)?)
    } else {
        let n = number(value.strip_prefix('=').unwrap_or(value))?;
        (n, n)
    };
    (from <= to).then_some((from.max(min), to.min(max)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(text: &str) -> Atom {
        Atom {
            text: text.into(),
            phrase: false,
            field: None,
            prefix: false,
        }
    }

    #[test]
    fn plain_words_are_groups_and_the_last_is_a_prefix() {
        let q = Query::parse("minecraft agen");
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].alternatives, [atom("minecraft")]);
        assert!(q.groups[1].alternatives[0].prefix);
        assert!(!Query::parse("minecraft agen ").groups[1].alternatives[0].prefix);
    }

    #[test]
    fn phrases_exclusions_or_and_fields() {
        let q = Query::parse(
            r#""theory of mind" -survey agents OR robots title:minecraft abstract:"open ended""#,
        );
        assert_eq!(q.groups.len(), 4);
        assert!(q.groups[0].alternatives[0].phrase);
        assert_eq!(q.groups[0].alternatives[0].text, "theory of mind");
        assert_eq!(q.excluded, [atom("survey")]);
        assert_eq!(q.groups[1].alternatives, [atom("agents"), atom("robots")]);
        assert_eq!(q.groups[2].alternatives[0].field, Some(Field::Title));
        let last = &q.groups[3].alternatives[0];
        assert_eq!(
            (last.field, last.phrase, last.text.as_str()),
            (Some(Field::Abstract), true, "open ended")
        );
    }

    #[test]
    fn filters_and_sort() {
        let q = Query::parse("year:2023..2025 upvotes:>=3 has:code -has:link listing:003 author:Gu org:\"Microsoft Research\" sort:date");
        assert!(q.groups.is_empty());
        let kinds: Vec<_> = q
            .filters
            .iter()
            .map(|f| (f.kind.clone(), f.negated))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    FilterKind::Year {
                        from: 2023,
                        to: 2025
                    },
                    false
                ),
                (
                    FilterKind::Upvotes {
                        min: 3,
                        max: u32::MAX
                    },
                    false
                ),
                (FilterKind::HasCode, false),
                (FilterKind::HasLink, true),
                (FilterKind::Listing("003".into()), false),
                (FilterKind::Author("gu".into()), false),
                (FilterKind::Org("microsoft research".into()), false),
            ]
        );
        assert_eq!(q.sort, Sort::Date);
        assert_eq!(
            Query::parse("year:2024").filters[0].kind,
            FilterKind::Year {
                from: 2024,
                to: 2024
            }
        );
    }

    #[test]
    fn what_is_not_understood_is_text() {
        // Unknown scope, filter with a bad value, operators alone, unbalanced quote.
        let q = Query::parse("foo:bar year:soon OR - -- \"unclosed phrase");
        let texts: Vec<Vec<&str>> = q
            .groups
            .iter()
            .map(|g| g.alternatives.iter().map(|a| a.text.as_str()).collect())
            .collect();
        assert_eq!(texts, [["foo bar", "unclosed phrase"]]);
        assert!(q.groups[0].alternatives[1].phrase);
        assert!(q.filters.is_empty());
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("OR OR \"\" - : ::").is_empty());
    }

    #[test]
    fn technical_tokens_stay_one_atom() {
        let q = Query::parse("GPT-4 Llama-3.1-8B ");
        let texts: Vec<&str> = q
            .groups
            .iter()
            .map(|g| g.alternatives[0].text.as_str())
            .collect();
        assert_eq!(texts, ["GPT-4", "Llama-3.1-8B"]);
    }

    #[test]
    fn a_quote_inside_a_word_is_literal_and_the_filter_after_it_applies() {
        let q = Query::parse("foo\"bar year:2024");
        assert_eq!(
            q.filters[0].kind,
            FilterKind::Year {
                from: 2024,
                to: 2024
            }
        );
        let names: Vec<_> = spans("foo\"bar year:2024")
            .into_iter()
            .map(|s| (s.name, s.value))
            .collect();
        assert_eq!(
            names,
            [
                (None, "foo\"bar".to_string()),
                (Some("year".into()), "2024".into())
            ]
        );
    }

    #[test]
    fn values_with_spaces_quotes_and_backslashes_round_trip() {
        for value in [
            "my list",
            "say \"hi\"",
            "back\\slash",
            "-x",
            "",
            "plain",
            "a\\\"b",
        ] {
            let written = write_piece("listing", value, false);
            let read = spans(&written);
            assert_eq!(read.len(), 1, "{written}");
            assert_eq!(read[0].value, value, "{written}");
            assert_eq!(read[0].name.as_deref(), Some("listing"));
            assert_eq!((read[0].start, read[0].end), (0, written.len()));
        }
        assert_eq!(
            write_piece("listing", "my list", false),
            "listing:\"my list\""
        );
        assert_eq!(
            Query::parse(&write_piece("listing", "My List", false)).filters[0].kind,
            FilterKind::Listing("my list".into())
        );
    }

    #[test]
    fn spans_cover_the_query_with_their_byte_ranges() {
        let query = "  -title:\"a b\"\tΩ  year:>=2023 -x \"open";
        let got: Vec<&str> = spans(query)
            .iter()
            .map(|s| &query[s.start..s.end])
            .collect();
        assert_eq!(got, ["-title:\"a b\"", "Ω", "year:>=2023", "-x", "\"open"]);
        assert!(spans(query).last().unwrap().at_end);
    }

    #[test]
    fn long_queries_are_cut_and_say_so() {
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        let q = Query::parse(&many);
        assert_eq!(q.groups.len(), MAX_QUERY_WORDS);
        assert!(q.limits.words);
        assert!(q.notice().unwrap().contains("first 32 words"));
        // A phrase straddling the cap keeps its first words.
        let phrase = format!("{} \"x y z\"", "w ".repeat(MAX_QUERY_WORDS - 2));
        let q = Query::parse(&phrase);
        assert_eq!(q.groups.last().unwrap().alternatives[0].text, "x y");
        // Characters: a 10,000-character word is read up to the cap.
        let q = Query::parse(&format!("é{}year:2024 agents", " ".repeat(10_000)));
        assert!(q.limits.chars && !q.limits.words);
        assert_eq!(q.groups.len(), 1);
        assert!(q.filters.is_empty());
        assert!(q.notice().unwrap().contains("1,000 characters"));
        assert_eq!(Query::parse("short").notice(), None);
    }

    #[test]
    fn splitting_is_linear_in_the_query() {
        // Regression (issue 13): each piece searched the rest of the query for a colon, so
        // 100,000 pieces and a colon at the end cost 10^10 steps. This pins the linear
        // scan: quadratic, it would not finish.
        let mut query = "a ".repeat(100_000);
        query.push_str("year:2024");
        assert_eq!(spans(&query).len(), 100_001);
        let quotes = "\"a\" ".repeat(50_000);
        assert_eq!(spans(&quotes).len(), 50_000);
    }
}
