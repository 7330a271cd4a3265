//! BibTeX and BibLaTeX (`.bib` files from Zotero, Google Scholar, Mendeley, arXiv's export),
//! read with the `biblatex` crate: title, abstract, authors (`A and B and others`), date
//! (`date`, or `year` and `month`), `eprint` with `archivePrefix = {arXiv}` (or an arXiv
//! URL) as the paper's id, `doi` and `url` as links, `keywords` as categories. LaTeX in
//! the text becomes plain text (`latex.rs`).
//!
//! A file that parses whole is read in one pass; otherwise it is cut into entries at each
//! line starting with `@`, every entry parsed with the file's `@string` abbreviations, and
//! an entry that does not parse is skipped with its line and reason.

use std::collections::HashMap;

use biblatex::{Bibliography, ChunksExt, DateValue, Entry, PermissiveType};

use super::{date, latex, truncate, ParseError, Record, Skipped};

/// Whether `text` looks like BibTeX: its first non-blank, non-comment line starts with `@`.
pub fn sniff(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('%'))
        .is_some_and(|l| l.starts_with('@'))
}

pub fn parse(text: &str, listing: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    match Bibliography::parse(text) {
        Ok(bibliography) => {
            let lines = entry_lines(text);
            let entries: Vec<&Entry> = bibliography.iter().collect();
            // Entries are read into records on every core, a slice each, in order: this
            // is most of the reading after biblatex's own parse.
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8);
            let per_thread = entries.len().div_ceil(threads).max(256);
            let parts: Vec<(Vec<Record>, Vec<Skipped>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = entries
                    .chunks(per_thread)
                    .map(|slice| {
                        let lines = &lines;
                        scope.spawn(move || {
                            let (mut records, mut skipped) = (Vec::new(), Vec::new());
                            for entry in slice {
                                let line = lines.get(entry.key.as_str()).copied().unwrap_or(1);
                                read_entry(entry, line, listing, &mut records, &mut skipped);
                            }
                            (records, skipped)
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().expect("reading entries does not panic"))
                    .collect()
            });
            for (part_records, part_skipped) in parts {
                records.extend(part_records);
                skipped.extend(part_skipped);
            }
        }
        Err(_) => parse_entry_by_entry(text, listing, &mut records, &mut skipped),
    }
    if records.is_empty() {
        return Err(ParseError::none_usable(
            "BibTeX entry",
            &skipped,
            "it holds no entry",
        ));
    }
    Ok((records, skipped))
}

/// Cuts `text` at lines starting with `@` and parses each entry alone, after the file's
/// `@string` definitions (those that parse).
fn parse_entry_by_entry(
    text: &str,
    listing: &str,
    records: &mut Vec<Record>,
    skipped: &mut Vec<Skipped>,
) {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('@') {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    let chunks: Vec<(usize, &str)> = starts
        .windows(2)
        .map(|w| (w[0], &text[w[0]..w[1]]))
        .collect();
    let is_kind = |chunk: &str, kind: &str| {
        let head = chunk.trim_start().trim_start_matches('@');
        head.len() >= kind.len() && head[..kind.len()].eq_ignore_ascii_case(kind)
    };
    let mut strings = String::new();
    for (_, chunk) in chunks.iter().filter(|(_, c)| is_kind(c, "string")) {
        if Bibliography::parse(chunk).is_ok() {
            strings.push_str(chunk);
            strings.push('\n');
        }
    }
    // Lines are counted on from the previous entry's, not from the start of the file each
    // time (that was quadratic: 8,000 entries took 6 s).
    let (mut counted_to, mut line) = (0, 1);
    for (start, chunk) in chunks {
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        if is_kind(chunk, "string") || is_kind(chunk, "comment") || is_kind(chunk, "preamble") {
            continue;
        }
        let source = format!("{strings}{chunk}");
        match Bibliography::parse(&source) {
            Ok(bibliography) => {
                for entry in bibliography.iter() {
                    read_entry(entry, line, listing, records, skipped);
                }
            }
            Err(error) => {
                // Where the parser gave up (often the entry's end, for an unclosed brace).
                let at = error
                    .span
                    .start
                    .saturating_sub(strings.len())
                    .min(chunk.len());
                let at = (0..=at)
                    .rev()
                    .find(|&i| chunk.is_char_boundary(i))
                    .unwrap_or(0);
                let error_line = line + chunk[..at].matches('\n').count();
                skipped.push(Skipped::entry(
                    line,
                    format!(
                        "this BibTeX entry does not parse ({} at line {error_line})",
                        error.kind
                    ),
                ));
            }
        }
    }
}

fn read_entry(
    entry: &Entry,
    line: usize,
    listing: &str,
    records: &mut Vec<Record>,
    skipped: &mut Vec<Skipped>,
) {
    match record(entry, line, listing) {
        Ok((record, dropped)) => {
            skipped.extend(dropped.into_iter().map(|d| Skipped::value(line, d)));
            records.push(record);
        }
        Err(reason) => skipped.push(Skipped::entry(line, reason)),
    }
}

fn field(entry: &Entry, name: &str) -> Option<String> {
    entry
        .get(name)
        .map(|chunks| latex::plain(&chunks.format_verbatim()))
        .filter(|t| !t.is_empty())
}

fn record(entry: &Entry, line: usize, listing: &str) -> Result<(Record, Vec<String>), String> {
    let key = truncate(&entry.key, 60);
    let title = field(entry, "title").ok_or_else(|| format!("entry {key:?} has no title"))?;
    let abstract_text = field(entry, "abstract")
        .ok_or_else(|| format!("entry {key:?} ({:?}) has no abstract", truncate(&title, 60)))?;
    let mut dropped = Vec::new();

    let (mut authors, mut more) = (Vec::new(), false);
    if let Ok(people) = entry.author() {
        for person in people {
            let name = [
                person.given_name.as_str(),
                person.prefix.as_str(),
                person.name.as_str(),
                person.suffix.as_str(),
            ]
            .iter()
            .map(|p| latex::plain(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            if name.eq_ignore_ascii_case("others") {
                more = true;
            } else if !name.is_empty() {
                authors.push(name);
            }
        }
    }
    let author_count = (!authors.is_empty() && !more).then_some(authors.len() as u32);

    let published = match entry.date() {
        Ok(PermissiveType::Typed(d)) => {
            let at = match d.value {
                DateValue::At(t) | DateValue::After(t) | DateValue::Before(t) => t,
                DateValue::Between(t, _) => t,
            };
            // biblatex counts months and days from 0.
            let month = at.month.map(|m| u32::from(m) + 1);
            let day = at.day.map(|d| u32::from(d) + 1);
            match u32::try_from(at.year)
                .map_err(|_| format!("the year {} is before year 0", at.year))
                .and_then(|y| date::partial(y, month, day))
            {
                Ok(date) => Some(date),
                Err(e) => {
                    dropped.push(format!("the date of {key:?} was dropped: {e}"));
                    None
                }
            }
        }
        Ok(PermissiveType::Chunks(chunks)) => {
            let text = chunks.format_verbatim();
            dropped.push(format!(
                "the date of {key:?} was dropped: {:?} is no date",
                truncate(&text, 40)
            ));
            None
        }
        Err(biblatex::RetrievalError::Missing(_)) => None,
        Err(e) => {
            dropped.push(format!("the date of {key:?} was dropped: {e}"));
            None
        }
    };

    let id = arxiv_id(entry);
    let mut links = Vec::new();
    if let Some(doi) = field(entry, "doi") {
        let doi = doi
            .trim_start_matches("https://doi.org/")
            .trim_start_matches("doi:")
            .to_string();
        links.push(format!("https://doi.org/{doi}"));
    }
    if let Some(url) = field(entry, "url") {
        links.push(url);
    }
    let categories = field(entry, "keywords")
        .map(|k| {
            k.split([',', ';'])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let record = Record {
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
        format: "BibTeX",
        ..Record::default()
    };
    Ok((record, dropped))
}

/// The arXiv id: `eprint` when `archivePrefix` (or `eprinttype`) is arXiv, else an arXiv
/// URL in `url`; without its version, so it merges with other sources' ids.
fn arxiv_id(entry: &Entry) -> Option<String> {
    let prefix = field(entry, "archiveprefix").or_else(|| field(entry, "eprinttype"));
    let is_arxiv = prefix
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("arxiv"));
    let from_eprint = field(entry, "eprint").filter(|_| is_arxiv);
    from_eprint
        .as_deref()
        .and_then(folio_engine::query::arxiv_id)
        .or_else(|| {
            field(entry, "url")
                .as_deref()
                .and_then(super::shapes::arxiv_id_in)
        })
}

/// The line each entry starts on, by key: a line starting with `@type{key,` (one pass).
fn entry_lines(text: &str) -> HashMap<&str, usize> {
    let mut lines = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix('@') else {
            continue;
        };
        let Some(open) = rest.find(['{', '(']) else {
            continue;
        };
        let key = rest[open + 1..].split(',').next().unwrap_or("").trim();
        if !key.is_empty() {
            lines.entry(key).or_insert(n + 1);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZOTERO: &str = r#"% Exported by Zotero
@string{neurips = "Advances in Neural Information Processing Systems"}

@article{garcia2024,
  title = {{GPT}-4 and the M{\"u}ller--Bj\"{o}rn {\'E}cole: A {{Nested}} {Study}},
  author = {Garc{\'\i}a, Jos{\'e} and M{\"u}ller, Hans and Bj\"{o}rn Svensson and others},
  journal = neurips,
  year = {2024},
  month = mar,
  eprint = {2403.11872v2},
  archivePrefix = {arXiv},
  doi = {10.48550/arXiv.2403.11872},
  keywords = {language models; evaluation},
  abstract = {We study \emph{things} at 50\% of cost.}
}

@inproceedings{noabstract,
  title = {A Paper Without Its Abstract},
  author = {Doe, Jane},
  year = 2023
}

@misc{scholar,
  title = "Second Paper",
  author = "van der Berg, Anna",
  date = {2023-06-14},
  url = {https://arxiv.org/abs/2306.01234},
  abstract = "Read from a Google Scholar export."
}
"#;

    #[test]
    fn zotero_and_scholar_entries_read_into_records() {
        assert!(sniff(ZOTERO));
        let (records, skipped) = parse(ZOTERO, "mine").unwrap();
        assert_eq!(records.len(), 2);
        let a = &records[0];
        assert_eq!(a.title, "GPT-4 and the Müller–Björn École: A Nested Study");
        assert_eq!(a.authors, ["José García", "Hans Müller", "Björn Svensson"]);
        assert_eq!(
            a.author_count, None,
            "`and others`: the names are not all of them"
        );
        assert_eq!(a.id.as_deref(), Some("2403.11872"));
        assert_eq!(a.published.as_deref(), Some("2024-03"));
        assert_eq!(a.abstract_text, "We study things at 50% of cost.");
        assert_eq!(a.categories, ["language models", "evaluation"]);
        assert_eq!(a.links, ["https://doi.org/10.48550/arXiv.2403.11872"]);
        assert_eq!(a.listings, ["mine"]);
        assert_eq!(a.line, 4);
        let b = &records[1];
        assert_eq!(b.authors, ["Anna van der Berg"]);
        assert_eq!(b.published.as_deref(), Some("2023-06-14"));
        assert_eq!(b.id.as_deref(), Some("2306.01234"));
        assert_eq!(b.line, 23);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 17);
        assert!(
            skipped[0].reason.contains("no abstract"),
            "{}",
            skipped[0].reason
        );
    }

    #[test]
    fn a_broken_entry_is_skipped_with_its_line_and_the_rest_kept() {
        let text = ZOTERO.replace(
            "title = {A Paper Without Its Abstract},",
            "title = {Unclosed,",
        );
        let (records, skipped) = parse(&text, "mine").unwrap();
        assert_eq!(records.len(), 2, "{skipped:?}");
        assert_eq!(
            records[0].title, "GPT-4 and the Müller–Björn École: A Nested Study",
            "@string still applies"
        );
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 17);
        assert!(
            skipped[0].reason.contains("does not parse"),
            "{}",
            skipped[0].reason
        );
    }

    #[test]
    fn a_file_without_a_usable_entry_is_an_error() {
        let err = parse("@misc{a, title = {No abstract}}\n", "x").unwrap_err();
        assert!(
            err.message.contains("no usable BibTeX entry"),
            "{}",
            err.message
        );
        assert!(!sniff("[{\"title\": \"x\"}]"));
    }

    #[test]
    fn a_date_that_is_none_is_dropped_and_the_paper_kept() {
        let text = "@misc{d, title = {T}, abstract = {A.}, year = {2023}, month = {13}}\n";
        let (records, skipped) = parse(text, "x").unwrap();
        assert_eq!(records.len(), 1);
        assert!(skipped.iter().all(|s| s.paper_kept), "{skipped:?}");
    }
}
