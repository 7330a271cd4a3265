//! The index reader: index files in memory, checked, ready to search.

use crate::analyze::Analyzer;
use crate::facets::FacetKeys;
use crate::format::{
    decode_positions, decode_postings, FileRef, FormatError, Manifest, PapersFile, Positions,
    Posting, PostingsError, PostingsList, VarintReader,
};
use crate::model::{Field, Paper, Topic};

/// An opened index. Build one from the bytes of its files with [`Index::open`]; the reader
/// does no I/O of its own, so the browser (fetch) and the CLI (files) share it.
pub struct Index {
    manifest: Manifest,
    terms: fst::Map<Vec<u8>>,
    postings: Vec<u8>,
    /// Phrase positions: given at open or added later ([`Index::add_positions`]), so a
    /// reader can start searching before this, the largest file, has arrived.
    positions: std::sync::OnceLock<Vec<u8>>,
    papers: Vec<Paper>,
    field_lengths: Vec<[u32; Field::COUNT]>,
    avg_field_length: [f32; Field::COUNT],
    topics: Vec<Topic>,
    facet_keys: FacetKeys,
    /// Document number by paper id.
    ids: rustc_hash::FxHashMap<String, u32>,
    pub(crate) analyzer: Analyzer,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("papers", &self.papers.len())
            .field("terms", &self.terms.len())
            .field("postings_bytes", &self.postings.len())
            .finish()
    }
}

impl Index {
    /// Opens an index from its manifest and the content of the files it names. Each file is
    /// checked against the manifest (length, hash) before it is decoded. The positions file
    /// is optional: without it everything but phrase matching works.
    pub fn open(
        manifest: Manifest,
        terms: Vec<u8>,
        postings: Vec<u8>,
        positions: Option<Vec<u8>>,
        papers: &[u8],
    ) -> Result<Index, FormatError> {
        manifest.files.terms.verify(&terms)?;
        manifest.files.postings.verify(&postings)?;
        let positions_cell = std::sync::OnceLock::new();
        if let Some(positions) = positions {
            manifest.files.positions.verify(&positions)?;
            let _ = positions_cell.set(positions);
        }
        manifest.files.papers.verify(papers)?;
        let corrupt = |file: &FileRef, reason: String| FormatError::Corrupt {
            file: file.name.clone(),
            reason,
        };
        let terms =
            fst::Map::new(terms).map_err(|e| corrupt(&manifest.files.terms, e.to_string()))?;
        // The fst's own checksum: the fst crate trusts its bytes (a damaged node can panic
        // it), so damage that got past the manifest's hash must stop here.
        if !crate::format::fst_checksum_matches(terms.as_fst().as_bytes()) {
            return Err(corrupt(
                &manifest.files.terms,
                "the term dictionary's checksum does not match its content".into(),
            ));
        }
        // The checksum guards against accidents, not against a host that recomputes it:
        // every node is checked before the fst crate, which trusts them, walks them.
        crate::fst_check::check(terms.as_fst().as_bytes())
            .map_err(|reason| corrupt(&manifest.files.terms, reason))?;
        let PapersFile {
            papers,
            field_lengths,
            topics,
        } = PapersFile::from_json(papers)
            .map_err(|e| corrupt(&manifest.files.papers, e.to_string()))?;
        if papers.len() != field_lengths.len() || papers.len() != manifest.papers as usize {
            return Err(corrupt(
                &manifest.files.papers,
                format!(
                    "{} papers and {} field lengths, manifest says {} papers",
                    papers.len(),
                    field_lengths.len(),
                    manifest.papers
                ),
            ));
        }
        if terms.len() as u64 != manifest.terms {
            return Err(corrupt(
                &manifest.files.terms,
                format!("{} terms, manifest says {}", terms.len(), manifest.terms),
            ));
        }
        let mut avg_field_length = [0f32; Field::COUNT];
        if !papers.is_empty() {
            for lengths in &field_lengths {
                for (sum, &len) in avg_field_length.iter_mut().zip(lengths) {
                    *sum += len as f32;
                }
            }
            for avg in &mut avg_field_length {
                *avg = (*avg / papers.len() as f32).max(1.0);
            }
        }
        let facet_keys = FacetKeys::new(&papers);
        let ids = papers
            .iter()
            .enumerate()
            .map(|(doc, paper)| (paper.id.clone(), doc as u32))
            .collect();
        Ok(Index {
            manifest,
            terms,
            postings,
            positions: positions_cell,
            papers,
            field_lengths,
            avg_field_length,
            topics,
            facet_keys,
            ids,
            analyzer: Analyzer::new(),
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn papers(&self) -> &[Paper] {
        &self.papers
    }

    /// The collection's topics (key phrases shared by many papers), most widespread first.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// Number of distinct terms in the dictionary.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub fn paper(&self, doc: u32) -> Option<&Paper> {
        self.papers.get(doc as usize)
    }

    /// The document number of the paper with this id.
    pub fn doc_of(&self, id: &str) -> Option<u32> {
        self.ids.get(id).copied()
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub(crate) fn facet_keys(&self) -> &FacetKeys {
        &self.facet_keys
    }

    pub(crate) fn terms(&self) -> &fst::Map<Vec<u8>> {
        &self.terms
    }

    pub(crate) fn field_length(&self, doc: u32, field: Field) -> u32 {
        self.field_lengths
            .get(doc as usize)
            .map_or(0, |lengths| lengths[field as usize])
    }

    pub(crate) fn avg_field_length(&self, field: Field) -> f32 {
        self.avg_field_length[field as usize]
    }

    /// Number of documents holding the term whose postings start at `offset`: the first
    /// varint of the list, read without decoding the rest.
    pub(crate) fn doc_freq_at(&self, offset: u64) -> u32 {
        VarintReader::new(&self.postings, offset as usize)
            .read()
            .map_or(0, |n| n.min(u64::from(u32::MAX)) as u32)
    }

    /// Where the positions block of the list at `offset` starts: the list's second varint.
    pub(crate) fn positions_offset_at(&self, offset: u64) -> Option<u64> {
        let mut header = VarintReader::new(&self.postings, usize::try_from(offset).ok()?);
        header.read().ok()?;
        header.read().ok()
    }

    /// The postings list at `offset`, checked: every document below the paper count, and no
    /// term frequency above the length of its field (which also bounds what decoding the
    /// list's positions may allocate by the papers' own token counts).
    pub(crate) fn list_at(&self, offset: u64) -> Result<PostingsList, PostingsError> {
        let offset = usize::try_from(offset).map_err(|_| PostingsError)?;
        let list = decode_postings(&self.postings, offset, self.papers.len() as u32)?;
        for posting in &list.postings {
            for field in Field::ALL {
                if posting.tf(field) > self.field_length(posting.doc, field) {
                    return Err(PostingsError);
                }
            }
        }
        Ok(list)
    }

    /// [`Self::list_at`], with a damaged list reported in words naming the file.
    pub(crate) fn postings_at(&self, offset: u64) -> Result<Vec<Posting>, FormatError> {
        self.list_at(offset)
            .map(|list| list.postings)
            .map_err(|_| self.damaged(&self.manifest.files.postings, offset))
    }

    /// The error for a list or positions block that does not decode.
    pub(crate) fn damaged(&self, file: &FileRef, offset: u64) -> FormatError {
        FormatError::Corrupt {
            file: file.name.clone(),
            reason: format!("the data of the term list at postings byte {offset} does not decode"),
        }
    }

    /// The postings of `term` (already normalized), if the dictionary holds it.
    pub fn postings(&self, term: &str) -> Option<Result<Vec<Posting>, FormatError>> {
        self.terms.get(term).map(|offset| self.postings_at(offset))
    }

    /// Adds the positions file to an index opened without it, after checking it against
    /// the manifest. Searches before and after give the same results; after, phrases and
    /// multi-part tokens are checked from positions instead of the stored text, which is
    /// much faster. Adding it twice is harmless (the second copy is ignored).
    pub fn add_positions(&self, positions: Vec<u8>) -> Result<(), FormatError> {
        self.manifest.files.positions.verify(&positions)?;
        let _ = self.positions.set(positions);
        Ok(())
    }

    /// The positions file, when it was loaded.
    pub(crate) fn positions_data(&self) -> Option<&[u8]> {
        self.positions.get().map(Vec::as_slice)
    }

    /// Whether the positions file was loaded. Without it, phrases are checked against the
    /// stored text instead: slower, same results.
    pub fn has_positions(&self) -> bool {
        self.positions.get().is_some()
    }

    /// The postings of `term` with its positions in each, when the term is indexed and the
    /// positions file was loaded.
    pub fn positions(&self, term: &str) -> Option<Vec<(Posting, Positions)>> {
        let data = self.positions.get()?;
        let list = self.list_at(self.terms.get(term)?).ok()?;
        let positions = decode_positions(data, list.positions_offset, &list.postings).ok()?;
        Some(list.postings.into_iter().zip(positions).collect())
    }
}
