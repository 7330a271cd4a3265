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

use crate::model::Field;

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

/// One whitespace-delimited piece of the query, before interpretation.
#[derive(Debug)]
struct Piece<'a> {
    negated: bool,
    /// `name` of `name:value`, when the piece has one.
    scope: Option<&'a str>,
    value: &'a str,
    quoted: bool,
    /// The piece reaches the end of the query with no space after it.
    at_end: bool,
}

/// Splits a query into pieces: words, `"quoted phrases"` (an unclosed quote runs to the
/// end), each optionally preceded by `-` and `name:`.
fn pieces(input: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return out;
        }
        let mut negated = false;
        if let Some(after) = rest.strip_prefix('-') {
            if after.starts_with(|c: char| !c.is_whitespace() && c != '-') {
                negated = true;
                rest = after;
            }
        }
        // `name:` only when name is letters and something follows the colon.
        let mut scope = None;
        if let Some(colon) = rest.find(':') {
            let name = &rest[..colon];
            let after = &rest[colon + 1..];
            if !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphabetic())
                && after.starts_with(|c: char| !c.is_whitespace())
            {
                scope = Some(name);
                rest = after;
            }
        }
        if let Some(after) = rest.strip_prefix('"') {
            let (value, next, closed) = match after.find('"') {
                Some(end) => (&after[..end], &after[end + 1..], true),
                None => (after, "", false),
            };
            out.push(Piece {
                negated,
                scope,
                value,
                quoted: true,
                at_end: !closed && !value.ends_with(char::is_whitespace),
            });
            rest = next;
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(Piece {
                negated,
                scope,
                value: &rest[..end],
                quoted: false,
                at_end: end == rest.len(),
            });
            rest = &rest[end..];
        }
    }
}

impl Query {
    /// Parses a query. Never fails.
    pub fn parse(input: &str) -> Query {
        let mut query = Query::default();
        let mut join_next = false;
        let pieces = pieces(input);
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            if piece.value == "OR" && !piece.quoted && piece.scope.is_none() && !piece.negated {
                // `OR` joins the previous group with the next atom; dangling, it is ignored.
                join_next = !query.groups.is_empty() && i + 1 < count;
                continue;
            }
            if let Some(filter) = filter(&piece) {
                match filter {
                    Ok(FilterOrSort::Filter(kind)) => query.filters.push(Filter {
                        kind,
                        negated: piece.negated,
                    }),
                    Ok(FilterOrSort::Sort(sort)) => {
                        query.sort = sort;
                        query.sorted = true;
                    }
                    Err(()) => {}
                }
                join_next = false;
                continue;
            }
            let field = match piece.scope.map(str::to_ascii_lowercase).as_deref() {
                Some("title") => Some(Field::Title),
                Some("abstract") => Some(Field::Abstract),
                _ => None,
            };
            // An unknown `name:` is text: search "name value" as typed.
            let text = match (field, piece.scope) {
                (None, Some(name)) => format!("{name} {}", piece.value),
                _ => piece.value.to_string(),
            };
            if !text.chars().any(char::is_alphanumeric) {
                continue;
            }
            let atom = Atom {
                prefix: piece.at_end && !piece.quoted && !piece.negated,
                text,
                phrase: piece.quoted,
                field,
            };
            if piece.negated {
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
}

enum FilterOrSort {
    Filter(FilterKind),
    Sort(Sort),
}

/// Interprets a `name:value` piece as a filter or sort. `None`: not a filter name (search
/// it as text); `Some(Err)`: a filter name with a value that means nothing (dropped).
fn filter(piece: &Piece) -> Option<Result<FilterOrSort, ()>> {
    let name = piece.scope?.to_ascii_lowercase();
    let value = piece.value.trim();
    let lower = crate::analyze::lowercase(value);
    let result = match name.as_str() {
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
}
