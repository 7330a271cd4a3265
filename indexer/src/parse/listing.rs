//! Parser for captured Hugging Face "Daily Papers" listing pages (the bundled collection).
//!
//! A capture is plain text, one paragraph per line. It starts with page chrome (subscribe
//! prompts, "Daily Papers", the listing date such as "Jun 4"), sometimes glued to the first
//! title ("SubscribeBioCLIP 2: ..."). Then come entries, each a title line and an abstract
//! line, with or without blank lines between them. In some captures an entry is followed by
//! a metadata block:
//!
//! ```text
//!   • 6 authors                  (or an organization byline: "MicrosoftResearch Microsoft Research")
//! ·
//! May 24, 2025 2                 (publication date, then the upvote count if any)
//! ```

use super::{date, truncate, ParseError, Record, Skipped};

/// Lines of page chrome, skipped wherever they appear before the first entry.
const CHROME: &[&str] = &[
    "new",
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
    "Daily Papers",
];

/// Does this text look like a capture of a listing page? Used to pick the parser by content.
pub fn sniff(text: &str) -> bool {
    text.lines()
        .take(12)
        .any(|line| line.starts_with("Get trending papers") || line.starts_with("Subscribe"))
}

/// What a non-blank line is.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    Text(&'a str),
    AuthorCount(u32),
    Dot,
    /// `(year, month, day, upvotes)`; year is `None` when the page left it out.
    Date(Option<u32>, u32, u32, Option<u32>),
    /// Written like a date but naming no real day ("Feb 30, 2025"): the line and why.
    BadDate(&'a str, String),
}

fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim();
    if trimmed == "·" {
        return Line::Dot;
    }
    if let Some(count) = trimmed
        .strip_prefix('•')
        .map(str::trim)
        .and_then(|rest| {
            rest.strip_suffix(" authors")
                .or_else(|| rest.strip_suffix(" author"))
        })
        .and_then(|n| n.trim().parse().ok())
    {
        return Line::AuthorCount(count);
    }
    match parse_date(trimmed) {
        Some(Ok(date)) => date,
        Some(Err(why)) => Line::BadDate(trimmed, why),
        None => Line::Text(trimmed),
    }
}

/// "May 24, 2025", "May 24, 2025 2", "Jan 2", "Jan 2 5". `None` when the line is not
/// written like a date; an error when it is but names no real day.
fn parse_date(s: &str) -> Option<Result<Line<'static>, String>> {
    let mut words = s.split_whitespace();
    let month = date::month_number(words.next()?)?;
    let day_word = words.next()?;
    let (day_word, has_year) = match day_word.strip_suffix(',') {
        Some(d) => (d, true),
        None => (day_word, false),
    };
    let day = date::digits(day_word, 2)?;
    let year_word = if has_year { Some(words.next()?) } else { None };
    let upvotes_word = words.next();
    let all_digits = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    if words.next().is_some() || !year_word.into_iter().chain(upvotes_word).all(all_digits) {
        return None;
    }
    let checked = || {
        let year = year_word.map(date::year).transpose()?;
        date::check(year, month, day)?;
        let upvotes = upvotes_word
            .map(|n| {
                n.parse()
                    .map_err(|_| format!("the upvote count {n} is too large"))
            })
            .transpose()?;
        Ok(Line::Date(year, month, day, upvotes))
    };
    Some(checked())
}

/// The name a capture gives itself: its page's kind and date, "Daily Papers · Jun 4", when
/// its chrome shows the date (`None` otherwise, and for text that is no capture).
pub fn name(text: &str) -> Option<String> {
    if !sniff(text) {
        return None;
    }
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || CHROME.contains(&trimmed) {
            continue;
        }
        return match parse_date(trimmed) {
            Some(Ok(Line::Date(None, month, day, None))) => {
                let month = date::month_abbreviation(month)?;
                Some(format!("Daily Papers · {month} {day}"))
            }
            _ => None, // The first entry: the chrome had no date.
        };
    }
    None
}

/// Parses one listing capture. `listing` names it in the records and in messages.
///
/// Returns the records found and the entries skipped (with their reasons). An input with no
/// entry at all is an error.
pub fn parse(text: &str, listing: &str) -> Result<(Vec<Record>, Vec<Skipped>), ParseError> {
    let mut lines: Vec<(usize, Line)> = Vec::new();
    let mut in_chrome = true;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        if in_chrome {
            if CHROME.contains(&trimmed)
                || matches!(parse_date(trimmed), Some(Ok(Line::Date(None, ..))))
            {
                continue;
            }
            // "SubscribeBioCLIP 2: ..." — the prompt glued to the first title.
            if let Some(rest) = trimmed.strip_prefix("Subscribe") {
                if rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
                    in_chrome = false;
                    lines.push((line_no, Line::Text(rest)));
                    continue;
                }
            }
            in_chrome = false;
        }
        lines.push((line_no, classify(trimmed)));
    }

    // Dates without a year are this year's: the page shows the year only for earlier years,
    // so "this year" is one more than the latest year written out in the same capture.
    let inferred_year = lines
        .iter()
        .filter_map(|(_, l)| match l {
            Line::Date(Some(y), ..) => Some(*y),
            _ => None,
        })
        .max()
        .map(|y| y + 1);

    let mut records = Vec::new();
    let mut skipped = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (title_line, ref line) = lines[i];
        let Line::Text(title) = *line else {
            skipped.push(Skipped::entry(
                title_line,
                format!("expected a paper title, found {}", describe(line)),
            ));
            i += 1;
            continue;
        };
        // The abstract: the next text line, unless that line is itself a title (a short,
        // title-like line followed by an abstract-like one).
        let abstract_text = match lines.get(i + 1) {
            Some((_, Line::Text(next)))
                if !(looks_like_title(next)
                    && matches!(lines.get(i + 2), Some((_, Line::Text(after))) if !looks_like_title(after))) =>
            {
                *next
            }
            _ => {
                skipped.push(Skipped::entry(
                    title_line,
                    format!("title {title:?} has no abstract"),
                ));
                i += 1;
                continue;
            }
        };
        i += 2;
        let mut record = Record {
            line: title_line,
            title: title.to_string(),
            abstract_text: abstract_text.to_string(),
            listings: vec![listing.to_string()],
            format: "Daily Papers capture",
            ..Record::default()
        };
        // Optional metadata block: byline, "·", date.
        let has_byline = match lines.get(i) {
            Some((_, Line::AuthorCount(_))) => true,
            Some((_, Line::Text(_))) => matches!(lines.get(i + 1), Some((_, Line::Dot))),
            _ => false,
        };
        if has_byline {
            match lines[i].1 {
                Line::AuthorCount(n) => record.author_count = Some(n),
                Line::Text(org) => record.organization = Some(org_name(org)),
                _ => unreachable!("checked above"),
            }
            i += 1;
        }
        if matches!(lines.get(i), Some((_, Line::Dot))) {
            i += 1;
            let undated = |why: &str| {
                format!("the publication date of {title:?} {why}: the paper is kept undated")
            };
            match lines.get(i) {
                Some((line, Line::Date(year, month, day, upvotes))) => {
                    let year = year.or(inferred_year);
                    // A written year was checked with the date; an inferred one was not.
                    match date::check(year, *month, *day) {
                        Ok(()) => {
                            record.published = Some(match year {
                                Some(y) => format!("{y:04}-{month:02}-{day:02}"),
                                None => format!("--{month:02}-{day:02}"),
                            });
                        }
                        Err(why) => {
                            skipped.push(Skipped::value(
                                *line,
                                undated(&format!("is not a date ({why})")),
                            ));
                        }
                    }
                    record.upvotes = *upvotes;
                    i += 1;
                }
                Some((line, Line::BadDate(text, why))) => {
                    let text = truncate(text, 60);
                    skipped.push(Skipped::value(
                        *line,
                        undated(&format!("{text:?} is not a date ({why})")),
                    ));
                    i += 1;
                }
                other => skipped.push(Skipped::value(
                    other.map_or(title_line, |(n, _)| *n),
                    format!(
                        "expected a publication date after \"·\" (for {title:?}), found {}",
                        other.map_or("the end of the file".to_string(), |(_, l)| describe(l))
                    ),
                )),
            }
        }
        records.push(record);
    }
    if records.is_empty() {
        return Err(ParseError::new(
            1,
            "no paper entries found (expected title lines each followed by an abstract line)",
        ));
    }
    Ok((records, skipped))
}

/// "MicrosoftResearch Microsoft Research" → "Microsoft Research": the byline repeats the
/// organization's handle before its display name.
fn org_name(byline: &str) -> String {
    match byline.split_once(' ') {
        Some((handle, name))
            if !handle.is_empty()
                && handle.to_lowercase().replace(['-', '_'], "")
                    != name.to_lowercase().replace([' ', '-', '_'], "")
                && !name.trim().is_empty() =>
        {
            name.trim().to_string()
        }
        Some((_, name)) if !name.trim().is_empty() => name.trim().to_string(),
        _ => byline.to_string(),
    }
}

/// Titles are short and are not sentences; abstracts are long prose.
fn looks_like_title(line: &str) -> bool {
    line.len() <= 250 && !line.ends_with('.') && line.split_whitespace().count() <= 30
}

fn describe(line: &Line) -> String {
    match line {
        Line::Text(t) => format!("text {:?}", truncate(t, 60)),
        Line::AuthorCount(n) => format!("an author count ({n} authors)"),
        Line::Dot => "a \"·\" separator".to_string(),
        Line::Date(..) => "a date".to_string(),
        Line::BadDate(t, _) => format!("an invalid date {:?}", truncate(t, 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_subscribe_and_no_blank_lines() {
        let text = "Get trending papers in your email inbox!\nSubscribeFirst Title\n\
                    First abstract, long enough to be prose.\nSecond Title\nSecond abstract.\n";
        let (records, skipped) = parse(text, "l").unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        let titles: Vec<_> = records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["First Title", "Second Title"]);
        assert_eq!(records[1].abstract_text, "Second abstract.");
        assert_eq!(records[0].line, 2);
    }

    #[test]
    fn metadata_block_with_authors_upvotes_and_org() {
        let text = "new\n\nSubscribe\n\nDaily Papers\n\nJan 7\n\nA Title\n\nAn abstract.\n\n  • 6 authors\n·\nMay 24, 2025 2\n\n\
                    Other Title\n\nOther abstract.\n\nMicrosoftResearch Microsoft Research\n·\nJan 2\n";
        let (records, skipped) = parse(text, "l").unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].author_count, Some(6));
        assert_eq!(records[0].published.as_deref(), Some("2025-05-24"));
        assert_eq!(records[0].upvotes, Some(2));
        assert_eq!(
            records[1].organization.as_deref(),
            Some("Microsoft Research")
        );
        // No year on the page: the year after the latest one written out.
        assert_eq!(records[1].published.as_deref(), Some("2026-01-02"));
        assert_eq!(records[1].upvotes, None);
    }

    #[test]
    fn a_title_without_abstract_is_skipped_with_its_line() {
        let text =
            "Subscribe\nLonely Title\nNext Title\nA proper abstract that reads like prose.\n";
        let (records, skipped) = parse(text, "l").unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].title, "Next Title");
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 2);
        assert!(
            skipped[0].reason.contains("no abstract"),
            "{}",
            skipped[0].reason
        );
    }

    #[test]
    fn chrome_only_is_an_error() {
        let err = parse("new\nSubscribe\nDaily Papers\n", "l").unwrap_err();
        assert!(err.message.contains("no paper entries"));
    }

    #[test]
    fn a_capture_is_named_by_its_kind_and_date() {
        let dated = "new\nGet trending papers in your email inbox!\nSubscribe\nDaily Papers\nbyAK and the research community\nJun 4\nA Title\nAn abstract.\n";
        assert_eq!(name(dated).as_deref(), Some("Daily Papers · Jun 4"));
        let undated = "Get trending papers in your email inbox!\nSubscribeA Title\nAn abstract.\n";
        assert_eq!(name(undated), None);
        assert_eq!(name("[{\"title\": \"x\"}]"), None);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            parse_date("May 24, 2025 2"),
            Some(Ok(Line::Date(Some(2025), 5, 24, Some(2))))
        );
        assert_eq!(parse_date("Jun 4"), Some(Ok(Line::Date(None, 6, 4, None))));
        assert_eq!(parse_date("May the force"), None);
        assert_eq!(parse_date("May 24, 2025 many"), None);
        assert_eq!(parse_date("Jun 400"), None);
        for bad in [
            "Jun 40",
            "Feb 30, 2024",
            "Feb 29, 2025 3",
            "Apr 31",
            "Jan 0",
            "May 2, 123456",
        ] {
            assert!(matches!(parse_date(bad), Some(Err(_))), "{bad}");
        }
        assert_eq!(
            parse_date("Feb 29"),
            Some(Ok(Line::Date(None, 2, 29, None))),
            "some year has it"
        );
    }

    /// Regression (issue 13, item 3): "Feb 30, 2025" after "·" was not taken for a date, so
    /// it stayed in the text and became the next entry's title. It is a date line that names
    /// no day: dropped with its line, the paper kept undated, the next entry read as usual.
    #[test]
    fn an_impossible_date_is_dropped_and_the_paper_kept() {
        let text = "Subscribe\nFirst Title\nFirst abstract.\n·\nFeb 30, 2025 3\n\
                    Second Title\nSecond abstract.\n·\nFeb 29 4\nThird Title\nThird abstract.\n\
                    ·\nMar 1, 2024\n";
        let (records, skipped) = parse(text, "l").unwrap();
        let titles: Vec<_> = records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["First Title", "Second Title", "Third Title"]);
        assert_eq!(records[0].published, None);
        assert_eq!(records[0].upvotes, None);
        // No year written: 2025 (after 2024), which has no February 29.
        assert_eq!(records[1].published, None);
        assert_eq!(records[1].upvotes, Some(4));
        assert_eq!(records[2].published.as_deref(), Some("2024-03-01"));
        let lines: Vec<_> = skipped.iter().map(|s| (s.line, s.paper_kept)).collect();
        assert_eq!(lines, [(5, true), (9, true)]);
        assert!(
            skipped[0].reason.contains("no day 30 in February 2025"),
            "{}",
            skipped[0].reason
        );
        assert!(
            skipped[1].reason.contains("no day 29 in February 2025"),
            "{}",
            skipped[1].reason
        );
    }
}
