//! `folio search`: an index searched with the engine the browser runs.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use folio_engine::{Field, MatchKind};

use crate::output;

/// Searches the index in `dir` and prints the results, as text or as JSON.
pub fn run(dir: &Path, query: &str, json: bool, limit: usize) -> Result<()> {
    let loader = crate::open_index(dir)?;
    let results = folio_engine::load::block_on(loader.search(query, limit))
        .map_err(anyhow::Error::msg)?;
    // The hits' papers arrived with the search.
    let index = loader.index();
    let kind = |kind: MatchKind| match kind {
        MatchKind::Exact => "exact".to_string(),
        MatchKind::Stem => "stem".to_string(),
        MatchKind::Prefix => "prefix".to_string(),
        MatchKind::Fuzzy { distance } => format!("fuzzy{distance}"),
    };
    let field = |field: Field| match field {
        Field::Title => "title",
        Field::Abstract => "abstract",
    };
    if json {
        let hits: Vec<_> = results
            .hits
            .iter()
            .filter_map(|hit| {
                let paper = index.paper(hit.doc).ok().flatten()?;
                let explanation: Vec<_> = hit
                    .explanation
                    .iter()
                    .map(|c| {
                        serde_json::json!({"word": c.word, "term": c.term, "field": field(c.field),
                                           "kind": kind(c.kind), "score": c.score})
                    })
                    .collect();
                Some(serde_json::json!({
                    "id": paper.id,
                    "title": paper.title,
                    "score": hit.score,
                    "title_highlights": hit.title_highlights,
                    "snippet": paper.abstract_text.get(hit.snippet.start..hit.snippet.end),
                    "explanation": explanation,
                }))
            })
            .collect();
        let facets = &results.facets;
        let output = serde_json::json!({
            "total": results.total,
            "partial": results.partial,
            "results": hits,
            "facets": {
                "years": facets.years,
                "has_code": facets.has_code,
                "listings": facets.listings,
                "author_counts": facets.author_counts,
            },
            "suggestions": results.suggestions.iter().map(|s| &s.query).collect::<Vec<_>>(),
            "notice": results.notice,
            "damage": results.damage,
        });
        return output::print(|out| output::json(out, &output));
    }
    let what = if results.partial {
        "no paper matches every word; best partial matches"
    } else {
        "papers match"
    };
    // What the engine left out of a long query, and a damaged index, are said on stderr
    // (the results on stdout stay what a pipe expects).
    if let Some(notice) = &results.notice {
        output::warn(&format!("folio: note: {notice}"));
    }
    if let Some(damage) = &results.damage {
        output::warn(&format!(
            "folio: warning: {damage}; these results may be incomplete"
        ));
    }
    output::print(|out| {
        writeln!(out, "{} {what} {query:?}", results.total)?;
        for suggestion in &results.suggestions {
            writeln!(out, "did you mean: {}", suggestion.query)?;
        }
        for hit in &results.hits {
            if let Some(paper) = index.paper(hit.doc).ok().flatten() {
                writeln!(out, "{:7.3}  {}  {}", hit.score, paper.id, paper.title)?;
            }
        }
        Ok(())
    })
}
