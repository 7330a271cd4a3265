//! Paper records: each paper's JSON, framed and compressed on its own, in a fixed-size
//! slot of a record file, so that a reader fetches one paper with one HTTP range request
//! and nothing else (no directory to read first: paper `doc`'s slot is at a place the
//! manifest gives). A record file holds the slots of `records_per_file` consecutive
//! papers; a record longer than its slot lives after the slots, and its slot says where.
//!
//! ```text
//! records-<f>.<build>.bin     slots of papers f·per_file .. (f+1)·per_file, then overflow
//!   slot k at k·S (S = the manifest's record_slot):
//!     0..4  u32 LE  L: the record's compressed length
//!     4..8  u32 LE  0: the record follows, inline; else the file offset where it is
//!     8..   inline: L bytes, then zeros to S
//!   record = deflate (raw, RFC 1951) of a frame (kind records, number doc, the build)
//!            around the paper's JSON
//! ```
//!
//! The slot size is the build's choice ([`slot_size`]): it weighs the padding every hit
//! pays against the round trip a record too long for its slot costs, so a page of ten
//! hits rarely waits a second round for one. Grouping papers in pieces cost a page of hits
//! one piece per hit, most of it other papers' records (at 100,000 papers, 111 of a rare
//! word's 154 kB); a slot costs the hit's own record.
//!
//! A host that ignores range requests still works: the reader keeps the slot's bytes out
//! of the whole file as it streams, and stops there.

use super::{frame, FormatError, PieceId, PieceKind};
use crate::model::Paper;

/// Bytes of a slot's header: the record's compressed length and where it is.
pub const SLOT_HEADER: usize = 8;

/// What a second round trip costs, in bytes: 150 ms at 1.6 Mbps (a slow phone link, the
/// benchmark's) is some 30 kB. A slot size is chosen to weigh its padding against it.
const ROUND_TRIP_BYTES: usize = 30_000;

/// A slot size is a multiple of this (a little padding buys a round number).
const SLOT_ALIGN: usize = 32;

/// Compresses a framed record.
pub fn compress(framed: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(framed, 9)
}

/// The slot size for records of these compressed lengths: what a hit costs is its slot,
/// plus a round trip when its record is too long for it; the size is the multiple of
/// `SLOT_ALIGN` with the least of slot + `ROUND_TRIP_BYTES` × the share of records
/// that would not fit, or the size that fits them all when it is near. (At 100,000
/// synthetic papers: 1,760 bytes would leave 1 in 800 out, 2,080 fit all; the 10,808 real
/// Daily Papers: 1,312 and 1,376.)
pub fn slot_size(compressed: &[usize]) -> u32 {
    let mut lengths: Vec<usize> = compressed.iter().map(|l| SLOT_HEADER + l).collect();
    lengths.sort_unstable();
    let n = lengths.len().max(1);
    let cost = |slot: usize| {
        let longer = lengths.len() - lengths.partition_point(|&l| l <= slot);
        slot * n + ROUND_TRIP_BYTES * longer
    };
    let cheapest = lengths
        .iter()
        .map(|&l| l.next_multiple_of(SLOT_ALIGN))
        .chain([SLOT_ALIGN])
        .min_by_key(|&slot| (cost(slot), slot))
        .unwrap_or(SLOT_ALIGN);
    // Hits are not independent (a query's papers are alike, long ones too): when a slot
    // for every record costs at most a quarter more padding, no page waits at all.
    let every = lengths
        .last()
        .map_or(SLOT_ALIGN, |l| l.next_multiple_of(SLOT_ALIGN));
    (if every * 4 <= cheapest * 5 {
        every
    } else {
        cheapest
    }) as u32
}

/// Writes a record file: the slots of `records` (compressed, in paper order), then the
/// records too long for their slot.
pub fn encode_file(records: &[Vec<u8>], slot: u32) -> Vec<u8> {
    let mut file = vec![0; records.len() * slot as usize];
    for (k, record) in records.iter().enumerate() {
        put(&mut file, slot, k, record, false);
    }
    file
}

/// Writes `record` (compressed) as the record of slot `k` of `file`: in the slot when it
/// fits and `elsewhere` is not asked for, else after everything the file holds, the slot
/// saying where (its inline bytes zeroed). Tests and the fuzz targets replace one record
/// of a built file with it.
pub fn put(file: &mut Vec<u8>, slot: u32, k: usize, record: &[u8], elsewhere: bool) {
    let (slot, at) = (slot as usize, k * slot as usize);
    let len = u32::try_from(record.len()).expect("a record is under 4 GiB");
    file[at..at + slot].fill(0);
    file[at..at + 4].copy_from_slice(&len.to_le_bytes());
    if !elsewhere && SLOT_HEADER + record.len() <= slot {
        file[at + SLOT_HEADER..at + SLOT_HEADER + record.len()].copy_from_slice(record);
    } else {
        let end = u32::try_from(file.len()).expect("a record file is under 4 GiB");
        file[at + 4..at + 8].copy_from_slice(&end.to_le_bytes());
        file.extend_from_slice(record);
    }
}

/// Where a slot says its record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// In the slot: the compressed record.
    Inline(&'a [u8]),
    /// After the slots of its file: `len` bytes at offset `at`.
    Elsewhere { at: u64, len: u32 },
}

/// Reads a slot of `slot` bytes whose records compress to at most `max_len` bytes.
pub fn read_slot(bytes: &[u8], slot: u32, max_len: u32) -> Result<Place<'_>, String> {
    if bytes.len() != slot as usize || bytes.len() < SLOT_HEADER {
        return Err(format!(
            "a record slot is {} bytes where the manifest says {slot}",
            bytes.len()
        ));
    }
    let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let at = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if len == 0 || len > max_len {
        return Err(format!(
            "a record slot gives a record of {len} bytes, where records are 1 to {max_len}"
        ));
    }
    let inline = if at != 0 { 0 } else { len as usize };
    let (record, padding) = bytes[SLOT_HEADER..]
        .split_at_checked(inline)
        .ok_or_else(|| format!("a record slot of {slot} bytes cannot hold {len} inline"))?;
    // The padding is zeros: damage there is damage too.
    if padding.iter().any(|&b| b != 0) {
        return Err("a record slot's padding is not zeros: the file is damaged".into());
    }
    Ok(if at != 0 {
        Place::Elsewhere {
            at: u64::from(at),
            len,
        }
    } else {
        Place::Inline(record)
    })
}

/// Reads the record of paper `doc` of build `build` from its compressed bytes, at most
/// `max_framed` bytes once inflated. `file` names it in errors.
pub fn decode_record(
    file: &str,
    compressed: &[u8],
    doc: u32,
    build: u64,
    max_framed: u32,
) -> Result<Paper, FormatError> {
    let framed =
        miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, max_framed as usize)
            .map_err(|e| {
                FormatError::corrupt(
                    file,
                    format!(
                        "the record of paper {doc} does not inflate ({:?})",
                        e.status
                    ),
                )
            })?;
    let body = frame::unframe(file, &framed, PieceId::new(PieceKind::Records, doc), build)?;
    super::json::parse(body).map_err(|e| {
        FormatError::corrupt(
            file,
            format!("the record of paper {doc} is not a paper: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkKind};

    fn record(doc: u32, paper: &Paper) -> Vec<u8> {
        let json = serde_json::to_vec(paper).unwrap();
        compress(&frame::frame(
            PieceId::new(PieceKind::Records, doc),
            7,
            &json,
        ))
    }

    fn read(file: &[u8], k: usize, slot: u32, doc: u32) -> Result<Paper, String> {
        let s = slot as usize;
        let compressed = match read_slot(&file[k * s..(k + 1) * s], slot, 1 << 20)? {
            Place::Inline(bytes) => bytes,
            Place::Elsewhere { at, len } => &file[at as usize..at as usize + len as usize],
        };
        decode_record("records-0", compressed, doc, 7, 1 << 20).map_err(|e| e.to_string())
    }

    #[test]
    fn records_round_trip_inline_and_elsewhere_and_every_defect_is_named() {
        let strange = Paper {
            id: "2505.12345".into(),
            title: "Quotes \" and \\ back\nslashes, 中文, 😀, \u{1}".into(),
            abstract_text: "<script>alert(1)</script> & more ".repeat(40),
            authors: vec!["Ada".into()],
            upvotes: Some(u32::MAX),
            links: vec![Link {
                url: "https://github.com/x/y".into(),
                kind: LinkKind::Code,
            }],
            ..Paper::default()
        };
        let papers = [Paper::default(), strange];
        let records: Vec<Vec<u8>> = (0..).zip(&papers).map(|(d, p)| record(d, p)).collect();
        // The short record fits a slot sized for it, the long one goes after the slots.
        let slot = slot_size(&[records[0].len()]);
        assert!(records[1].len() + SLOT_HEADER > slot as usize);
        let file = encode_file(&records, slot);
        assert_eq!(read(&file, 0, slot, 0), Ok(papers[0].clone()));
        assert_eq!(read(&file, 1, slot, 1), Ok(papers[1].clone()));
        // A record that fits, moved after the slots: its slot points there, zeroed inline.
        let mut moved = file.clone();
        put(&mut moved, slot, 0, &records[0], true);
        assert_eq!(read(&moved, 0, slot, 0), Ok(papers[0].clone()));
        assert_eq!(read(&moved, 1, slot, 1), Ok(papers[1].clone()));

        // A slot read as another paper's, of another build, damaged, or oversized.
        assert!(read(&file, 0, slot, 1)
            .unwrap_err()
            .contains("holds piece 0"));
        let s = slot as usize;
        let err = decode_record("r", &records[0], 0, 8, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("belongs to build"), "{err}");
        let mut damaged = file.clone();
        damaged[SLOT_HEADER + 2] ^= 0x55;
        assert!(read(&damaged, 0, slot, 0).is_err());
        let err = decode_record("r", &records[1], 1, 7, 64).unwrap_err();
        assert!(err.to_string().contains("does not inflate"), "{err}");
        let mut huge = file[..s].to_vec();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_slot(&huge, slot, 1 << 20)
            .unwrap_err()
            .contains("records are 1 to"));
        assert!(read_slot(&file[..s - 1], slot, 1 << 20)
            .unwrap_err()
            .contains("manifest says"));
        let mut empty = file[..s].to_vec();
        empty[..4].fill(0);
        assert!(read_slot(&empty, slot, 1 << 20).is_err());
        let mut padded = file[..s].to_vec();
        *padded.last_mut().unwrap() = 1;
        assert!(read_slot(&padded, slot, 1 << 20)
            .unwrap_err()
            .contains("padding"));
    }

    #[test]
    fn a_slot_weighs_its_padding_against_a_second_round_trip() {
        // Records of 500 bytes, a few of 5,000: slots for the 500, when the few cost less
        // in round trips than all would in padding.
        let fits = |lengths: &[usize]| {
            let slot = slot_size(lengths) as usize;
            assert_eq!(slot % SLOT_ALIGN, 0);
            lengths.iter().filter(|&&l| l + SLOT_HEADER <= slot).count()
        };
        let mut lengths = vec![500; 10_000];
        lengths.extend([5_000; 10]);
        assert_eq!(fits(&lengths), 10_000);
        // A few a little longer: a slot for all of them.
        lengths.truncate(10_000);
        lengths.extend([600; 10]);
        assert_eq!(fits(&lengths), lengths.len());
        // With far longer ones as well, the cheapest again: ten a little longer do not
        // pay for a larger slot.
        lengths.extend([5_000; 10]);
        assert_eq!(fits(&lengths), 10_000);
        // As many long ones as would cost more waiting than padding: slots for all.
        lengths.extend([5_000; 2_000]);
        assert_eq!(fits(&lengths), lengths.len());
        assert_eq!(slot_size(&[]) as usize, SLOT_ALIGN);
    }
}
