//! The term dictionary across its pieces: exact lookups and automaton scans, each telling
//! which term pieces it needs when they have not arrived.

use fst::automaton::Automaton;
use fst::{IntoStreamer, Streamer};

use super::{Index, Needs};
use crate::format::terms::TermInfo;
use crate::format::{FormatError, PieceId, PieceKind};

/// What a dictionary walk gathers besides its answer: pieces it needs, and the first
/// damage it met (a term info that does not decode is left out and reported).
#[derive(Debug, Default)]
pub(crate) struct Gather {
    pub needs: Needs,
    pub damage: Option<FormatError>,
}

/// Which terms a scan can match, so that only the pieces holding them are needed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TermRange<'a> {
    /// Terms starting with these bytes.
    Prefix(&'a [u8]),
    /// Any term.
    All,
}

impl<'a> TermRange<'a> {
    /// The terms sharing `word`'s first byte: all a typo automaton can match, since it
    /// takes the first letter as typed (`crate::fuzzy`), so a typo needs the term pieces of
    /// one letter, not the whole dictionary.
    pub(crate) fn first_byte(word: &'a str) -> TermRange<'a> {
        match word.as_bytes().first() {
            Some(first) => TermRange::Prefix(std::slice::from_ref(first)),
            None => TermRange::All,
        }
    }
}

impl Index {
    /// The term piece whose range holds `term`.
    fn term_piece_of(&self, term: &[u8]) -> usize {
        let firsts = &self.manifest.pieces.terms;
        firsts
            .partition_point(|first| first.as_bytes() <= term)
            .saturating_sub(1)
    }

    /// The term pieces a range of terms lies in.
    fn term_pieces(&self, range: TermRange) -> std::ops::Range<usize> {
        let count = self.terms.len();
        match range {
            TermRange::All => 0..count,
            TermRange::Prefix(prefix) => {
                let first = self.term_piece_of(prefix);
                // The last piece whose first term can start with `prefix`.
                let firsts = &self.manifest.pieces.terms;
                let end = firsts.partition_point(|f| {
                    let f = f.as_bytes();
                    f < prefix || f.starts_with(prefix)
                });
                first..end.max(first + 1).min(count)
            }
        }
    }

    /// The info of `term`, when the dictionary holds it.
    pub(crate) fn lookup(&self, term: &str, gather: &mut Gather) -> Option<TermInfo> {
        let n = self.term_piece_of(term.as_bytes());
        let Some(piece) = self.terms.get(n)?.get() else {
            gather.needs.add(PieceId::new(PieceKind::Terms, n as u32));
            return None;
        };
        let offset = piece.map().get(term)?;
        self.info(n, piece, offset, gather)
    }

    fn info(
        &self,
        n: usize,
        piece: &crate::format::terms::TermPiece,
        offset: u64,
        gather: &mut Gather,
    ) -> Option<TermInfo> {
        match piece.info(offset) {
            Ok(info) => Some(info),
            Err(_) => {
                let file = self.file_name(PieceId::new(PieceKind::Terms, n as u32));
                gather.damage.get_or_insert(FormatError::corrupt(
                    &file,
                    format!("the term info of ordinal {offset} does not decode"),
                ));
                None
            }
        }
    }

    /// Every term of the pieces added so far, with its document frequency, in term order:
    /// for tools that walk the dictionary (benchmarks, statistics).
    pub fn loaded_terms(&self) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for piece in self.terms.iter().filter_map(|slot| slot.get()) {
            let mut stream = piece.map().stream();
            while let Some((term, offset)) = stream.next() {
                if let (Ok(term), Ok(info)) = (std::str::from_utf8(term), piece.info(offset)) {
                    out.push((term.to_string(), info.doc_freq));
                }
            }
        }
        out
    }

    /// Terms accepted by `automaton` within `range`, in term order, at most `limit`.
    /// Nothing when a piece of the range has not arrived (it is added to the needs).
    pub(crate) fn scan<A: Automaton + Clone>(
        &self,
        automaton: A,
        range: TermRange,
        limit: usize,
        gather: &mut Gather,
    ) -> Vec<(String, TermInfo)> {
        let pieces = self.term_pieces(range);
        let mut missing = false;
        for n in pieces.clone() {
            if self.terms[n].get().is_none() {
                gather.needs.add(PieceId::new(PieceKind::Terms, n as u32));
                missing = true;
            }
        }
        let mut out = Vec::new();
        if missing {
            return out;
        }
        for n in pieces {
            let Some(piece) = self.terms[n].get() else {
                continue;
            };
            let mut stream = piece.map().search(automaton.clone()).into_stream();
            while let Some((term, offset)) = stream.next() {
                if out.len() == limit {
                    return out;
                }
                let Ok(term) = std::str::from_utf8(term) else {
                    continue;
                };
                if let Some(info) = self.info(n, piece, offset, gather) {
                    out.push((term.to_string(), info));
                }
            }
        }
        out
    }
}
