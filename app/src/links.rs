//! Where a paper can be looked up, and which of its links may become `href`s.

use folio_engine::Paper;

/// `url` if it is an `http:` or `https:` URL (any case), else `None`: nothing else from
/// the data ever becomes a link.
pub fn safe_url(url: &str) -> Option<&str> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(url)
}

/// Is `id` an arXiv identifier, safe to put into an arXiv or Hugging Face URL path as it
/// is? Exactly these, all ASCII, nothing around them:
///
/// - new style: `YYMM.NNNN` or `YYMM.NNNNN` (`2505.23883`), month `01`..`12`;
/// - old style: `archive/YYMMNNN` (`cs/0112017`, `hep-th/9901001`), the archive lowercase
///   letters with single inner `-`, optionally `.` and a subject class of letters
///   (`math.GT/0309136`);
/// - either with a version `vN` (`2505.23883v2`, `cs/0112017v1`).
///
/// So no part is empty, `.` or `..`, and no `%`, `\`, `?`, `#` or second `/` can reach a
/// path: anything else gets a title search instead.
pub fn is_arxiv_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // The month of `YYMM...` (already known to be digits), 1 to 12.
    let month = |yymm: &str| match yymm.as_bytes() {
        [_, _, m1, m2, ..] => {
            let month = u32::from(m1.wrapping_sub(b'0')) * 10 + u32::from(m2.wrapping_sub(b'0'));
            (1..=12).contains(&month)
        }
        _ => false,
    };
    let unversioned = match id.rsplit_once('v') {
        Some((base, version)) if digits(version) => base,
        _ => id,
    };
    let new_style = |s: &str| {
        s.split_once('.').is_some_and(|(yymm, number)| {
            yymm.len() == 4
                && digits(yymm)
                && month(yymm)
                && (4..=5).contains(&number.len())
                && digits(number)
        })
    };
    // `hep-th`, `math.GT`: lowercase words joined by single `-`, then an optional class.
    let archive = |s: &str| {
        let (name, class) = match s.split_once('.') {
            Some((name, class)) => (name, Some(class)),
            None => (s, None),
        };
        name.split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
            && class.is_none_or(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphabetic()))
    };
    let old_style = |s: &str| {
        s.split_once('/').is_some_and(|(name, number)| {
            archive(name) && number.len() == 7 && digits(number) && month(number)
        })
    };
    new_style(unversioned) || old_style(unversioned)
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

    #[test]
    fn arxiv_ids_are_exactly_the_documented_grammar() {
        for good in [
            "0704.0001",
            "2505.23883",
            "2505.23883v2",
            "2505.23883v12",
            "cs/0112017",
            "cs/0112017v1",
            "hep-th/9901001",
            "cond-mat/0207270",
            "solv-int/9901001v2",
            "math.GT/0309136",
        ] {
            assert!(is_arxiv_id(good), "{good}");
        }
    }

    #[test]
    fn ids_that_would_change_a_url_path_are_not_arxiv_ids() {
        // Regression (issue 13): the old-style archive allowed any run of `.`, so `../` and
        // `./` went into https://arxiv.org/abs/<id> as path segments.
        for bad in [
            "",
            ".",
            "..",
            "./0112017",
            "../0112017",
            "../../0112017",
            "cs./0112017",
            ".cs/0112017",
            "math..GT/0309136",
            "math.GT.x/0309136",
            "math./0309136",
            "/0112017",
            "cs//0112017",
            "cs/0112017/",
            "cs/0112017/..",
            "cs/../0112017",
            "-/0112017",
            "hep-/9901001",
            "-th/9901001",
            "hep--th/9901001",
            "math.G-T/0309136",
            "CS/0112017",
            "2505.23883/..",
            "2505.23883/",
            "/2505.23883",
            "2505..23883",
            ".2505.23883",
            "2505.",
            ".23883",
            "2505.23883?x",
            "2505.23883#x",
            "2505%2E23883",
            "%2e%2e",
            "2505.23883%2F",
            "2505.23883\\..",
            "cs\\0112017",
            "2505.23883v",
            "2505.23883vv2",
            "2505.23883v2v3",
            "2505.23883v+2",
            "2505.238",
            "2505.238831",
            "25a5.23883",
            "+505.23883",
            "2505.+2388",
            "2513.23883",
            "2500.23883",
            "cs/0113017",
            " 2505.23883",
            "2505.23883 ",
            "２５０５.23883",
        ] {
            assert!(!is_arxiv_id(bad), "{bad:?}");
        }
    }
}
