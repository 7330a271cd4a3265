//! The formats `folio synth` writes, one for each that `folio index` reads, so that
//! `make bench-index` measures how fast each is read.

use std::io::Write;

use serde_json::json;

use super::ArxivRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// arXiv's metadata snapshot, one JSON object per line.
    ArxivJsonl,
    /// A Folio JSON document, pretty-printed (one field per line).
    FolioJson,
    /// BibTeX, as Zotero exports it.
    Bibtex,
    /// CSL-JSON, as Zotero exports it.
    CslJson,
    /// The Hugging Face Daily Papers API's JSON.
    DailyPapersApi,
    /// The arXiv API's Atom feed.
    Atom,
}

impl Format {
    #[cfg(test)]
    pub const ALL: [Format; 6] = [
        Format::ArxivJsonl,
        Format::FolioJson,
        Format::Bibtex,
        Format::CslJson,
        Format::DailyPapersApi,
        Format::Atom,
    ];
}

/// What comes before the first record.
pub fn start(format: Format, out: &mut impl Write) -> std::io::Result<()> {
    match format {
        Format::FolioJson => out.write_all(b"{\n  \"papers\": ["),
        Format::CslJson | Format::DailyPapersApi => out.write_all(b"["),
        Format::Atom => out.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
              xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n  <title>ArXiv Query: synthetic</title>\n",
        ),
        Format::ArxivJsonl | Format::Bibtex => Ok(()),
    }
}

/// What comes after the last record.
pub fn end(format: Format, out: &mut impl Write) -> std::io::Result<()> {
    match format {
        Format::FolioJson => out.write_all(b"\n  ]\n}\n"),
        Format::CslJson | Format::DailyPapersApi => out.write_all(b"\n]\n"),
        Format::Atom => out.write_all(b"</feed>\n"),
        Format::ArxivJsonl | Format::Bibtex => Ok(()),
    }
}

/// Record `n` (from 0) in `format`.
pub(super) fn write(
    format: Format,
    n: usize,
    r: &ArxivRecord,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (year, month, day) = r.date;
    let date = format!("{year}-{month:02}-{day:02}");
    let separator: &[u8] = if n == 0 { b"\n" } else { b",\n" };
    match format {
        Format::ArxivJsonl => {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")
        }
        Format::FolioJson => {
            out.write_all(separator)?;
            let paper = json!({
                "id": r.id, "title": r.title, "abstract": r.abstract_text, "authors": r.author_list,
                "published": date, "categories": r.categories.split(' ').collect::<Vec<_>>(),
            });
            let text = serde_json::to_string_pretty(&paper)?;
            // Indented under "papers", as a pretty-printer writes it.
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                write!(out, "    {line}")?;
            }
            Ok(())
        }
        Format::Bibtex => {
            let authors: Vec<String> = r
                .author_list
                .iter()
                .map(|a| match a.rsplit_once(' ') {
                    Some((given, family)) => format!("{family}, {given}"),
                    None => a.clone(),
                })
                .collect();
            writeln!(
                out,
                "@article{{synth{n},\n  title = {{{}}},\n  author = {{{}}},\n  date = {{{date}}},\n  \
                 eprint = {{{}}},\n  archivePrefix = {{arXiv}},\n  keywords = {{{}}},\n  \
                 abstract = {{{}}}\n}}\n",
                bib(&r.title),
                authors.iter().map(|a| bib(a)).collect::<Vec<_>>().join(" and "),
                r.id,
                r.categories.replace(' ', ", "),
                bib(&r.abstract_text),
            )
        }
        Format::CslJson => {
            out.write_all(separator)?;
            let authors: Vec<serde_json::Value> = r
                .author_list
                .iter()
                .map(|a| match a.rsplit_once(' ') {
                    Some((given, family)) => json!({"family": family, "given": given}),
                    None => json!({"literal": a}),
                })
                .collect();
            let item = json!({
                "id": format!("synth{n}"), "type": "article", "title": r.title, "abstract": r.abstract_text,
                "author": authors, "issued": {"date-parts": [[year, month, day]]},
                "URL": format!("https://arxiv.org/abs/{}", r.id), "keyword": r.categories.replace(' ', ", "),
            });
            serde_json::to_writer(&mut *out, &item).map_err(std::io::Error::from)
        }
        Format::DailyPapersApi => {
            out.write_all(separator)?;
            let authors: Vec<serde_json::Value> = r
                .author_list
                .iter()
                .enumerate()
                .map(|(i, a)| json!({"_id": format!("a{n}-{i}"), "name": a, "hidden": false}))
                .collect();
            let entry = json!({
                "paper": {
                    "id": r.id, "authors": authors, "publishedAt": format!("{date}T12:00:00.000Z"),
                    "title": r.title, "summary": r.abstract_text, "upvotes": n % 97,
                },
                "publishedAt": format!("{date}T18:00:00.000Z"), "title": r.title, "numComments": n % 7,
            });
            serde_json::to_writer(&mut *out, &entry).map_err(std::io::Error::from)
        }
        Format::Atom => {
            write!(
                out,
                "  <entry>\n    <id>http://arxiv.org/abs/{}v1</id>\n    <published>{date}T12:00:00Z</published>\n    \
                 <title>{}</title>\n    <summary>{}</summary>\n",
                xml(&r.id),
                xml(&r.title),
                xml(&r.abstract_text)
            )?;
            for author in &r.author_list {
                writeln!(out, "    <author><name>{}</name></author>", xml(author))?;
            }
            for category in r.categories.split(' ') {
                writeln!(
                    out,
                    "    <category term=\"{}\" scheme=\"http://arxiv.org/schemas/atom\"/>",
                    xml(category)
                )?;
            }
            out.write_all(b"  </entry>\n")
        }
    }
}

/// Text inside a BibTeX `{…}` value as Zotero writes it: LaTeX's specials escaped (`\$`,
/// `\%`, `\&`, `\#`, `\_`), braces and backslashes left out.
fn bib(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '{' | '}' => {}
            '$' | '%' | '&' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("(at)"),
            c => out.push(c),
        }
    }
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Source;
    use folio_engine::Paper;

    /// Every format reads back, through `folio index`'s own parsers, into the same papers.
    #[test]
    fn every_format_reads_back_into_the_same_papers() {
        let papers = vec![Paper {
            id: "a".into(),
            title: "Minecraft agents that learn fast & well".into(),
            abstract_text: "Agents explore <worlds> in Minecraft at 50% cost, $5 & #1_a. They craft diamond tools quickly. \
                            A lifelong curriculum guides them."
                .into(),
            ..Paper::default()
        }];
        let source = Source::new(&papers).unwrap();
        let mut expected: Option<Vec<(String, String, String, Vec<String>)>> = None;
        for format in Format::ALL {
            let mut out = Vec::new();
            source.generate(30, 5, format, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let (records, skipped) = folio_indexer::parse::parse(&text, "synth").unwrap();
            assert!(skipped.is_empty(), "{format:?}: {skipped:?}");
            let got: Vec<_> = records
                .iter()
                .map(|r| {
                    (
                        r.id.clone().unwrap_or_default(),
                        r.title.clone(),
                        r.published.clone().unwrap_or_default(),
                        r.authors.clone(),
                    )
                })
                .collect();
            assert_eq!(got.len(), 30, "{format:?}");
            match &expected {
                None => expected = Some(got),
                Some(e) => assert_eq!(
                    &got, e,
                    "{format:?} reads back otherwise than arXiv JSON Lines"
                ),
            }
        }
    }
}
