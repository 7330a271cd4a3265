//! Field lengths as BM25 sees them: quantized to three significant bits, as Lucene keeps
//! its norms in one byte (`SmallFloat.intToByte4`) rather than the exact token count.
//!
//! A length below 16 is its own code; from 16 on, a code stands for the eight lengths an
//! octave is cut into, so it is off by at most 1/16 of the length (6 %), which moves a
//! BM25 score by at most 4 % and usually far less. Every posting carries the lengths of the
//! fields its term is in ([`super::postings`]), so this is most of what a list of a common
//! word costs: a length code sits within a few steps of the one of the field's average and
//! is written as that distance in a Rice code of 4 bits or so, where the exact length took
//! 9 bits in an abstract (measured on 100,000 synthetic papers: 3.99 bits against 9.3).
//!
//! The codes are integer arithmetic only, so that the indexer and the wasm reader agree to
//! the bit on every length.

/// The largest code: that of `u32::MAX`.
pub(crate) const MAX_CODE: u32 = 16 + (31 - 4) * 8 + 7;

/// The code of a length.
pub(crate) fn code(len: u32) -> u32 {
    if len < 16 {
        return len;
    }
    let e = 31 - len.leading_zeros();
    let mantissa = (len >> (e - 3)) & 7;
    16 + (e - 4) * 8 + mantissa
}

/// The lengths a code stands for: its smallest and largest. `None` past [`MAX_CODE`].
fn bounds(code: u32) -> Option<(u32, u32)> {
    if code < 16 {
        return Some((code, code));
    }
    if code > MAX_CODE {
        return None;
    }
    let e = (code - 16) / 8 + 4;
    let mantissa = (code - 16) % 8;
    let step = 1u64 << (e - 3);
    let low = (8 + u64::from(mantissa)) * step;
    Some((low as u32, (low + step - 1).min(u64::from(u32::MAX)) as u32))
}

/// The length BM25 uses for a code: the middle of what it stands for. `None` past
/// [`MAX_CODE`].
pub(crate) fn decode(code: u32) -> Option<u32> {
    bounds(code).map(|(low, high)| low + (high - low).div_ceil(2))
}

/// The length BM25 uses for a field of `len` tokens.
pub(crate) fn quantize(len: u32) -> u32 {
    decode(code(len)).unwrap_or(len)
}

/// The most tokens a field of quantized length `len` can have: what positions in it are
/// checked against.
pub(crate) fn bound(len: u32) -> u32 {
    bounds(code(len)).map_or(len, |(_, high)| high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_exact_below_16_and_within_a_sixteenth_above() {
        for len in 0..16 {
            assert_eq!(quantize(len), len);
            assert_eq!(bound(len), len);
        }
        let mut last = 0;
        for len in (16..100_000).chain([u32::MAX - 1, u32::MAX]) {
            let c = code(len);
            assert!(c >= last && c <= MAX_CODE, "codes follow lengths: {len}");
            last = c;
            let (low, high) = bounds(c).unwrap();
            assert!(low <= len && len <= high, "{len} in {low}..={high}");
            let q = quantize(len);
            assert_eq!(code(q), c, "a quantized length keeps its code: {len}");
            assert!(
                u64::from(q.abs_diff(len)) * 16 <= u64::from(len),
                "{len} → {q}"
            );
            assert!(bound(q) >= len);
        }
        assert_eq!(code(u32::MAX), MAX_CODE);
        assert_eq!(decode(MAX_CODE + 1), None);
        // Eight codes an octave.
        assert_eq!(code(256) - code(128), 8);
    }
}
