// The fixed mix of cold queries, chosen from the collection so every query means something
// there: the words are checked to occur, the filter year is one the collection has, and the
// typo is one deletion from a rare title word of one known paper (so "is the intended
// paper in the top 5" can be checked).
//
// Each query has: its name, the text a person types (`text`, Folio's query language), and
// how each tool runs it: `folio` is the URL hash of the Folio site, `pagefind` the
// `{q, filters}` of the Pagefind search page (null: Pagefind cannot do it).

const WORD = /[\p{L}\p{N}]+/gu;

function words(text) {
  return (text.toLowerCase().match(WORD) ?? []);
}

/** Folio's hash for a query and an open paper (app/src/url.rs: `#q=<query>&paper=<id>`). */
export function folioHash(query, paper = null) {
  const encode = (text) =>
    Array.from(new TextEncoder().encode(text), (b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~:]/.test(c)) return c;
      if (c === " ") return "+";
      return "%" + b.toString(16).toUpperCase().padStart(2, "0");
    }).join("");
  const parts = [];
  if (query) parts.push(`q=${encode(query)}`);
  if (paper) parts.push(`paper=${encode(paper)}`);
  return "#" + parts.join("&");
}

/** How many papers hold each word (title or abstract), and the title words of each paper. */
function vocabulary(papers) {
  const df = new Map();
  for (const paper of papers) {
    for (const w of new Set(words(`${paper.title} ${paper.abstract}`))) df.set(w, (df.get(w) ?? 0) + 1);
  }
  return df;
}

function holds(papers, needle) {
  const n = needle.toLowerCase();
  return papers.reduce((count, p) => count + (`${p.title} ${p.abstract}`.toLowerCase().includes(n) ? 1 : 0), 0);
}

/** A rare title word (in one paper only, 8 to 12 letters) and a one-letter deletion of it
 *  that is no word of the collection; the first such paper in collection order. */
function typoTarget(papers, df) {
  for (const paper of papers) {
    for (const word of words(paper.title)) {
      if (!/^\p{L}{8,12}$/u.test(word) || df.get(word) !== 1) continue;
      const at = Math.floor(word.length / 2);
      const typo = word.slice(0, at) + word.slice(at + 1);
      if (df.has(typo) || typo[0] !== word[0]) continue;
      return { word, typo, id: paper.id, title: paper.title };
    }
  }
  return null;
}

/** The year to filter on: 2024 when the collection has it, else its most common year. */
function filterYear(papers) {
  const years = new Map();
  for (const p of papers) {
    const y = p.date?.slice(0, 4);
    if (y) years.set(y, (years.get(y) ?? 0) + 1);
  }
  if ((years.get("2024") ?? 0) > 0) return "2024";
  return [...years.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "2024";
}

/** The first of `options` that the collection holds (as text), else the first. */
function firstHeld(papers, options) {
  return options.find((o) => holds(papers, o) > 0) ?? options[0];
}

export function chooseQueries(papers) {
  const df = vocabulary(papers);
  const one = firstHeld(papers, ["minecraft", "robot", "agents"]);
  const two = ["reinforcement learning agents", "reinforcement learning", "language model agents"].find(
    (q) => q.split(" ").every((w) => df.has(w)),
  ) ?? "reinforcement learning agents";
  const prefix = firstHeld(papers, ["reinfor", "multimo", "languag"]);
  const phrase = firstHeld(papers, ["world model", "language model"]);
  const year = filterYear(papers);
  const typo = typoTarget(papers, df);
  // The paper to open: the typo's target (known to exist), else the first paper.
  const paper = typo?.id ?? papers[0]?.id;
  const mix = [
    { name: "one word", text: one, folio: folioHash(one), pagefind: { q: one } },
    { name: "two words", text: two, folio: folioHash(two), pagefind: { q: two } },
    // Typed without a trailing space: Folio reads the last word as a prefix.
    { name: "prefix (typing)", text: prefix, folio: folioHash(prefix), pagefind: { q: prefix } },
    typo && {
      name: "typo",
      text: typo.typo,
      folio: folioHash(typo.typo),
      pagefind: { q: typo.typo },
      target: { id: typo.id, title: typo.title, word: typo.word },
    },
    {
      name: "phrase",
      text: `"${phrase}"`,
      folio: folioHash(`"${phrase}"`),
      pagefind: { q: `"${phrase}"` },
    },
    {
      name: "filter + counts",
      text: `agents year:${year}`,
      folio: folioHash(`agents year:${year}`),
      pagefind: { q: "agents", filters: { year } },
    },
    // Nothing typed: Folio lists the collection newest first. Pagefind cannot list.
    { name: "browse by date", text: "", folio: folioHash(""), pagefind: null, browse: true },
    // A shared link to one paper. Pagefind's equivalent is the paper's own static page.
    { name: "open a paper", text: `paper:${paper}`, folio: folioHash("", paper), pagefind: { page: paper }, paper },
  ].filter(Boolean);
  return { mix, year, typo };
}
