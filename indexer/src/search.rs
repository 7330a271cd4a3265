//! `folio search`: an index searched with the engine the browser runs.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use folio_engine::{Field, MatchKind};

use crate::output;

/// Searches the index in `dir` and prints the results, as text or as JSON; with `pieces`,
/// what the search fetched too (on stderr).
pub fn run(dir: &Path, query: &str, json: bool, limit: usize, pieces: bool) -> Result<()> {
    let loader = crate::open_index(dir)?;
    let mut rounds = Vec::new();
    let results = folio_engine::load::block_on(
        loader.run_traced(|index| index.search(query, limit), &mut rounds),
    )
    .map_err(anyhow::Error::msg)?;
    if pieces {
        report_pieces(dir, &loader, &rounds)?;
    }
    // The hits' papers arrived with the search.
    let index = loader.index();
    let kind = |kind: MatchKind| match kind {
        MatchKind::Exact => "exact".to_string(),
        MatchKind::Stem => "stem".to_string(),
        MatchKind::Prefix => "prefix".to_string(),
        MatchKind::Fuzzy { distance } => format!("fuzzy{distance}"),
        MatchKind::Id => "id".to_string(),
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

/// A file's size as stored and as gzip -9 would send it.
fn sizes(path: &Path) -> Result<(u64, u64)> {
    use std::io::Write as _;
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    let gzip = gz.finish()?.len().min(bytes.len());
    Ok((bytes.len() as u64, gzip as u64))
}

/// Says on stderr which pieces each round of the search asked for, and their sizes.
fn report_pieces(
    dir: &Path,
    loader: &folio_engine::load::Loader<folio_engine::load::DirFetch>,
    rounds: &[Vec<folio_engine::PieceId>],
) -> Result<()> {
    let kb = |n: u64| n as f64 / 1000.0;
    let (raw, gzip) = sizes(&dir.join(folio_engine::MANIFEST_FILE))?;
    let mut lines = vec![format!(
        "manifest: {:.1} kB ({:.1} kB gzip)",
        kb(raw),
        kb(gzip)
    )];
    let (mut total_raw, mut total_gzip, mut count) = (0, 0, 0);
    for (n, round) in rounds.iter().enumerate() {
        let (mut round_raw, mut round_gzip) = (0, 0);
        let mut names = Vec::new();
        for &id in round {
            let name = loader.index().file_name(id);
            if id.is_record() {
                // A range of its record file, compressed already: as a host sends it.
                let (start, len) = loader
                    .index()
                    .record_range(id)
                    .map_err(anyhow::Error::msg)?;
                round_raw += len;
                round_gzip += len;
                names.push(format!("{name}@{start}+{len}"));
                continue;
            }
            let (raw, gzip) = sizes(&dir.join(&name))?;
            round_raw += raw;
            round_gzip += gzip;
            names.push(name);
        }
        count += round.len();
        total_raw += round_raw;
        total_gzip += round_gzip;
        lines.push(format!(
            "round {}: {} pieces, {:.1} kB ({:.1} kB gzip): {}",
            n + 1,
            round.len(),
            kb(round_raw),
            kb(round_gzip),
            names.join(" ")
        ));
    }
    lines.push(format!(
        "pieces: {count} in {} rounds, {:.1} kB ({:.1} kB gzip), the manifest aside",
        rounds.len(),
        kb(total_raw),
        kb(total_gzip)
    ));
    for line in lines {
        output::warn(&line);
    }
    Ok(())
}
