//! The kit on the memory store: it passes, and each injected fault fails
//! exactly the check meant to catch it.

use std::time::Duration;

use futures::future::BoxFuture;

use super::{Harness, Report, run, run_delivery};
use crate::UserId;
use crate::memory::{Faults, MemoryStore};

/// The memory store on tokio, tasks spawned onto worker threads.
struct Tokio;

/// The memory store with a fault, tasks polled on one task so an
/// interleaving fault shows every time.
struct Faulty(Faults);

async fn fresh(store: MemoryStore) -> (MemoryStore, UserId) {
    let user = store
        .add_user("kit", "password")
        .expect("a fresh store has no users");
    (store, user)
}

impl Harness for Tokio {
    type Store = MemoryStore;

    async fn fresh(&self) -> (MemoryStore, UserId) {
        fresh(MemoryStore::new()).await
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn run_parallel(&self, tasks: Vec<BoxFuture<'static, ()>>) -> BoxFuture<'static, ()> {
        let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
        Box::pin(async move {
            for h in handles {
                h.await.expect("a kit task panicked");
            }
        })
    }
}

impl Harness for Faulty {
    type Store = MemoryStore;

    async fn fresh(&self) -> (MemoryStore, UserId) {
        fresh(MemoryStore::with_faults(self.0)).await
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_store_passes_the_kit() {
    let report = run(&Tokio).await;
    report.assert_passed();
    assert_eq!(report.passed.len(), 11);
    run_delivery(&Tokio).await.assert_passed();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_store_passes_the_kit_polled_on_one_task() {
    run(&Faulty(Faults::default())).await.assert_passed();
}

/// Runs the kit on a store with `fault` and returns the checks that failed.
async fn failing_checks(fault: Faults) -> Vec<&'static str> {
    let report: Report = run(&Faulty(fault)).await;
    report.failures.iter().map(|f| f.check).collect()
}

#[tokio::test]
async fn catches_a_store_that_reuses_uids() {
    let failed = failing_checks(Faults {
        reuse_uids: true,
        ..Faults::default()
    })
    .await;
    assert!(failed.contains(&"uids_never_reused"), "{failed:?}");
}

#[tokio::test]
async fn catches_a_store_whose_recreated_mailbox_reuses_uids() {
    let failed = failing_checks(Faults {
        constant_uid_validity: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["uids_never_reused"]);
}

#[tokio::test]
async fn catches_an_expunge_that_removes_too_much() {
    let failed = failing_checks(Faults {
        expunge_tail: true,
        ..Faults::default()
    })
    .await;
    assert!(
        failed.contains(&"expunge_removes_only_requested"),
        "{failed:?}"
    );
}

#[tokio::test]
async fn catches_a_copy_that_loses_flags() {
    let failed = failing_checks(Faults {
        copy_drops_flags: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["copy_and_move"]);
}

#[tokio::test]
async fn catches_a_rename_that_leaves_children_behind() {
    let failed = failing_checks(Faults {
        rename_drops_children: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["rename_moves_children"]);
}

#[tokio::test]
async fn catches_a_feed_that_drops_changes() {
    let failed = failing_checks(Faults {
        feed_drops_flag_changes: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["change_feed_in_order"]);
}

#[tokio::test]
async fn catches_appends_that_race() {
    let failed = failing_checks(Faults {
        racy_append: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["concurrent_appends"]);
}

#[tokio::test]
async fn catches_a_store_that_loses_keywords() {
    let failed = failing_checks(Faults {
        drop_keywords: true,
        ..Faults::default()
    })
    .await;
    assert_eq!(failed, ["flags_round_trip"]);
}

#[tokio::test]
async fn report_lists_failures() {
    let report = run(&Faulty(Faults {
        copy_drops_flags: true,
        ..Faults::default()
    }))
    .await;
    assert!(!report.is_ok());
    assert!(report.failed("copy_and_move"));
    assert!(!report.failed("mailboxes"));
    let text = report.failures[0].to_string();
    assert!(
        text.starts_with("copy_and_move: the copy of 1 has flags"),
        "{text}"
    );
}
