//! Criterion benches of the mail protocol workspace, run from the root with
//! `cargo bench` (or `cargo bench --bench NAME`):
//!
//! - `memory_store`: appends, snapshots and flag updates on
//!   `mailbox_traits::memory::MemoryStore`, the costs every session pays.
