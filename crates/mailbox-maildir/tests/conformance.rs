//! The mailbox-traits conformance kit, run on a Maildir store with every
//! fsync on, as in production.

use std::time::Duration;

use futures::future::BoxFuture;
use mailbox_maildir::MaildirStore;
use mailbox_traits::UserId;
use mailbox_traits::testkit::{self, Harness};
use tempfile::TempDir;

/// Fresh stores in temporary directories, kept until the harness drops.
struct Maildirs {
    dirs: std::sync::Mutex<Vec<TempDir>>,
}

impl Harness for Maildirs {
    type Store = MaildirStore;

    async fn fresh(&self) -> (MaildirStore, UserId) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = MaildirStore::open(dir.path()).expect("store");
        let user = store.create_user("kit").await.expect("user");
        self.dirs.lock().expect("lock").push(dir);
        (store, user)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn maildir_store_passes_the_kit() {
    let harness = Maildirs {
        dirs: Default::default(),
    };
    let report = testkit::run(&harness).await;
    report.assert_passed();
    testkit::run_delivery(&harness).await.assert_passed();
}
