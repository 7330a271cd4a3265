//! Editing the query text from the page's controls, so clicking a facet, a sort order or a
//! topic writes the same words a person could type, and the query box always shows the
//! whole search.
//!
//! The query is read only through the engine's own splitting ([`spans`], what
//! [`Query::parse`] reads) and pieces are written only by [`write_piece`]. A second
//! tokenizer here once disagreed with the engine about quotes (in `foo"bar year:2024` the
//! search applied the year and the panel said it did not), and a listing called "my list"
//! was written unquoted, as the filter `listing:my` and a stray word. Pieces that are not
//! edited are copied byte for byte.

use folio_engine::analyze::lowercase;
use folio_engine::query::{spans, write_piece, Span};
use folio_engine::Query;

/// Is `span` the (not negated) piece `name:value`? Values compare as the engine's filters
/// read them: trimmed, case aside.
fn is_piece(span: &Span, name: &str, value: &str) -> bool {
    !span.negated
        && span.name.as_deref() == Some(name)
        && lowercase(span.value.trim()) == lowercase(value.trim())
}

/// Does the search apply `name:value`? Asked of the engine rather than of the text: a
/// piece past the query's length caps is in the text but not searched.
fn applied(query: &str, name: &str, value: &str) -> bool {
    let wanted = Query::parse(&write_piece(name, value, false));
    let parsed = Query::parse(query);
    match wanted.filters.first() {
        Some(filter) => parsed.filters.contains(filter),
        None => wanted.sorted && parsed.sorted && parsed.sort == wanted.sort,
    }
}

/// Does the query hold the piece `name:value` (`name` lowercase, the value case aside), and
/// does the search apply it? What a facet button shows as pressed.
pub fn holds(query: &str, name: &str, value: &str) -> bool {
    spans(query).iter().any(|s| is_piece(s, name, value)) && applied(query, name, value)
}

/// The value of the query's last `name:` piece that is not negated (the last `sort:` is
/// the one the engine uses), if there is one: `sort` → `date`.
pub fn value_of(query: &str, name: &str) -> Option<String> {
    spans(query)
        .into_iter()
        .rev()
        .find(|s| !s.negated && s.name.as_deref() == Some(name))
        .map(|s| s.value)
}

/// Would text written after `piece` (and a space) be read as part of it? Only an unclosed
/// quote does that; asked of the parser, which knows its escapes.
fn swallows(piece: &str) -> bool {
    spans(&format!("{piece} x")).len() == 1
}

/// The query without the pieces `drop` picks, plus `extra`: the kept pieces byte for byte,
/// one space between pieces and one after the last, so the last word reads as finished (not
/// a prefix still being typed). `extra` goes at the end, unless it would not be read there
/// (after an unclosed quote, which would swallow it, or past the engine's length caps):
/// then first.
fn rebuild(query: &str, drop: impl Fn(&Span) -> bool, extra: Option<&str>) -> String {
    let mut pieces: Vec<&str> = spans(query)
        .iter()
        .filter(|s| !drop(s))
        .map(|s| &query[s.start..s.end])
        .collect();
    let open_end = pieces.last().is_some_and(|last| swallows(last));
    if let Some(extra) = extra {
        pieces.push(extra);
        let limits = Query::parse(&pieces.join(" ")).limits;
        if open_end || limits.chars || limits.words {
            pieces.pop();
            pieces.insert(0, extra);
        }
    }
    let mut out = pieces.join(" ");
    // A space after an unclosed quote would become part of its phrase.
    if !out.is_empty() && !open_end {
        out.push(' ');
    }
    out
}

/// Adds `name:value` if the query lacks it, replacing another value of the same name (one
/// year, one sort); removes it if present. What a facet button does.
pub fn toggle(query: &str, name: &str, value: &str) -> String {
    if holds(query, name, value) {
        rebuild(query, |s| is_piece(s, name, value), None)
    } else {
        set(query, name, value)
    }
}

/// Sets `name:value`, replacing every other `name:` piece (negated ones too).
pub fn set(query: &str, name: &str, value: &str) -> String {
    let piece = write_piece(name, value, false);
    rebuild(query, |s| s.name.as_deref() == Some(name), Some(&piece))
}

/// Removes every `name:` piece (negated ones too).
pub fn clear(query: &str, name: &str) -> String {
    rebuild(query, |s| s.name.as_deref() == Some(name), None)
}

/// Removes every piece the engine reads as a filter (under any of its names, negated
/// too), keeping words, phrases and the sort.
pub fn clear_filters(query: &str) -> String {
    rebuild(
        query,
        |s| !Query::parse(&query[s.start..s.end]).filters.is_empty(),
        None,
    )
}

/// `text` as a quoted phrase that [`spans`] reads back as exactly `text`, escaped by the
/// engine's one writer.
pub fn phrase(text: &str) -> String {
    let written = write_piece("p", text, false);
    let value = &written["p:".len()..];
    if value.starts_with('"') {
        value.to_string()
    } else {
        format!("\"{value}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_engine::query::FilterKind;

    /// The filters the engine applies to `query`.
    fn filters(query: &str) -> Vec<(FilterKind, bool)> {
        Query::parse(query)
            .filters
            .into_iter()
            .map(|f| (f.kind, f.negated))
            .collect()
    }

    #[test]
    fn toggling_adds_replaces_and_removes() {
        assert_eq!(toggle("agents", "year", "2025"), "agents year:2025 ");
        assert_eq!(
            toggle("agents year:2024 ", "year", "2025"),
            "agents year:2025 "
        );
        assert_eq!(toggle("agents year:2025 ", "year", "2025"), "agents ");
        assert_eq!(toggle("agents YEAR:2025", "year", "2025"), "agents ");
        assert_eq!(toggle("", "has", "code"), "has:code ");
        assert_eq!(toggle("has:code", "has", "CODE"), "");
        // Other names stay; so do quoted phrases, even when they hold a colon.
        assert_eq!(
            toggle("\"year:2025 in review\" has:code", "year", "2024"),
            "\"year:2025 in review\" has:code year:2024 "
        );
        assert!(!holds("\"year:2025 in review\"", "year", "2025"));
    }

    #[test]
    fn set_replaces_negated_and_clear_removes_every_value() {
        assert_eq!(
            set("-year:2024 agents", "year", "2025"),
            "agents year:2025 "
        );
        assert_eq!(
            set("agents sort:date", "sort", "upvotes"),
            "agents sort:upvotes "
        );
        assert_eq!(clear("agents sort:date  world", "sort"), "agents world ");
        assert_eq!(clear("sort:date", "sort"), "");
        assert_eq!(
            value_of("agents sort:date", "sort").as_deref(),
            Some("date")
        );
        assert_eq!(value_of("agents -sort:date", "sort"), None);
        assert_eq!(value_of("agents", "sort"), None);
    }

    #[test]
    fn a_quote_inside_a_word_does_not_hide_the_filter_after_it() {
        // Regression (issue 13): the old tokenizer opened a quote at any `"`, so the year
        // filter the engine applies read as part of a phrase and showed as not chosen.
        let query = "foo\"bar year:2024";
        assert_eq!(
            filters(query),
            [(
                FilterKind::Year {
                    from: 2024,
                    to: 2024
                },
                false
            )]
        );
        assert!(holds(query, "year", "2024"));
        assert_eq!(value_of(query, "year").as_deref(), Some("2024"));
        // Toggling removes exactly that piece, and the word keeps its quote.
        assert_eq!(toggle(query, "year", "2024"), "foo\"bar ");
        assert_eq!(toggle(query, "year", "2025"), "foo\"bar year:2025 ");
        assert_eq!(clear(query, "year"), "foo\"bar ");
    }

    #[test]
    fn a_listing_with_a_space_is_one_filter_on_and_off_with_one_click_each() {
        // Regression (issue 13): `listing:my list` was the filter `listing:my` plus the word
        // "list", never seen as chosen, so each click added another.
        let on = toggle("agents", "listing", "my list");
        assert_eq!(
            filters(&on),
            [(FilterKind::Listing("my list".into()), false)]
        );
        let words: Vec<_> = Query::parse(&on)
            .groups
            .iter()
            .map(|g| g.alternatives[0].text.clone())
            .collect();
        assert_eq!(words, ["agents"]);
        assert!(holds(&on, "listing", "my list"));
        assert!(holds(&on, "listing", "My List"), "case aside");
        assert!(!holds(&on, "listing", "my"));
        assert_eq!(toggle(&on, "listing", "my list"), "agents ");
        // Another listing replaces it, still one filter.
        let other = toggle(&on, "listing", "your list");
        assert_eq!(
            filters(&other),
            [(FilterKind::Listing("your list".into()), false)]
        );
    }

    #[test]
    fn values_with_quotes_and_backslashes_round_trip() {
        for value in [
            "say \"hi\"",
            "back\\slash",
            "a\\\"b",
            "ends with \\",
            "\"",
            "-dash first",
            "tab\there",
            "ünïcödé list",
        ] {
            let on = toggle("agents -\"x y\"", "listing", value);
            assert!(holds(&on, "listing", value), "{value:?} in {on:?}");
            assert_eq!(value_of(&on, "listing").as_deref(), Some(value), "{on:?}");
            let kinds = filters(&on);
            assert_eq!(
                kinds,
                [(FilterKind::Listing(lowercase(value.trim())), false)],
                "{on:?}"
            );
            assert_eq!(toggle(&on, "listing", value), "agents -\"x y\" ", "{on:?}");
        }
    }

    #[test]
    fn other_pieces_and_phrases_are_kept_byte_for_byte() {
        let query = "-title:\"a \\\"b\\\" c\" foo\"bar  \"x\"y  author:\"Gu, A.\" -has:code Ω";
        let kept = toggle(query, "year", "2024");
        assert_eq!(
            kept,
            "-title:\"a \\\"b\\\" c\" foo\"bar \"x\" y author:\"Gu, A.\" -has:code Ω year:2024 "
        );
        assert_eq!(
            toggle(&kept, "year", "2024"),
            kept.replace("year:2024 ", "")
        );
        assert_eq!(clear(&kept, "year"), toggle(&kept, "year", "2024"));
    }

    #[test]
    fn a_piece_added_after_an_unclosed_quote_is_not_swallowed_by_it() {
        for query in ["\"minecraft agents", "\"minecraft agents ", "\"ends in \\"] {
            let on = toggle(query, "year", "2024");
            assert_eq!(on, format!("year:2024 {query}"));
            assert!(holds(&on, "year", "2024"), "{on:?}");
            let phrase = &Query::parse(&on).groups[0].alternatives[0];
            assert_eq!(phrase.text, spans(query)[0].value, "{on:?}");
            assert_eq!(toggle(&on, "year", "2024"), query);
        }
    }

    #[test]
    fn a_piece_past_the_length_caps_is_not_held_and_a_new_one_goes_where_it_is_read() {
        let long = format!("{}year:2024", "agents ".repeat(200));
        assert!(!holds(&long, "year", "2024"), "past 1,000 characters");
        let on = toggle(&long, "year", "2024");
        assert!(on.starts_with("year:2024 "), "{}", &on[..20]);
        assert!(holds(&on, "year", "2024"));
        assert_eq!(on.matches("year:").count(), 1);
        let many = format!("{}has:code", "w ".repeat(40));
        assert!(!holds(&many, "has", "code"), "past 32 words");
        assert!(holds(&toggle(&many, "has", "code"), "has", "code"));
    }

    #[test]
    fn clearing_filters_keeps_words_phrases_and_sort() {
        assert_eq!(
            clear_filters("agents in:003 -has:code \"a b\" votes:>=3 sort:date year:soon"),
            "agents \"a b\" sort:date year:soon "
        );
    }

    #[test]
    fn phrases_read_back_as_written() {
        for text in ["theory of mind", "plain", "say \"hi\" \\o/", "-x", ""] {
            let written = phrase(text);
            let read = spans(&written);
            assert_eq!(read.len(), 1, "{written}");
            assert!(read[0].quoted && read[0].name.is_none(), "{written}");
            assert_eq!(read[0].value, text, "{written}");
        }
        assert_eq!(phrase("theory of mind"), "\"theory of mind\"");
        assert_eq!(phrase("plain"), "\"plain\"");
    }
}
