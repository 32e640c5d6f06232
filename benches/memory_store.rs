//! The memory store's costs per operation: what every session pays on top of
//! the protocol.

#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::hint::black_box;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use futures::executor::block_on;
use mailbox_traits::memory::{MemoryMailbox, MemoryStore};
use mailbox_traits::{
    Access, Account, Flag, FlagOp, Flags, InternalDate, MailStore, Mailbox, MailboxName, Uid,
};

fn inbox_with(messages: usize, body: &Bytes) -> MemoryMailbox {
    block_on(async {
        let store = MemoryStore::new();
        let user = store.add_user("bench", "pw").expect("new user");
        let inbox = store
            .account(&user)
            .await
            .expect("account")
            .open_mailbox(&MailboxName::inbox())
            .await
            .expect("inbox");
        let date = InternalDate::from_unix(1_700_000_000).expect("date");
        for _ in 0..messages {
            inbox
                .append(body.clone(), &Flags::new(), date)
                .await
                .expect("append");
        }
        inbox
    })
}

fn bench(c: &mut Criterion) {
    let body = Bytes::from(vec![b'x'; 4096]);
    let date = InternalDate::from_unix(1_700_000_000).expect("date");

    let mut group = c.benchmark_group("memory_store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("append 4 KiB", |b| {
        b.iter_batched(
            || inbox_with(0, &body),
            |inbox| block_on(inbox.append(body.clone(), &Flags::new(), date)).expect("append"),
            BatchSize::SmallInput,
        );
    });

    let big = inbox_with(10_000, &body);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("snapshot of 10 000 messages", |b| {
        b.iter(|| black_box(block_on(big.snapshot(Access::ReadOnly)).expect("snapshot")));
    });

    let uids: Vec<Uid> = (1..=1000).filter_map(Uid::new).collect();
    let seen = Flags::from([Flag::Seen]);
    group.throughput(Throughput::Elements(1000));
    group.bench_function("toggle \\Seen on 1000 messages", |b| {
        let mut op = FlagOp::Add;
        b.iter(|| {
            op = if op == FlagOp::Add {
                FlagOp::Remove
            } else {
                FlagOp::Add
            };
            black_box(block_on(big.update_flags(&uids, op, &seen, None)).expect("update"))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
