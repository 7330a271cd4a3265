//! Editing the query text from the page's controls, so clicking a facet, a sort order or a
//! topic writes the same words a person could type, and the query box always shows the
//! whole search. Quoted phrases are left alone.

/// The query's pieces outside quotes, as byte ranges: whitespace-separated, a quoted
/// phrase (with any `-` or `name:` before it) being one piece.
fn pieces(query: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, ch) in query.char_indices() {
        if ch == '"' {
            quoted = !quoted;
        }
        if ch.is_whitespace() && !quoted {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, query.len()));
    }
    out
}

/// The `name` of a `name:value` piece, lowercased, when it has one.
fn name_of(piece: &str) -> Option<String> {
    let (name, value) = piece.trim_start_matches('-').split_once(':')?;
    (!name.is_empty() && !value.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| name.to_ascii_lowercase())
}

/// Does the query hold this exact piece (`year:2025`, `has:code`), case aside?
pub fn holds(query: &str, piece: &str) -> bool {
    pieces(query)
        .into_iter()
        .any(|(s, e)| query[s..e].eq_ignore_ascii_case(piece))
}

/// The value of the query's `name:` piece (not negated), if it has one: `sort` → `date`.
pub fn value_of(query: &str, name: &str) -> Option<String> {
    pieces(query).into_iter().find_map(|(s, e)| {
        let piece = &query[s..e];
        (!piece.starts_with('-') && name_of(piece).as_deref() == Some(name))
            .then(|| piece.split_once(':').map(|(_, v)| v.to_string()))
            .flatten()
    })
}

/// Joins the kept pieces back with single spaces, ending in a space when there are words,
/// so the last word reads as finished (not a prefix still being typed).
fn join(query: &str, kept: &[(usize, usize)], extra: Option<&str>) -> String {
    let mut words: Vec<&str> = kept.iter().map(|&(s, e)| &query[s..e]).collect();
    words.extend(extra);
    if words.is_empty() {
        String::new()
    } else {
        format!("{} ", words.join(" "))
    }
}

/// Adds `piece` (`name:value`) if the query lacks it, replacing another value of the same
/// name (one year, one sort); removes it if present. What a facet button does.
pub fn toggle(query: &str, piece: &str) -> String {
    let all = pieces(query);
    if holds(query, piece) {
        let kept: Vec<_> = all
            .into_iter()
            .filter(|&(s, e)| !query[s..e].eq_ignore_ascii_case(piece))
            .collect();
        return join(query, &kept, None);
    }
    set(query, piece)
}

/// Sets `piece` (`name:value`), replacing any other value of the same name (negated ones
/// too); without a name, appends it.
pub fn set(query: &str, piece: &str) -> String {
    let name = name_of(piece);
    let kept: Vec<_> = pieces(query)
        .into_iter()
        .filter(|&(s, e)| name.is_none() || name_of(&query[s..e]) != name)
        .collect();
    join(query, &kept, Some(piece))
}

/// Removes every `name:` piece (negated ones too).
pub fn clear(query: &str, name: &str) -> String {
    let kept: Vec<_> = pieces(query)
        .into_iter()
        .filter(|&(s, e)| name_of(&query[s..e]).as_deref() != Some(name))
        .collect();
    join(query, &kept, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_adds_replaces_and_removes() {
        assert_eq!(toggle("agents", "year:2025"), "agents year:2025 ");
        assert_eq!(
            toggle("agents year:2024 ", "year:2025"),
            "agents year:2025 "
        );
        assert_eq!(toggle("agents year:2025 ", "year:2025"), "agents ");
        assert_eq!(toggle("agents YEAR:2025", "year:2025"), "agents ");
        assert_eq!(toggle("", "has:code"), "has:code ");
        assert_eq!(toggle("has:code", "has:code"), "");
        // Other names stay; so do quoted phrases, even when they hold a colon.
        assert_eq!(
            toggle("\"year:2025 in review\" has:code", "year:2024"),
            "\"year:2025 in review\" has:code year:2024 "
        );
        assert!(!holds("\"year:2025 in review\"", "year:2025"));
    }

    #[test]
    fn set_replaces_negated_and_clear_removes_every_value() {
        assert_eq!(set("-year:2024 agents", "year:2025"), "agents year:2025 ");
        assert_eq!(
            set("agents sort:date", "sort:upvotes"),
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
}
