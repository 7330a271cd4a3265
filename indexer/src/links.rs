//! Finds the links in a paper's text: `http` and `https` URLs only, with the punctuation that
//! ends a sentence around them trimmed off, and code repositories told apart from the rest.

use std::collections::HashSet;

use folio_engine::{Link, LinkKind};

/// Hosts whose links are source repositories.
const CODE_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sourceforge.net",
    "gitee.com",
    "sr.ht",
];

/// The `http(s)` URLs of `text`, in order of appearance, each once.
pub fn find_links(text: &str) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        from = start + 4;
        let rest = &lower[start..];
        let scheme_len = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            continue;
        };
        // A URL glued to a preceding word ("seehttp://") is not trusted to start here.
        if text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '\\'))
            .map_or(text.len(), |n| start + n);
        let url = trim_url(&text[start..end]);
        from = start + url.len().max(4);
        let Some(host) = host(&url[scheme_len..]) else {
            continue;
        };
        // The scheme in lowercase (it is case-insensitive, RFC 3986 §3.1): the page and
        // anything else reading the index need only look for `http://` and `https://`.
        let url = format!(
            "{}{}",
            &lower[start..start + scheme_len],
            &url[scheme_len..]
        );
        if !seen.insert(url.clone()) {
            continue;
        }
        let host = host.to_ascii_lowercase();
        let is_code = CODE_HOSTS
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
            && !host.ends_with(".github.io");
        links.push(Link {
            url,
            kind: if is_code {
                LinkKind::Code
            } else {
                LinkKind::Project
            },
        });
    }
    links
}

/// Drops sentence punctuation after a URL, and a closing bracket it does not open.
fn trim_url(url: &str) -> &str {
    const PAIRS: [(u8, u8); 3] = [(b'(', b')'), (b'[', b']'), (b'{', b'}')];
    // Brackets are counted once and the counts kept as the end moves: counting again for
    // each trimmed bracket would be quadratic in a URL followed by many of them.
    let opens = PAIRS.map(|(open, _)| url.bytes().filter(|&b| b == open).count());
    let mut closes = PAIRS.map(|(_, close)| url.bytes().filter(|&b| b == close).count());
    let bytes = url.as_bytes();
    let mut end = bytes.len();
    // Everything trimmed is ASCII, so every `end` here is a char boundary.
    while let Some(&last) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if let Some(pair) = PAIRS.iter().position(|&(_, close)| close == last) {
            if opens[pair] >= closes[pair] {
                break;
            }
            closes[pair] -= 1;
        } else if !matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*') {
            break;
        }
        end -= 1;
    }
    &url[..end]
}

/// The host of a URL without its scheme, when it looks like a real one (`name.tld`).
fn host(after_scheme: &str) -> Option<&str> {
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let valid = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    valid.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<(String, LinkKind)> {
        find_links(text)
            .into_iter()
            .map(|l| (l.url, l.kind))
            .collect()
    }

    #[test]
    fn code_hosts_are_told_apart_from_project_pages() {
        assert_eq!(
            urls("Code: https://github.com/a/b. Page: https://a.github.io/ and http://x.org/p?q=1"),
            [
                ("https://github.com/a/b".into(), LinkKind::Code),
                ("https://a.github.io/".into(), LinkKind::Project),
                ("http://x.org/p?q=1".into(), LinkKind::Project),
            ]
        );
        assert_eq!(urls("see https://gitlab.com/g/p;")[0].1, LinkKind::Code);
    }

    #[test]
    fn only_http_and_https_are_links() {
        assert!(urls("javascript:alert(1) ftp://x.org/f data:text/html,hi httpx://a.b").is_empty());
        assert!(urls("https:// nothing and http://localhost").is_empty());
    }

    #[test]
    fn brackets_are_trimmed_unless_the_url_opens_them() {
        assert_eq!(
            urls("(at https://x.org/a), https://en.wikipedia.org/wiki/A_(b)")
                .into_iter()
                .map(|u| u.0)
                .collect::<Vec<_>>(),
            ["https://x.org/a", "https://en.wikipedia.org/wiki/A_(b)"]
        );
        assert_eq!(urls(r"\url{https://x.org/a}")[0].0, "https://x.org/a");
    }

    /// Regression (issue 13, item 3): every trailing bracket re-counted the brackets of the
    /// whole URL, quadratic in its length. This pins the linear trim: 200,000 closing
    /// brackets are about 10^11 character visits when quadratic, which would not finish in
    /// a test run.
    #[test]
    fn a_url_followed_by_many_brackets_is_trimmed_in_linear_time() {
        let n = 200_000;
        for tail in [")", "]", "}", ").", "]},;"] {
            let text = format!("see https://x.org/a{}", tail.repeat(n));
            assert_eq!(urls(&text), [("https://x.org/a".into(), LinkKind::Project)]);
        }
        // Balanced brackets belong to the URL, however many.
        let balanced = format!("https://x.org/{}{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(
            urls(&format!("{balanced})).")),
            [(balanced, LinkKind::Project)]
        );
    }

    /// Regression (issue 13, item 3): each link was checked against every earlier one,
    /// quadratic in the number of links. This pins the linear de-duplication: 100,000
    /// links, each twice, would take minutes when quadratic.
    #[test]
    fn many_links_are_deduplicated_in_linear_time_in_order() {
        let n = 100_000;
        let text: String = (0..2 * n)
            .map(|i| format!("https://x.org/{} ", i % n))
            .collect();
        let found = urls(&text);
        assert_eq!(found.len(), n);
        assert!(found
            .iter()
            .enumerate()
            .all(|(i, (url, _))| *url == format!("https://x.org/{i}")));
    }

    #[test]
    fn repeated_urls_are_kept_once_and_case_of_scheme_is_ignored() {
        assert_eq!(urls("HTTPS://X.org/a and HTTPS://X.org/a").len(), 1);
        // Regression (found by the listing and jsonl fuzz targets): the scheme was kept
        // as written, so "Https://…" reached the index though readers look for
        // "https://"; and "Https://x" and "https://x" were two links.
        assert_eq!(
            urls("see Https://github.com/MineDojo/Voyager and https://github.com/MineDojo/Voyager"),
            [(
                "https://github.com/MineDojo/Voyager".to_string(),
                LinkKind::Code
            )]
        );
    }
}
