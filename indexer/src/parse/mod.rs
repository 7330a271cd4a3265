//! Input formats. Each parser turns one input file into [`Record`]s; [`crate::merge`] then
//! folds records of the same paper together.

pub mod atom;
pub mod bibtex;
pub mod date;
pub mod fields;
pub mod json;
pub mod latex;
pub mod listing;
mod record;
pub mod shapes;

use std::fmt;

/// One paper as read from one input, before merging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// 1-based line where the entry starts, for messages.
    pub line: usize,
    /// An id given by the source (the arXiv id), if any.
    pub id: Option<String>,
    pub title: String,
    pub abstract_text: String,
    /// Listings the record belongs to: the input's name, or what a Folio JSON record says.
    pub listings: Vec<String>,
    pub authors: Vec<String>,
    pub author_count: Option<u32>,
    pub organization: Option<String>,
    /// ISO date, `YYYY-MM-DD`.
    pub published: Option<String>,
    pub upvotes: Option<u32>,
    pub categories: Vec<String>,
    /// The format it was read from, for people ("BibTeX", "CSL-JSON", …).
    pub format: &'static str,
    /// Links the source gives beside the abstract (a DOI, a URL, a code repository);
    /// only `http(s)` ones are kept, as for links in the abstract.
    pub links: Vec<String>,
}

/// An entry a parser could not use, or a value it dropped from an entry it kept (an
/// invalid date), with the line the entry starts on and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub line: usize,
    pub reason: String,
    /// Only a value was dropped; the paper itself was kept.
    pub paper_kept: bool,
}

impl Skipped {
    pub fn entry(line: usize, reason: impl Into<String>) -> Self {
        Skipped {
            line,
            reason: reason.into(),
            paper_kept: false,
        }
    }

    pub fn value(line: usize, reason: impl Into<String>) -> Self {
        Skipped {
            line,
            reason: reason.into(),
            paper_kept: true,
        }
    }
}

/// At most `max` characters of `s`, for quoting untrusted text in a message.
pub fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A problem with a whole input (no file name: the caller adds it).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line,
            message: message.into(),
        }
    }

    /// A file in which no entry could be used: "no usable {what} (line N: the first
    /// reason)", at the first skipped entry's line, or `empty` when nothing was skipped.
    pub fn none_usable(what: &str, skipped: &[Skipped], empty: &str) -> Self {
        let why = skipped.first().map_or(empty.to_string(), |s| {
            format!("line {}: {}", s.line, s.reason)
        });
        ParseError::new(
            skipped.first().map_or(1, |s| s.line),
            format!("no usable {what} ({why})"),
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Decodes an input file's bytes as text, refusing what is not a text collection.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::new(1, "the file is empty"));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(ParseError::new(
            line_of(bytes, pos),
            "the file holds NUL bytes: it looks binary, not a text collection",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        ParseError::new(
            line_of(bytes, e.valid_up_to()),
            format!(
                "invalid UTF-8 at byte {}: collections must be UTF-8 text",
                e.valid_up_to()
            ),
        )
    })
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

/// What an input holds, told from its content (never from its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A captured Hugging Face Daily Papers listing page.
    Listing,
    /// One JSON object per line: the arXiv metadata snapshot, or Folio records.
    JsonLines,
    /// One JSON document: an array of Folio records, or `{"papers": [...]}`.
    FolioJson,
    /// BibTeX or BibLaTeX.
    Bibtex,
    /// The arXiv API's Atom feed.
    Atom,
}

/// Tells the layout of an input from its first lines.
pub fn sniff(text: &str) -> Option<Layout> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return Some(Layout::FolioJson);
    }
    if trimmed.starts_with('{') {
        return Some(json_object_layout(trimmed));
    }
    if bibtex::sniff(text) {
        return Some(Layout::Bibtex);
    }
    if atom::sniff(text) {
        return Some(Layout::Atom);
    }
    listing::sniff(text).then_some(Layout::Listing)
}

/// Lines looked at to tell JSON Lines from a Folio JSON document.
const SNIFF_LINES: usize = 20;

/// JSON Lines or `{"papers": [...]}`, for text that starts with `{`. Told by the first of
/// the first lines that is a whole object (records inside a document are indented; JSON
/// Lines start at the margin), not by the first line alone: a JSON Lines file whose first
/// entry is cut is still JSON Lines, with that entry skipped.
fn json_object_layout(text: &str) -> Layout {
    let after_brace = text.strip_prefix('{').unwrap_or(text).trim_start();
    if after_brace.starts_with("\"papers\"") {
        return Layout::FolioJson;
    }
    let first_object = text
        .lines()
        .take(SNIFF_LINES)
        .filter(|line| line.starts_with('{'))
        .find_map(|line| match serde_json::from_str(line) {
            Ok(serde_json::Value::Object(object)) => Some(object),
            _ => None,
        });
    match first_object {
        Some(object) if !object.contains_key("papers") => Layout::JsonLines,
        // A one-line document, or one spread over lines: its parser says what is wrong.
        _ => Layout::FolioJson,
    }
}

/// Parses an input, choosing the parser by content. `name` is the listing name records get.
pub fn parse(text: &str, name: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    match sniff(text) {
        Some(Layout::Listing) => listing::parse(text, name),
        Some(Layout::JsonLines) => json::parse_lines(text, name),
        Some(Layout::FolioJson) => json::parse_document(text, name),
        Some(Layout::Bibtex) => bibtex::parse(text, name),
        Some(Layout::Atom) => atom::parse(text, name),
        None => Err(ParseError::new(
            1,
            "unknown layout: expected a Hugging Face Daily Papers listing capture (starting with \
             \"Get trending papers\" or \"Subscribe\"), JSON Lines (arXiv metadata or Folio \
             records, one object per line), a Folio, CSL-JSON or Daily Papers API JSON document, BibTeX (entries starting with @) \
             or the arXiv API's Atom feed",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_binary_and_non_utf8_input_with_a_line() {
        assert_eq!(decode(b"  \n").unwrap_err().message, "the file is empty");
        assert_eq!(decode(b"ok\nbad\0").unwrap_err().line, 2);
        let err = decode(b"one\ntwo\n\xff").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("UTF-8"));
    }

    /// Regression (issue 13, item 3): the layout was told by the first line alone, so JSON
    /// Lines whose first entry was cut or invalid were read as one Folio JSON document and
    /// the whole file refused; a first record holding the string "papers" anywhere was
    /// taken for `{"papers": [...]}` the same way. A bad first entry is skipped like any
    /// other.
    #[test]
    fn a_bad_first_json_line_is_skipped_like_any_other() {
        let good = r#"{"title": "Good", "abstract": "About it."}"#;
        let text = format!("{{\"title\": \"Cut\n{good}\n{good}\n");
        let (records, skipped) = parse(&text, "x").unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 1);
        let listed = r#"{"title": "T", "abstract": "A.", "listings": ["papers"]}"#;
        assert_eq!(
            sniff(&format!("{listed}\n{listed}\n")),
            Some(Layout::JsonLines)
        );
    }

    #[test]
    fn folio_documents_are_told_from_json_lines() {
        let record = r#"{"title": "T", "abstract": "A."}"#;
        for document in [
            format!("{{\"papers\": [{record}]}}"),
            format!("{{\n  \"papers\": [\n    {record}\n  ]\n}}"),
            format!("{{\"version\": 1, \"papers\": [{record}]}}"),
            format!("{{\n  \"version\": 1,\n  \"papers\": [\n    {record}\n  ]\n}}"),
            format!("[\n{record}\n]"),
        ] {
            assert_eq!(sniff(&document), Some(Layout::FolioJson), "{document}");
            assert_eq!(parse(&document, "x").unwrap().0.len(), 1, "{document}");
        }
        assert_eq!(
            sniff(&format!("{record}\n{record}")),
            Some(Layout::JsonLines)
        );
    }

    #[test]
    fn unknown_layout_is_an_error() {
        let err = parse("just some words\n", "x").unwrap_err();
        assert!(err.message.contains("unknown layout"));
    }
}
