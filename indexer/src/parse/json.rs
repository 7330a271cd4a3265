//! JSON inputs: JSON Lines (the arXiv metadata snapshot, or Folio records one per line) and
//! the Folio JSON document (an array of records, or `{"papers": [...]}`).
//!
//! This file finds the records; each is read by `record.rs` (Folio's and arXiv's shapes)
//! or `shapes.rs` (CSL-JSON and the Hugging Face Daily Papers API), told apart field by
//! field:
//!
//! - arXiv: `id`, `title`, `abstract`, `authors` (one string, "A, B and C"), optionally
//!   `authors_parsed` (`[["Last", "First", ""], ...]`), `categories` (space separated),
//!   `versions` (`[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]`),
//!   `update_date` (`2008-11-13`);
//! - Folio (see README, "Publish your own collection"): `title`, `abstract`, and optionally
//!   `id`, `authors` (array), `author_count`, `organization`, `published` (`2025-05-24`,
//!   `2025-05`, `2025`, `May 2025`), `upvotes`, `categories` (array), `listings` (array),
//!   `url`, `doi`.

use std::collections::HashSet;

use serde_json::value::RawValue;
use serde_json::Value;

pub use super::record::record_from_json;
use super::{ParseError, Record, Skipped};

/// Parses JSON Lines. A line that is not a usable record is skipped with its reason; an
/// input with no usable record is an error.
pub fn parse_lines(text: &str, name: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    let mut said = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                skipped.push(Skipped::entry(line_no, json_error_reason(&e)));
                continue;
            }
        };
        match record_from_json(&value, line_no, name) {
            Ok((record, dropped)) => {
                records.push(record);
                skipped.extend(said_once(dropped, &mut said).map(|d| Skipped::value(line_no, d)));
            }
            Err(reason) => skipped.push(Skipped::entry(line_no, reason)),
        }
    }
    if records.is_empty() {
        let why = skipped.first().map_or("no records".to_string(), |s| {
            format!("line {}: {}", s.line, s.reason)
        });
        return Err(ParseError::new(
            skipped.first().map_or(1, |s| s.line),
            format!("no usable JSON Lines record (first problem: {why})"),
        ));
    }
    Ok((records, skipped))
}

/// Parses a Folio JSON document. Invalid JSON is fatal (nothing in the file can be trusted);
/// a record without title or abstract is skipped with its reason.
pub fn parse_document(text: &str, name: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    #[derive(serde::Deserialize)]
    struct Wrapper<'a> {
        #[serde(borrow)]
        papers: Vec<&'a RawValue>,
    }
    // Untagged enums cannot hold borrowed raw values, so the shape is told by its first
    // character.
    let shape_error = || {
        ParseError::new(
            1,
            "a Folio JSON document must be an array of paper records or an object with a \
             \"papers\" array",
        )
    };
    // serde_json reports an error just past a line break (a raw newline in a string, an
    // early end of file) on the line after it, which the file may not have: the last line
    // is where it is.
    let lines = text.lines().count().max(1);
    let to_error = |e: serde_json::Error| {
        if e.is_data() {
            shape_error()
        } else {
            ParseError::new(e.line().clamp(1, lines), json_error_reason(&e))
        }
    };
    let raw: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(to_error)?
    } else {
        serde_json::from_str::<Wrapper>(text)
            .map_err(to_error)?
            .papers
    };
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    // Records come in text order, so each line is counted on from the previous record's:
    // counting from the start of the file every time would cost records × size.
    let (mut counted_to, mut line_no) = (0, 1);
    let mut said = HashSet::new();
    for item in raw {
        // RawValue borrows from `text`, so its address gives the record's offset.
        let offset = (item.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        if let Some(between) = text.as_bytes().get(counted_to..offset) {
            line_no += between.iter().filter(|&&b| b == b'\n').count();
            counted_to = offset;
        }
        let result = serde_json::from_str::<Value>(item.get())
            .map_err(|e| json_error_reason(&e))
            .and_then(|value| record_from_json(&value, line_no, name));
        match result {
            Ok((record, dropped)) => {
                records.push(record);
                skipped.extend(said_once(dropped, &mut said).map(|d| Skipped::value(line_no, d)));
            }
            Err(reason) => skipped.push(Skipped::entry(line_no, reason)),
        }
    }
    if records.is_empty() {
        return Err(ParseError::new(
            1,
            "the document holds no usable paper record",
        ));
    }
    Ok((records, skipped))
}

fn json_error_reason(e: &serde_json::Error) -> String {
    if e.is_eof() {
        format!(
            "the JSON ends early at column {} (truncated record?)",
            e.column()
        )
    } else {
        // serde_json ends its message with its own "at line L column C", counted from the
        // start of what it was given (a record, a line): the caller says where in the file.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        format!("invalid JSON: {message} (column {})", e.column())
    }
}

/// The dropped-value messages not said before in this file: a field Folio does not know is
/// said at its first record only, not once a record.
fn said_once<'a>(
    dropped: Vec<String>,
    said: &'a mut HashSet<String>,
) -> impl Iterator<Item = String> + 'a {
    dropped
        .into_iter()
        .filter(move |d| !d.contains("is not a Folio field") || said.insert(d.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARXIV: &str = r#"{"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages","journal-ref":null,"doi":null,"categories":"hep-ph","license":null,"abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs.\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Balázs","C.",""],["Berger","E. L.",""],["Nadolsky","P. M.",""],["Yuan","C. -P.",""]]}"#;

    #[test]
    fn reads_an_arxiv_snapshot_record() {
        let (records, skipped) = parse_lines(&format!("{ARXIV}\n"), "snap").unwrap();
        assert!(skipped.is_empty());
        let r = &records[0];
        assert_eq!(r.id.as_deref(), Some("0704.0001"));
        assert_eq!(
            r.title,
            "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
        );
        assert!(r.abstract_text.starts_with(
            "A fully differential calculation in perturbative quantum chromodynamics is presented"
        ));
        assert_eq!(
            r.authors,
            ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
        );
        assert_eq!(r.author_count, Some(4));
        assert_eq!(r.categories, ["hep-ph"]);
        assert_eq!(r.published.as_deref(), Some("2007-04-02"));
        assert_eq!(r.listings, ["snap"]);
        assert_eq!(r.line, 1);
    }

    #[test]
    fn bad_lines_are_skipped_with_their_line_and_reason() {
        let text = format!("{ARXIV}\n\n{{\"title\":\"T\"}}\n[1]\n{{\"title\": \"cut");
        let (records, skipped) = parse_lines(&text, "x").unwrap();
        assert_eq!(records.len(), 1);
        let lines: Vec<_> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(
            skipped[0].reason.contains("no abstract"),
            "{}",
            skipped[0].reason
        );
        assert!(skipped[1].reason.contains("expected a JSON object"));
        assert!(
            skipped[2].reason.contains("ends early"),
            "{}",
            skipped[2].reason
        );
    }

    #[test]
    fn a_folio_document_with_line_numbers() {
        let text = "{\"papers\": [\n  {\"title\": \"A\", \"abstract\": \"Alpha.\", \"published\": \"2024-02-03\", \"upvotes\": 7, \"authors\": [\"X\", \"Y\"]},\n  {\"title\": \"B\"}\n]}";
        let (records, skipped) = parse_document(text, "mine").unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].line, 2);
        assert_eq!(records[0].published.as_deref(), Some("2024-02-03"));
        assert_eq!(records[0].upvotes, Some(7));
        assert_eq!(records[0].author_count, Some(2));
        assert_eq!(skipped[0].line, 3);
    }

    /// Regression (issue 13, item 3): each record's line was counted from the start of the
    /// file, so a document cost records × size (hours for a 50 MB array). This pins the
    /// linear count: 100,000 records here are about 10^10 byte visits when quadratic, which
    /// would not finish in a test run; counted from the previous record, it is instant.
    #[test]
    fn line_numbers_of_a_large_document_are_counted_once() {
        let count = 100_000;
        let mut text = String::from("[\n");
        for i in 0..count {
            let comma = if i + 1 < count { "," } else { "" };
            text.push_str(&format!(
                "{{\"title\": \"Paper {i}\",\n \"abstract\": \"About {i}.\"}}{comma}\n"
            ));
        }
        text.push_str("]\n");
        let (records, skipped) = parse_document(&text, "big").unwrap();
        assert!(skipped.is_empty());
        assert_eq!(records.len(), count);
        assert_eq!(records[0].line, 2);
        assert_eq!(records[1].line, 4);
        assert_eq!(records[count - 1].line, 2 * count);
    }

    #[test]
    fn an_error_after_the_last_line_break_is_reported_on_the_last_line() {
        // Regression (found by the folio-json and collection fuzz targets): a raw line
        // break inside a string at the end of the file was reported on a line after the
        // last one, a line the file does not have.
        let err = parse_document("{\n\n \"paupvotes[\n", "mine").unwrap_err();
        assert_eq!(err.line, 3);
        let err = parse_document("{\"id\": \"2305\", \"x\":\"line\n", "mine").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn a_truncated_folio_document_is_fatal_with_a_line() {
        let err = parse_document("[\n{\"title\": \"A\",\n\"abstract\": \"x", "mine").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("ends early"), "{}", err.message);
    }

    #[test]
    fn wrong_field_types_are_reasons_not_panics() {
        let value: Value =
            serde_json::from_str(r#"{"title":"T","abstract":"A","upvotes":-1}"#).unwrap();
        let err = record_from_json(&value, 1, "x").unwrap_err();
        assert!(err.contains("upvotes"), "{err}");
    }

    /// Regression (issue 13, item 3): `iso_date` sliced `"2025é01-01"` at a byte inside `é`
    /// and panicked; arXiv's `created` was not range-checked (`Mon, 99 Apr 123456` became
    /// `123456-04-99`). A date that is there but names no real day is dropped with its
    /// reason, and the paper is kept.
    #[test]
    fn an_invalid_date_is_dropped_and_the_paper_kept() {
        let read = |json: &str| {
            let value: Value = serde_json::from_str(json).unwrap();
            record_from_json(&value, 1, "x").unwrap()
        };
        for published in [
            "\"May 5\"",
            "\"2025\u{e9}01-01\"",
            "\"\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\"",
            "\"2025-02-30\"",
            "\"2025-13-01\"",
            "20250101",
        ] {
            let (record, dropped) = read(&format!(
                r#"{{"title":"T","abstract":"A","published":{published}}}"#
            ));
            assert_eq!(record.published, None, "{published}");
            assert_eq!(dropped.len(), 1, "{published}");
            assert!(dropped[0].contains("\"published\""), "{}", dropped[0]);
            assert!(dropped[0].ends_with("kept undated"), "{}", dropped[0]);
        }
        let arxiv = |created: &str, updated: &str| {
            read(&format!(
                r#"{{"title":"T","abstract":"A","versions":[{{"created":"{created}"}}],"update_date":"{updated}"}}"#
            ))
        };
        let (record, dropped) = arxiv("Mon, 99 Apr 123456 19:18:42 GMT", "2008-11-13");
        assert_eq!(record.published.as_deref(), Some("2008-11-13"));
        assert!(dropped[0].contains("versions[0].created"), "{dropped:?}");
        assert!(dropped[0].ends_with("is used instead"), "{dropped:?}");
        let (record, dropped) = arxiv("Mon, 31 Apr 2007 19:18:42 GMT", "2008-02-30");
        assert_eq!(record.published, None);
        assert_eq!(dropped.len(), 1, "one message per record: {dropped:?}");
        assert!(
            dropped[0].contains("no day 31 in April 2007"),
            "{dropped:?}"
        );
        assert!(
            dropped[0].contains("no day 30 in February 2008"),
            "{dropped:?}"
        );
        let (record, dropped) = arxiv("Mon, 2 Apr 2007 19:18:42 GMT", "2008-02-30");
        assert_eq!(record.published.as_deref(), Some("2007-04-02"));
        assert!(
            dropped.is_empty(),
            "the update date is not needed: {dropped:?}"
        );
    }
}
