//! Publication dates, checked as calendar dates. Every parser's dates come through here, so
//! a date in the index is a day that exists, with a four-digit year: the engine's year
//! facet reads a date's first four bytes as its year. A source that gives only a year or a
//! month (a BibTeX entry, a CSL `date-parts`) keeps that precision: `2024`, `2024-03`,
//! which sort at the start of their period.
//!
//! The input is untrusted text: nothing here slices a string before it knows the bytes it
//! slices are ASCII.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month numbered 1 to 12 written as `Jan` … `Dec` (how arXiv and the listing pages
/// write it).
pub fn month_number(word: &str) -> Option<u32> {
    MONTHS.iter().position(|&m| m == word).map(|m| m as u32 + 1)
}

/// `Jan` … `Dec` for the month numbered 1 to 12.
pub fn month_abbreviation(month: u32) -> Option<&'static str> {
    MONTHS.get(month.checked_sub(1)? as usize).copied()
}

/// The value of a run of 1 to `max_len` ASCII digits, nothing else (no sign, no spaces).
pub fn digits(word: &str, max_len: usize) -> Option<u32> {
    let ok = (1..=max_len).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| word.parse().ok()).flatten()
}

/// A year written with exactly four digits.
pub fn year(word: &str) -> Result<u32, String> {
    match digits(word, 4) {
        Some(y) if word.len() == 4 => Ok(y),
        _ => Err(format!("the year must have four digits, found {word:?}")),
    }
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Checks that `day` exists in `month` of `year`. With no year (a listing page that leaves
/// it out), February 29 is allowed: some year has it.
pub fn check(year: Option<u32>, month: u32, day: u32) -> Result<(), String> {
    if let Some(y) = year.filter(|&y| y > 9999) {
        return Err(format!("the year must have four digits, found {y}"));
    }
    let Some(name) = month
        .checked_sub(1)
        .and_then(|m| MONTH_NAMES.get(m as usize))
    else {
        return Err(format!("there is no month {month}"));
    };
    let days = match month {
        2 if year.is_none_or(is_leap) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if (1..=days).contains(&day) {
        return Ok(());
    }
    Err(match year {
        _ if day == 0 => "there is no day 0 in a month".to_string(),
        Some(y) => format!("there is no day {day} in {name} {y:04}"),
        None => format!("there is no day {day} in {name}"),
    })
}

/// `YYYY-MM-DD`, checked.
pub fn format(year: u32, month: u32, day: u32) -> Result<String, String> {
    check(Some(year), month, day)?;
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// A date as precise as the source gives it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked.
pub fn partial(year: u32, month: Option<u32>, day: Option<u32>) -> Result<String, String> {
    match (month, day) {
        (None, _) => check(Some(year), 1, 1).map(|()| format!("{year:04}")),
        (Some(m), None) => check(Some(year), m, 1).map(|()| format!("{year:04}-{m:02}")),
        (Some(m), Some(d)) => format(year, m, d),
    }
}

/// A date as people write it in a Folio record: `2025-05-24` (or an ISO timestamp),
/// `2025-05`, `2025`, `May 2025` or `May, 2025`; kept as precise as it is written.
pub fn flexible(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Ok(day) = iso(text) {
        return Ok(day);
    }
    let wrong = || "expected a date like 2025-05-24, 2025-05, 2025 or May 2025".to_string();
    match text.split('-').collect::<Vec<_>>().as_slice() {
        [y] if y.len() == 4 => return partial(year(y)?, None, None),
        [y, m] if y.len() == 4 && m.len() == 2 => {
            return partial(year(y)?, Some(digits(m, 2).ok_or_else(wrong)?), None)
        }
        _ => {}
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if let [month, y] = words.as_slice() {
        let number = MONTHS
            .iter()
            .chain(MONTH_NAMES.iter())
            .position(|m| m.eq_ignore_ascii_case(month))
            .map(|i| (i % 12) as u32 + 1);
        if let Some(m) = number {
            return partial(year(y)?, Some(m), None);
        }
    }
    Err(wrong())
}

/// `YYYY-MM-DD`, or the date part of an ISO timestamp (`2025-05-24T10:00:00Z`,
/// `2025-05-24 10:00`). The error says what is wrong, for the warning.
pub fn iso(text: &str) -> Result<String, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .filter(|b| b.iter().all(u8::is_ascii_digit))
    };
    let shape = digits_at(0..4).is_some()
        && bytes.get(4) == Some(&b'-')
        && digits_at(5..7).is_some()
        && bytes.get(7) == Some(&b'-')
        && digits_at(8..10).is_some()
        && matches!(bytes.get(10), None | Some(b'T' | b't' | b' '));
    if !shape {
        return Err("expected a date like 2025-05-24".to_string());
    }
    // The first ten bytes are ASCII (checked above), so these slices are on char boundaries.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or_default();
    format(number(0..4), number(5..7), number(8..10))
}

/// arXiv's version date, "Mon, 2 Apr 2007 19:18:42 GMT" → "2007-04-02".
pub fn arxiv(text: &str) -> Result<String, String> {
    let shape = "expected a date like \"Mon, 2 Apr 2007 19:18:42 GMT\"";
    let mut words = text.split_whitespace();
    let _weekday = words.next();
    let day = words.next().and_then(|d| digits(d, 2)).ok_or(shape)?;
    let month = words.next().and_then(month_number).ok_or(shape)?;
    let year = year(words.next().ok_or(shape)?)?;
    format(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them_keep_their_precision() {
        assert_eq!(flexible("2024").unwrap(), "2024");
        assert_eq!(flexible("2024-03").unwrap(), "2024-03");
        assert_eq!(flexible("March 2024").unwrap(), "2024-03");
        assert_eq!(flexible("mar, 2024").unwrap(), "2024-03");
        assert_eq!(flexible("2024-03-05T10:00:00Z").unwrap(), "2024-03-05");
        for bad in ["24", "2024-3", "Smarch 2024", "2024-13", "March 24", ""] {
            assert!(flexible(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(partial(2024, None, None).unwrap(), "2024");
        assert_eq!(partial(2024, Some(3), None).unwrap(), "2024-03");
        assert_eq!(partial(2024, Some(2), Some(29)).unwrap(), "2024-02-29");
        assert!(partial(2023, Some(2), Some(29)).is_err());
        assert!(partial(2024, Some(13), None).is_err());
        assert!(partial(12024, None, None).is_err());
    }

    #[test]
    fn real_days_pass_and_impossible_ones_say_why() {
        assert_eq!(iso("2024-02-29").as_deref(), Ok("2024-02-29"));
        assert_eq!(iso(" 2000-02-29T00:00:00Z ").as_deref(), Ok("2000-02-29"));
        assert_eq!(iso("2025-12-31 23:59").as_deref(), Ok("2025-12-31"));
        for (bad, why) in [
            ("2025-02-29", "no day 29 in February 2025"),
            ("1900-02-29", "no day 29 in February 1900"),
            ("2025-02-30", "no day 30"),
            ("2025-04-31", "no day 31 in April"),
            ("2025-01-32", "no day 32"),
            ("2025-01-00", "no day 0"),
            ("2025-13-01", "no month 13"),
            ("2025-00-01", "no month 0"),
            ("2025\u{e9}01-01", "expected a date"),
            ("2025-01-01\u{e9}", "expected a date"),
            ("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}", "expected a date"),
            ("2025-1-01", "expected a date"),
            ("2025-01-011", "expected a date"),
            ("20251-01-01", "expected a date"),
            ("+025-01-01", "expected a date"),
            ("", "expected a date"),
        ] {
            let err = iso(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn arxiv_dates_need_a_real_day_and_a_four_digit_year() {
        assert_eq!(
            arxiv("Mon, 2 Apr 2007 19:18:42 GMT").as_deref(),
            Ok("2007-04-02")
        );
        for (bad, why) in [
            ("Mon, 99 Apr 123456", "four digits"),
            ("Mon, 99 Apr 2007", "no day 99 in April 2007"),
            ("Mon, 123 Apr 2007", "expected a date"),
            ("Mon, 9 Apr 123456", "four digits"),
            ("Mon, 31 Apr 2007", "no day 31 in April 2007"),
            ("Mon, 0 Apr 2007", "no day 0"),
            ("Mon, 2 Avr 2007", "expected a date"),
            ("Mon, +2 Apr 2007", "expected a date"),
            ("Mon, 2 Apr", "expected a date"),
            ("Mon, 2 Apr 207", "four digits"),
        ] {
            let err = arxiv(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn without_a_year_february_has_29_days() {
        assert_eq!(check(None, 2, 29), Ok(()));
        assert!(check(None, 2, 30).is_err());
        assert!(check(Some(10_000), 1, 1).is_err());
    }
}
