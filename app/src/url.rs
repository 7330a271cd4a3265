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

/// Undoes [`encode`] (and any percent-encoding a browser or a person produced). Invalid
/// escapes stay as they are; bytes that are not UTF-8 become U+FFFD.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(byte) = hex {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
        assert_eq!(UrlState::from_hash("#q=%zz%e2%82").query, "%zz\u{fffd}");
        assert_eq!(UrlState::from_hash(""), UrlState::default());
        assert_eq!(UrlState::from_hash("#garbage"), UrlState::default());
    }
}
