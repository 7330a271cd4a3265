//! The index format, defined once for the writer (indexer) and the reader (browser, CLI).
//!
//! An index is a directory of files behind one small, uncached entry point:
//!
//! ```text
//! manifest.json              versions, counts, and the names of the files below
//! terms.<hash>.fst           fst map: term → byte offset of its postings list
//! postings.<hash>.bin        per term: the papers holding it, with term frequencies
//! positions.<hash>.bin       per term: where in each paper it occurs (for phrases)
//! papers.<hash>.json         the paper records, field lengths and topics
//! ```
//!
//! Every file but the manifest is named by a hash of its content, so a host may cache it
//! forever, and a reader checks each file's length and hash against the manifest: a
//! truncated or stale download is reported in words, never decoded into nonsense.
//!
//! A postings list starts on a byte, at the offset the fst gives for its term:
//!
//! ```text
//! doc_count          LEB128 varint
//! positions_offset   LEB128 varint: where the term's block starts in positions.bin
//! k                  one byte: the Rice parameter of the doc gaps, chosen by the writer
//!                    from the mean gap (paper count / doc_count)
//! then a bit stream (most significant bit first, zero-padded to a byte), per document:
//!   doc gap          Rice code (parameter k) of the ordinal minus the previous one minus 1
//!                    (the first: the ordinal itself)
//!   fields           0   in the abstract only, once
//!                    10  in the title only, once
//!                    11  then 2 bits of field mask (bit 1 title, bit 0 abstract), then for
//!                        each field in the mask, in field order, the Elias gamma code of
//!                        its term frequency
//! ```
//!
//! A positions block is a bit stream too: for each document of the list, for each field
//! holding the term, its `tf` positions as Rice codes (parameter [`POSITION_RICE`] of the
//! field): the first position itself, then each gap minus 1.
//!
//! Gaps follow geometric distributions, for which Rice codes are near optimal; on the
//! bundled collection and on synthetic arXiv data this is 2.5–3 times smaller than
//! byte-aligned varints, and gzip finds little left to squeeze.
//!
//! Positions live apart from postings, as in Lucene, so a reader can rank without ever
//! downloading them and fetch them only for phrase queries. The term dictionary is sorted
//! and each list and block is a contiguous byte range found through its offsets, so a
//! later version can cut the fst, postings and positions into term-range shards loaded on
//! demand without touching the analyzer or this list layout.

use serde::{Deserialize, Serialize};

use crate::bits::{rice_parameter, BitReader, BitWriter, BitsError};
use crate::json::{self, required, Reader};
use crate::model::{Field, Link, LinkKind, Paper, Topic};

/// Written into every manifest; a reader refuses any other.
pub const FORMAT_VERSION: u32 = 2;

/// Rice parameter of positions, per field (titles are short, abstracts some 200 tokens).
pub const POSITION_RICE: [u32; Field::COUNT] = [2, 6];

/// Name of the entry-point file of an index directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The entry point of an index: what a reader fetches first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"folio-index"`; tells a Folio index from some other JSON.
    pub format: String,
    pub format_version: u32,
    pub analyzer_version: u32,
    pub papers: u32,
    pub terms: u64,
    pub files: IndexFiles,
}

/// The content-addressed files of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFiles {
    pub terms: FileRef,
    pub postings: FileRef,
    pub positions: FileRef,
    pub papers: FileRef,
}

/// A file of the index: its name (which holds its hash), its size and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub name: String,
    pub bytes: u64,
    pub hash: String,
}

impl FileRef {
    /// Describes `data`, to be stored as `<stem>.<hash>.<ext>`.
    pub fn for_data(stem: &str, ext: &str, data: &[u8]) -> FileRef {
        let hash = content_hash(data);
        FileRef {
            name: format!("{stem}.{hash}.{ext}"),
            bytes: data.len() as u64,
            hash,
        }
    }

    /// Checks that `data` is the file this reference describes.
    pub fn verify(&self, data: &[u8]) -> Result<(), FormatError> {
        if data.len() as u64 != self.bytes {
            return Err(FormatError::Truncated {
                file: self.name.clone(),
                expected: self.bytes,
                got: data.len() as u64,
            });
        }
        let got = content_hash(data);
        if got != self.hash {
            return Err(FormatError::HashMismatch {
                file: self.name.clone(),
                expected: self.hash.clone(),
                got,
            });
        }
        Ok(())
    }
}

impl Manifest {
    /// Parses and checks a manifest. Another format or analyzer version is an error that
    /// names both versions.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest, FormatError> {
        let manifest = json::parse(bytes, Manifest::read).map_err(|e| FormatError::Corrupt {
            file: MANIFEST_FILE.into(),
            reason: e.to_string(),
        })?;
        if manifest.format != "folio-index" {
            return Err(FormatError::Corrupt {
                file: MANIFEST_FILE.into(),
                reason: format!(
                    "format is \"{}\", expected \"folio-index\"",
                    manifest.format
                ),
            });
        }
        if manifest.format_version != FORMAT_VERSION {
            return Err(FormatError::Version {
                what: "index format",
                expected: FORMAT_VERSION,
                got: manifest.format_version,
            });
        }
        if manifest.analyzer_version != crate::analyze::ANALYZER_VERSION {
            return Err(FormatError::Version {
                what: "analyzer",
                expected: crate::analyze::ANALYZER_VERSION,
                got: manifest.analyzer_version,
            });
        }
        Ok(manifest)
    }
}

impl Manifest {
    fn read(r: &mut Reader) -> json::Result<Manifest> {
        let (mut format, mut format_version, mut analyzer_version) = (None, None, None);
        let (mut papers, mut terms, mut files) = (None, None, None);
        r.object(|r, key| {
            match key {
                "format" => format = Some(r.string()?),
                "format_version" => format_version = Some(r.u32()?),
                "analyzer_version" => analyzer_version = Some(r.u32()?),
                "papers" => papers = Some(r.u32()?),
                "terms" => terms = Some(r.u64()?),
                "files" => files = Some(IndexFiles::read(r)?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(Manifest {
            format: required(r, format, "format")?,
            format_version: required(r, format_version, "format_version")?,
            analyzer_version: required(r, analyzer_version, "analyzer_version")?,
            papers: required(r, papers, "papers")?,
            terms: required(r, terms, "terms")?,
            files: required(r, files, "files")?,
        })
    }
}

impl IndexFiles {
    fn read(r: &mut Reader) -> json::Result<IndexFiles> {
        let (mut terms, mut postings, mut positions, mut papers) = (None, None, None, None);
        r.object(|r, key| {
            let slot = match key {
                "terms" => &mut terms,
                "postings" => &mut postings,
                "positions" => &mut positions,
                "papers" => &mut papers,
                _ => return r.skip(),
            };
            *slot = Some(FileRef::read(r)?);
            Ok(())
        })?;
        Ok(IndexFiles {
            terms: required(r, terms, "terms")?,
            postings: required(r, postings, "postings")?,
            positions: required(r, positions, "positions")?,
            papers: required(r, papers, "papers")?,
        })
    }
}

impl FileRef {
    fn read(r: &mut Reader) -> json::Result<FileRef> {
        let (mut name, mut bytes, mut hash) = (None, None, None);
        r.object(|r, key| {
            match key {
                "name" => name = Some(r.string()?),
                "bytes" => bytes = Some(r.u64()?),
                "hash" => hash = Some(r.string()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(FileRef {
            name: required(r, name, "name")?,
            bytes: required(r, bytes, "bytes")?,
            hash: required(r, hash, "hash")?,
        })
    }
}

/// Content of `papers.<hash>.json`: the records, and per paper the token count of each
/// field (for BM25 length normalization), in document-ordinal order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PapersFile {
    pub papers: Vec<Paper>,
    pub field_lengths: Vec<[u32; Field::COUNT]>,
    /// The collection's key phrases, most widespread first.
    #[serde(default)]
    pub topics: Vec<Topic>,
}

impl PapersFile {
    /// Parses the papers file (as written by the indexer with `serde_json`). Keys this
    /// version does not know are passed over.
    pub fn from_json(bytes: &[u8]) -> Result<PapersFile, json::JsonError> {
        json::parse(bytes, |r| {
            let (mut papers, mut field_lengths, mut topics) = (None, None, Vec::new());
            r.object(|r, key| {
                match key {
                    "papers" => {
                        let mut list = Vec::new();
                        r.array(|r| {
                            list.push(read_paper(r)?);
                            Ok(())
                        })?;
                        papers = Some(list);
                    }
                    "field_lengths" => {
                        let mut list = Vec::new();
                        r.array(|r| {
                            let mut lengths = [0; Field::COUNT];
                            let mut n = 0;
                            r.array(|r| {
                                let length = r.u32()?;
                                *lengths
                                    .get_mut(n)
                                    .ok_or_else(|| r.error("too many field lengths"))? = length;
                                n += 1;
                                Ok(())
                            })?;
                            if n != Field::COUNT {
                                return Err(r.error("too few field lengths"));
                            }
                            list.push(lengths);
                            Ok(())
                        })?;
                        field_lengths = Some(list);
                    }
                    "topics" => r.array(|r| {
                        let (mut phrase, mut papers) = (None, None);
                        r.object(|r, key| {
                            match key {
                                "phrase" => phrase = Some(r.string()?),
                                "papers" => papers = Some(r.u32()?),
                                _ => r.skip()?,
                            }
                            Ok(())
                        })?;
                        topics.push(Topic {
                            phrase: required(r, phrase, "phrase")?,
                            papers: required(r, papers, "papers")?,
                        });
                        Ok(())
                    })?,
                    _ => r.skip()?,
                }
                Ok(())
            })?;
            Ok(PapersFile {
                papers: required(r, papers, "papers")?,
                field_lengths: required(r, field_lengths, "field_lengths")?,
                topics,
            })
        })
    }
}

/// One [`Paper`] record, as `serde_json` writes it.
fn read_paper(r: &mut Reader) -> json::Result<Paper> {
    let mut paper = Paper::default();
    let (mut id, mut title, mut abstract_text) = (None, None, None);
    r.object(|r, key| {
        match key {
            "id" => id = Some(r.string()?),
            "title" => title = Some(r.string()?),
            "abstract" => abstract_text = Some(r.string()?),
            "authors" => paper.authors = r.strings()?,
            "author_count" => paper.author_count = r.nullable(Reader::u32)?,
            "organization" => paper.organization = r.nullable(Reader::string)?,
            "published" => paper.published = r.nullable(Reader::string)?,
            "upvotes" => paper.upvotes = r.nullable(Reader::u32)?,
            "categories" => paper.categories = r.strings()?,
            "links" => r.array(|r| {
                let (mut url, mut kind) = (None, None);
                r.object(|r, key| {
                    match key {
                        "url" => url = Some(r.string()?),
                        "kind" => {
                            kind = Some(match r.string()?.as_str() {
                                "code" => LinkKind::Code,
                                "project" => LinkKind::Project,
                                _ => return Err(r.error("expected link kind `code` or `project`")),
                            })
                        }
                        _ => r.skip()?,
                    }
                    Ok(())
                })?;
                paper.links.push(Link {
                    url: required(r, url, "url")?,
                    kind: required(r, kind, "kind")?,
                });
                Ok(())
            })?,
            "listings" => paper.listings = r.strings()?,
            "similar" => paper.similar = r.strings()?,
            "key_phrases" => paper.key_phrases = r.strings()?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    paper.id = required(r, id, "id")?;
    paper.title = required(r, title, "title")?;
    paper.abstract_text = required(r, abstract_text, "abstract")?;
    Ok(paper)
}

/// Why index files could not be read. Every variant says what to do in its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    Version {
        what: &'static str,
        expected: u32,
        got: u32,
    },
    Truncated {
        file: String,
        expected: u64,
        got: u64,
    },
    HashMismatch {
        file: String,
        expected: String,
        got: String,
    },
    Corrupt {
        file: String,
        reason: String,
    },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Version {
                what,
                expected,
                got,
            } => write!(
                f,
                "the index was built with {what} version {got}, but this reader needs version \
                 {expected}; rebuild the index with a matching `folio index`"
            ),
            FormatError::Truncated {
                file,
                expected,
                got,
            } => write!(
                f,
                "{file} is {got} bytes but the manifest says {expected}: the file is truncated \
                 or from another build; re-upload the whole index directory"
            ),
            FormatError::HashMismatch {
                file,
                expected,
                got,
            } => write!(
                f,
                "{file} has content hash {got} but the manifest says {expected}: the file is \
                 damaged or from another build; re-upload the whole index directory"
            ),
            FormatError::Corrupt { file, reason } => {
                write!(f, "{file} is not a valid Folio index file: {reason}")
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// Checks an fst's own checksum (format 3: a masked CRC-32C of all bytes but the last four,
/// stored in those four), as `fst::raw::Fst::verify` does, but with a 1 KB table built per
/// call instead of the fst crate's 16 KB static slicing tables: the same check, 16 KB less
/// wasm to download. At about a byte per step it takes milliseconds on megabytes.
pub fn fst_checksum_matches(fst: &[u8]) -> bool {
    let Some(split) = fst.len().checked_sub(4) else {
        return false;
    };
    let (body, stored) = fst.split_at(split);
    stored == fst_checksum(body).to_le_bytes()
}

/// The checksum an fst stores after `body` (its bytes but the last four).
pub fn fst_checksum(body: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in (0u32..).zip(table.iter_mut()) {
        *slot = (0..8).fold(i, |c, _| {
            if c & 1 == 1 {
                (c >> 1) ^ 0x82F6_3B78
            } else {
                c >> 1
            }
        });
    }
    let crc = !body
        .iter()
        .fold(!0u32, |c, &b| table[usize::from(c as u8 ^ b)] ^ (c >> 8));
    crc.rotate_right(15).wrapping_add(0xA282_EAD8)
}

/// FNV-1a, 64 bits, as 16 hex digits. Used to name files by content and to check them after
/// download; it guards against truncation and mix-ups, not against an attacker.
pub fn content_hash(data: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Appends `value` as an LEB128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads varints from a byte slice, failing (never panicking) at the end of the data.
#[derive(Debug, Clone)]
pub struct VarintReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> VarintReader<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        VarintReader { data, pos }
    }

    pub fn read(&mut self) -> Result<u64, PostingsError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self.data.get(self.pos).ok_or(PostingsError)?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(PostingsError)
    }

    /// Has every byte been read?
    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn read_u8(&mut self) -> Result<u8, PostingsError> {
        let byte = *self.data.get(self.pos).ok_or(PostingsError)?;
        self.pos += 1;
        Ok(byte)
    }
}

/// A postings list that does not decode: the file is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingsError;

/// A term in one document: which document, and how often in each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Posting {
    pub doc: u32,
    pub tf: [u32; Field::COUNT],
}

impl Posting {
    pub fn tf(&self, field: Field) -> u32 {
        self.tf[field as usize]
    }
}

/// Where a term occurs in one document: its positions in each field (token ordinals).
pub type Positions = [Vec<u32>; Field::COUNT];

/// Appends one term's postings list to `postings` and its positions block to `positions`.
/// `docs` are in increasing document order, each with at least one position, all below
/// `doc_limit` (the number of papers).
pub fn encode_list(
    postings: &mut Vec<u8>,
    positions: &mut Vec<u8>,
    doc_limit: u32,
    docs: &[(u32, Positions)],
) {
    let mut encoder = ListEncoder::new(docs.len() as u32, doc_limit);
    for (doc, fields) in docs {
        encoder.push(*doc, fields.each_ref().map(Vec::as_slice));
    }
    encoder.finish(postings, positions);
}

/// Encodes one term's postings list and positions block document by document, for
/// writers that do not hold them as [`Positions`].
#[derive(Debug)]
pub struct ListEncoder {
    doc_count: u32,
    k: u32,
    list: BitWriter,
    block: BitWriter,
    next: u32,
}

impl ListEncoder {
    /// An encoder for a list of `doc_count` documents out of `doc_limit` papers.
    pub fn new(doc_count: u32, doc_limit: u32) -> Self {
        ListEncoder {
            doc_count,
            k: rice_parameter(u64::from(doc_limit), u64::from(doc_count)),
            list: BitWriter::new(),
            block: BitWriter::new(),
            next: 0,
        }
    }

    /// Adds a document (after the previous one) with its positions in each field.
    pub fn push(&mut self, doc: u32, fields: [&[u32]; Field::COUNT]) {
        debug_assert!(doc >= self.next, "documents must come in increasing order");
        let list = &mut self.list;
        list.rice(doc - self.next, self.k);
        self.next = doc + 1;
        match fields.map(|p| p.len() as u32) {
            [0, 1] => list.bit(false),
            [1, 0] => list.bits(0b10, 2),
            [title, abstract_] => {
                debug_assert!(title + abstract_ > 0, "a posting needs a position");
                list.bits(0b11, 2);
                list.bits(u32::from(title > 0) << 1 | u32::from(abstract_ > 0), 2);
                for count in [title, abstract_] {
                    if count > 0 {
                        list.gamma(count);
                    }
                }
            }
        }
        for field in Field::ALL {
            let mut next = 0u32;
            for &p in fields[field as usize] {
                self.block.rice(p - next, POSITION_RICE[field as usize]);
                next = p + 1;
            }
        }
    }

    /// Appends the list to `postings` and the block to `positions`.
    pub fn finish(self, postings: &mut Vec<u8>, positions: &mut Vec<u8>) {
        write_varint(postings, u64::from(self.doc_count));
        write_varint(postings, positions.len() as u64);
        postings.push(self.k as u8);
        postings.extend_from_slice(&self.list.finish());
        positions.extend_from_slice(&self.block.finish());
    }
}

/// A postings list as read: its documents, and where its positions block starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostingsList {
    pub postings: Vec<Posting>,
    pub positions_offset: u64,
}

/// Decodes the postings list at `offset`. `doc_limit` is the number of papers: an ordinal
/// at or past it means the data is damaged.
pub fn decode_postings(
    data: &[u8],
    offset: usize,
    doc_limit: u32,
) -> Result<PostingsList, PostingsError> {
    let mut header = VarintReader::new(data, offset);
    let count = header.read()?;
    let positions_offset = header.read()?;
    // Each posting takes at least two bits; a larger count is damage, and checking it first
    // keeps a corrupt count from asking for a huge allocation.
    if count > (data.len() as u64).saturating_mul(4) || count > u64::from(doc_limit) {
        return Err(PostingsError);
    }
    let k = u32::from(header.read_u8()?);
    if k > 24 {
        return Err(PostingsError);
    }
    let mut bits = BitReader::new(data, header.pos);
    let mut postings = Vec::with_capacity(count as usize);
    let mut next: u64 = 0;
    for _ in 0..count {
        let doc = next + u64::from(bits.rice(k)?);
        if doc >= u64::from(doc_limit) {
            return Err(PostingsError);
        }
        next = doc + 1;
        let tf = if !bits.bit()? {
            [0, 1]
        } else if !bits.bit()? {
            [1, 0]
        } else {
            let mask = bits.bits(2)?;
            if mask == 0 {
                return Err(PostingsError);
            }
            let mut tf = [0u32; Field::COUNT];
            for (field, slot) in tf.iter_mut().enumerate() {
                if mask & (0b10 >> field) != 0 {
                    *slot = bits.gamma()?;
                }
            }
            tf
        };
        postings.push(Posting {
            doc: doc as u32,
            tf,
        });
    }
    Ok(PostingsList {
        postings,
        positions_offset,
    })
}

/// The positions of a whole postings list in two flat arrays (no allocation per posting).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlatPositions {
    /// For posting `i` and field `f`: `values[offsets[i * F + f]..offsets[i * F + f + 1]]`.
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl FlatPositions {
    /// Positions of posting `i` (its index in the list) in `field`; empty when out of range.
    pub fn get(&self, i: usize, field: Field) -> &[u32] {
        let at = i * Field::COUNT + field as usize;
        match (self.offsets.get(at), self.offsets.get(at + 1)) {
            (Some(&start), Some(&end)) => &self.values[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// Decodes the positions block at `offset` for the documents of its postings list.
pub fn decode_positions_flat(
    data: &[u8],
    offset: u64,
    postings: &[Posting],
) -> Result<FlatPositions, PostingsError> {
    let offset = usize::try_from(offset).map_err(|_| PostingsError)?;
    let mut bits = BitReader::new(data, offset);
    let total: u64 = postings
        .iter()
        .flat_map(|p| p.tf.iter())
        .map(|&tf| u64::from(tf))
        .sum();
    // Every position takes at least one bit.
    if total > (data.len() as u64).saturating_mul(8) {
        return Err(PostingsError);
    }
    let mut flat = FlatPositions {
        offsets: Vec::with_capacity(postings.len() * Field::COUNT + 1),
        values: Vec::with_capacity(total as usize),
    };
    flat.offsets.push(0);
    for posting in postings {
        for field in Field::ALL {
            let mut next = 0u64;
            for _ in 0..posting.tf(field) {
                let p = next + u64::from(bits.rice(POSITION_RICE[field as usize])?);
                flat.values
                    .push(u32::try_from(p).map_err(|_| PostingsError)?);
                next = p + 1;
            }
            flat.offsets.push(flat.values.len() as u32);
        }
    }
    Ok(flat)
}

/// Decodes the positions block at `offset` for the documents of its postings list, a
/// [`Positions`] per document.
pub fn decode_positions(
    data: &[u8],
    offset: u64,
    postings: &[Posting],
) -> Result<Vec<Positions>, PostingsError> {
    let flat = decode_positions_flat(data, offset, postings)?;
    Ok((0..postings.len())
        .map(|i| Field::ALL.map(|f| flat.get(i, f).to_vec()))
        .collect())
}

impl From<BitsError> for PostingsError {
    fn from(_: BitsError) -> Self {
        PostingsError
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the indexer writes with `serde_json`, the reader gets back field for field.
    #[test]
    fn papers_file_reads_what_serde_json_writes() {
        let full = Paper {
            id: "2505.12345".into(),
            title: "Quotes \" and \\ back\nslashes, 中文, 😀, \u{1}".into(),
            abstract_text: "<script>alert(1)</script> & more".into(),
            authors: vec!["Ada".into(), "Grace".into()],
            author_count: Some(7),
            organization: Some("Org".into()),
            published: Some("2025-05-19".into()),
            upvotes: Some(u32::MAX),
            categories: vec!["cs.CL".into()],
            links: vec![
                Link {
                    url: "https://github.com/x/y".into(),
                    kind: LinkKind::Code,
                },
                Link {
                    url: "https://x.org".into(),
                    kind: LinkKind::Project,
                },
            ],
            listings: vec!["2025-05-19".into()],
            similar: vec!["a".into(), "b".into()],
            key_phrases: vec!["world model".into()],
        };
        let bare = Paper {
            id: "t1".into(),
            title: "T".into(),
            abstract_text: String::new(),
            ..Paper::default()
        };
        let file = PapersFile {
            papers: vec![full, bare],
            field_lengths: vec![[3, 200], [0, 0]],
            topics: vec![Topic {
                phrase: "agents".into(),
                papers: 12,
            }],
        };
        for json in [
            serde_json::to_vec(&file).unwrap(),
            serde_json::to_vec_pretty(&file).unwrap(),
        ] {
            assert_eq!(PapersFile::from_json(&json).unwrap(), file);
        }
        // Keys a newer indexer might add are passed over; `null` is an absent option.
        let newer =
            br#"{"papers":[{"id":"x","title":"T","abstract":"A","upvotes":null,"new":{"a":[1.5]}}],
            "field_lengths":[[1,1]],"extra":true}"#;
        let read = PapersFile::from_json(newer).unwrap();
        assert_eq!(read.papers[0].upvotes, None);
        assert!(read.topics.is_empty());
    }

    #[test]
    fn papers_file_errors_name_what_is_missing() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"papers":[{"id":"x","abstract":"A"}],"field_lengths":[]}"#, "missing field `title`"),
            (br#"{"papers":[]}"#, "missing field `field_lengths`"),
            (br#"{"papers":[],"field_lengths":[[1]]}"#, "too few field lengths"),
            (br#"{"papers":[{"id":"x","title":"T","abstract":"A","links":[{"url":"u","kind":"ftp"}]}],"field_lengths":[[1,1]]}"#, "link kind"),
            (br#"{"papers":[{"id":"x","title":"T","abstract":"A","upvotes":-3}],"field_lengths":[[1,1]]}"#, "whole non-negative number"),
        ];
        for (json, expected) in cases {
            let err = PapersFile::from_json(json).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
            assert!(err.contains("line 1 column"), "{err}");
        }
    }

    #[test]
    fn fst_checksum_agrees_with_the_fst_crate() {
        let mut builder = fst::MapBuilder::memory();
        for (i, word) in ["agent", "agents", "minecraft", "world", "zebra"]
            .iter()
            .enumerate()
        {
            builder.insert(word, i as u64).unwrap();
        }
        let bytes = builder.into_inner().unwrap();
        assert!(fst_checksum_matches(&bytes));
        assert!(fst::raw::Fst::new(bytes.clone()).unwrap().verify().is_ok());
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x10;
            let by_crate = fst::raw::Fst::new(damaged.clone()).is_ok_and(|f| f.verify().is_ok());
            assert!(!fst_checksum_matches(&damaged), "byte {i}");
            assert!(!by_crate, "byte {i}");
        }
        assert!(!fst_checksum_matches(&bytes[..3]));
    }

    fn sample() -> Vec<(u32, Positions)> {
        vec![
            (0, [vec![], vec![5]]),
            (3, [vec![0, 4], vec![]]),
            (4, [vec![2], vec![]]),
            (200, [vec![], vec![7, 130, 131]]),
            (201, [vec![1], vec![0, 900]]),
        ]
    }

    fn encoded() -> (Vec<u8>, Vec<u8>) {
        // Unrelated bytes before each, to exercise the offsets.
        let (mut postings, mut positions) = (vec![0xAA], vec![0xBB, 0xCC]);
        encode_list(&mut postings, &mut positions, 1000, &sample());
        (postings, positions)
    }

    #[test]
    fn postings_and_positions_round_trip() {
        let (postings, positions) = encoded();
        let list = decode_postings(&postings, 1, 1000).unwrap();
        assert_eq!(list.positions_offset, 2);
        let docs: Vec<u32> = list.postings.iter().map(|p| p.doc).collect();
        assert_eq!(docs, [0, 3, 4, 200, 201]);
        let tf: Vec<[u32; 2]> = list.postings.iter().map(|p| p.tf).collect();
        assert_eq!(tf, [[0, 1], [2, 0], [1, 0], [0, 3], [1, 2]]);
        let decoded = decode_positions(&positions, list.positions_offset, &list.postings).unwrap();
        let expected: Vec<Positions> = sample().into_iter().map(|(_, p)| p).collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn truncated_postings_are_an_error_not_a_panic() {
        let (postings, positions) = encoded();
        for len in 0..postings.len() {
            assert_eq!(
                decode_postings(&postings[..len], 1, 1000),
                Err(PostingsError),
                "len {len}"
            );
        }
        let list = decode_postings(&postings, 1, 1000).unwrap();
        for len in 0..positions.len() {
            assert_eq!(
                decode_positions(&positions[..len], 2, &list.postings),
                Err(PostingsError),
                "len {len}"
            );
        }
    }

    #[test]
    fn out_of_range_doc_is_an_error() {
        let (postings, _) = encoded();
        assert_eq!(decode_postings(&postings, 1, 100), Err(PostingsError));
    }

    #[test]
    fn garbage_never_panics() {
        let mut state = 0x1234_5678u32;
        for _ in 0..2000 {
            let data: Vec<u8> = (0..24)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect();
            if let Ok(list) = decode_postings(&data, 0, 50) {
                let _ = decode_positions(&data, list.positions_offset, &list.postings);
            }
        }
    }

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut data = Vec::new();
            write_varint(&mut data, value);
            assert_eq!(VarintReader::new(&data, 0).read(), Ok(value));
        }
    }

    #[test]
    fn manifest_of_another_version_is_refused_in_words() {
        let json = format!(
            r#"{{"format":"folio-index","format_version":{},"analyzer_version":1,"papers":0,"terms":0,
            "files":{{"terms":{{"name":"t","bytes":0,"hash":""}},"postings":{{"name":"p","bytes":0,"hash":""}},"positions":{{"name":"q","bytes":0,"hash":""}},
            "papers":{{"name":"d","bytes":0,"hash":""}}}}}}"#,
            FORMAT_VERSION + 1
        );
        let err = Manifest::from_json(json.as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("version {}", FORMAT_VERSION + 1)),
            "{text}"
        );
        assert!(
            text.contains(&format!("needs version {FORMAT_VERSION}")),
            "{text}"
        );
    }

    #[test]
    fn file_ref_detects_truncation_and_damage() {
        let data = b"hello postings";
        let file = FileRef::for_data("postings", "bin", data);
        assert!(file.name.starts_with("postings.") && file.name.ends_with(".bin"));
        assert_eq!(file.verify(data), Ok(()));
        assert!(matches!(
            file.verify(&data[..5]),
            Err(FormatError::Truncated { .. })
        ));
        let mut damaged = data.to_vec();
        damaged[0] ^= 1;
        assert!(matches!(
            file.verify(&damaged),
            Err(FormatError::HashMismatch { .. })
        ));
    }
}
