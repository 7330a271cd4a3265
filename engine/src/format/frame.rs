//! The frame around every piece: a 32-byte header, then the body.
//!
//! ```text
//! 0..4    magic "FOLI"
//! 4..6    format version, u16 little-endian
//! 6       piece kind (PieceKind as u8)
//! 7       0
//! 8..12   piece number, u32 little-endian
//! 12..20  build, u64 little-endian (the manifest's `build`, in hex)
//! 20..24  body length, u32 little-endian
//! 24..32  body hash (FNV-1a 64), u64 little-endian
//! ```
//!
//! The manifest lists no per-piece hashes (at a million papers that list alone would be
//! megabytes); each piece carries its own, and the build it belongs to, so the reader
//! checks every piece on arrival against what it asked for.

use super::{FormatError, PieceId, PieceKind, FORMAT_VERSION};
use crate::codec::fnv64;

pub const HEADER_BYTES: usize = 32;
const MAGIC: &[u8; 4] = b"FOLI";

/// Wraps `body` as piece `id` of build `build`.
pub fn frame(id: PieceId, build: u64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_BYTES + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(FORMAT_VERSION as u16).to_le_bytes());
    out.push(id.kind as u8);
    out.push(0);
    out.extend_from_slice(&id.n.to_le_bytes());
    out.extend_from_slice(&build.to_le_bytes());
    let len = u32::try_from(body.len()).expect("a piece body is under 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&fnv64(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body hash a frame of `body` carries; the build is a hash over these.
pub(crate) fn body_hash(body: &[u8]) -> u64 {
    fnv64(body)
}

/// Checks that `bytes` are piece `id` of build `build`, whole and undamaged, and returns
/// its body. `file` names the piece in errors.
pub fn unframe<'a>(
    file: &str,
    bytes: &'a [u8],
    id: PieceId,
    build: u64,
) -> Result<&'a [u8], FormatError> {
    let (header, body) = bytes
        .split_at_checked(HEADER_BYTES)
        .ok_or(FormatError::Truncated {
            file: file.into(),
            expected: HEADER_BYTES as u64,
            got: bytes.len() as u64,
        })?;
    let u16_at = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().unwrap_or_default());
    let u64_at = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
    if &header[..4] != MAGIC || header[7] != 0 {
        return Err(FormatError::corrupt(
            file,
            "it does not start like a Folio index piece",
        ));
    }
    let version = u32::from(u16_at(4));
    if version != FORMAT_VERSION {
        return Err(FormatError::Version {
            file: file.into(),
            what: "index format",
            expected: FORMAT_VERSION,
            got: version,
        });
    }
    let found = PieceKind::from_code(header[6]).map(|kind| PieceId::new(kind, u32_at(8)));
    if found != Some(id) {
        let what = match found {
            Some(other) => format!("piece {} of the {} pieces", other.n, other.kind.name()),
            None => "a piece of unknown kind".into(),
        };
        return Err(FormatError::Misplaced {
            file: file.into(),
            reason: format!("holds {what}"),
        });
    }
    if u64_at(12) != build {
        return Err(FormatError::Misplaced {
            file: file.into(),
            reason: format!(
                "belongs to build {:016x}, not to build {build:016x} of the manifest",
                u64_at(12)
            ),
        });
    }
    let expected = u64::from(u32_at(20));
    if body.len() as u64 != expected {
        return Err(FormatError::Truncated {
            file: file.into(),
            expected: expected + HEADER_BYTES as u64,
            got: bytes.len() as u64,
        });
    }
    if fnv64(body) != u64_at(24) {
        return Err(FormatError::HashMismatch { file: file.into() });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: PieceId = PieceId {
        kind: PieceKind::Postings,
        n: 3,
    };

    #[test]
    fn a_frame_round_trips_and_every_defect_is_named() {
        let framed = frame(ID, 0xabc, b"postings body");
        assert_eq!(unframe("p", &framed, ID, 0xabc), Ok(&b"postings body"[..]));

        let err = |bytes: &[u8], id: PieceId, build: u64| {
            unframe("p-3", bytes, id, build).unwrap_err().to_string()
        };
        assert!(err(&framed[..10], ID, 0xabc).contains("truncated"));
        assert!(err(&framed[..framed.len() - 1], ID, 0xabc).contains("truncated"));
        assert!(err(&[framed.as_slice(), b"x"].concat(), ID, 0xabc).contains("truncated"));
        assert!(err(&framed, ID, 0xabd).contains("belongs to build"));
        let other = PieceId::new(PieceKind::Postings, 4);
        assert!(err(&framed, other, 0xabc).contains("holds piece 3 of the postings pieces"));
        let mut damaged = framed.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(err(&damaged, ID, 0xabc).contains("damaged"));
        let mut reserved = framed.clone();
        reserved[7] = 1;
        assert!(err(&reserved, ID, 0xabc).contains("does not start"));
        let mut newer = framed.clone();
        newer[4] = 9;
        assert!(err(&newer, ID, 0xabc).contains("version 9"));
        assert!(err(b"<!doctype html><html>not found</html>", ID, 0xabc).contains("does not start"));
    }
}
