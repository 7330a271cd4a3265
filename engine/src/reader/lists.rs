//! Postings lists, rows blocks and positions blocks, read out of their pieces and checked
//! against what holds them: a list's bytes against its piece, its papers against the
//! paper count (the field lengths it carries are at least its term frequencies by
//! construction, and bound what decoding its positions may produce), a rows block's rows
//! against its list's count and the manifest's years and listings.

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::{Index, Needs};
use crate::format::heads::decode_head;
use crate::format::positions::PositionsBlock;
use crate::format::postings::{decode_postings, Decoded, Posting};
use crate::format::rows::FacetRow;
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
/// (more with inline facet rows): one of a word in 84,000 of 100,000 papers is 1.7 MB, and decoding it is much of a warm
/// search of common words. 32 MiB holds the lists of some twenty common words, what a
/// person typing a few queries goes back to, and stays well inside the page's memory
/// budget (200 MB of wasm memory at a million papers).
pub(crate) const LIST_CACHE_BYTES: usize = 32 << 20;

/// Bytes of decoded rows blocks kept across searches: a query reads the rows of one group
/// of its words, so fewer are read than lists.
pub(crate) const ROWS_CACHE_BYTES: usize = 8 << 20;

/// Bytes of merged heads kept across searches (a head merged with its term's docs takes as
/// much memory as the list would).
pub(crate) const HEADS_CACHE_BYTES: usize = 16 << 20;

/// Decoded lists (or rows blocks), by where they are, the oldest dropped first past the
/// budget.
pub(crate) struct ListCache<T: Weigh> {
    lists: HashMap<u64, Arc<T>>,
    order: VecDeque<u64>,
    bytes: usize,
    budget: usize,
}

/// What a decoded list or block takes in memory.
pub(crate) trait Weigh {
    fn bytes(&self) -> usize;
}

impl Weigh for Decoded {
    fn bytes(&self) -> usize {
        std::mem::size_of_val(self.0.as_slice()) + std::mem::size_of_val(self.1.as_slice())
    }
}

impl<T> Weigh for Vec<T> {
    fn bytes(&self) -> usize {
        std::mem::size_of_val(self.as_slice())
    }
}

impl<T: Weigh> ListCache<T> {
    pub(crate) fn new(budget: usize) -> Self {
        ListCache {
            lists: HashMap::default(),
            order: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    fn get(&self, key: u64) -> Option<Arc<T>> {
        self.lists.get(&key).cloned()
    }

    fn insert(&mut self, key: u64, decoded: Arc<T>) {
        let bytes = decoded.bytes();
        if bytes > self.budget || self.lists.contains_key(&key) {
            return;
        }
        while self.bytes + bytes > self.budget {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.lists.remove(&old) {
                self.bytes -= gone.bytes();
            }
        }
        self.bytes += bytes;
        self.order.push_back(key);
        self.lists.insert(key, decoded);
    }
}

/// A term's list as its head span tells it ([`Index::head_list`]), with the block bounds
/// of its papers outside the head.
pub(crate) struct MergedHead {
    pub(crate) list: Arc<Decoded>,
    /// Per [`crate::format::heads::BLOCK`] postings of the list, the most a paper of them
    /// outside the head can have, in 255ths of the tail bound.
    pub(crate) blocks: Vec<u8>,
}

impl Weigh for MergedHead {
    fn bytes(&self) -> usize {
        self.list.bytes() + self.blocks.len()
    }
}

/// Where a term's list is: the key of a decoded list.
pub(crate) fn list_key(info: &TermInfo) -> u64 {
    span_key(info.postings)
}

/// Where a span is, as a key: its piece and offset (spans of one stream never share both).
fn span_key(span: Span) -> u64 {
    u64::from(span.piece) << 32 | u64::from(span.offset)
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

    /// A list or block that could not be read, as the error a search reports: one whose
    /// piece was never added was needed but not loaded (the plan fetches every piece
    /// before scoring starts).
    pub(crate) fn list_error(&self, error: ListError) -> FormatError {
        match error {
            ListError::Damaged(error) => error,
            ListError::Missing(id) => {
                FormatError::corrupt(&self.file_name(id), "was needed but not loaded")
            }
        }
    }

    fn damaged(&self, id: PieceId, span: Span, what: &str) -> FormatError {
        FormatError::corrupt(
            &self.file_name(id),
            format!("the data at bytes {}..+{} {what}", span.offset, span.len),
        )
    }

    /// Has the piece holding `info`'s postings arrived?
    pub(crate) fn has_list(&self, info: &TermInfo) -> bool {
        self.has(PieceId::new(PieceKind::Postings, info.postings.piece))
    }

    /// The piece holding `info`'s postings, added to `needs` if it has not arrived.
    pub(crate) fn needs_list(&self, info: &TermInfo, needs: &mut Needs) {
        if !self.has_list(info) {
            needs.add(PieceId::new(PieceKind::Postings, info.postings.piece));
        }
    }

    /// The rows piece of `info`, when its rows are in a block and it has not arrived.
    pub(crate) fn needs_rows(&self, info: &TermInfo, needs: &mut Needs) {
        let id = PieceId::new(PieceKind::Rows, info.rows.piece);
        if info.rows.len > 0 && !self.has(id) {
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

    /// The heads piece holding `info`'s head span, added to `needs` if it has not arrived.
    pub(crate) fn needs_head(&self, info: &TermInfo, needs: &mut Needs) {
        let id = PieceId::new(PieceKind::Heads, info.head.piece);
        if info.head.len > 0 && !self.has(id) {
            needs.add(id);
        }
    }

    /// `info`'s list as its head span tells it: every paper holding the term, in order,
    /// those of the family's head with their postings, the others with a posting of no
    /// term frequency (not known: bounded by the tail bound). Checked as the span is
    /// decoded ([`crate::format::heads::decode_head`]); kept for later searches, within
    /// [`HEADS_CACHE_BYTES`].
    pub(crate) fn head_list(&self, info: &TermInfo) -> Result<Arc<MergedHead>, ListError> {
        let span = info.head;
        let key = span_key(span);
        let cache = || self.decoded_heads.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(decoded) = cache().get(key) {
            return Ok(decoded);
        }
        let id = PieceId::new(PieceKind::Heads, span.piece);
        let bytes = self.span_bytes(&self.heads, PieceKind::Heads, span)?;
        let head = decode_head(bytes, self.manifest.papers, info.doc_freq, &self.layout)
            .map_err(|_| ListError::Damaged(self.damaged(id, span, "does not decode")))?;
        let mut known = head.head.0.into_iter().peekable();
        let merged: Vec<Posting> = head
            .docs
            .into_iter()
            .map(|doc| match known.next_if(|p| p.doc == doc) {
                Some(posting) => posting,
                None => Posting {
                    doc,
                    ..Posting::default()
                },
            })
            .collect();
        let decoded = Arc::new(MergedHead {
            list: Arc::new((merged, Vec::new())),
            blocks: head.blocks,
        });
        cache().insert(key, decoded.clone());
        Ok(decoded)
    }

    /// The facet rows block of `info`'s papers, in the order of its postings, checked: as
    /// many as its list has, each naming only years and listings the manifest has. Kept
    /// for later searches, within [`ROWS_CACHE_BYTES`]. `None` for a term without a block
    /// (its list carries its rows inline, or it has none). A block that does not decode
    /// is remembered ([`Index::damaged_rows`]), so later searches plan around it.
    pub(crate) fn rows_block(
        &self,
        info: &TermInfo,
    ) -> Result<Option<Arc<Vec<FacetRow>>>, ListError> {
        let span = info.rows;
        if span.len == 0 {
            return Ok(None);
        }
        let key = span_key(span);
        let cache = || self.decoded_rows.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(decoded) = cache().get(key) {
            return Ok(Some(decoded));
        }
        let id = PieceId::new(PieceKind::Rows, span.piece);
        let decoded = self
            .span_bytes(&self.rows, PieceKind::Rows, span)
            .and_then(|bytes| {
                self.layout
                    .rows
                    .decode_block(bytes, info.doc_freq)
                    .map_err(|_| ListError::Damaged(self.damaged(id, span, "does not decode")))
            });
        let decoded = match decoded {
            Ok(decoded) => Arc::new(decoded),
            Err(ListError::Damaged(error)) => {
                self.bad_rows
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, error.clone());
                return Err(ListError::Damaged(error));
            }
            Err(missing) => return Err(missing),
        };
        cache().insert(key, decoded.clone());
        Ok(Some(decoded))
    }

    /// Why `info`'s rows block did not decode, if an earlier search found it does not.
    pub(crate) fn damaged_rows(&self, info: &TermInfo) -> Option<FormatError> {
        let key = span_key(info.rows);
        let bad = self.bad_rows.lock().unwrap_or_else(|e| e.into_inner());
        bad.get(&key).cloned()
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

    fn list(postings: usize) -> Arc<Decoded> {
        Arc::new((vec![Posting::default(); postings], Vec::new()))
    }

    #[test]
    fn the_list_cache_keeps_the_newest_within_its_budget() {
        let per = std::mem::size_of::<Posting>();
        let third = LIST_CACHE_BYTES / 3 / per;
        let mut cache = ListCache::new(LIST_CACHE_BYTES);
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
