// The collections of the scale benchmark, and the papers in them as the peers see them.
//
// - synthetic: `folio synth data --papers N --seed 42` (arXiv-snapshot JSON Lines), kept in
//   build/bench/arxiv-N.jsonl and reused when present;
// - real: the 10,808 Hugging Face Daily Papers of ../shared/collections (Folio JSON, gzip),
//   unpacked into build/bench/ (outside the repository) because `folio index` reads text
//   files only.
//
// `readPapers` reads either layout into {id, title, abstract, authors[], date} records, the
// fields the Pagefind pages carry and the query mix is chosen from.

import { execFileSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";

export const REAL = "real";

/** Where a size's collection file is, creating it when missing. */
export async function collectionFile({ size, repo, bench, shared }) {
  await mkdir(bench, { recursive: true });
  if (size === REAL) {
    const source = join(shared, "collections", "hf-daily-papers-10808.json.gz");
    const out = join(bench, "hf-daily-papers-10808.json");
    if (!existsSync(out)) {
      await pipeline(createReadStream(source), createGunzip(), createWriteStream(out + ".part"));
      renameSync(out + ".part", out);
    }
    return out;
  }
  const out = join(bench, `arxiv-${size}.jsonl`);
  if (!existsSync(out)) {
    execFileSync(
      join(repo, "target/release/folio"),
      ["synth", join(repo, "data"), "--papers", String(size), "--seed", "42", "--out", out],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
  }
  return out;
}

const MONTHS = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

/** `Mon, 14 Nov 2015 21:55:14 GMT` → `2015-11-14` (the arXiv snapshot's `created`). */
function arxivDate(created) {
  const m = /(\d{1,2}) (\w{3}) (\d{4})/.exec(created ?? "");
  if (!m || !MONTHS[m[2]]) return null;
  return `${m[3]}-${String(MONTHS[m[2]]).padStart(2, "0")}-${m[1].padStart(2, "0")}`;
}

function fromArxiv(record) {
  return {
    id: String(record.id),
    title: record.title,
    abstract: record.abstract,
    authors: (record.authors ?? "").split(/, | and /).map((a) => a.trim()).filter(Boolean),
    date: arxivDate(record.versions?.[0]?.created) ?? record.update_date ?? null,
  };
}

function fromFolio(record) {
  return {
    id: String(record.id),
    title: record.title,
    abstract: record.abstract,
    authors: record.authors ?? [],
    date: record.published ?? null,
  };
}

/** The papers of a collection file (JSON Lines in the arXiv layout, or Folio JSON). */
export function readPapers(file) {
  const text = readFileSync(file, "utf8");
  const start = text.trimStart();
  if (start.startsWith("{\"id\"") || (start.startsWith("{") && !/^\{\s*"papers"/.test(start))) {
    return text
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line))
      .map((r) => (r.versions ? fromArxiv(r) : fromFolio(r)));
  }
  const parsed = JSON.parse(text);
  return (Array.isArray(parsed) ? parsed : parsed.papers).map(fromFolio);
}
