//! One small sort for the whole engine, instead of the standard library's.
//!
//! `slice::sort_unstable_by` is fast but large: each call site (each element type and
//! comparison closure) gets its own copy of pattern-defeating quicksort, about 2–3 KB of
//! wasm apiece, and the engine had a dozen. This is heapsort (in place, O(n log n) at worst)
//! with insertion sort for short runs, taking the comparison as `&mut dyn FnMut`, so there is
//! one small copy per element type. The sorts it serves are either short (top hits,
//! expansions, merged positions) or off the hot path; on long inputs it is about half as fast
//! as the standard sort.

use std::cmp::Ordering;

/// Sorts `v` by `compare` (not stable: equal elements may change order).
pub(crate) fn sort_by<T>(v: &mut [T], compare: &mut dyn FnMut(&T, &T) -> Ordering) {
    let mut less = |a: &T, b: &T| compare(a, b) == Ordering::Less;
    let n = v.len();
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    // Max-heap by `less`, then move the largest to the end, one by one.
    let mut sift_down = |v: &mut [T], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    for node in (0..n / 2).rev() {
        sift_down(v, node, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Sorts `v` in its natural order.
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, &mut |a: &T, b: &T| a.cmp(b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library() {
        // A small linear congruential generator: many lengths, duplicates, all orders.
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for len in (0..40).chain([100, 1000, 4097]) {
            for modulus in [2, 10, 1_000_000] {
                let original: Vec<u32> = (0..len).map(|_| next() % modulus).collect();
                let mut ours = original.clone();
                sort(&mut ours);
                let mut theirs = original.clone();
                theirs.sort_unstable();
                assert_eq!(ours, theirs, "len {len} modulus {modulus}");
                let mut descending = original;
                sort_by(&mut descending, &mut |a, b| b.cmp(a));
                theirs.reverse();
                assert_eq!(descending, theirs);
            }
        }
    }
}
