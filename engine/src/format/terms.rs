//! Term pieces: the dictionary of one term range, with what planning a query needs.
//!
//! ```text
//! fst_len    u32 little-endian
//! fst        an fst map (the fst crate's format): term → its ordinal in this piece
//! starts     per stream (postings, title positions, abstract positions, rows, heads): varint piece,
//!            varint offset: where the stream's first non-empty span of this piece starts
//! infos      per term, in term order:
//!   doc_freq   varint of doc_freq << 1 | 1 when the term has a head span
//!   per stream, in that order: varint (length << 1 | 1 when the span starts the next
//!              piece of its stream), 0 for an empty span; the rows stream's only for a
//!              term whose document frequency gives it a rows block (the manifest's
//!              `row_inline_df` < doc_freq <= `row_max_df`), which few terms have; the
//!              heads stream's only for a term with a head span
//!   bound      with a head span: 4 bytes, little-endian, its family's tail bound (f32)
//! ```
//!
//! The writer lays each stream out in term order (a span starts where the term before it
//! ended, or at the start of the next piece), so an info needs only its lengths: 4–5 bytes
//! a term, where a piece, an offset and a length for each stream took 12–15 (the term
//! pieces of a typo's first letter, which a typo query reads whole, are some 40 % smaller
//! for it).
//!
//! The fst is checked node by node when the piece arrives (`crate::fst_check`): the fst
//! crate trusts its bytes, and a damaged node could make it panic or loop. Every info is
//! checked against the manifest (piece numbers, document frequency) when the piece is.

use fst::Map;

use crate::codec::{write_varint, ByteReader, CodecError};
use crate::model::Field;

/// Where a byte range of one piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub piece: u32,
    pub offset: u32,
    pub len: u32,
}

/// What the dictionary says about a term: enough to plan a query, and where its data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TermInfo {
    pub doc_freq: u32,
    pub postings: Span,
    /// Per field, its positions block (`len` 0: never in that field).
    pub positions: [Span; Field::COUNT],
    /// Its papers' facet rows ([`super::rows`]; `len` 0: a term in too many papers).
    pub rows: Span,
    /// Its docs and head postings (`heads.rs`; `len` 0: none, the term is not of a
    /// common family or in few papers).
    pub head: Span,
    /// With a head: its family's tail bound, as f32 bits (checked when the piece is read).
    pub tail_bound: u32,
}

/// The streams a term info places its data in: postings, each field's positions, rows,
/// heads.
const STREAMS: usize = 3 + Field::COUNT;

impl TermInfo {
    fn spans(&self) -> [Span; STREAMS] {
        [
            self.postings,
            self.positions[0],
            self.positions[1],
            self.rows,
            self.head,
        ]
    }

    /// The highest impact of a paper of the term's family outside its head.
    pub(crate) fn tail_bound(&self) -> f32 {
        f32::from_bits(self.tail_bound)
    }
}

/// Where each stream stands while infos are written or read: piece and offset.
type Cursor = [(u32, u32); STREAMS];

/// What a term info may hold, from the manifest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub papers: u32,
    /// Piece counts: postings, title positions, abstract positions, rows, heads.
    pub pieces: [u32; STREAMS],
    /// Terms in more than `.0` and at most `.1` papers have a rows block.
    pub row_blocks: (u32, u32),
}

impl Limits {
    fn has_block(&self, doc_freq: u32) -> bool {
        doc_freq > self.row_blocks.0 && doc_freq <= self.row_blocks.1
    }
}

/// Writes a term piece: `terms` in order, each with its info (its spans laid out in term
/// order, as the writer's packers place them; a rows block only where `limits` allow).
pub(crate) fn encode_piece(terms: &[(&str, TermInfo)], limits: &Limits) -> Vec<u8> {
    let mut cursor: Cursor = [(0, 0); STREAMS];
    for (s, at) in cursor.iter_mut().enumerate() {
        if let Some(span) = terms
            .iter()
            .map(|(_, i)| i.spans()[s])
            .find(|sp| sp.len > 0)
        {
            *at = (span.piece, span.offset);
        }
    }
    let mut infos = Vec::new();
    for &(piece, offset) in &cursor {
        write_varint(&mut infos, u64::from(piece));
        write_varint(&mut infos, u64::from(offset));
    }
    let mut map = fst::MapBuilder::memory();
    for (ordinal, (term, info)) in (0u64..).zip(terms) {
        map.insert(term, ordinal)
            .expect("terms are sorted and unique");
        let headed = info.head.len > 0;
        write_varint(
            &mut infos,
            u64::from(info.doc_freq) << 1 | u64::from(headed),
        );
        let block = limits.has_block(info.doc_freq);
        assert!(
            block || info.rows.len == 0,
            "a rows block where none is allowed"
        );
        let present = [true, true, true, block, headed];
        for ((span, at), _) in info
            .spans()
            .iter()
            .zip(cursor.iter_mut())
            .zip(present)
            .filter(|(_, p)| *p)
        {
            if span.len == 0 {
                write_varint(&mut infos, 0);
                continue;
            }
            let next = if (span.piece, span.offset) == *at {
                0
            } else {
                assert_eq!(
                    (span.piece, span.offset),
                    (at.0 + 1, 0),
                    "a span starts where the one before it ended, or a piece"
                );
                1
            };
            write_varint(&mut infos, u64::from(span.len) << 1 | next);
            *at = (span.piece, span.offset + span.len);
        }
        if headed {
            infos.extend_from_slice(&info.tail_bound.to_le_bytes());
        }
    }
    let fst = map
        .into_inner()
        .expect("writing an fst to memory cannot fail");
    let mut out = Vec::with_capacity(4 + fst.len() + infos.len());
    out.extend_from_slice(&(fst.len() as u32).to_le_bytes());
    out.extend_from_slice(&fst);
    out.extend_from_slice(&infos);
    out
}

/// Reads the infos of a piece of `terms` terms, each checked against the manifest.
fn decode_infos(bytes: &[u8], terms: usize, limits: &Limits) -> Result<Vec<TermInfo>, CodecError> {
    let mut reader = ByteReader::new(bytes, 0);
    let mut cursor: Cursor = [(0, 0); STREAMS];
    for at in cursor.iter_mut() {
        *at = (reader.u32()?, reader.u32()?);
    }
    // Each info takes at least four bytes: more terms than that cannot be.
    let mut infos = Vec::with_capacity(terms.min(bytes.len() / 4));
    for _ in 0..terms {
        let code = reader.varint()?;
        let headed = code & 1 == 1;
        let doc_freq = u32::try_from(code >> 1).map_err(|_| CodecError)?;
        if doc_freq == 0 || doc_freq > limits.papers {
            return Err(CodecError);
        }
        let mut spans = [Span::default(); STREAMS];
        let present = [true, true, true, limits.has_block(doc_freq), headed];
        for (s, (span, at)) in spans
            .iter_mut()
            .zip(cursor.iter_mut())
            .enumerate()
            .filter(|(s, _)| present[*s])
        {
            let code = reader.varint()?;
            let len = u32::try_from(code >> 1).map_err(|_| CodecError)?;
            if len == 0 {
                if code != 0 {
                    return Err(CodecError);
                }
                continue;
            }
            if code & 1 == 1 {
                *at = (at.0.checked_add(1).ok_or(CodecError)?, 0);
            }
            if at.0 >= limits.pieces[s] {
                return Err(CodecError);
            }
            *span = Span {
                piece: at.0,
                offset: at.1,
                len,
            };
            at.1 = at.1.checked_add(len).ok_or(CodecError)?;
        }
        if spans[0].len == 0 || (headed && spans[4].len == 0) {
            return Err(CodecError);
        }
        let tail_bound = if headed {
            let b = reader.bytes(4)?;
            let bits = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            super::heads::check_bound(bits)?;
            bits
        } else {
            0
        };
        infos.push(TermInfo {
            doc_freq,
            postings: spans[0],
            positions: [spans[1], spans[2]],
            rows: spans[3],
            head: spans[4],
            tail_bound,
        });
    }
    if reader.pos != bytes.len() {
        return Err(CodecError);
    }
    Ok(infos)
}

/// A term piece as read: its fst and its infos checked.
pub struct TermPiece {
    map: Map<Vec<u8>>,
    infos: Vec<TermInfo>,
}

impl std::fmt::Debug for TermPiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermPiece")
            .field("terms", &self.map.len())
            .finish()
    }
}

impl TermPiece {
    /// Reads a piece body; the error says what is wrong, for the caller to name the file.
    pub(crate) fn decode(body: &[u8], limits: Limits) -> Result<TermPiece, String> {
        let mut reader = ByteReader::new(body, 0);
        let fst_len = reader
            .bytes(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .map_err(|_| "it ends before its term dictionary".to_string())?;
        let fst = reader
            .bytes(fst_len)
            .map_err(|_| "its term dictionary runs past its end".to_string())?;
        if !crate::fst_check::checksum_matches(fst) {
            return Err("the term dictionary's checksum does not match its content".into());
        }
        // The checksum guards against accidents, not against a host that recomputes it:
        // every node is checked before the fst crate, which trusts them, walks them.
        crate::fst_check::check(fst)?;
        let map = Map::new(fst.to_vec()).map_err(|e| e.to_string())?;
        let infos = decode_infos(&body[reader.pos..], map.len(), &limits).map_err(|_| {
            "its term infos do not decode, or name pieces or papers the index does not have"
                .to_string()
        })?;
        Ok(TermPiece { map, infos })
    }

    pub(crate) fn map(&self) -> &Map<Vec<u8>> {
        &self.map
    }

    /// The info of the term at `ordinal` (an fst value of this piece).
    pub(crate) fn info(&self, ordinal: u64) -> Result<TermInfo, CodecError> {
        usize::try_from(ordinal)
            .ok()
            .and_then(|i| self.infos.get(i))
            .copied()
            .ok_or(CodecError)
    }
}

/// The dictionary key of a biword (`build/biwords.rs`), the pair of stems `first` and
/// `second`: each after a 0 byte, which no token holds, so biwords sort before every word
/// and no scan of a word's prefix meets one.
pub(crate) fn biword_key(first: &str, second: &str) -> String {
    let mut key = String::with_capacity(first.len() + second.len() + 2);
    key.push('\0');
    key.push_str(first);
    key.push('\0');
    key.push_str(second);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        papers: 100,
        pieces: [3, 1, 2, 2, 2],
        row_blocks: (2, 50),
    };

    fn span(piece: u32, offset: u32, len: u32) -> Span {
        Span { piece, offset, len }
    }

    /// Three terms laid out as the writer lays them: each span where the one before it
    /// ended, or at the start of the next piece; an empty one in between.
    fn terms() -> [(&'static str, TermInfo); 3] {
        let mut terms = terms_without_heads();
        terms[1].1.head = span(0, 0, 30);
        terms[1].1.tail_bound = 2.5f32.to_bits();
        terms[2].1.head = span(1, 0, 4);
        terms[2].1.tail_bound = 1.0f32.to_bits();
        terms
    }

    fn terms_without_heads() -> [(&'static str, TermInfo); 3] {
        let info = |doc_freq, postings, title, abstract_, rows| TermInfo {
            doc_freq,
            postings,
            positions: [title, abstract_],
            rows,
            ..TermInfo::default()
        };
        [
            (
                "agent",
                info(
                    3,
                    span(1, 40, 9),
                    Span::default(),
                    span(0, 700, 33),
                    span(0, 0, 3),
                ),
            ),
            (
                "world",
                info(
                    100,
                    span(1, 49, 5),
                    span(0, 3, 5),
                    span(1, 0, 20),
                    Span::default(),
                ),
            ),
            (
                "zebra",
                info(
                    5,
                    span(2, 0, 7),
                    span(0, 8, 2),
                    span(1, 20, 4),
                    span(1, 0, 1),
                ),
            ),
        ]
    }

    #[test]
    fn a_term_piece_round_trips() {
        let terms = terms();
        let body = encode_piece(&terms, &LIMITS);
        let piece = TermPiece::decode(&body, LIMITS).unwrap();
        for (term, info) in terms {
            assert_eq!(
                piece.info(piece.map().get(term).unwrap()),
                Ok(info),
                "{term}"
            );
        }
        assert_eq!(piece.map().len(), 3);
        assert_eq!(piece.info(3), Err(CodecError));
        assert_eq!(piece.info(1 << 40), Err(CodecError));
        // An empty piece (an empty collection's).
        assert_eq!(
            TermPiece::decode(&encode_piece(&[], &LIMITS), LIMITS)
                .unwrap()
                .map()
                .len(),
            0
        );
    }

    #[test]
    fn a_tail_bound_that_is_no_number_is_refused() {
        let mut terms = terms();
        terms[1].1.tail_bound = f32::NAN.to_bits();
        assert!(TermPiece::decode(&encode_piece(&terms, &LIMITS), LIMITS).is_err());
        terms[1].1.tail_bound = (-1.0f32).to_bits();
        assert!(TermPiece::decode(&encode_piece(&terms, &LIMITS), LIMITS).is_err());
    }

    #[test]
    #[should_panic(expected = "a span starts where the one before it ended")]
    fn the_writer_refuses_spans_out_of_order() {
        let mut terms = terms();
        terms[1].1.postings.offset += 1;
        encode_piece(&terms, &LIMITS);
    }

    #[test]
    fn infos_beyond_the_manifest_are_errors() {
        let mut terms = terms();
        terms[2].1.rows = Span::default();
        terms[2].1.doc_freq = 101;
        let err = TermPiece::decode(&encode_piece(&terms, &LIMITS), LIMITS).unwrap_err();
        assert!(err.contains("papers the index does not have"), "{err}");
        let body = encode_piece(&super::tests::terms(), &LIMITS);
        for (pieces, what) in [
            ([2, 1, 2, 2, 2], "postings piece 2 of 2"),
            ([3, 1, 2, 1, 2], "rows piece 1 of 1"),
            ([3, 1, 2, 2, 1], "heads piece 1 of 1"),
        ] {
            let narrow = Limits { pieces, ..LIMITS };
            assert!(TermPiece::decode(&body, narrow).is_err(), "{what}");
        }
    }

    #[test]
    fn a_damaged_dictionary_is_refused_in_words() {
        let body = encode_piece(&terms(), &LIMITS);
        for len in 0..body.len() {
            assert!(
                TermPiece::decode(&body[..len], LIMITS).is_err(),
                "cut at {len}"
            );
        }
        let mut longer = body.clone();
        longer.push(0);
        assert!(
            TermPiece::decode(&longer, LIMITS).is_err(),
            "a byte past the infos"
        );
        let mut damaged = body.clone();
        damaged[8] ^= 0x40;
        let err = TermPiece::decode(&damaged, LIMITS).unwrap_err();
        assert!(err.contains("checksum"), "{err}");
        assert!(TermPiece::decode(&body[..3], LIMITS)
            .unwrap_err()
            .contains("ends before"));
    }
}
