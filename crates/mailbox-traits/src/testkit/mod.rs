//! The conformance kit: checks every mail store runs on itself.
//!
//! A store implements [`Harness`] (how to make a fresh store with one user,
//! how to sleep and how to run tasks in parallel on its runtime) and calls
//! [`run`]; the [`Report`] names each check that failed and why. The checks
//! hold a store to what IMAP and POP3 clients rely on:
//!
//! | check | rule |
//! | --- | --- |
//! | [`checks::mailboxes`] | the hierarchy: create with parents, delete, subscriptions, special use, errors |
//! | [`checks::uids_strictly_increase`] | each new message gets a UID above every earlier one (RFC 9051 §2.3.1.1) |
//! | [`checks::uids_never_reused`] | not after an expunge, nor after the mailbox is deleted and created again under the same UIDVALIDITY |
//! | [`checks::uid_validity_stable`] | the same UIDVALIDITY across handles, sessions and changes |
//! | [`checks::flags_round_trip`] | system flags and keywords, add, remove, replace, mod-sequences, UNCHANGEDSINCE (RFC 7162 §3.1.3) |
//! | [`checks::status_counts`] | messages, unseen, size, and recent claimed once (RFC 3501 §2.3.2) |
//! | [`checks::expunge_removes_only_requested`] | and nothing else |
//! | [`checks::copy_and_move`] | same bytes, flags and dates, and a correct UID map (RFC 4315, RFC 6851) |
//! | [`checks::rename_moves_children`] | with INBOX's special rename (RFC 9051 §6.3.6) |
//! | [`checks::change_feed_in_order`] | another session's appends, flag changes and expunges, in order, and the end of the feed on delete |
//! | [`checks::concurrent_appends`] | many tasks appending at once lose nothing and share no UID |
//!
//! ```
//! use std::time::Duration;
//! use futures::future::BoxFuture;
//! use mailbox_traits::memory::MemoryStore;
//! use mailbox_traits::testkit::{self, Harness};
//! use mailbox_traits::UserId;
//!
//! struct Memory;
//!
//! impl Harness for Memory {
//!     type Store = MemoryStore;
//!
//!     async fn fresh(&self) -> (MemoryStore, UserId) {
//!         let store = MemoryStore::new();
//!         let user = store.add_user("kit", "password").unwrap();
//!         (store, user)
//!     }
//!
//!     fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
//!         Box::pin(tokio::time::sleep(duration))
//!     }
//!
//!     fn run_parallel(&self, tasks: Vec<BoxFuture<'static, ()>>) -> BoxFuture<'static, ()> {
//!         let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
//!         Box::pin(async move {
//!             for handle in handles {
//!                 handle.await.expect("task panicked");
//!             }
//!         })
//!     }
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! testkit::run(&Memory).await.assert_passed();
//! # });
//! ```

pub mod checks;
#[cfg(test)]
mod tests;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use futures::future::{self, BoxFuture, Either};

use crate::{LocalDelivery, MailStore, UserId};

/// What the kit needs from a store's test suite.
pub trait Harness: Send + Sync {
    /// The store under test.
    type Store: MailStore;

    /// A new store, independent of any other, with one user whose INBOX
    /// exists and is empty. Each check calls it once.
    fn fresh(&self) -> impl Future<Output = (Self::Store, UserId)> + Send;

    /// A future that completes after `duration`: the kit's timeouts, so a
    /// store that never reports a change fails a check instead of hanging.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;

    /// Runs the tasks to completion, in parallel if the runtime can. The
    /// default polls them concurrently on the calling task; a tokio suite
    /// spawns each one so they run on several threads.
    fn run_parallel(&self, tasks: Vec<BoxFuture<'static, ()>>) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            future::join_all(tasks).await;
        })
    }
}

/// One failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The check's name, as in [`checks`].
    pub check: &'static str,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.check, self.message)
    }
}

/// The outcome of [`run`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The checks that passed.
    pub passed: Vec<&'static str>,
    /// The checks that failed, with the reason.
    pub failures: Vec<Failure>,
}

impl Report {
    /// Whether every check passed.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Whether the named check failed.
    pub fn failed(&self, check: &str) -> bool {
        self.failures.iter().any(|f| f.check == check)
    }

    /// Panics, listing every failure, unless all checks passed.
    #[track_caller]
    pub fn assert_passed(&self) {
        if !self.is_ok() {
            let list: Vec<String> = self.failures.iter().map(|f| format!("  {f}")).collect();
            panic!(
                "the store failed {} conformance check(s):\n{}",
                self.failures.len(),
                list.join("\n")
            );
        }
    }

    fn record(&mut self, check: &'static str, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed.push(check),
            Err(message) => self.failures.push(Failure { check, message }),
        }
    }
}

/// Runs every check of [`checks`] on fresh stores from `harness`.
pub async fn run<H: Harness>(harness: &H) -> Report {
    let mut report = Report::default();
    report.record("mailboxes", checks::mailboxes(harness).await);
    report.record(
        "uids_strictly_increase",
        checks::uids_strictly_increase(harness).await,
    );
    report.record(
        "uids_never_reused",
        checks::uids_never_reused(harness).await,
    );
    report.record(
        "uid_validity_stable",
        checks::uid_validity_stable(harness).await,
    );
    report.record("flags_round_trip", checks::flags_round_trip(harness).await);
    report.record("status_counts", checks::status_counts(harness).await);
    report.record(
        "expunge_removes_only_requested",
        checks::expunge_removes_only_requested(harness).await,
    );
    report.record("copy_and_move", checks::copy_and_move(harness).await);
    report.record(
        "rename_moves_children",
        checks::rename_moves_children(harness).await,
    );
    report.record(
        "change_feed_in_order",
        checks::change_feed_in_order(harness).await,
    );
    report.record(
        "concurrent_appends",
        checks::concurrent_appends(harness).await,
    );
    report
}

/// Runs the checks of [`LocalDelivery`] for a store that also delivers.
pub async fn run_delivery<H>(harness: &H) -> Report
where
    H: Harness,
    H::Store: LocalDelivery,
{
    let mut report = Report::default();
    report.record("local_delivery", checks::local_delivery(harness).await);
    report
}

/// How long the kit waits for a change to show up on a feed.
const FEED_TIMEOUT: Duration = Duration::from_secs(5);

/// `fut`, or an error naming `what` if it takes longer than [`FEED_TIMEOUT`].
async fn within<H: Harness, T>(
    harness: &H,
    what: &str,
    fut: impl Future<Output = T>,
) -> Result<T, String> {
    let fut = std::pin::pin!(fut);
    match future::select(fut, harness.sleep(FEED_TIMEOUT)).await {
        Either::Left((value, _)) => Ok(value),
        Either::Right(((), _)) => Err(format!(
            "timed out after {FEED_TIMEOUT:?} waiting for {what}"
        )),
    }
}
