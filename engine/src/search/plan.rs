//! What a search plans before it reads any list: where the facet values of the papers it
//! can find come from, the rows blocks of one group of its words or the facet columns.

use super::Prepared;
use crate::format::terms::TermInfo;
use crate::format::{FormatError, PieceId, PieceKind};
use crate::reader::Index;

impl Index {
    /// The terms whose rows blocks hold the facet values of every paper the query can
    /// find, when fetching them costs fewer bytes than the facet columns still missing;
    /// else `None` (the columns). `heads`: the query reads heads (`heads.rs`). With the error of a rows block an earlier search found
    /// damaged, which this one would have read: it plans around it, and says so.
    ///
    /// Every paper found matches every group, so the rows of any one group's terms cover
    /// them all: for each alternative of the group, every expansion of one of its words
    /// (an alternative's words must all be there). A group can serve only if each of
    /// those terms has rows (inline in its list, or a block); the one whose blocks not
    /// fetched yet are the fewest bytes does. The columns cost their share of the
    /// manifest's `facet_bytes` (their bodies deflated) not fetched yet; a rows block is
    /// bits already, and barely compresses: its bytes are what it costs.
    pub(super) fn rows_source(
        &self,
        groups: &[Vec<Prepared>],
        heads: bool,
    ) -> (Option<Vec<TermInfo>>, Option<FormatError>) {
        let mut damage = None;
        // A short list's rows come with it; a block costs its bytes, until it has arrived.
        let missing = |info: &TermInfo| {
            if info.rows.len == 0 || self.has(PieceId::new(PieceKind::Rows, info.rows.piece)) {
                0
            } else {
                u64::from(info.rows.len)
            }
        };
        let mut has_rows = |info: &TermInfo| {
            if info.rows.len > 0 {
                match self.damaged_rows(info) {
                    Some(error) => {
                        damage.get_or_insert(error);
                        false
                    }
                    None => true,
                }
            } else {
                // A term read from its head has no list to carry its rows inline.
                self.rows_inline(info.doc_freq) && !(heads && info.head.len > 0)
            }
        };
        let best = groups
            .iter()
            .filter_map(|alternatives| {
                if alternatives.is_empty() {
                    return None;
                }
                let mut infos = Vec::new();
                for atom in alternatives {
                    let word = atom
                        .words
                        .iter()
                        .filter(|w| {
                            !w.expansions.is_empty()
                                && w.expansions.iter().all(|e| has_rows(&e.info))
                        })
                        .min_by_key(|w| {
                            w.expansions.iter().map(|e| missing(&e.info)).sum::<u64>()
                        })?;
                    infos.extend(word.expansions.iter().map(|e| e.info));
                }
                infos.sort_unstable_by_key(|i| (i.rows.piece, i.rows.offset));
                infos.dedup();
                let cost: u64 = infos.iter().map(missing).sum();
                Some((cost, infos))
            })
            .min_by_key(|(cost, _)| *cost);
        let Some(best) = best else {
            return (None, damage);
        };
        let pieces = self.manifest().piece_count(PieceKind::Facets);
        let missing_columns = (0..pieces)
            .filter(|&n| !self.has(PieceId::new(PieceKind::Facets, n)))
            .count();
        let columns = u128::from(self.manifest().facet_bytes) * missing_columns as u128
            / u128::from(pieces.max(1));
        let rows = (missing_columns > 0 && u128::from(best.0) < columns).then_some(best.1);
        (rows, damage)
    }
}
