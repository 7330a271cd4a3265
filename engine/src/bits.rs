//! Bit-level codes for postings: Rice codes for gaps, Elias gamma for small counts.
//!
//! Bits are written most significant first into bytes; a stream ends padded with zero bits
//! to a whole byte. The reader never panics: reading past the end of its data, or a unary
//! run longer than any valid value, is an error.

/// Writes a stream of bits.
#[derive(Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet flushed, in the low `pending` bits.
    acc: u64,
    pending: u32,
}

impl BitWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the low `count` bits of `value` (count ≤ 32).
    pub fn bits(&mut self, value: u32, count: u32) {
        debug_assert!(count <= 32);
        if count == 0 {
            return;
        }
        self.acc = (self.acc << count) | u64::from(value) & ((1u64 << count) - 1);
        self.pending += count;
        while self.pending >= 8 {
            self.pending -= 8;
            self.bytes.push((self.acc >> self.pending) as u8);
        }
        self.acc &= (1u64 << self.pending) - 1;
    }

    pub fn bit(&mut self, bit: bool) {
        self.bits(u32::from(bit), 1);
    }

    /// Rice code with parameter `k`: `value >> k` in unary (ones, then a zero), then the low
    /// `k` bits.
    pub fn rice(&mut self, value: u32, k: u32) {
        let mut quotient = value >> k;
        while quotient >= 32 {
            self.bits(u32::MAX, 32);
            quotient -= 32;
        }
        self.bits((1u32 << quotient) - 1, quotient);
        self.bits(0, 1);
        self.bits(value & ((1u32 << k) - 1), k);
    }

    /// Elias gamma code of `value` ≥ 1: as many zeros as the value has bits after its
    /// leading one, then the value.
    pub fn gamma(&mut self, value: u32) {
        debug_assert!(value >= 1);
        let width = 32 - value.leading_zeros();
        self.bits(0, width - 1);
        self.bits(value, width);
    }

    /// How many bits were written so far.
    pub fn bit_len(&self) -> u64 {
        self.bytes.len() as u64 * 8 + u64::from(self.pending)
    }

    /// Pads to a byte and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        if self.pending > 0 {
            let pad = 8 - self.pending;
            self.bits(0, pad);
        }
        self.bytes
    }
}

/// The data ran out, or holds a code no writer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitsError;

/// Reads a stream written by [`BitWriter`], starting at a byte offset.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    data: &'a [u8],
    /// Next byte of `data` to load into `buf`.
    next: usize,
    /// Loaded bits, most significant first; bits past `avail` are zero.
    buf: u64,
    avail: u32,
}

impl<'a> BitReader<'a> {
    pub fn new(data: &'a [u8], byte_offset: usize) -> Self {
        BitReader {
            data,
            next: byte_offset,
            buf: 0,
            avail: 0,
        }
    }

    /// A reader starting `bit` bits into `data` (an error past its end).
    pub fn at_bit(data: &'a [u8], bit: u64) -> Result<Self, BitsError> {
        let byte = usize::try_from(bit / 8).map_err(|_| BitsError)?;
        if byte > data.len() {
            return Err(BitsError);
        }
        let mut reader = BitReader::new(data, byte);
        reader.bits((bit % 8) as u32)?;
        Ok(reader)
    }

    /// How many bits of `data` lie before the next one to read.
    pub fn bit_pos(&self) -> u64 {
        self.next as u64 * 8 - u64::from(self.avail)
    }

    /// Loads whole bytes until at least 57 bits are available or the data ends.
    #[inline]
    fn refill(&mut self) {
        while self.avail <= 56 {
            let Some(&byte) = self.data.get(self.next) else {
                return;
            };
            self.buf |= u64::from(byte) << (56 - self.avail);
            self.avail += 8;
            self.next += 1;
        }
    }

    #[inline]
    fn consume(&mut self, count: u32) {
        self.buf = if count >= 64 { 0 } else { self.buf << count };
        self.avail -= count;
    }

    pub fn bit(&mut self) -> Result<bool, BitsError> {
        Ok(self.bits(1)? == 1)
    }

    /// Reads `count` ≤ 32 bits.
    #[inline]
    pub fn bits(&mut self, count: u32) -> Result<u32, BitsError> {
        if count == 0 {
            return Ok(0);
        }
        if self.avail < count {
            self.refill();
            if self.avail < count {
                return Err(BitsError);
            }
        }
        let value = (self.buf >> (64 - count)) as u32;
        self.consume(count);
        Ok(value)
    }

    #[inline]
    pub fn rice(&mut self, k: u32) -> Result<u32, BitsError> {
        let mut quotient = 0u32;
        loop {
            if self.avail == 0 {
                self.refill();
                if self.avail == 0 {
                    return Err(BitsError);
                }
            }
            let ones = self.buf.leading_ones().min(self.avail);
            quotient = quotient.saturating_add(ones);
            if quotient > u32::MAX >> k {
                return Err(BitsError);
            }
            if ones < self.avail {
                // The ones, then their terminating zero.
                self.consume(ones + 1);
                break;
            }
            self.consume(ones);
        }
        Ok((quotient << k) | self.bits(k)?)
    }

    #[inline]
    pub fn gamma(&mut self) -> Result<u32, BitsError> {
        if self.avail < 33 {
            self.refill();
        }
        let zeros = self.buf.leading_zeros();
        if zeros > 31 || zeros >= self.avail {
            return Err(BitsError);
        }
        self.consume(zeros);
        self.bits(zeros + 1)
    }
}

/// The Rice parameter for gaps averaging `mean` = `span / count`: about log2(mean · ln 2),
/// in integers so every platform agrees.
pub fn rice_parameter(span: u64, count: u64) -> u32 {
    let scaled = span.saturating_mul(69) / count.max(1).saturating_mul(100);
    if scaled <= 1 {
        0
    } else {
        (63 - scaled.leading_zeros()).min(24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let values = [
            0u32,
            1,
            2,
            3,
            7,
            8,
            100,
            1000,
            65_535,
            1 << 20,
            u32::MAX >> 8,
        ];
        let mut writer = BitWriter::new();
        for &v in &values {
            writer.rice(v, 3);
            writer.gamma(v + 1);
            writer.bits(v & 0x1f, 5);
        }
        let data = writer.finish();
        let mut reader = BitReader::new(&data, 0);
        for &v in &values {
            assert_eq!(reader.rice(3), Ok(v));
            assert_eq!(reader.gamma(), Ok(v + 1));
            assert_eq!(reader.bits(5), Ok(v & 0x1f));
        }
    }

    #[test]
    fn reading_past_the_end_is_an_error() {
        let mut writer = BitWriter::new();
        writer.rice(1000, 2);
        let data = writer.finish();
        assert_eq!(
            BitReader::new(&data[..data.len() - 1], 0).rice(2),
            Err(BitsError)
        );
        assert_eq!(BitReader::new(&[0xff; 8], 0).rice(0), Err(BitsError));
        assert_eq!(BitReader::new(&[0; 8], 0).gamma(), Err(BitsError));
    }

    #[test]
    fn rice_parameter_follows_the_mean_gap() {
        assert_eq!(rice_parameter(100, 100), 0);
        assert_eq!(rice_parameter(1000, 10), 6); // mean 100 · ln 2 ≈ 69
        assert_eq!(rice_parameter(0, 0), 0);
    }
}
