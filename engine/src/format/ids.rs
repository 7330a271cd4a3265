//! Id pieces: paper id → document ordinal, by id range, for opening a paper from a link or
//! a similar-papers list without the records. The body is an fst map (the fst crate's
//! format), checked node by node when it arrives.

use fst::Map;

/// Writes an id piece: `ids` sorted, each with its document ordinal.
pub(crate) fn encode_piece(ids: &[(&str, u32)]) -> Vec<u8> {
    let mut map = fst::MapBuilder::memory();
    for (id, doc) in ids {
        map.insert(id, u64::from(*doc))
            .expect("ids are sorted and unique");
    }
    map.into_inner()
        .expect("writing an fst to memory cannot fail")
}

/// An id piece as read.
pub struct IdPiece {
    map: Map<Vec<u8>>,
}

impl std::fmt::Debug for IdPiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdPiece")
            .field("ids", &self.map.len())
            .finish()
    }
}

impl IdPiece {
    /// Reads a piece body of an index of `papers` papers.
    pub(crate) fn decode(body: &[u8], papers: u32) -> Result<IdPiece, String> {
        if !crate::fst_check::checksum_matches(body) {
            return Err("the id dictionary's checksum does not match its content".into());
        }
        crate::fst_check::check(body)?;
        let map = Map::new(body.to_vec()).map_err(|e| e.to_string())?;
        // Every ordinal is checked now, so that a damaged one is an error naming the piece
        // when it arrives, not a paper silently "not found" later.
        let mut entries = map.stream();
        while let Some((id, doc)) = fst::Streamer::next(&mut entries) {
            if doc >= u64::from(papers) {
                let id = String::from_utf8_lossy(&id[..id.len().min(60)]).into_owned();
                return Err(format!("paper {id} has ordinal {doc} of {papers} papers"));
            }
        }
        drop(entries);
        Ok(IdPiece { map })
    }

    /// The document of `id`, when the piece holds it (every ordinal was checked against
    /// the paper count when the piece arrived).
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.map.get(id).map(|doc| doc as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_checked_against_the_paper_count() {
        let body = encode_piece(&[("2501.00001", 0), ("2501.00002", 7)]);
        let piece = IdPiece::decode(&body, 8).unwrap();
        assert_eq!(piece.get("2501.00002"), Some(7));
        assert_eq!(piece.get("nope"), None);
        // An ordinal past the paper count is refused when the piece arrives (it was
        // once read as "no such paper").
        assert!(IdPiece::decode(&body, 5)
            .unwrap_err()
            .contains("ordinal 7 of 5"));
        let mut damaged = body.clone();
        damaged[2] ^= 1;
        assert!(IdPiece::decode(&damaged, 8).is_err());
    }
}
