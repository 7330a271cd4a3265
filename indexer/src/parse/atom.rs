//! The arXiv API's Atom feed (`export.arxiv.org/api/query?...`), read with `quick-xml`:
//! each `<entry>`'s `id` (`http://arxiv.org/abs/2403.11872v1` → `2403.11872`), `title`,
//! `summary`, `author/name`, `published`, `category@term` and its DOI (`arxiv:doi`, or a
//! `link` titled `doi`). Namespace prefixes are ignored; no DTD or external entity is ever
//! read (quick-xml expands only XML's five predefined entities and character references).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::shapes::arxiv_id_in;
use super::{date, latex, truncate, ParseError, Record, Skipped};

/// Whether `text` looks like an Atom feed: `<feed` within its first kilobytes, after an
/// optional XML declaration and comments.
pub fn sniff(text: &str) -> bool {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && head.contains("<feed")
}

#[derive(Default)]
struct Entry {
    line: usize,
    id: String,
    title: String,
    summary: String,
    authors: Vec<String>,
    published: String,
    categories: Vec<String>,
    doi: Option<String>,
}

pub fn parse(text: &str, listing: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    let mut reader = Reader::from_str(text);
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    let mut entry: Option<Entry> = None;
    // The element whose text is being read inside an entry, and inside `author`.
    let mut path: Vec<String> = Vec::new();
    let mut lines = LineCounter::new(text);
    let mut saw_feed = false;
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(ParseError::new(
                    line,
                    format!(
                        "the Atom feed is not well-formed XML: {}",
                        truncate(&e.to_string(), 200)
                    ),
                ));
            }
        };
        match event {
            Event::Start(e) => {
                let name = local(&e);
                if name == "feed" {
                    saw_feed = true;
                }
                if name == "entry" {
                    entry = Some(Entry {
                        line: lines.at(at),
                        ..Entry::default()
                    });
                    path.clear();
                } else if let Some(current) = entry.as_mut() {
                    start_in_entry(current, &e, &name);
                    path.push(name);
                }
            }
            Event::Empty(e) => {
                if let Some(current) = entry.as_mut() {
                    let name = local(&e);
                    start_in_entry(current, &e, &name);
                }
            }
            Event::Text(t) => {
                let (Some(current), Some(name)) = (entry.as_mut(), path.last()) else {
                    continue;
                };
                let text = t
                    .unescape()
                    .map_err(|e| ParseError::new(lines.at(at), format!("bad XML text: {e}")))?;
                let in_author = path.iter().any(|p| p == "author");
                match name.as_str() {
                    "name" if in_author => current.authors.push(collapse(&text)),
                    "id" if path.len() == 1 => current.id.push_str(&text),
                    "title" if path.len() == 1 => current.title.push_str(&text),
                    "summary" if path.len() == 1 => current.summary.push_str(&text),
                    "published" if path.len() == 1 => current.published.push_str(&text),
                    "doi" => current.doi = Some(text.trim().to_string()),
                    _ => {}
                }
            }
            Event::CData(t) => {
                if let (Some(current), Some(name)) = (entry.as_mut(), path.last()) {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    match name.as_str() {
                        "title" => current.title.push_str(&text),
                        "summary" => current.summary.push_str(&text),
                        _ => {}
                    }
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "entry" {
                    if let Some(done) = entry.take() {
                        let line = done.line;
                        match record(done, listing) {
                            Ok((record, dropped)) => {
                                skipped
                                    .extend(dropped.into_iter().map(|d| Skipped::value(line, d)));
                                records.push(record);
                            }
                            Err(reason) => skipped.push(Skipped::entry(line, reason)),
                        }
                    }
                } else if entry.is_some() {
                    path.pop();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_feed {
        return Err(ParseError::new(
            1,
            "an XML file without an Atom <feed>: Folio reads the arXiv API's Atom feed",
        ));
    }
    if entry.is_some() {
        return Err(ParseError::new(
            lines.at(text.len()),
            "the feed ends inside an <entry>",
        ));
    }
    if records.is_empty() {
        return Err(ParseError::none_usable(
            "Atom entry",
            &skipped,
            "it holds no <entry>",
        ));
    }
    Ok((records, skipped))
}

fn local(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn attribute(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key.as_bytes())
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

/// What an element's attributes say: a category's term, a DOI link.
fn start_in_entry(entry: &mut Entry, e: &BytesStart, name: &str) {
    match name {
        "category" => {
            if let Some(term) = attribute(e, "term")
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
            {
                entry.categories.push(term);
            }
        }
        "link" if attribute(e, "title").as_deref() == Some("doi") => {
            if let Some(href) = attribute(e, "href") {
                entry.doi.get_or_insert(
                    href.trim_start_matches("http://dx.doi.org/")
                        .trim_start_matches("https://doi.org/")
                        .to_string(),
                );
            }
        }
        _ => {}
    }
}

fn record(entry: Entry, listing: &str) -> Result<(Record, Vec<String>), String> {
    let title = latex::plain_if(&entry.title, &['\\']);
    if title.is_empty() {
        return Err("the entry has no title".into());
    }
    let abstract_text = latex::plain_if(&entry.summary, &['\\']);
    if abstract_text.is_empty() {
        return Err(format!("title {:?} has no summary", truncate(&title, 60)));
    }
    let mut dropped = Vec::new();
    let published = match entry.published.trim() {
        "" => None,
        text => match date::iso(text) {
            Ok(d) => Some(d),
            Err(why) => {
                dropped.push(format!(
                    "<published> {:?} is not a date ({why})",
                    truncate(text, 40)
                ));
                None
            }
        },
    };
    let id = arxiv_id_in(entry.id.trim());
    let links = entry
        .doi
        .map(|d| format!("https://doi.org/{}", d.trim()))
        .into_iter()
        .collect();
    let authors: Vec<String> = entry
        .authors
        .into_iter()
        .filter(|a| !a.is_empty())
        .collect();
    let author_count = (!authors.is_empty()).then_some(authors.len() as u32);
    Ok((
        Record {
            line: entry.line,
            id,
            title,
            abstract_text,
            listings: vec![listing.to_string()],
            authors,
            author_count,
            published,
            categories: entry.categories,
            links,
            format: "arXiv Atom feed",
            ..Record::default()
        },
        dropped,
    ))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte offsets to lines, for offsets that mostly grow: linear over the file.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query: search_query=all:tides</title>
  <entry>
    <id>http://arxiv.org/abs/2403.11872v2</id>
    <published>2024-03-18T17:59:58Z</published>
    <title>Tides &amp; Graphs:
      A Study of M{\"u}ller Flows</title>
    <summary>  We forecast tides &lt;daily&gt;.
    </summary>
    <author><name>Björn Svensson</name></author>
    <author><name>Min-Jun Lee</name><arxiv:affiliation>KAIST</arxiv:affiliation></author>
    <arxiv:doi>10.1016/j.ocemod.2024.102345</arxiv:doi>
    <link href="http://arxiv.org/abs/2403.11872v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2403.11872v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="physics.ao-ph" scheme="http://arxiv.org/schemas/atom"/>
    <category term="physics.ao-ph" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.00002v1</id>
    <title>No Summary Here</title>
  </entry>
</feed>
"#;

    #[test]
    fn an_arxiv_api_feed_reads_into_records() {
        assert!(sniff(FEED));
        let (records, skipped) = parse(FEED, "tides").unwrap();
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!(r.id.as_deref(), Some("2403.11872"));
        assert_eq!(r.title, "Tides & Graphs: A Study of Müller Flows");
        assert_eq!(r.abstract_text, "We forecast tides <daily>.");
        assert_eq!(r.authors, ["Björn Svensson", "Min-Jun Lee"]);
        assert_eq!(r.published.as_deref(), Some("2024-03-18"));
        assert_eq!(r.categories, ["physics.ao-ph", "cs.LG"]);
        assert_eq!(r.links, ["https://doi.org/10.1016/j.ocemod.2024.102345"]);
        assert_eq!(r.line, 4);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 20);
        assert!(skipped[0].reason.contains("no summary"));
    }

    #[test]
    fn broken_xml_is_an_error_with_its_line() {
        let broken = FEED.replace("</summary>", "</summmary>");
        let err = parse(&broken, "x").unwrap_err();
        assert!(err.message.contains("not well-formed"), "{}", err.message);
        assert!((8..=10).contains(&err.line), "line {}", err.line);
    }

    /// Regression (the collection fuzz corpus): sniffing cut the text at byte 4096, inside
    /// a character.
    #[test]
    fn sniffing_never_cuts_a_character() {
        let text = format!("{}·<feed>", "a".repeat(4095));
        assert!(!sniff(&text));
    }

    #[test]
    fn entities_from_a_dtd_are_never_read() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<feed><entry><id>1</id><title>&x;</title><summary>S</summary></entry></feed>"#;
        // quick-xml refuses the unknown entity: an error, never the file's content.
        assert!(parse(xxe, "x").is_err());
    }
}
