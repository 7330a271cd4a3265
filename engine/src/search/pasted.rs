//! A query that is a pasted arXiv id or URL (`crate::query::arxiv_id`): its paper, looked
//! up in the id pieces in the same round as the words' terms, comes first, and "why this
//! result" says the id matched.

use crate::model::Field;
use crate::reader::lookup::Gather;
use crate::reader::Index;

use super::{Contribution, MatchKind};

/// The id a query pastes and the paper it names.
pub(super) struct Pasted {
    pub id: String,
    pub doc: u32,
}

impl Index {
    /// The paper `query` names when it is a pasted id the collection holds; the id piece
    /// it needs goes into `gather` (`None` until it is in).
    pub(super) fn pasted(&self, query: &str, gather: &mut Gather) -> Option<Pasted> {
        let id = crate::query::arxiv_id(query)?;
        match self.doc_of(&id) {
            Ok(doc) => doc.map(|doc| Pasted { id, doc }),
            Err(more) => {
                more.0.into_iter().for_each(|piece| gather.needs.add(piece));
                None
            }
        }
    }
}

impl Pasted {
    /// Puts the paper first in `scored`, above every score; the words' partial matches
    /// (`2403`, `arxiv`, `org` of a URL) are not shown beside it. Returns whether the
    /// results are still partial.
    pub fn put_first(&self, scored: &mut Vec<(u32, f32)>, partial: bool) -> bool {
        if partial {
            scored.clear();
        }
        let top = scored.iter().map(|s| s.1).fold(0.0f32, f32::max) + 1.0;
        scored.retain(|s| s.0 != self.doc);
        scored.insert(0, (self.doc, top));
        false
    }

    /// The explanation's line for the paper: its id matched.
    pub fn contribution(&self, score: f32) -> Contribution {
        Contribution {
            word: self.id.clone(),
            term: self.id.clone(),
            field: Field::Title,
            kind: MatchKind::Id,
            score,
        }
    }
}
