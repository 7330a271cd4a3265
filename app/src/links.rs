//! Where a paper can be looked up, and which of its links may become `href`s.

use folio_engine::Paper;

/// `url` if it is an `http:` or `https:` URL (any case), else `None`: nothing else from
/// the data ever becomes a link.
pub fn safe_url(url: &str) -> Option<&str> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(url)
}

/// Is `id` an arXiv identifier (`2505.23883`, `2505.23883v2`, `cs/0101001`)?
pub fn is_arxiv_id(id: &str) -> bool {
    let new_style = |s: &str| {
        let (yymm, number) = s.split_once('.').unwrap_or(("", ""));
        let number = number.split_once('v').map_or(number, |(n, v)| {
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                n
            } else {
                ""
            }
        });
        yymm.len() == 4
            && yymm.bytes().all(|b| b.is_ascii_digit())
            && (4..=5).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
    };
    let old_style = |s: &str| {
        s.split_once('/').is_some_and(|(archive, number)| {
            !archive.is_empty()
                && archive
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.')
                && number.len() == 7
                && number.bytes().all(|b| b.is_ascii_digit())
        })
    };
    new_style(id) || old_style(id)
}

/// Percent-encodes a query-string value.
fn query_value(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The paper on arXiv: its page when the id is an arXiv id, else a title search.
pub fn arxiv(paper: &Paper) -> String {
    if is_arxiv_id(&paper.id) {
        format!("https://arxiv.org/abs/{}", paper.id)
    } else {
        format!(
            "https://arxiv.org/search/?searchtype=title&query={}",
            query_value(&paper.title)
        )
    }
}

/// The paper on Hugging Face Papers: its page when the id is an arXiv id, else a search.
pub fn hugging_face(paper: &Paper) -> String {
    if is_arxiv_id(&paper.id) {
        format!("https://huggingface.co/papers/{}", paper.id)
    } else {
        format!(
            "https://huggingface.co/papers?q={}",
            query_value(&paper.title)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_become_links() {
        assert_eq!(
            safe_url("https://github.com/x/y"),
            Some("https://github.com/x/y")
        );
        assert_eq!(safe_url("HTTP://example.org"), Some("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil",
            "ftp://x",
            "",
            "http:/x",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn arxiv_ids_give_pages_and_anything_else_a_title_search() {
        assert!(is_arxiv_id("2505.23883"));
        assert!(is_arxiv_id("2505.23883v2"));
        assert!(is_arxiv_id("cs/0101001"));
        assert!(!is_arxiv_id("t0123456789ab"));
        assert!(!is_arxiv_id("2505.23883v"));
        assert!(!is_arxiv_id("../../x"));
        let known = Paper {
            id: "2505.23883".into(),
            title: "BioCLIP 2".into(),
            ..Paper::default()
        };
        assert_eq!(arxiv(&known), "https://arxiv.org/abs/2505.23883");
        assert_eq!(
            hugging_face(&known),
            "https://huggingface.co/papers/2505.23883"
        );
        let unknown = Paper {
            id: "t0123456789ab".into(),
            title: "A & B: <C>".into(),
            ..Paper::default()
        };
        assert_eq!(
            arxiv(&unknown),
            "https://arxiv.org/search/?searchtype=title&query=A+%26+B%3A+%3CC%3E"
        );
        assert_eq!(
            hugging_face(&unknown),
            "https://huggingface.co/papers?q=A+%26+B%3A+%3CC%3E"
        );
    }
}
