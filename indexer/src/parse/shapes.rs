//! JSON records of the formats people export, beside Folio's own and arXiv's (`json.rs`),
//! told apart by their fields:
//!
//! - **CSL-JSON** (Zotero, Mendeley, pandoc-citeproc): `title`, `abstract`,
//!   `author: [{family, given, literal, non-dropping-particle, suffix}]`,
//!   `issued: {date-parts: [[2024, 3, 5]]}` (or `raw`), `DOI`, `URL`, `keyword`;
//! - **the Hugging Face Daily Papers API** (`/api/daily_papers`): entries holding `paper`
//!   (`id`, `title`, `summary`, `authors: [{name}]`, `publishedAt`, `upvotes`,
//!   `githubRepo`), with the entry's own `title`, `summary`, `organization` (`{name,
//!   fullname}`) and `numComments` (not kept: nothing shows it).

use serde_json::{Map, Value};

use super::record::{collapse_whitespace, count, date_field, kind, text_field};
use super::{date, latex, Record};

/// Which kind of record a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Folio's own, or arXiv's metadata snapshot (`json.rs`).
    Folio,
    Csl,
    DailyPapersApi,
}

/// CSL's own field names, none of which Folio or arXiv records use.
const CSL_FIELDS: &[&str] = &[
    "issued",
    "DOI",
    "URL",
    "container-title",
    "citation-key",
    "author",
    "keyword",
];

pub fn shape(object: &Map<String, Value>) -> Shape {
    if object.get("paper").is_some_and(Value::is_object) {
        return Shape::DailyPapersApi;
    }
    let csl_author = object
        .get("author")
        .is_some_and(|a| a.as_array().is_some_and(|a| a.iter().all(Value::is_object)));
    if csl_author
        || CSL_FIELDS
            .iter()
            .any(|f| *f != "author" && object.contains_key(*f))
    {
        return Shape::Csl;
    }
    Shape::Folio
}

type Read = Result<(Record, Vec<String>), String>;

fn required(object: &Map<String, Value>, keys: &[&str], what: &str) -> Result<String, String> {
    for key in keys {
        if let Some(text) = text_field(object, key)? {
            let text = latex::plain_if(&text, &['\\']);
            if !text.is_empty() {
                return Ok(text);
            }
        }
    }
    Err(what.to_string())
}

/// The arXiv id (without its version) of an arXiv URL, an arXiv DOI
/// (`10.48550/arXiv.2403.11872`) or a bare id: read by the engine's own reader of pasted
/// ids, so the indexer and the search box agree on what an id is.
pub fn arxiv_id_in(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let text = lower
        .strip_prefix("https://doi.org/")
        .unwrap_or(&lower)
        .strip_prefix("10.48550/arxiv.")
        .unwrap_or(lower.as_str());
    folio_engine::query::arxiv_id(text)
}

pub fn csl(object: &Map<String, Value>, line: usize, listing: &str) -> Read {
    let title = required(object, &["title"], "the record has no title")?;
    let abstract_text = required(
        object,
        &["abstract"],
        &format!("title {title:?} has no abstract"),
    )?;
    let mut dropped = Vec::new();
    let mut authors = Vec::new();
    if let Some(list) = object.get("author") {
        let Value::Array(people) = list else {
            return Err(format!(
                "\"author\" must be an array of names, found {}",
                kind(list)
            ));
        };
        for person in people {
            let Value::Object(p) = person else {
                return Err(format!(
                    "each \"author\" must be an object, found {}",
                    kind(person)
                ));
            };
            let part = |k: &str| {
                p.get(k)
                    .and_then(Value::as_str)
                    .map(|t| latex::plain_if(t, &['\\']))
                    .unwrap_or_default()
            };
            let name = match part("literal") {
                literal if !literal.trim().is_empty() => literal,
                _ => [
                    part("given"),
                    part("dropping-particle"),
                    part("non-dropping-particle"),
                    part("family"),
                    part("suffix"),
                ]
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            };
            let name = collapse_whitespace(&name);
            if !name.is_empty() {
                authors.push(name);
            }
        }
    }
    let published = object
        .get("issued")
        .and_then(|issued| match csl_date(issued) {
            Ok(date) => date,
            Err(why) => {
                dropped.push(format!("\"issued\" was dropped: {why}"));
                None
            }
        });
    let doi = text_field(object, "DOI")?
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let url = text_field(object, "URL")?
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let id = url
        .as_deref()
        .and_then(arxiv_id_in)
        .or_else(|| doi.as_deref().and_then(arxiv_id_in));
    let mut links = Vec::new();
    if let Some(doi) = doi {
        links.push(format!(
            "https://doi.org/{}",
            doi.trim_start_matches("https://doi.org/")
        ));
    }
    links.extend(url);
    let categories = text_field(object, "keyword")?
        .map(|k| {
            k.split([',', ';'])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let author_count = (!authors.is_empty()).then_some(authors.len() as u32);
    Ok((
        Record {
            line,
            id,
            title,
            abstract_text,
            listings: vec![listing.to_string()],
            authors,
            author_count,
            published,
            categories,
            links,
            format: "CSL-JSON",
            ..Record::default()
        },
        dropped,
    ))
}

/// A CSL date: `{"date-parts": [[y, m, d]]}` (the first of a range; numbers or numeric
/// strings), or `{"raw": "2024-03-05"}`; its precision kept.
fn csl_date(issued: &Value) -> Result<Option<String>, String> {
    let Value::Object(issued) = issued else {
        return Err(format!("it must be an object, found {}", kind(issued)));
    };
    if let Some(parts) = issued.get("date-parts") {
        let first = parts
            .get(0)
            .and_then(Value::as_array)
            .ok_or("\"date-parts\" must be [[year, month, day]]")?;
        let number = |v: &Value| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                .and_then(|n| u32::try_from(n).ok())
        };
        let mut numbers = first
            .iter()
            .map(|v| number(v).ok_or(format!("{v} is not a number")));
        let Some(year) = numbers.next().transpose()? else {
            return Ok(None);
        };
        let month = numbers.next().transpose()?;
        let day = numbers.next().transpose()?;
        return date::partial(year, month, day).map(Some);
    }
    if let Some(raw) = issued.get("raw").and_then(Value::as_str) {
        let raw = raw.trim();
        let parts: Vec<&str> = raw.splitn(3, '-').collect();
        let num = |s: &str, n: usize| date::digits(s, n);
        return match parts.as_slice() {
            [y] if y.len() == 4 => date::partial(date::year(y)?, None, None).map(Some),
            [y, m] => date::partial(date::year(y)?, num(m, 2), None).map(Some),
            [y, m, d] => {
                date::partial(date::year(y)?, num(m, 2), num(&d[..d.len().min(2)], 2)).map(Some)
            }
            _ => Err(format!("{raw:?} is not a date")),
        };
    }
    Ok(None)
}

pub fn daily_papers_api(object: &Map<String, Value>, line: usize, listing: &str) -> Read {
    let Some(Value::Object(paper)) = object.get("paper") else {
        return Err("the entry has no \"paper\" object".into());
    };
    let title = required(paper, &["title"], "")
        .or_else(|_| required(object, &["title"], "the entry has no title"))?;
    let abstract_text = required(paper, &["summary"], "").or_else(|_| {
        required(
            object,
            &["summary"],
            &format!("title {title:?} has no summary"),
        )
    })?;
    let id = text_field(paper, "id")?
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty());
    let mut authors = Vec::new();
    if let Some(Value::Array(people)) = paper.get("authors") {
        for person in people {
            if let Some(name) = person.get("name").and_then(Value::as_str) {
                let name = collapse_whitespace(name);
                if !name.is_empty() {
                    authors.push(name);
                }
            }
        }
    }
    let mut dropped = Vec::new();
    let published = paper
        .get("publishedAt")
        .or_else(|| object.get("publishedAt"))
        .and_then(|v| date_field(v, "\"publishedAt\"", date::iso, &mut dropped));
    let upvotes = match paper.get("upvotes") {
        None | Some(Value::Null) => None,
        Some(v) => Some(count(v, "upvotes")?),
    };
    let organization = [object.get("organization"), paper.get("organization")]
        .into_iter()
        .flatten()
        .find_map(|o| match o {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o
                .get("fullname")
                .or_else(|| o.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        })
        .map(|o| collapse_whitespace(&o))
        .filter(|o| !o.is_empty());
    let links = [
        paper.get("githubRepo"),
        object.get("githubRepo"),
        paper.get("projectPage"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .map(str::to_string)
    .collect();
    let author_count = (!authors.is_empty()).then_some(authors.len() as u32);
    Ok((
        Record {
            line,
            id,
            title,
            abstract_text,
            listings: vec![listing.to_string()],
            authors,
            author_count,
            organization,
            published,
            upvotes,
            links,
            format: "Daily Papers API",
            ..Record::default()
        },
        dropped,
    ))
}
