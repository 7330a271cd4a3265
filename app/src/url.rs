//! The page's state in the URL hash, so reload, back/forward and a shared link restore it:
//! `#q=<query>&paper=<id>`. Filters and sort are part of the query text (`year:2025`,
//! `sort:date`), so the query alone carries them.

/// What the URL keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    /// The query text as typed, filters and sort included.
    pub query: String,
    /// The id of the open paper, if one is open.
    pub paper: Option<String>,
}

impl UrlState {
    /// Reads a location hash (with or without its `#`). Unknown keys are ignored and
    /// malformed escapes are kept as typed: any hash gives some state, never an error.
    pub fn from_hash(hash: &str) -> UrlState {
        let mut state = UrlState::default();
        for pair in hash.trim_start_matches('#').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "q" => state.query = decode(value),
                "paper" if !value.is_empty() => state.paper = Some(decode(value)),
                _ => {}
            }
        }
        state
    }

    /// The hash for this state, `#` included; the empty state is `#`.
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!("q={}", encode(&self.query)));
        }
        if let Some(paper) = &self.paper {
            parts.push(format!("paper={}", encode(paper)));
        }
        format!("#{}", parts.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters; spaces become `+` (readable links).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The byte a `%XX` escape at the start of `bytes` stands for: exactly two hex digits,
/// checked by hand (`u8::from_str_radix` would take `%+1` as byte 1).
fn escaped_byte(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [b'%', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
            let digit = |d: u8| (d as char).to_digit(16).map_or(0, |v| v as u8);
            Some(digit(*high) << 4 | digit(*low))
        }
        _ => None,
    }
}

/// Undoes [`encode`] (and any percent-encoding a browser or a person produced), never
/// failing: what does not decode is kept as typed. A `%` not followed by two hex digits is
/// a `%` (and what follows reads as usual, `+` as a space); escapes whose bytes are not
/// UTF-8 stay as their `%XX` text, so nothing is replaced by U+FFFD and a broken link still
/// shows what it held.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if escaped_byte(&bytes[i..]).is_some() {
            // A run of escapes decodes together (a character's UTF-8 bytes are escaped
            // one by one); each decoded byte came from exactly three characters of text.
            let start = i;
            let mut run = Vec::new();
            while let Some(byte) = escaped_byte(&bytes[i..]) {
                run.push(byte);
                i += 3;
            }
            let mut at = start;
            for chunk in run.utf8_chunks() {
                out.push_str(chunk.valid());
                at += 3 * chunk.valid().len();
                let invalid = 3 * chunk.invalid().len();
                out.push_str(&text[at..at + invalid]);
                at += invalid;
            }
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or('\0');
        out.push(if ch == '+' { ' ' } else { ch });
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_query_and_paper() {
        for (query, paper) in [
            ("", None),
            ("minecraft agents", None),
            (
                "\"theory of mind\" year:2023..2025 -has:code sort:date",
                Some("2505.23883"),
            ),
            ("100% & more = #1 +plus ü 中文", Some("t0123456789ab")),
            ("a&paper=x", Some("id with spaces&=")),
        ] {
            let state = UrlState {
                query: query.to_string(),
                paper: paper.map(str::to_string),
            };
            let hash = state.to_hash();
            assert!(!hash[1..].contains(['#', ' ']), "{hash}");
            assert_eq!(UrlState::from_hash(&hash), state, "{hash}");
        }
    }

    #[test]
    fn reads_what_people_and_browsers_write() {
        let state = UrlState::from_hash("#q=world%20models+2025&paper=2401.1&utm=x");
        assert_eq!(state.query, "world models 2025");
        assert_eq!(state.paper.as_deref(), Some("2401.1"));
        // Broken escapes and stray text never fail.
        assert_eq!(UrlState::from_hash("#q=100%&paper=").query, "100%");
        assert_eq!(UrlState::from_hash("#q=%e2%82%ac%41").query, "€A");
        assert_eq!(UrlState::from_hash(""), UrlState::default());
        assert_eq!(
            UrlState::from_hash("#paper=%2E%2E").paper.as_deref(),
            Some("..")
        );
        assert_eq!(UrlState::from_hash("#garbage"), UrlState::default());
    }

    #[test]
    fn escapes_are_exactly_two_hex_digits() {
        // Regression (issue 13): `u8::from_str_radix` takes a sign, so `%+1` was byte 1
        // and `%-0` failed only by luck.
        for (hash, query) in [
            ("#q=%+1", "% 1"),
            ("#q=%+1%zz%", "% 1%zz%"),
            ("#q=%-0x", "%-0x"),
            ("#q=% 1", "% 1"),
            ("#q=%4", "%4"),
            ("#q=%", "%"),
            ("#q=%%41", "%A"),
            ("#q=%4g", "%4g"),
            ("#q=%Ａ1", "%Ａ1"),
        ] {
            assert_eq!(UrlState::from_hash(hash).query, query, "{hash}");
        }
    }

    #[test]
    fn escapes_that_are_not_utf8_are_kept_as_typed() {
        for (hash, query) in [
            ("#q=%E0%A4", "%E0%A4"),
            ("#q=%zz%e2%82", "%zz%e2%82"),
            ("#q=%ff", "%ff"),
            ("#q=a%C3%A9%C3b", "aé%C3b"),
            ("#q=%80%e2%82%ac", "%80€"),
            ("#q=%ED%A0%80", "%ED%A0%80"),
            ("#q=é%C3%A9", "éé"),
        ] {
            assert_eq!(UrlState::from_hash(hash).query, query, "{hash}");
        }
    }
}
