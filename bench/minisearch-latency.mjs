// MiniSearch query latency, the peer for `make bench-query`. One module for both places it
// runs: node (bench/query-latency.mjs) and Chromium (tests/examples/latency.rs imports it
// into the built site's page). MiniSearch is configured as in bench/relevance.mjs: title
// boosted, prefix and fuzzy matching, AND with an OR fallback when AND finds nothing, and
// the query's filters applied as a result filter.

const year = (p) => (p.published && /^\d{4}/.test(p.published) ? Number(p.published.slice(0, 4)) : null);
/// Whether paper `p` passes a judged query's filter (`{year?, upvotes?, code?}`).
export const passes = (p, filter) =>
  !filter ||
  ((!filter.year || (year(p) !== null && year(p) >= filter.year[0] && year(p) <= filter.year[1])) &&
    (!filter.upvotes || ((p.upvotes ?? 0) >= filter.upvotes[0] && (p.upvotes ?? 0) <= filter.upvotes[1])) &&
    (!filter.code || (p.links ?? []).some((l) => l.kind === "code")));

/// Builds a MiniSearch index over `papers` (Folio's paper records).
export function buildMiniSearch(MiniSearch, papers) {
  const mini = new MiniSearch({
    fields: ["title", "abstract"],
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: "AND" },
  });
  mini.addAll(papers.map((p, i) => ({ id: i, title: p.title, abstract: p.abstract })));
  return mini;
}

/// The top 10 for one judged query (`{query, text?, filter?}`).
export function miniSearchTop10(mini, papers, q) {
  const text = q.text ?? q.query;
  const filter = (r) => passes(papers[r.id], q.filter);
  let hits = mini.search(text, { filter });
  if (hits.length === 0) hits = mini.search(text, { combineWith: "OR", filter });
  return hits.slice(0, 10);
}

/// Per query, the median over `batches` batches of the mean time of `runs` searches, in ms
/// (batching keeps a browser's coarse clock out of the way), in query order.
export function measure(mini, papers, queries, runs, batches, now) {
  return queries.map((q) => {
    miniSearchTop10(mini, papers, q);
    const means = [];
    for (let b = 0; b < batches; b++) {
      const start = now();
      for (let r = 0; r < runs; r++) miniSearchTop10(mini, papers, q);
      means.push((now() - start) / runs);
    }
    means.sort((a, b) => a - b);
    return means[Math.floor(means.length / 2)];
  });
}

export function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}
