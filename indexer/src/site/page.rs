//! The site's page (`index.html` of the shell) with the collection's title and description:
//! in `<title>`, in `<meta name="description">`, and in `<meta name="application-name">`,
//! which the explorer reads for its header, with the day it was made
//! (`<meta name="folio-indexed">`).

use anyhow::{bail, Result};

use super::Meta;

pub fn with_meta(page: &str, meta: &Meta) -> Result<String> {
    let title = escape(&meta.title);
    let description = escape(&meta.description);
    let Some(page) = replace_between(page, "<title>", "</title>", &title) else {
        bail!("the shell's index.html has no <title>: run `make shell` and build folio again");
    };
    let tag = "<meta name=\"description\" content=\"";
    let Some(page) = replace_between(&page, tag, "\"", &description) else {
        bail!("the shell's index.html has no description: run `make shell` and build folio again");
    };
    let mut name = format!(
        "<title>{title}</title>\n    <meta name=\"application-name\" content=\"{title}\" />"
    );
    if let Some(day) = &meta.indexed {
        let day = escape(day);
        name.push_str(&format!(
            "\n    <meta name=\"folio-indexed\" content=\"{day}\" />"
        ));
    }
    Ok(page.replacen(&format!("<title>{title}</title>"), &name, 1))
}

/// `text` with what is between the first `start` and the next `end` after it replaced.
fn replace_between(text: &str, start: &str, end: &str, with: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(format!("{}{with}{}", &text[..from], &text[to..]))
}

/// Text safe in HTML text and in a double- or single-quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<head>\n    <meta name=\"description\" content=\"Search.\" />\n    <title>Folio — explore the papers</title>\n</head>";

    #[test]
    fn title_and_description_replace_the_shells() {
        let meta = Meta {
            title: "Lab reading list".into(),
            description: "Papers we read in 2025".into(),
            indexed: Some("2026-12-07".into()),
        };
        let page = with_meta(PAGE, &meta).unwrap();
        assert!(page.contains("<title>Lab reading list</title>"), "{page}");
        assert!(
            page.contains("content=\"Papers we read in 2025\""),
            "{page}"
        );
        assert!(
            page.contains("<meta name=\"application-name\" content=\"Lab reading list\" />"),
            "{page}"
        );
        assert!(
            page.contains("<meta name=\"folio-indexed\" content=\"2026-12-07\" />"),
            "{page}"
        );
        assert!(!page.contains("Folio — explore"), "{page}");
    }

    #[test]
    fn markup_in_a_title_stays_text() {
        let meta = Meta {
            title: "</title><script>alert(1)</script>".into(),
            description: "\" onload=\"alert(1)".into(),
            indexed: None,
        };
        let page = with_meta(PAGE, &meta).unwrap();
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("\" onload"), "{page}");
        assert!(page.contains("&lt;/title&gt;&lt;script&gt;"), "{page}");
    }

    #[test]
    fn a_page_without_a_title_is_an_error() {
        assert!(with_meta("<head></head>", &Meta::default()).is_err());
    }
}
