//! Postings lists and positions blocks, read out of their pieces and checked against what
//! holds them: a list's bytes against its piece, its papers against the paper count (the
//! field lengths it carries are at least its term frequencies by construction, and bound
//! what decoding its positions may produce).

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::{Index, Needs};
use crate::format::positions::PositionsBlock;
use crate::format::postings::{decode_postings, Decoded};
use crate::format::terms::{Span, TermInfo};
use crate::format::{FormatError, PieceId, PieceKind};
use crate::model::Field;

/// Why a list could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListError {
    /// Its piece has not arrived.
    Missing(PieceId),
    /// It does not decode, in words naming the piece.
    Damaged(FormatError),
}

/// Bytes of decoded lists kept across searches. A list decodes to 20 bytes a posting
/// (more with facet rows): one of a word in 84,000 of 100,000 papers is 1.7 MB, and
/// decoding it is much of a warm search of common words. 32 MiB holds the lists of some
/// twenty common words, what a person typing a few queries goes back to, and stays well
/// inside the page's memory budget (200 MB of wasm memory at a million papers).
const LIST_CACHE_BYTES: usize = 32 << 20;

/// Decoded lists, by where they are, the oldest dropped first past the budget.
#[derive(Default)]
pub(crate) struct ListCache {
    lists: HashMap<u64, Arc<Decoded>>,
    order: VecDeque<u64>,
    bytes: usize,
}

impl ListCache {
    fn get(&self, key: u64) -> Option<Arc<Decoded>> {
        self.lists.get(&key).cloned()
    }

    fn insert(&mut self, key: u64, decoded: Arc<Decoded>) {
        let bytes = size_of_decoded(&decoded);
        if bytes > LIST_CACHE_BYTES || self.lists.contains_key(&key) {
            return;
        }
        while self.bytes + bytes > LIST_CACHE_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.lists.remove(&old) {
                self.bytes -= size_of_decoded(&gone);
            }
        }
        self.bytes += bytes;
        self.order.push_back(key);
        self.lists.insert(key, decoded);
    }
}

fn size_of_decoded((postings, rows): &Decoded) -> usize {
    std::mem::size_of_val(postings.as_slice()) + std::mem::size_of_val(rows.as_slice())
}

/// Where a term's list is: the key of a decoded list.
pub(crate) fn list_key(info: &TermInfo) -> u64 {
    u64::from(info.postings.piece) << 32 | u64::from(info.postings.offset)
}

impl Index {
    /// The bytes of `span` in a piece of `kind`.
    fn span_bytes<'a>(
        &'a self,
        slots: &'a [OnceLock<Vec<u8>>],
        kind: PieceKind,
        span: Span,
    ) -> Result<&'a [u8], ListError> {
        let id = PieceId::new(kind, span.piece);
        let piece = slots
            .get(span.piece as usize)
            .ok_or_else(|| {
                ListError::Damaged(self.damaged(id, span, "names a piece past the last"))
            })?
            .get()
            .ok_or(ListError::Missing(id))?;
        let start = span.offset as usize;
        piece
            .get(start..start.saturating_add(span.len as usize))
            .ok_or_else(|| ListError::Damaged(self.damaged(id, span, "runs past the piece's end")))
    }

    fn damaged(&self, id: PieceId, span: Span, what: &str) -> FormatError {
        FormatError::corrupt(
            &self.file_name(id),
            format!("the data at bytes {}..+{} {what}", span.offset, span.len),
        )
    }

    /// The piece holding `info`'s postings, added to `needs` if it has not arrived.
    pub(crate) fn needs_list(&self, info: &TermInfo, needs: &mut Needs) {
        let id = PieceId::new(PieceKind::Postings, info.postings.piece);
        if !self.has(id) {
            needs.add(id);
        }
    }

    /// The positions piece of `info` in `field`, when it has one and it has not arrived.
    pub(crate) fn needs_positions(&self, info: &TermInfo, field: Field, needs: &mut Needs) {
        let span = info.positions[field as usize];
        let id = PieceId::new(PieceKind::positions(field), span.piece);
        if span.len > 0 && !self.has(id) {
            needs.add(id);
        }
    }

    /// The postings list of `info`, checked: every document below the paper count, and
    /// as many as its term info says. Decoded once and kept for later searches, within
    /// [`LIST_CACHE_BYTES`].
    pub(crate) fn list(&self, info: &TermInfo) -> Result<Arc<Decoded>, ListError> {
        let key = list_key(info);
        let cache = || self.decoded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(decoded) = cache().get(key) {
            return Ok(decoded);
        }
        let span = info.postings;
        let id = PieceId::new(PieceKind::Postings, span.piece);
        let bytes = self.span_bytes(&self.postings, PieceKind::Postings, span)?;
        let decoded = decode_postings(bytes, self.manifest.papers, info.doc_freq, &self.layout)
            .map_err(|_| ListError::Damaged(self.damaged(id, span, "does not decode")))?;
        let decoded = Arc::new(decoded);
        cache().insert(key, decoded.clone());
        Ok(decoded)
    }

    /// The positions block of `info` in `field`, for a list of `postings` postings.
    pub(crate) fn positions_block(
        &self,
        info: &TermInfo,
        field: Field,
        postings: usize,
    ) -> Result<PositionsBlock<'_>, ListError> {
        let span = info.positions[field as usize];
        if span.len == 0 {
            return PositionsBlock::new(&[], field, postings)
                .map_err(|_| ListError::Damaged(FormatError::corrupt("", "")));
        }
        let kind = PieceKind::positions(field);
        let bytes = self.span_bytes(&self.positions[field as usize], kind, span)?;
        PositionsBlock::new(bytes, field, postings).map_err(|_| {
            ListError::Damaged(self.damaged(
                PieceId::new(kind, span.piece),
                span,
                "does not decode",
            ))
        })
    }

    /// The error for a positions block whose codes do not decode.
    pub(crate) fn damaged_positions(&self, info: &TermInfo, field: Field) -> FormatError {
        let span = info.positions[field as usize];
        let id = PieceId::new(PieceKind::positions(field), span.piece);
        self.damaged(
            id,
            span,
            "holds positions that do not decode or lie past their field",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::postings::Posting;

    fn list(postings: usize) -> Arc<Decoded> {
        Arc::new((vec![Posting::default(); postings], Vec::new()))
    }

    #[test]
    fn the_list_cache_keeps_the_newest_within_its_budget() {
        let per = std::mem::size_of::<Posting>();
        let third = LIST_CACHE_BYTES / 3 / per;
        let mut cache = ListCache::default();
        for key in 0..3 {
            cache.insert(key, list(third));
        }
        assert!(cache.get(0).is_some() && cache.get(2).is_some());
        // A fourth drops the oldest, and only it.
        cache.insert(3, list(third));
        assert!(cache.get(0).is_none());
        assert!((1..4).all(|k| cache.get(k).is_some()));
        assert!(cache.bytes <= LIST_CACHE_BYTES);
        // A list larger than the budget is not kept, and drops nothing.
        cache.insert(9, list(LIST_CACHE_BYTES / per + 1));
        assert!(cache.get(9).is_none() && cache.get(1).is_some());
    }
}
