//! A query that is a paper's arXiv id, as people paste it: `2403.11872`, `2403.11872v2`,
//! `arXiv:2403.11872`, `https://arxiv.org/abs/2403.11872v2`, `arxiv.org/pdf/2403.11872.pdf`,
//! `huggingface.co/papers/2403.11872`, or an old-style `cs/0112017`. The search puts that
//! paper first.

/// The arXiv id (without its version) the whole of `query` names, if it names one.
pub fn arxiv_id(query: &str) -> Option<String> {
    let text = query.trim();
    if text.is_empty() || text.len() > 200 || text.contains(char::is_whitespace) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    for scheme in ["https://", "http://"] {
        rest = rest.strip_prefix(scheme).unwrap_or(rest);
    }
    rest = rest.strip_prefix("www.").unwrap_or(rest);
    let mut from_url = false;
    for site in [
        "arxiv.org/abs/",
        "arxiv.org/pdf/",
        "huggingface.co/papers/",
        "export.arxiv.org/abs/",
    ] {
        if let Some(id) = rest.strip_prefix(site) {
            rest = id;
            from_url = true;
            break;
        }
    }
    if !from_url {
        rest = rest.strip_prefix("arxiv:").unwrap_or(rest);
    }
    if from_url {
        rest = rest.split(['?', '#']).next().unwrap_or(rest);
        rest = rest.trim_end_matches('/');
        rest = rest.strip_suffix(".pdf").unwrap_or(rest);
    }
    let id = without_version(rest);
    (new_style(id) || old_style(id)).then(|| id.to_string())
}

/// `2403.11872v2` → `2403.11872`.
fn without_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(v) if v > 0 && v + 1 < id.len() && id[v + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            &id[..v]
        }
        _ => id,
    }
}

/// `YYMM.NNNNN` (four or five digits after the dot).
fn new_style(id: &str) -> bool {
    let Some((yymm, number)) = id.split_once('.') else {
        return false;
    };
    yymm.len() == 4
        && (4..=5).contains(&number.len())
        && yymm
            .bytes()
            .chain(number.bytes())
            .all(|b| b.is_ascii_digit())
}

/// `archive/YYMMNNN` or `archive.XX/YYMMNNN` (`cs/0112017`, `math.ag/0601001`).
fn old_style(id: &str) -> bool {
    let Some((archive, number)) = id.split_once('/') else {
        return false;
    };
    let (name, subject) = archive.split_once('.').unwrap_or((archive, "ab"));
    let archive_ok = name.len() <= 20
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && subject.len() == 2
        && subject.bytes().all(|b| b.is_ascii_lowercase());
    archive_ok && number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_people_paste_them() {
        for pasted in [
            "2403.11872",
            " 2403.11872v2 ",
            "arXiv:2403.11872",
            "https://arxiv.org/abs/2403.11872v2",
            "http://www.arxiv.org/abs/2403.11872",
            "arxiv.org/pdf/2403.11872.pdf",
            "https://arxiv.org/pdf/2403.11872v1?download=1",
            "https://huggingface.co/papers/2403.11872",
        ] {
            assert_eq!(
                arxiv_id(pasted).as_deref(),
                Some("2403.11872"),
                "{pasted:?}"
            );
        }
        assert_eq!(arxiv_id("cs/0112017v1").as_deref(), Some("cs/0112017"));
        assert_eq!(arxiv_id("0704.0001").as_deref(), Some("0704.0001"));
    }

    #[test]
    fn other_queries_are_no_ids() {
        for query in [
            "2403.11872 agents",
            "2403",
            "v2",
            "gpt-4",
            "1.5",
            "12345.678",
            "https://example.org/2403.11872",
            "2403.11872x",
            "../0112017",
            "",
        ] {
            assert_eq!(arxiv_id(query), None, "{query:?}");
        }
    }
}
