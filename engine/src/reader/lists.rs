//! Postings lists and positions blocks, read out of their pieces and checked against what
//! holds them: a list's bytes against its piece, its papers against the paper count (the
//! field lengths it carries are at least its term frequencies by construction, and bound
//! what decoding its positions may produce).

use std::sync::OnceLock;

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
    /// as many as its term info says.
    pub(crate) fn list(&self, info: &TermInfo) -> Result<Decoded, ListError> {
        let span = info.postings;
        let id = PieceId::new(PieceKind::Postings, span.piece);
        let bytes = self.span_bytes(&self.postings, PieceKind::Postings, span)?;
        decode_postings(bytes, self.manifest.papers, info.doc_freq, &self.layout)
            .map_err(|_| ListError::Damaged(self.damaged(id, span, "does not decode")))
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
