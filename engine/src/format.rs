//! The index format, defined once for the writer (indexer) and the reader (browser, CLI).
//!
//! An index is a directory of files behind one small, uncached entry point:
//!
//! ```text
//! manifest.json              versions, counts, and the names of the files below
//! terms.<hash>.fst           fst map: term → byte offset of its postings
//! postings.<hash>.bin        postings lists, see below
//! papers.<hash>.json         the paper records and their field lengths
//! ```
//!
//! Every file but the manifest is named by a hash of its content, so a host may cache it
//! forever, and a reader checks each file's length and hash against the manifest: a
//! truncated or stale download is reported in words, never decoded into nonsense.
//!
//! A postings list (at the offset the fst gives for its term) is, in LEB128 varints:
//!
//! ```text
//! doc_count
//! repeated doc_count times:
//!   doc_delta            doc ordinal minus the previous one (first: the ordinal itself)
//!   field_mask           one byte, bit i set when field i holds the term
//!   for each set field, in field order:
//!     tf                 occurrences in that field
//!     tf position deltas positions in the field, each minus the previous
//! ```
//!
//! The term dictionary is sorted, and a list is found only through its offset, so a later
//! version can cut the fst and postings into term-range shards loaded on demand without
//! touching the analyzer or this list layout.

use serde::{Deserialize, Serialize};

use crate::model::{Field, Paper, Topic};

/// Written into every manifest; a reader refuses any other.
pub const FORMAT_VERSION: u32 = 1;

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
        let manifest: Manifest =
            serde_json::from_slice(bytes).map_err(|e| FormatError::Corrupt {
                file: MANIFEST_FILE.into(),
                reason: e.to_string(),
            })?;
        if manifest.format != "folio-index" {
            return Err(FormatError::Corrupt {
                file: MANIFEST_FILE.into(),
                reason: format!("format is {:?}, expected \"folio-index\"", manifest.format),
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

    pub fn read_u8(&mut self) -> Result<u8, PostingsError> {
        let byte = *self.data.get(self.pos).ok_or(PostingsError)?;
        self.pos += 1;
        Ok(byte)
    }
}

/// A postings list that does not decode: the file is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingsError;

/// Where a term occurs in one document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Posting {
    pub doc: u32,
    /// Positions of the term in each field (empty when the field lacks it).
    pub positions: [Vec<u32>; Field::COUNT],
}

impl Posting {
    pub fn tf(&self, field: Field) -> u32 {
        self.positions[field as usize].len() as u32
    }
}

/// Builds one term's postings list incrementally, document by document, so an indexer
/// holds encoded bytes rather than a structure per posting.
#[derive(Debug, Clone, Default)]
pub struct PostingsListWriter {
    body: Vec<u8>,
    count: u32,
    last_doc: Option<u32>,
}

impl PostingsListWriter {
    /// Adds a document. Documents must come in strictly increasing order, each with at least
    /// one position in some field.
    pub fn push(&mut self, doc: u32, positions: [&[u32]; Field::COUNT]) {
        let delta = match self.last_doc {
            Some(last) => {
                assert!(
                    doc > last,
                    "postings must be pushed in increasing document order"
                );
                doc - last
            }
            None => doc,
        };
        write_varint(&mut self.body, u64::from(delta));
        let mask = Field::ALL
            .iter()
            .filter(|&&f| !positions[f as usize].is_empty())
            .fold(0u8, |mask, f| mask | f.bit());
        debug_assert!(mask != 0, "a posting needs at least one position");
        self.body.push(mask);
        for field in Field::ALL {
            let positions = positions[field as usize];
            if positions.is_empty() {
                continue;
            }
            write_varint(&mut self.body, positions.len() as u64);
            let mut last = 0u32;
            for &p in positions {
                write_varint(&mut self.body, u64::from(p - last));
                last = p;
            }
        }
        self.count += 1;
        self.last_doc = Some(doc);
    }

    /// Number of documents pushed so far.
    pub fn doc_count(&self) -> u32 {
        self.count
    }

    /// Appends the finished list (count, then postings) to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_varint(out, u64::from(self.count));
        out.extend_from_slice(&self.body);
    }
}

/// Appends one postings list (documents in increasing order) to `out`.
pub fn encode_postings(out: &mut Vec<u8>, postings: &[Posting]) {
    let mut writer = PostingsListWriter::default();
    for posting in postings {
        writer.push(
            posting.doc,
            std::array::from_fn(|f| &posting.positions[f][..]),
        );
    }
    writer.write_to(out);
}

/// Decodes the postings list at `offset`. `doc_limit` is the number of documents: an
/// ordinal at or past it means the data is damaged.
pub fn decode_postings(
    data: &[u8],
    offset: usize,
    doc_limit: u32,
) -> Result<Vec<Posting>, PostingsError> {
    let mut reader = VarintReader::new(data, offset);
    let count = reader.read()?;
    // Each posting takes at least two bytes; a larger count is damage, and checking it first
    // keeps a corrupt count from asking for a huge allocation.
    if count > (data.len() as u64) / 2 {
        return Err(PostingsError);
    }
    let mut postings = Vec::with_capacity(count as usize);
    let mut doc: u64 = 0;
    for i in 0..count {
        let delta = reader.read()?;
        if i > 0 && delta == 0 {
            return Err(PostingsError);
        }
        doc += delta;
        if doc >= u64::from(doc_limit) {
            return Err(PostingsError);
        }
        let mask = reader.read_u8()?;
        if mask == 0 || mask >> Field::COUNT != 0 {
            return Err(PostingsError);
        }
        let mut posting = Posting {
            doc: doc as u32,
            ..Posting::default()
        };
        for field in Field::ALL {
            if mask & field.bit() == 0 {
                continue;
            }
            let tf = reader.read()?;
            if tf == 0 || tf > data.len() as u64 {
                return Err(PostingsError);
            }
            let mut position: u64 = 0;
            let positions = &mut posting.positions[field as usize];
            for _ in 0..tf {
                position += reader.read()?;
                positions.push(u32::try_from(position).map_err(|_| PostingsError)?);
            }
        }
        postings.push(posting);
    }
    Ok(postings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Posting> {
        vec![
            Posting {
                doc: 3,
                positions: [vec![0, 4], vec![]],
            },
            Posting {
                doc: 200,
                positions: [vec![], vec![7, 130, 131]],
            },
        ]
    }

    #[test]
    fn postings_round_trip() {
        let mut data = vec![0xAA]; // unrelated byte before, to exercise the offset
        encode_postings(&mut data, &sample());
        assert_eq!(decode_postings(&data, 1, 1000).unwrap(), sample());
    }

    #[test]
    fn truncated_postings_are_an_error_not_a_panic() {
        let mut data = Vec::new();
        encode_postings(&mut data, &sample());
        for len in 0..data.len() {
            assert_eq!(
                decode_postings(&data[..len], 0, 1000),
                Err(PostingsError),
                "len {len}"
            );
        }
    }

    #[test]
    fn out_of_range_doc_is_an_error() {
        let mut data = Vec::new();
        encode_postings(&mut data, &sample());
        assert_eq!(decode_postings(&data, 0, 100), Err(PostingsError));
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
            "files":{{"terms":{{"name":"t","bytes":0,"hash":""}},"postings":{{"name":"p","bytes":0,"hash":""}},
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
