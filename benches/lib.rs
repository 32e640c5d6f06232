//! Criterion benches of the mail protocol workspace, run from the root with
//! `cargo bench` (or `cargo bench --bench NAME`):
//!
//! - `memory_store`: appends, snapshots and flag updates on
//!   `mailbox_traits::memory::MemoryStore`, the costs every session pays.
//! - `imap_codec`: the IMAP grammar of `imap-proto` beside `imap-codec` and
//!   djc's `imap-proto` (renamed `djc-imap-proto`): the RFC 3501 §8 FETCH
//!   response, a `UID FETCH` command with many items, `UID SEARCH`, and FETCH
//!   responses with 1 KiB, 64 KiB and 1 MiB `BODY[]` literals, decoded and
//!   encoded, with a `memcpy` of the same bytes as the floor.
//! - `imap_session`: whole IMAP sessions through `imap-proto`'s server and
//!   client machines (LOGIN, SELECT, a 1000-message `UID FETCH` of FLAGS,
//!   UID and RFC822.SIZE, LOGOUT), in octets sent per second.
//! - `pop3`: `pop3-proto` command parsing, and RETR bodies of 4 KiB, 64 KiB
//!   and 10 MiB dot-stuffed and unstuffed (framing zero-copy and copying,
//!   and through the server and client machines), against a `memcpy` and a
//!   `memmem` scan of the same bytes.
//! - `smtp`: `smtp-proto` command parsing (EHLO, MAIL FROM with parameters,
//!   RCPT TO, DATA) beside Stalwart's `smtp-proto` (renamed
//!   `stalwart-smtp-proto`), and DATA bodies of 1 KiB, 64 KiB and 10 MiB
//!   dot-unstuffed (zero-copy, copying once, and through the server
//!   machine) against Stalwart's `DataReceiver` and a `memchr` scan of the
//!   same bytes.
//!
//! The zero-copy decoders consume their input buffer, so their benches make
//! fresh inputs outside the timing with [`hot`].

#![allow(clippy::disallowed_methods, reason = "a bench reads the clock")]

use std::hint::black_box;
use std::sync::atomic::{Ordering, fence};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use criterion::measurement::WallTime;
use criterion::{Bencher, BenchmarkGroup};

/// Times `routine` on inputs made by `setup` just before, a batch at a time,
/// so the inputs are as hot in the cache as the `memcpy` limit's source is.
/// The routine works on each input in place and leaves what it makes there;
/// the inputs are dropped outside the timing, after `black_box`. (Criterion's
/// `iter_batched` makes whole batches of inputs up front, cold by the time
/// they are used, and moves each input in and each output out.) A batch
/// holds as many inputs of `input_len` octets (the memory each input has
/// to itself: inputs that share one body count only their handles) as fit
/// in 16 KiB, and at most 32, which spreads the two clock reads of a batch
/// over its inputs; an input larger than that is timed alone. 16 KiB is a
/// third of the 48 KiB L1 data cache of current x86 cores, leaving room for
/// what the setup and the routine touch besides: with 32 KiB batches, 1 KiB DATA bodies measured
/// about 35 ns slower each, read from L2. What `setup` makes besides the
/// input should be small for the same reason (the benches give their chunk
/// lists room for 8, not 64: 64 `Bytes` are 2 KiB).
pub fn hot<I>(
    b: &mut Bencher<'_>,
    input_len: usize,
    mut setup: impl FnMut() -> I,
    mut routine: impl FnMut(&mut I),
) {
    let batch = ((16 << 10) / input_len.max(1)).clamp(1, 32) as u64;
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        let mut done = 0;
        while done < iters {
            let n = batch.min(iters - done);
            let mut inputs: Vec<I> = (0..n).map(|_| setup()).collect();
            // The setup's stores (a 4 KiB input is 64 of them) drain here:
            // otherwise the routine's first atomic operation, a locked
            // instruction that waits for every earlier store, waits for them
            // on the clock (25 to 40 ns per 4 KiB input measured).
            fence(Ordering::SeqCst);
            let start = Instant::now();
            for input in &mut inputs {
                routine(input);
            }
            total += start.elapsed();
            drop(black_box(inputs));
            done += n;
        }
        total
    });
}

/// A copy of `bytes` in a read buffer that is already shared, as a reader's
/// is after its first read: splitting chunks off it allocates nothing
/// (`BytesMut` promotes a buffer to shared once, on the first split).
pub fn shared(bytes: &[u8]) -> BytesMut {
    let mut buf = BytesMut::with_capacity(bytes.len());
    buf.extend_from_slice(bytes);
    drop(buf.split_to(0));
    buf
}

/// Adds to `group` what [`hot`] itself costs per input (a shared read
/// buffer holding `input` and a chunk list, left untouched), in
/// batches sized for `input_len` as the group's routines are: the part of
/// their figures that is measurement.
pub fn bench_harness(group: &mut BenchmarkGroup<'_, WallTime>, input_len: usize, input: &[u8]) {
    group.bench_function("harness: hot inputs left untouched", |b| {
        hot(
            b,
            input_len,
            || (shared(input), Vec::<Bytes>::with_capacity(8)),
            |x| {
                black_box(x);
            },
        );
    });
}

/// Adds to `group` the `memcpy` limit measured as the zero-copy decoders
/// are: from fresh shared read buffers holding `input`, made by [`hot`]
/// just before, into one reused destination. Reading octets written just
/// before costs more than reading the same octets again and again (as the
/// plain `limit: memcpy` bench does), so this is the like-for-like limit for
/// the decoders; it includes the harness's own cost as theirs do.
pub fn bench_memcpy_hot(group: &mut BenchmarkGroup<'_, WallTime>, input_len: usize, input: &[u8]) {
    let mut dst = vec![0u8; input.len()];
    group.bench_function("limit: memcpy from the same hot inputs", |b| {
        hot(
            b,
            input_len,
            || shared(input),
            |buf| {
                dst.copy_from_slice(buf);
                black_box(&dst);
            },
        );
    });
}
