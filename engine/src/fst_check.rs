//! Checks an fst term dictionary before it is walked.
//!
//! The fst crate trusts its bytes: a node whose sizes or addresses point outside the file
//! makes it index out of bounds or overflow (a panic natively, a trap that stops the page
//! in the browser), and a transition that points forward can make a walk endless. Its
//! checksum does not help against a host that serves damaged files with a recomputed
//! checksum and manifest. So before the reader uses a dictionary, this walks every node
//! reachable from the root once, decoding it the way `fst::raw::Node` does (format
//! versions 1 to 3), and checks that:
//!
//! - every byte a lookup, stream or automaton search would read lies inside the file
//!   (each subtraction fst makes is done here checked);
//! - pack sizes are at most 8 bytes, and at least 1 where fst unpacks unconditionally;
//! - every transition points to the empty final state or to a node *before* its own
//!   (fst writes children first), so every walk ends;
//! - every output is below 2^31: our values are term ordinals and document numbers, and an output is a part
//!   of the value on its path, so no sum along a path (at most one node per byte of a file
//!   under 4 GiB) can overflow the u64 fst adds them in.
//!
//! It is linear in the dictionary's size and allocates one bit per byte.

const EMPTY_ADDRESS: usize = 0;
const TRANS_INDEX_THRESHOLD: usize = 32;
/// Bound on any one output (see the module docs).
const MAX_OUTPUT: u64 = 1 << 31;

/// Checks an fst's own checksum (format 3 of the fst crate: a masked CRC-32C of all bytes
/// but the last four, stored in those four), as `fst::raw::Fst::verify` does, but with a
/// 1 KB table built per call instead of the fst crate's 16 KB static slicing tables: the
/// same check, 16 KB less wasm to download. At about a byte per step it takes
/// milliseconds on megabytes.
pub(crate) fn checksum_matches(fst: &[u8]) -> bool {
    let Some(split) = fst.len().checked_sub(4) else {
        return false;
    };
    let (body, stored) = fst.split_at(split);
    stored == checksum(body).to_le_bytes()
}

/// The checksum an fst stores after `body` (its bytes but the last four).
pub fn checksum(body: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in (0u32..).zip(table.iter_mut()) {
        *slot = (0..8).fold(i, |c, _| {
            if c & 1 == 1 {
                (c >> 1) ^ 0x82F6_3B78
            } else {
                c >> 1
            }
        });
    }
    let crc = !body
        .iter()
        .fold(!0u32, |c, &b| table[usize::from(c as u8 ^ b)] ^ (c >> 8));
    crc.rotate_right(15).wrapping_add(0xA282_EAD8)
}

/// What is wrong with a dictionary, in words.
pub(crate) fn check(fst: &[u8]) -> Result<(), String> {
    if fst.len() < 36 || u32::try_from(fst.len()).is_err() {
        return Err(format!("a term dictionary of {} bytes", fst.len()));
    }
    let u64_at = |at: usize| {
        let mut le = [0u8; 8];
        le.copy_from_slice(&fst[at..at + 8]);
        u64::from_le_bytes(le)
    };
    let version = u64_at(0);
    if !(1..=3).contains(&version) {
        return Err(format!("term dictionary format version {version}"));
    }
    let end = if version <= 2 {
        fst.len()
    } else {
        fst.len() - 4
    };
    let root = usize::try_from(u64_at(end - 8)).map_err(|_| "a root address past the file")?;
    let mut seen = vec![0u64; fst.len() / 64 + 1];
    let mut stack = vec![root];
    while let Some(addr) = stack.pop() {
        if addr == EMPTY_ADDRESS {
            continue;
        }
        if addr >= fst.len() {
            return Err(format!("a node address {addr} past the end of the file"));
        }
        let (word, bit) = (addr / 64, 1u64 << (addr % 64));
        if seen[word] & bit != 0 {
            continue;
        }
        seen[word] |= bit;
        let broken = || format!("the node at byte {addr} does not decode");
        for target in transitions(fst, version, addr).ok_or_else(broken)? {
            if target != EMPTY_ADDRESS && target >= addr {
                return Err(format!(
                    "the node at byte {addr} points forward, to byte {target}"
                ));
            }
            stack.push(target);
        }
    }
    Ok(())
}

/// The targets of the node at `addr` (which is inside `fst`), or `None` when decoding it
/// would read outside the file or unpack an impossible size.
fn transitions(fst: &[u8], version: u64, addr: usize) -> Option<Vec<usize>> {
    let data = &fst[..addr + 1];
    let state = data[addr];
    let unpack = |at: usize, size: usize| -> Option<u64> {
        if !(1..=8).contains(&size) {
            return None;
        }
        let bytes = data.get(at..at.checked_add(size)?)?;
        Some(
            bytes
                .iter()
                .enumerate()
                .fold(0u64, |n, (i, &b)| n | u64::from(b) << (8 * i)),
        )
    };
    let output = |at: usize, size: usize| -> Option<()> {
        (size == 0 || unpack(at, size)? < MAX_OUTPUT).then_some(())
    };
    // A transition's target: `end - delta`, or the empty final state for a delta of 0.
    let target = |at: usize, size: usize, end: usize| -> Option<usize> {
        let delta = usize::try_from(unpack(at, size)?).ok()?;
        if delta == EMPTY_ADDRESS {
            Some(EMPTY_ADDRESS)
        } else {
            end.checked_sub(delta)
        }
    };
    // The pack sizes byte: transition address size, output size.
    let sizes = |at: usize| -> Option<(usize, usize)> {
        let b = *data.get(at)?;
        let (tsize, osize) = (usize::from(b >> 4), usize::from(b & 0x0f));
        (tsize <= 8 && osize <= 8).then_some((tsize, osize))
    };
    match state >> 6 {
        0b11 => {
            // One transition to the node just before, input inline or common.
            let input_len = usize::from(state & 0x3f == 0);
            let end = addr.checked_sub(input_len)?;
            Some(vec![end.checked_sub(1)?])
        }
        0b10 => {
            // One transition with its own address and output.
            let input_len = usize::from(state & 0x3f == 0);
            let sizes_at = addr.checked_sub(input_len)?.checked_sub(1)?;
            let (tsize, osize) = sizes(sizes_at)?;
            let trans_at = sizes_at.checked_sub(tsize)?;
            let end = trans_at.checked_sub(osize)?;
            output(end, osize)?;
            Some(vec![target(trans_at, tsize, end)?])
        }
        _ => {
            let is_final = state & 0x40 != 0;
            let stated = usize::from(state & 0x3f);
            let ntrans_len = usize::from(stated == 0);
            let ntrans = if stated > 0 {
                stated
            } else {
                match *data.get(addr.checked_sub(1)?)? {
                    1 => 256,
                    n => usize::from(n),
                }
            };
            let sizes_at = addr.checked_sub(ntrans_len)?.checked_sub(1)?;
            let (tsize, osize) = sizes(sizes_at)?;
            if ntrans > 0 && tsize == 0 {
                return None;
            }
            let index_size = if version >= 2 && ntrans > TRANS_INDEX_THRESHOLD {
                256
            } else {
                0
            };
            let inputs_end = sizes_at.checked_sub(index_size)?;
            let total_trans = ntrans + ntrans * tsize + index_size;
            let outputs_end = sizes_at.checked_sub(total_trans)?;
            let final_osize = if is_final { osize } else { 0 };
            let end = outputs_end
                .checked_sub(ntrans * osize)?
                .checked_sub(final_osize)?;
            if is_final {
                output(end, osize)?;
            }
            let mut targets = Vec::with_capacity(ntrans);
            for i in 0..ntrans {
                // Inputs sit just below the index; addresses below the inputs; outputs
                // below the addresses (each list written last transition first).
                data.get(inputs_end.checked_sub(i + 1)?)?;
                let trans_at = inputs_end.checked_sub(ntrans + (i + 1) * tsize)?;
                output(outputs_end.checked_sub((i + 1) * osize)?, osize)?;
                targets.push(target(trans_at, tsize, end)?);
            }
            Some(targets)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fst_checksum_agrees_with_the_fst_crate() {
        let mut builder = fst::MapBuilder::memory();
        for (i, word) in ["agent", "agents", "minecraft", "world", "zebra"]
            .iter()
            .enumerate()
        {
            builder.insert(word, i as u64).unwrap();
        }
        let bytes = builder.into_inner().unwrap();
        assert!(checksum_matches(&bytes));
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x10;
            let by_crate = fst::raw::Fst::new(damaged.clone()).is_ok_and(|f| f.verify().is_ok());
            assert!(!checksum_matches(&damaged), "byte {i}");
            assert!(!by_crate, "byte {i}");
        }
        assert!(!checksum_matches(&bytes[..3]));
    }

    fn built(keys: &[(&str, u64)]) -> Vec<u8> {
        let mut builder = fst::MapBuilder::memory();
        for (k, v) in keys {
            builder.insert(k, *v).unwrap();
        }
        builder.into_inner().unwrap()
    }

    #[test]
    fn what_the_fst_crate_builds_passes() {
        assert_eq!(check(&built(&[])), Ok(()));
        assert_eq!(check(&built(&[("a", 0)])), Ok(()));
        // Many transitions from one node (the indexed form), long shared suffixes, outputs.
        let words: Vec<String> = (0..3000u32)
            .map(|i| format!("{}{}", char::from(b'!' + (i % 90) as u8), i * 7919))
            .collect();
        let mut sorted: Vec<&str> = words.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let keys: Vec<(&str, u64)> = sorted
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u64 * 1000))
            .collect();
        assert_eq!(check(&built(&keys)), Ok(()));
    }

    #[test]
    fn a_root_past_the_end_is_refused() {
        let mut fst = built(&[("alpha", 1), ("beta", 2)]);
        let end = fst.len() - 4;
        fst[end - 8..end].copy_from_slice(&(1u64 << 40).to_le_bytes());
        assert!(check(&fst).unwrap_err().contains("past the end"));
    }

    #[test]
    fn a_large_output_is_refused() {
        assert!(check(&built(&[("a", MAX_OUTPUT)])).is_err());
        assert!(check(&built(&[("a", MAX_OUTPUT - 1)])).is_ok());
    }
}
