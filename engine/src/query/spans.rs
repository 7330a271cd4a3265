//! Splitting the query text into pieces with their byte ranges, and writing a piece back:
//! the one tokenizer of the query language, used by [`super::Query::parse`] and by the
//! app when a control edits the query.

/// One piece of the query text as the parser splits it: a word or a `"quoted phrase"`,
/// each optionally preceded by `-` and `name:`. The app edits the query through these, so
/// what a facet button sees is what the search applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the whole piece (`-`, `name:` and quotes included) in the query.
    pub start: usize,
    pub end: usize,
    pub negated: bool,
    /// The `name` of `name:value`, lowercased, when the piece has one.
    pub name: Option<String>,
    /// The value: the word, or the phrase without its quotes and with `\"` and `\\`
    /// unescaped.
    pub value: String,
    pub quoted: bool,
    /// The piece reaches the end of the query with no space after it.
    pub at_end: bool,
}

/// Splits a query into [`Span`]s: whitespace-separated words and `"quoted phrases"` (an
/// unclosed quote runs to the end; inside quotes `\"` is a quote and `\\` a backslash),
/// each optionally preceded by `-` and `name:` (letters, then a colon, then no space).
/// Linear in the query's length.
pub fn spans(input: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    let bytes = input.as_bytes();
    loop {
        // Skip whitespace (any Unicode whitespace, char by char).
        match input[at..].char_indices().find(|(_, c)| !c.is_whitespace()) {
            Some((skip, _)) => at += skip,
            None => return out,
        }
        let start = at;
        let mut negated = false;
        if bytes[at] == b'-' {
            let next = input[at + 1..].chars().next();
            if next.is_some_and(|c| !c.is_whitespace() && c != '-') {
                negated = true;
                at += 1;
            }
        }
        // `name:` only when name is ASCII letters and something other than a space follows
        // the colon. Only the letters right here are looked at, never the rest of the query.
        let mut name = None;
        let letters = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if letters > 0 && bytes.get(at + letters) == Some(&b':') {
            let after = at + letters + 1;
            if input[after..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace())
            {
                name = Some(input[at..at + letters].to_ascii_lowercase());
                at = after;
            }
        }
        if bytes.get(at) == Some(&b'"') {
            let mut value = String::new();
            let mut closed = false;
            let mut chars = input[at + 1..].char_indices();
            let mut end = input.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        end = at + 1 + i + 1;
                        break;
                    }
                    '\\' => match input[at + 1 + i + 1..].chars().next() {
                        Some(next @ ('"' | '\\')) => {
                            value.push(next);
                            chars.next();
                        }
                        _ => value.push('\\'),
                    },
                    _ => value.push(c),
                }
            }
            let at_end = !closed && !value.ends_with(char::is_whitespace);
            out.push(Span {
                start,
                end,
                negated,
                name,
                value,
                quoted: true,
                at_end,
            });
            at = end;
        } else {
            let end = input[at..]
                .find(char::is_whitespace)
                .map_or(input.len(), |e| at + e);
            out.push(Span {
                start,
                end,
                negated,
                name,
                value: input[at..end].to_string(),
                quoted: false,
                at_end: end == input.len(),
            });
            at = end;
        }
    }
}

/// Writes `name:value` (or `-name:value`) so that [`spans`] reads back exactly `value`:
/// quoted, with quotes and backslashes escaped, when the value holds whitespace, a quote or
/// a backslash, starts with `-` or is empty.
pub fn write_piece(name: &str, value: &str, negated: bool) -> String {
    let sign = if negated { "-" } else { "" };
    let plain = !value.is_empty()
        && !value.starts_with('-')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\\');
    if plain {
        return format!("{sign}{name}:{value}");
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    format!("{sign}{name}:\"{quoted}\"")
}
