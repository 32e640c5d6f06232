//! Finding the lines of a body that start with `.`: the one pass over every
//! octet that dot-stuffing and unstuffing make (RFC 1939 §3).
//!
//! The body is read in windows of 128 octets, each octet compared with LF and
//! its successor with `.`, as plain Rust loops that the compiler turns into
//! vector compares. `multiversion` builds the window scan again for AVX2 and
//! for AVX-512 and picks, once, the widest the CPU has. On an AVX-512 machine
//! a 4 KiB body takes this scan about 1.8 times as long as a memcpy of it
//! (memchr's memmem search for `"\n."`: 2.5 to 3 times), and from 64 KiB
//! about as long as the memcpy. The workspace forbids `unsafe`; calling a
//! function compiled for features the build does not assume needs it, and
//! that call is made by `multiversion`'s dispatcher once it has detected the
//! features. Only the window that holds a match is searched octet by octet.

use multiversion::multiversion;

/// Octets compared per step.
const WINDOW: usize = 128;

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

/// Where to search `hay` octet by octet for its first LF followed by `.`:
/// from the returned index, `WINDOW + 1` octets at most. Windows are read
/// one after the other, each one octet longer than the step since the pair
/// may straddle two; the rest, shorter than a step, is read as the last
/// `WINDOW + 1` octets, overlapping octets known to hold no pair. `hay.len()`
/// when there is no pair; 0 for a `hay` shorter than a window.
#[multiversion(targets("x86_64+avx512f+avx512bw+avx512vl+avx2", "x86_64+avx2"))]
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
pub(crate) fn find_line_dot(hay: &[u8]) -> Option<usize> {
    let start = first_window(hay);
    let end = hay.len().min(start + WINDOW + 1);
    memchr::memchr_iter(b'\n', &hay[start..end])
        .map(|i| start + i)
        .find(|&i| hay.get(i + 1) == Some(&b'.'))
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

#[cfg(test)]
mod tests {
    use memchr::memmem;
    use proptest::prelude::*;

    use super::*;

    fn reference(hay: &[u8]) -> Vec<usize> {
        memmem::find_iter(hay, b"\n.").collect()
    }

    #[test]
    fn every_position_around_the_windows() {
        // Lines of LFs and dots that never pair, so only the planted pair counts.
        let filler: Vec<u8> = b"a.b\r\nc\n\nx.."
            .iter()
            .copied()
            .cycle()
            .take(3 * WINDOW + 7)
            .collect();
        assert!(reference(&filler).is_empty());
        for len in 0..filler.len() {
            let hay = &filler[..len];
            assert_eq!(find_line_dot(hay), None, "len {len}");
            for at in 0..len.saturating_sub(1) {
                let mut planted = hay.to_vec();
                planted[at] = b'\n';
                planted[at + 1] = b'.';
                let want = reference(&planted);
                assert_eq!(find_line_dot(&planted), want.first().copied(), "{at}/{len}");
                assert_eq!(line_dots(&planted).collect::<Vec<_>>(), want);
            }
        }
    }

    #[test]
    fn a_pair_across_a_window_boundary() {
        let mut hay = vec![b'a'; 2 * WINDOW + 1];
        hay[WINDOW - 1] = b'\n';
        hay[WINDOW] = b'.';
        assert_eq!(find_line_dot(&hay), Some(WINDOW - 1));
        hay[2 * WINDOW - 1] = b'\n';
        hay[2 * WINDOW] = b'.';
        assert_eq!(
            line_dots(&hay).collect::<Vec<_>>(),
            [WINDOW - 1, 2 * WINDOW - 1]
        );
    }

    proptest! {
        #[test]
        fn agrees_with_memmem(hay in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'.'), Just(b'\r'), Just(b'a')], 0..600)) {
            prop_assert_eq!(line_dots(&hay).collect::<Vec<_>>(), reference(&hay));
        }
    }
}
