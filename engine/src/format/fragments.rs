//! Paper pieces: the records of consecutive papers, as a JSON array of
//! [`Paper`](crate::Paper)s (the serde form the indexer writes), fetched only for the
//! results on screen and the paper opened.

use crate::model::Paper;

/// Writes a paper piece.
pub(crate) fn encode_piece(papers: &[Paper]) -> Vec<u8> {
    serde_json::to_vec(papers).expect("papers serialize to JSON")
}

/// Reads a paper piece that should hold `expected` papers.
pub(crate) fn decode_piece(body: &[u8], expected: usize) -> Result<Vec<Paper>, String> {
    let papers: Vec<Paper> = super::json::parse(body)?;
    check(&papers, expected)?;
    Ok(papers)
}

/// What a paper piece must hold, however it was parsed.
pub(crate) fn check(papers: &[Paper], expected: usize) -> Result<(), String> {
    if papers.len() != expected {
        return Err(format!(
            "it holds {} papers where the manifest places {expected}",
            papers.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkKind};

    #[test]
    fn papers_round_trip_and_their_count_is_checked() {
        let papers = vec![
            Paper {
                id: "2505.12345".into(),
                title: "Quotes \" and \\ back\nslashes, 中文, 😀, \u{1}".into(),
                abstract_text: "<script>alert(1)</script> & more".into(),
                authors: vec!["Ada".into()],
                upvotes: Some(u32::MAX),
                links: vec![Link {
                    url: "https://github.com/x/y".into(),
                    kind: LinkKind::Code,
                }],
                ..Paper::default()
            },
            Paper::default(),
        ];
        let body = encode_piece(&papers);
        assert_eq!(decode_piece(&body, 2), Ok(papers));
        assert!(decode_piece(&body, 3)
            .unwrap_err()
            .contains("holds 2 papers"));
        assert!(decode_piece(&body[..body.len() - 1], 2).is_err());
        let err = decode_piece(br#"[{"id":"x","abstract":"A"}]"#, 1).unwrap_err();
        assert!(err.contains("missing field `title`"), "{err}");
    }
}
