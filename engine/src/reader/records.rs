//! The paper records read so far, one at a time: each from its slot, or from after the
//! slots of its file when it is too long for one ([`crate::format::records`]).

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::{Index, Needs};
use crate::format::records::{self, Place};
use crate::format::{FormatError, PieceId, PieceKind};
use crate::model::Paper;

/// Papers per chunk of the record table: a chunk is allocated when one of its papers is
/// first read (16 bytes a paper), so a million-paper index read for a few pages holds a
/// few chunks, not a million slots.
const CHUNK: usize = 256;

/// The records read so far, by paper.
pub(crate) struct Records {
    chunks: Vec<OnceLock<Box<[OnceLock<Box<Paper>>]>>>,
    /// Papers whose slot has been read and whose record is elsewhere: where.
    elsewhere: Mutex<HashMap<u32, (u64, u32)>>,
}

impl Records {
    pub(crate) fn new(papers: u32) -> Records {
        Records {
            chunks: (0..(papers as usize).div_ceil(CHUNK))
                .map(|_| OnceLock::new())
                .collect(),
            elsewhere: Mutex::new(HashMap::default()),
        }
    }

    fn get(&self, doc: u32) -> Option<&Paper> {
        let chunk = self.chunks.get(doc as usize / CHUNK)?.get()?;
        chunk.get(doc as usize % CHUNK)?.get().map(|p| &**p)
    }

    fn set(&self, doc: u32, paper: Paper) {
        let Some(chunk) = self.chunks.get(doc as usize / CHUNK) else {
            return;
        };
        let chunk = chunk.get_or_init(|| (0..CHUNK).map(|_| OnceLock::new()).collect());
        let _ = chunk[doc as usize % CHUNK].set(Box::new(paper));
    }

    fn elsewhere(&self) -> std::sync::MutexGuard<'_, HashMap<u32, (u64, u32)>> {
        self.elsewhere.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Index {
    /// The record of paper `doc`: `Ok(None)` past the paper count, [`Needs`] when it has
    /// not been read.
    pub fn paper(&self, doc: u32) -> Result<Option<&Paper>, Needs> {
        if doc >= self.manifest.papers {
            return Ok(None);
        }
        if let Some(paper) = self.records.get(doc) {
            return Ok(Some(paper));
        }
        let kind = if self.records.elsewhere().contains_key(&doc) {
            PieceKind::Overflow
        } else {
            PieceKind::Records
        };
        Err(Needs(vec![PieceId::new(kind, doc)]))
    }

    /// Has this record (or, for [`PieceKind::Records`], at least its slot) been read?
    pub(super) fn has_record(&self, id: PieceId) -> bool {
        self.records.get(id.n).is_some()
            || (id.kind == PieceKind::Records && self.records.elsewhere().contains_key(&id.n))
    }

    /// The byte range of its record file a record comes from: offset and length.
    pub fn record_range(&self, id: PieceId) -> Result<(u64, u64), String> {
        match id.kind {
            PieceKind::Records => Ok(self.manifest.slot_range(id.n)),
            PieceKind::Overflow => self
                .records
                .elsewhere()
                .get(&id.n)
                .map(|&(at, len)| (at, u64::from(len)))
                .ok_or_else(|| format!("the slot of paper {} has not been read", id.n)),
            _ => Err(format!("{} is not a record", self.file_name(id))),
        }
    }

    /// Checks and keeps a record read from its record file: a slot (or several slots of
    /// consecutive papers, from paper `id.n` on) for [`PieceKind::Records`], the record
    /// itself for [`PieceKind::Overflow`].
    pub(super) fn add_record(&self, id: PieceId, bytes: &[u8]) -> Result<(), FormatError> {
        let file = self.file_name(id);
        let p = &self.manifest.pieces;
        let corrupt = |reason: String| FormatError::corrupt(&file, reason);
        let decode = |doc: u32, compressed: &[u8]| {
            records::decode_record(&file, compressed, doc, self.build, p.record_max_framed)
        };
        if id.kind == PieceKind::Overflow {
            let (_, len) = self.record_range(id).map_err(corrupt)?;
            if bytes.len() as u64 != len {
                return Err(FormatError::Truncated {
                    file: file.clone(),
                    expected: len,
                    got: bytes.len() as u64,
                });
            }
            let paper = decode(id.n, bytes)?;
            self.records.set(id.n, paper);
            return Ok(());
        }
        let slot = p.record_slot as usize;
        let per_file = p.records_per_file.max(1);
        let slots = bytes.len() / slot.max(1);
        let last = u64::from(id.n) + slots as u64;
        let file_end = (u64::from(id.n / per_file) + 1) * u64::from(per_file);
        if bytes.len() % slot.max(1) != 0
            || slots == 0
            || last > u64::from(self.manifest.papers).min(file_end)
        {
            return Err(FormatError::Truncated {
                file: file.clone(),
                expected: (slots.max(1) * slot) as u64,
                got: bytes.len() as u64,
            });
        }
        // Where the slots of this file end, and so where records elsewhere may start.
        let in_file = (self.manifest.papers - (id.n / per_file) * per_file).min(per_file);
        let slots_end = u64::from(in_file) * slot as u64;
        for (doc, bytes) in (id.n..).zip(bytes.chunks(slot)) {
            match records::read_slot(bytes, p.record_slot, p.record_max).map_err(corrupt)? {
                Place::Inline(compressed) => {
                    let paper = decode(doc, compressed)?;
                    self.records.set(doc, paper);
                }
                Place::Elsewhere { at, len } if at >= slots_end => {
                    self.records.elsewhere().insert(doc, (at, len));
                }
                Place::Elsewhere { at, .. } => {
                    return Err(corrupt(format!(
                        "the slot of paper {doc} places its record at {at}, among the slots"
                    )))
                }
            }
        }
        Ok(())
    }

    /// The records whose slot has been read but not the record: what a reader loading
    /// every record fetches after the slots.
    pub(crate) fn records_elsewhere(&self) -> Vec<PieceId> {
        let mut docs: Vec<u32> = self.records.elsewhere().keys().copied().collect();
        docs.sort_unstable();
        docs.into_iter()
            .filter(|&doc| self.records.get(doc).is_none())
            .map(|doc| PieceId::new(PieceKind::Overflow, doc))
            .collect()
    }
}
