//! Writes the record files ([`crate::format::records`]): each paper's JSON framed and
//! compressed on its own, in slots of a size chosen for the collection.

use super::pieces::PieceSizes;
use crate::format::records::{compress, encode_file, slot_size};
use crate::format::{frame, PieceId, PieceKind};
use crate::model::Paper;

/// The record files of a build and how they are cut.
pub(super) struct RecordFiles {
    pub files: Vec<Vec<u8>>,
    pub per_file: u32,
    pub slot: u32,
    /// The longest record compressed, and framed before compression.
    pub max: u32,
    pub max_framed: u32,
}

/// A paper's record as the index holds it: its JSON.
pub(super) fn json(paper: &Paper) -> Vec<u8> {
    serde_json::to_vec(paper).expect("papers serialize to JSON")
}

/// The record files of `papers`, for build `build`, in at most `max_files` files.
pub(super) fn write(
    papers: &[Paper],
    build: u64,
    sizes: &PieceSizes,
    max_files: u32,
) -> RecordFiles {
    let mut max_framed = 0;
    let compressed: Vec<Vec<u8>> = (0u32..)
        .zip(papers)
        .map(|(doc, paper)| {
            let framed = frame::frame(PieceId::new(PieceKind::Records, doc), build, &json(paper));
            max_framed = max_framed.max(framed.len());
            compress(&framed)
        })
        .collect();
    let lengths: Vec<usize> = compressed.iter().map(Vec::len).collect();
    let slot = match sizes.record_slot {
        0 => slot_size(&lengths),
        chosen => chosen.max(crate::format::records::SLOT_HEADER as u32 + 1),
    };
    let by_size = (sizes.records / slot as usize).max(1) as u32;
    let by_count = (papers.len() as u32).div_ceil(max_files.max(1));
    let per_file = by_size.max(by_count).max(1);
    let files = if compressed.is_empty() {
        vec![Vec::new()]
    } else {
        compressed
            .chunks(per_file as usize)
            .map(|chunk| encode_file(chunk, slot))
            .collect()
    };
    RecordFiles {
        files,
        per_file,
        slot,
        max: lengths.iter().copied().max().unwrap_or(0) as u32,
        max_framed: max_framed as u32,
    }
}
