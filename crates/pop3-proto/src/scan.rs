//! Finding the lines of a body that start with `.`: the one pass over every
//! octet that dot-stuffing and unstuffing make (RFC 1939 §3).
//!
//! `multiversion` builds the search for three targets and picks, once, the
//! widest the CPU has:
//!
//! - AVX-512 (Ice Lake and later; `multiversion` leaves out the earlier
//!   cores, which slow their clock for it): blocks of 64 octets `v`, each
//!   with its successors `w` (the same octets one further on), go through one
//!   ternary-logic operation that is zero where `w` is a dot and `v` agrees
//!   with LF on the four bits that LF and `.` both clear (0, 4, 6 and 7):
//!   every LF followed by a dot, and the few other pairs whose first octet is
//!   one of the 15 values that look like LF on those bits (among them space,
//!   `,`, `"` and `.` itself: `" ."`, `",."`, `".."`). Four blocks are
//!   folded by their minimum and tested for a zero octet once; only a step
//!   with a candidate is tested again exactly, the same way with one more XOR
//!   per block (a body of nothing but dots takes 1.3 times as long as with
//!   the exact test alone, text with an ellipsis every few hundred octets
//!   about as long).
//!   That is two vector operations per block on the two ports that take
//!   512-bit work, and two loads, the successors' straddling two cache lines
//!   (blocks start on 64-octet boundaries): the loads bound the search, at
//!   about the time a memcpy of the same octets takes, whose every load
//!   straddles too. Testing every block exactly took a tenth longer;
//!   compares into mask registers (two per block, all on one port) took
//!   about 1.5 times as long.
//! - AVX2, and any other CPU: windows of 128 octets, each octet compared with
//!   LF and its successor with `.`, as a plain Rust fold that the compiler
//!   vectorizes; the window that holds a pair is then searched with `memchr`.
//!
//! On this workspace's AVX-512 bench machine a 4 KiB body takes the search
//! about 1.1 times as long as a memcpy of it (memchr's memmem search for
//! `"\n."` 2.5 to 3 times); from 64 KiB, where the copy no longer fits the
//! L1 cache, less time than the memcpy.
//!
//! The workspace forbids `unsafe`: the AVX-512 form is a safe
//! `#[target_feature]` function, called only from the clone that
//! `multiversion` compiled for those features and picked after detecting
//! them, and it reads its blocks through `bytemuck`, which makes a vector of
//! 64 octets.

use multiversion::multiversion;
use multiversion::target::target_cfg;

/// The index of the first LF in `hay` that a `.` follows.
#[multiversion(targets("x86_64+avx512f+avx512bw+avx512vl+avx2", "x86_64+avx2"))]
pub(crate) fn find_line_dot(hay: &[u8]) -> Option<usize> {
    #[target_cfg(all(target_arch = "x86_64", target_feature = "avx512bw"))]
    #[multiversion::inherit_target]
    fn find(hay: &[u8]) -> Option<usize> {
        avx512::find_line_dot(hay)
    }
    #[target_cfg(not(all(target_arch = "x86_64", target_feature = "avx512bw")))]
    #[multiversion::inherit_target]
    fn find(hay: &[u8]) -> Option<usize> {
        windows::find_line_dot(hay)
    }
    find(hay)
}

/// The index of every LF in `hay` that a `.` follows, in order.
pub(crate) fn line_dots(hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + find_line_dot(hay.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

/// The portable search, in windows of 128 octets.
mod windows {
    /// Octets compared per step.
    pub(super) const WINDOW: usize = 128;

    /// Whether `window` (`WINDOW + 1` octets) holds an LF followed by `.`.
    #[inline(always)]
    fn has_line_dot(window: &[u8]) -> bool {
        let (here, next) = (&window[..WINDOW], &window[1..=WINDOW]);
        // A fold with no early exit, so that it vectorizes.
        let mut found = 0u8;
        for (&a, &b) in here.iter().zip(next) {
            found |= u8::from(a == b'\n') & u8::from(b == b'.');
        }
        found != 0
    }

    /// Where to search `hay` octet by octet for its first LF followed by
    /// `.`: from the returned index, `WINDOW + 1` octets at most. Windows are
    /// read one after the other, each one octet longer than the step since
    /// the pair may straddle two; the rest, shorter than a step, is read as
    /// the last `WINDOW + 1` octets, overlapping octets known to hold no
    /// pair. `hay.len()` when there is no pair; 0 for a `hay` shorter than a
    /// window.
    #[inline(always)]
    fn first_window(hay: &[u8]) -> usize {
        let mut at = 0;
        while let Some(window) = hay.get(at..at + WINDOW + 1) {
            if has_line_dot(window) {
                return at;
            }
            at += WINDOW;
        }
        match hay.len().checked_sub(WINDOW + 1) {
            None => 0,
            Some(last) if at < hay.len() - 1 && has_line_dot(&hay[last..]) => last,
            Some(_) => hay.len(),
        }
    }

    /// The index of the first LF in `hay` that a `.` follows.
    #[inline(always)]
    pub(super) fn find_line_dot(hay: &[u8]) -> Option<usize> {
        let start = first_window(hay);
        let end = hay.len().min(start + WINDOW + 1);
        memchr::memchr_iter(b'\n', &hay[start..end])
            .map(|i| start + i)
            .find(|&i| hay.get(i + 1) == Some(&b'.'))
    }
}

/// The AVX-512 search, in blocks of 64 octets.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::{
        __m512i, _mm512_min_epu8, _mm512_set1_epi8, _mm512_ternarylogic_epi32,
        _mm512_testn_epi8_mask, _mm512_xor_si512,
    };

    /// Octets per vector.
    const LANES: usize = 64;

    /// `a | (b ^ c)`, as the truth table `_mm512_ternarylogic_epi32` takes:
    /// bit `a << 2 | b << 1 | c` of the table is the result for those bits.
    const A_OR_B_XOR_C: i32 = 0b1111_0110;

    /// `c ? !b : a | b`, the candidates' test with `a` an octet, `b` its
    /// successor and `c` a dot: zero on the bits where the dot is 1 (1, 2, 3
    /// and 5) exactly when the successor's are 1, and on the others exactly
    /// when both octets' are 0, as an LF's are (LF is 1 only on bits 1 and 3,
    /// where the dot is 1 too, and on bits 2 and 5 LF is 0 and the dot 1:
    /// those three kinds of bit cannot all be told apart by one constant, so
    /// the first octet's bits 1, 2, 3 and 5 go untested).
    const CANDIDATE: i32 = 0b0111_0110;

    /// The index of the first LF in `hay` that a `.` follows.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn find_line_dot(hay: &[u8]) -> Option<usize> {
        let len = hay.len();
        if len <= LANES {
            // Shorter than a block: the portable search's octet-by-octet end.
            return super::windows::find_line_dot(hay);
        }
        let (lf, dot) = (_mm512_set1_epi8(b'\n' as i8), _mm512_set1_epi8(b'.' as i8));
        let load = |octets: &[u8]| -> __m512i {
            let mut block = [0u8; LANES];
            block.copy_from_slice(&octets[..LANES]);
            bytemuck::must_cast(block)
        };
        // Zero in exactly the octets of `block[..64]` that are an LF followed
        // by a dot; reads `block[..65]`.
        let pairs = move |block: &[u8]| -> __m512i {
            let (here, next) = (load(block), load(&block[1..]));
            _mm512_ternarylogic_epi32::<A_OR_B_XOR_C>(_mm512_xor_si512(here, lf), next, dot)
        };
        // Zero in those octets and a few more (see `CANDIDATE`).
        let candidates = move |block: &[u8]| -> __m512i {
            _mm512_ternarylogic_epi32::<CANDIDATE>(load(block), load(&block[1..]), dot)
        };
        let first = |pairs: __m512i| -> Option<usize> {
            let zeros = _mm512_testn_epi8_mask(pairs, pairs);
            (zeros != 0).then(|| zeros.trailing_zeros() as usize)
        };

        // The four blocks of a step folded by their minimum, candidates or
        // exact pairs: one test for 256 octets.
        let fold = move |step: &[u8; 4 * LANES + 1], exact: bool| -> __m512i {
            let block = |k: usize| {
                let block = &step[k * LANES..];
                if exact {
                    pairs(block)
                } else {
                    candidates(block)
                }
            };
            _mm512_min_epu8(
                _mm512_min_epu8(block(0), block(1)),
                _mm512_min_epu8(block(2), block(3)),
            )
        };
        let step = move |step: &[u8; 4 * LANES + 1]| -> Option<usize> {
            first(fold(step, false))?;
            // A candidate: is there a pair? Then which block holds the first.
            first(fold(step, true))?;
            for k in 0..4 {
                if let Some(i) = first(pairs(&step[k * LANES..])) {
                    return Some(k * LANES + i);
                }
            }
            None
        };

        // One block from the start, then steps that start on 64-octet
        // boundaries (the first at most 64 octets in, so none is skipped).
        if let Some(i) = first(pairs(hay)) {
            return Some(i);
        }
        let mut at = LANES - hay.as_ptr().addr() % LANES;
        while let Some(octets) = hay[at..].first_chunk() {
            if let Some(i) = step(octets) {
                return Some(at + i);
            }
            at += 4 * LANES;
        }
        if at + 1 >= len {
            return None;
        }
        // The rest, shorter than a step, as the last step or, in a shorter
        // `hay`, block by block and the last block: the octets read again
        // before `at` are known to hold no pair.
        if let Some(last) = len.checked_sub(4 * LANES + 1) {
            return Some(last + step(hay[last..].first_chunk()?)?);
        }
        while let Some(block) = hay[at..].first_chunk::<{ LANES + 1 }>() {
            if let Some(i) = first(pairs(block)) {
                return Some(at + i);
            }
            at += LANES;
        }
        let last = len - LANES - 1;
        if at + 1 < len {
            Some(last + first(pairs(&hay[last..]))?)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use memchr::memmem;
    use proptest::prelude::*;

    use super::*;

    /// A search for the first LF followed by a dot.
    type Search = fn(&[u8]) -> Option<usize>;

    /// The searches under test: the one this CPU gets, and the portable one.
    const SEARCHES: [(&str, Search); 2] = [
        ("dispatched", find_line_dot),
        ("windows", windows::find_line_dot),
    ];

    fn reference(hay: &[u8]) -> Vec<usize> {
        memmem::find_iter(hay, b"\n.").collect()
    }

    /// Every pair `search` finds in `hay`, in order.
    fn all(search: Search, hay: &[u8]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = hay.get(from..).and_then(search) {
            found.push(from + at);
            from += at + 1;
        }
        found
    }

    /// `bytes` copied to `offset` octets past a 64-octet boundary: the
    /// vector search reads blocks from the first such boundary in its input.
    fn placed(bytes: &[u8], offset: usize) -> (Vec<u8>, usize) {
        let mut store = vec![0u8; bytes.len() + 128];
        let start = (64 - store.as_ptr().addr() % 64) % 64 + offset % 64;
        store[start..start + bytes.len()].copy_from_slice(bytes);
        (store, start)
    }

    #[test]
    fn every_position_in_every_length() {
        // Lines of LFs and dots that never pair, so only the planted pair
        // counts. 420 octets: a first block, a step of four blocks at every
        // alignment, single blocks, and the last block.
        let filler: Vec<u8> = b"a.b\r\nc\n\nx.."
            .iter()
            .copied()
            .cycle()
            .take(420)
            .collect();
        assert!(reference(&filler).is_empty());
        for len in 0..filler.len() {
            let offset = len * 7;
            let (store, start) = placed(&filler[..len], offset);
            let hay = &store[start..start + len];
            for (name, search) in SEARCHES {
                assert_eq!(search(hay), None, "{name}: len {len}");
            }
            for at in 0..len.saturating_sub(1) {
                let (mut store, start) = placed(&filler[..len], offset);
                let planted = &mut store[start..start + len];
                planted[at] = b'\n';
                planted[at + 1] = b'.';
                let want = reference(planted);
                for (name, search) in SEARCHES {
                    assert_eq!(all(search, planted), want, "{name}: {at} in {len}");
                }
                assert_eq!(line_dots(planted).collect::<Vec<_>>(), want);
            }
        }
    }

    #[test]
    fn pairs_across_block_and_window_boundaries() {
        for offset in 0..64 {
            let mut hay = vec![b'a'; 700];
            for boundary in [64, 128, 192, 256, 320, 384, 448, 512, 576, 640] {
                hay[boundary - 1] = b'\n';
                hay[boundary] = b'.';
            }
            let (store, start) = placed(&hay, offset);
            let hay = &store[start..start + hay.len()];
            let want = reference(hay);
            assert_eq!(want.len(), 10);
            for (name, search) in SEARCHES {
                assert_eq!(all(search, hay), want, "{name}: offset {offset}");
            }
        }
    }

    #[test]
    fn every_octet_before_a_dot() {
        // Only an LF before a dot makes a pair, but the AVX-512 search stops
        // at fifteen other octets before a dot too, and must go on past them.
        for octet in 0..=u8::MAX {
            let mut hay = vec![b'a'; 700];
            for at in (3..600).step_by(37) {
                hay[at] = octet;
                hay[at + 1] = b'.';
            }
            hay[650] = b'\n';
            hay[651] = b'.';
            let (store, start) = placed(&hay, usize::from(octet));
            let hay = &store[start..start + hay.len()];
            let want = reference(hay);
            assert_eq!(want.len(), if octet == b'\n' { 18 } else { 1 });
            for (name, search) in SEARCHES {
                assert_eq!(all(search, hay), want, "{name}: {octet:#04x}");
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_memmem(
            hay in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'.'), Just(b'\r'), Just(b'a')], 0..1200),
            offset in 0usize..64,
        ) {
            let (store, start) = placed(&hay, offset);
            let hay = &store[start..start + hay.len()];
            let want = reference(hay);
            for (_, search) in SEARCHES {
                prop_assert_eq!(&all(search, hay), &want);
            }
            prop_assert_eq!(line_dots(hay).collect::<Vec<_>>(), want);
        }
    }
}
