//! What a search plans before it reads any list: whether the facet values of every paper
//! it can find come with its postings, or the facet columns must be fetched.

use super::Prepared;
use crate::reader::Index;

impl Index {
    /// Do the lists of some group carry the facet rows of every paper the group matches?
    /// Then so do they for every paper the query finds (unless it falls back to papers
    /// matching only some groups). Every alternative of the group must have a word found
    /// in the dictionary whose expansions all carry rows.
    pub(super) fn rows_cover(&self, groups: &[Vec<Prepared>]) -> bool {
        groups.iter().any(|alternatives| {
            !alternatives.is_empty()
                && alternatives.iter().all(|atom| {
                    atom.words.iter().any(|word| {
                        !word.expansions.is_empty()
                            && word
                                .expansions
                                .iter()
                                .all(|e| self.rows_in_list(e.info.doc_freq))
                    })
                })
        })
    }
}
