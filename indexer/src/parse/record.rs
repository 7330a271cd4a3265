//! One JSON record of Folio's shape or of arXiv's metadata snapshot (the two are told
//! apart field by field; CSL-JSON and the Daily Papers API are `shapes.rs`), and the
//! readers of JSON values that `shapes.rs` shares. `json.rs` finds the records in a file.

use serde_json::{Map, Value};

use super::shapes::Shape;
use super::{date, fields, latex, truncate, Record};

/// Maps one JSON record, of either shape, to a [`Record`], with the reasons for the values
/// it dropped (an invalid date: the paper is kept without it). The error is the skip reason.
pub fn record_from_json(
    value: &Value,
    line: usize,
    listing: &str,
) -> Result<(Record, Vec<String>), String> {
    let Value::Object(object) = value else {
        return Err(format!("expected a JSON object, found {}", kind(value)));
    };
    match super::shapes::shape(object) {
        Shape::Csl => return super::shapes::csl(object, line, listing),
        Shape::DailyPapersApi => return super::shapes::daily_papers_api(object, line, listing),
        Shape::Folio => {}
    }
    // LaTeX (arXiv's metadata is full of it, and so are hand-made lists) as plain text.
    let title = text_field(object, "title")?
        .map(|t| latex::plain_if(&t, &['\\', '{']))
        .filter(|t| !t.is_empty())
        .ok_or("the record has no title")?;
    let abstract_text = text_field(object, "abstract")?
        .map(|t| latex::plain_if(&t, &['\\']))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("title {title:?} has no abstract"))?;
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(format!("\"id\" must be a string, found {}", kind(other))),
    };
    let authors = authors(object)?;
    let author_count = match object.get("author_count") {
        None | Some(Value::Null) => (!authors.is_empty()).then_some(authors.len() as u32),
        Some(v) => Some(count(v, "author_count")?),
    };
    let mut dropped = Vec::new();
    let published = match object.get("published") {
        None | Some(Value::Null) => arxiv_date(object, &mut dropped),
        Some(value) => date_field(value, "\"published\"", date::flexible, &mut dropped),
    };
    if !dropped.is_empty() {
        let kept = match &published {
            Some(date) => format!("its \"update_date\" {date} is used instead"),
            None => "the paper is kept undated".to_string(),
        };
        dropped = vec![format!("{}: {kept}", dropped.join("; "))];
    }
    let categories = match object.get("categories") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(v @ Value::Array(_)) => strings(v, "categories")?,
        Some(other) => {
            return Err(format!(
                "\"categories\" must be a string or an array, found {}",
                kind(other)
            ))
        }
    };
    let listings = match object.get("listings") {
        None | Some(Value::Null) => vec![listing.to_string()],
        Some(v) => strings(v, "listings")?,
    };
    let mut links = Vec::new();
    if let Some(doi) = text_field(object, "doi")?
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
    {
        links.push(format!(
            "https://doi.org/{}",
            doi.trim_start_matches("https://doi.org/")
        ));
    }
    links.extend(
        text_field(object, "url")?
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty()),
    );
    // A field Folio does not know is said, not silently lost.
    let mut unknown: Vec<&String> = object
        .keys()
        .filter(|k| !fields::KNOWN.contains(&k.as_str()))
        .collect();
    unknown.sort();
    dropped.extend(unknown.into_iter().map(|k| fields::unknown(k)));
    let record = Record {
        line,
        id,
        title,
        abstract_text,
        listings,
        authors,
        author_count,
        organization: text_field(object, "organization")?.filter(|o| !o.trim().is_empty()),
        published,
        upvotes: match object.get("upvotes") {
            None | Some(Value::Null) => None,
            Some(v) => Some(count(v, "upvotes")?),
        },
        categories,
        links,
        format: if object.contains_key("versions") || object.contains_key("update_date") {
            "arXiv JSON"
        } else {
            "Folio JSON"
        },
    };
    Ok((record, dropped))
}

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn text_field(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("\"{key}\" must be a string, found {}", kind(other))),
    }
}

pub(super) fn count(value: &Value, key: &str) -> Result<u32, String> {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("\"{key}\" must be a whole number ≥ 0, found {value}"))
}

fn strings(value: &Value, key: &str) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "\"{key}\" must be an array of strings, found {}",
            kind(value)
        ));
    };
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(|s| s.trim().to_string())
                .ok_or_else(|| format!("\"{key}\" must hold strings, found {}", kind(item)))
        })
        .filter(|s| !matches!(s, Ok(s) if s.is_empty()))
        .collect()
}

/// Author names: Folio's array, arXiv's `authors_parsed`, or arXiv's one string.
/// The record's author names, LaTeX (`M{\"u}ller`) as plain text.
fn authors(object: &Map<String, Value>) -> Result<Vec<String>, String> {
    Ok(author_names(object)?
        .into_iter()
        .map(|name| latex::plain_if(&name, &['\\', '{']))
        .filter(|name| !name.is_empty())
        .collect())
}

fn author_names(object: &Map<String, Value>) -> Result<Vec<String>, String> {
    if let Some(Value::Array(parsed)) = object.get("authors_parsed") {
        let names: Vec<String> = parsed
            .iter()
            .filter_map(|parts| {
                let parts = parts.as_array()?;
                let last = parts.first()?.as_str()?.trim();
                let first = parts.get(1).and_then(Value::as_str).unwrap_or("").trim();
                let suffix = parts.get(2).and_then(Value::as_str).unwrap_or("").trim();
                let name = [first, last, suffix]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                (!name.is_empty()).then_some(name)
            })
            .collect();
        if !names.is_empty() {
            return Ok(names);
        }
    }
    match object.get("authors") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v @ Value::Array(_)) => strings(v, "authors"),
        Some(Value::String(s)) => Ok(split_author_string(s)),
        Some(other) => Err(format!(
            "\"authors\" must be a string or an array, found {}",
            kind(other)
        )),
    }
}

/// "A. Author, B. Author and C. Author" → three names.
fn split_author_string(s: &str) -> Vec<String> {
    collapse_whitespace(s)
        .split(", ")
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().trim_end_matches(',').trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

pub(super) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date value read with `parse`; one that is there but is not a real day is passed over
/// with its reason in `dropped`.
pub(super) fn date_field(
    value: &Value,
    key: &str,
    parse: fn(&str) -> Result<String, String>,
    dropped: &mut Vec<String>,
) -> Option<String> {
    let why = match value {
        Value::Null => return None,
        Value::String(text) => match parse(text) {
            Ok(date) => return Some(date),
            Err(why) => format!("{key} {:?} is not a date ({why})", truncate(text, 60)),
        },
        other => format!("{key} must be a date string, found {}", kind(other)),
    };
    dropped.push(why);
    None
}

/// arXiv's publication date: the `created` date of the first version
/// ("Mon, 2 Apr 2007 19:18:42 GMT" → "2007-04-02"), else `update_date` (`2008-11-13`).
fn arxiv_date(object: &Map<String, Value>, dropped: &mut Vec<String>) -> Option<String> {
    let created = object
        .get("versions")
        .and_then(Value::as_array)
        .and_then(|versions| versions.first())
        .and_then(|first| first.get("created"));
    created
        .and_then(|c| date_field(c, "versions[0].created", date::arxiv, dropped))
        .or_else(|| {
            let updated = object.get("update_date")?;
            date_field(updated, "\"update_date\"", date::iso, dropped)
        })
}
