//! Byte-level codes shared by the index pieces: LEB128 varints and the content hash.
//!
//! The reader never panics and never trusts a length: reading past the end of its data,
//! or a varint longer than ten bytes, is an error.

/// Appends `value` as an LEB128 varint.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The data ran out, or holds a code no writer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodecError;

impl From<crate::bits::BitsError> for CodecError {
    fn from(_: crate::bits::BitsError) -> Self {
        CodecError
    }
}

/// Reads varints and bytes from a slice, failing (never panicking) at the end of the data.
#[derive(Debug, Clone)]
pub(crate) struct ByteReader<'a> {
    data: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> ByteReader<'a> {
    pub(crate) fn new(data: &'a [u8], pos: usize) -> Self {
        ByteReader { data, pos }
    }

    pub(crate) fn varint(&mut self) -> Result<u64, CodecError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(CodecError)
    }

    /// A varint that must fit in a `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32, CodecError> {
        u32::try_from(self.varint()?).map_err(|_| CodecError)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, CodecError> {
        let byte = *self.data.get(self.pos).ok_or(CodecError)?;
        self.pos += 1;
        Ok(byte)
    }

    /// The next `len` bytes.
    pub(crate) fn bytes(&mut self, len: usize) -> Result<&'a [u8], CodecError> {
        let end = self.pos.checked_add(len).ok_or(CodecError)?;
        let out = self.data.get(self.pos..end).ok_or(CodecError)?;
        self.pos = end;
        Ok(out)
    }

    /// Bytes left to read.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// FNV-1a, 64 bits: names a build and checks each piece after download. It guards against
/// truncation and mix-ups, not against an attacker (the decoders do that).
pub(crate) fn fnv64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut data = Vec::new();
            write_varint(&mut data, value);
            assert_eq!(ByteReader::new(&data, 0).varint(), Ok(value));
            for len in 0..data.len() {
                assert_eq!(ByteReader::new(&data[..len], 0).varint(), Err(CodecError));
            }
        }
        assert_eq!(ByteReader::new(&[0xff; 11], 0).varint(), Err(CodecError));
        let mut big = Vec::new();
        write_varint(&mut big, 1 << 40);
        assert_eq!(ByteReader::new(&big, 0).u32(), Err(CodecError));
    }

    #[test]
    fn byte_slices_are_checked_against_what_holds_them() {
        let data = [1, 2, 3];
        let mut reader = ByteReader::new(&data, 1);
        assert_eq!(reader.bytes(usize::MAX), Err(CodecError));
        assert_eq!(reader.bytes(2), Ok(&data[1..]));
        assert!(reader.at_end());
    }
}
