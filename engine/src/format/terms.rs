//! Term pieces: the dictionary of one term range, with what planning a query needs.
//!
//! ```text
//! fst_len    u32 little-endian
//! fst        an fst map (the fst crate's format): term → byte offset of its info below
//! infos      per term, in term order:
//!   doc_freq             varint
//!   postings             varint piece, varint offset, varint length
//!   title positions      varint length; when not 0: varint piece, varint offset
//!   abstract positions   the same
//! ```
//!
//! The fst is checked node by node when the piece arrives (`crate::fst_check`): the fst
//! crate trusts its bytes, and a damaged node could make it panic or loop. Every info is
//! checked against the manifest (piece numbers, document frequency) when it is read.

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
}

impl TermInfo {
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        write_varint(out, u64::from(self.doc_freq));
        for v in [self.postings.piece, self.postings.offset, self.postings.len] {
            write_varint(out, u64::from(v));
        }
        for span in &self.positions {
            write_varint(out, u64::from(span.len));
            if span.len > 0 {
                write_varint(out, u64::from(span.piece));
                write_varint(out, u64::from(span.offset));
            }
        }
    }

    fn decode(reader: &mut ByteReader, limits: &Limits) -> Result<TermInfo, CodecError> {
        let doc_freq = reader.u32()?;
        if doc_freq == 0 || doc_freq > limits.papers {
            return Err(CodecError);
        }
        let postings = Span {
            piece: reader.u32()?,
            offset: reader.u32()?,
            len: reader.u32()?,
        };
        if postings.piece >= limits.pieces[0] || postings.len == 0 {
            return Err(CodecError);
        }
        let mut positions = [Span::default(); Field::COUNT];
        for (f, span) in positions.iter_mut().enumerate() {
            span.len = reader.u32()?;
            if span.len > 0 {
                span.piece = reader.u32()?;
                span.offset = reader.u32()?;
                if span.piece >= limits.pieces[1 + f] {
                    return Err(CodecError);
                }
            }
        }
        Ok(TermInfo {
            doc_freq,
            postings,
            positions,
        })
    }
}

/// What a term info may hold, from the manifest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub papers: u32,
    /// Piece counts: postings, title positions, abstract positions.
    pub pieces: [u32; 3],
}

/// Writes a term piece: `terms` in order, each with its info.
pub(crate) fn encode_piece(terms: &[(&str, TermInfo)]) -> Vec<u8> {
    let mut infos = Vec::new();
    let mut map = fst::MapBuilder::memory();
    for (term, info) in terms {
        map.insert(term, infos.len() as u64)
            .expect("terms are sorted and unique");
        info.encode(&mut infos);
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

/// A term piece as read: its fst checked, its infos checked as they are read.
pub struct TermPiece {
    map: Map<Vec<u8>>,
    infos: Vec<u8>,
    limits: Limits,
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
        Ok(TermPiece {
            map,
            infos: body[reader.pos..].to_vec(),
            limits,
        })
    }

    pub(crate) fn map(&self) -> &Map<Vec<u8>> {
        &self.map
    }

    /// The info at `offset` (an fst value of this piece).
    pub(crate) fn info(&self, offset: u64) -> Result<TermInfo, CodecError> {
        let offset = usize::try_from(offset).map_err(|_| CodecError)?;
        if offset >= self.infos.len() {
            return Err(CodecError);
        }
        TermInfo::decode(&mut ByteReader::new(&self.infos, offset), &self.limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        papers: 100,
        pieces: [2, 1, 1],
    };

    fn info(doc_freq: u32, title: u32) -> TermInfo {
        TermInfo {
            doc_freq,
            postings: Span {
                piece: 1,
                offset: 40,
                len: 9,
            },
            positions: [
                Span {
                    piece: 0,
                    offset: 3,
                    len: title,
                },
                Span {
                    piece: 0,
                    offset: 700,
                    len: 33,
                },
            ],
        }
    }

    #[test]
    fn a_term_piece_round_trips() {
        let (a, b) = (info(3, 0), info(100, 5));
        let body = encode_piece(&[("agent", a), ("world", b)]);
        let piece = TermPiece::decode(&body, LIMITS).unwrap();
        let got = |t: &str| piece.info(piece.map().get(t).unwrap()).unwrap();
        assert_eq!(got("agent").positions[0].len, 0);
        assert_eq!(
            got("agent"),
            TermInfo {
                positions: [Span::default(), a.positions[1]],
                ..a
            }
        );
        assert_eq!(got("world"), b);
        assert_eq!(piece.map().len(), 2);
    }

    #[test]
    fn infos_beyond_the_manifest_are_errors() {
        let body = encode_piece(&[("agent", info(101, 5))]);
        let piece = TermPiece::decode(&body, LIMITS).unwrap();
        assert_eq!(
            piece.info(0),
            Err(CodecError),
            "more papers than the index has"
        );
        let narrow = Limits {
            pieces: [1, 1, 1],
            ..LIMITS
        };
        let piece = TermPiece::decode(&encode_piece(&[("a", info(3, 1))]), narrow).unwrap();
        assert_eq!(piece.info(0), Err(CodecError), "postings piece 1 of 1");
        assert_eq!(piece.info(1 << 40), Err(CodecError));
    }

    #[test]
    fn a_damaged_dictionary_is_refused_in_words() {
        let body = encode_piece(&[("agent", info(3, 1)), ("world", info(4, 1))]);
        for len in 0..body.len() {
            let _ = TermPiece::decode(&body[..len], LIMITS);
        }
        let mut damaged = body.clone();
        damaged[8] ^= 0x40;
        let err = TermPiece::decode(&damaged, LIMITS).unwrap_err();
        assert!(err.contains("checksum"), "{err}");
        assert!(TermPiece::decode(&body[..3], LIMITS)
            .unwrap_err()
            .contains("ends before"));
    }
}
