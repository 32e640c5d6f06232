//! The checks of the conformance kit, each on a fresh store.
//!
//! Each check returns `Err` with the first rule the store broke.

/// Returns `Err` with the message unless the condition holds.
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

mod feed;
mod hierarchy;
mod messages;
mod uids;

pub use feed::{change_feed_in_order, local_delivery};
pub use hierarchy::{mailboxes, rename_moves_children};
pub use messages::{
    copy_and_move, expunge_removes_only_requested, flags_round_trip, status_counts,
};
pub use uids::{
    concurrent_appends, uid_validity_stable, uids_never_reused, uids_strictly_increase,
};

use bytes::Bytes;

use super::Harness;
use crate::{
    Access, Account, Flag, InternalDate, Keyword, MailStore, Mailbox, MailboxName, StoreError, Uid,
    UserId,
};

type Check = Result<(), String>;
type MailboxOf<H> = <<<H as Harness>::Store as MailStore>::Account as Account>::Mailbox;

/// Names the step a store error came from.
trait Context<T> {
    fn ctx(self, step: &str) -> Result<T, String>;
}

impl<T> Context<T> for Result<T, StoreError> {
    fn ctx(self, step: &str) -> Result<T, String> {
        self.map_err(|e| format!("{step}: unexpected error: {e}"))
    }
}

fn name(s: &str) -> Result<MailboxName, String> {
    MailboxName::new(s).map_err(|e| format!("kit bug: invalid name {s:?}: {e}"))
}

fn keyword(s: &str) -> Result<Flag, String> {
    Keyword::new(s)
        .map(Flag::Keyword)
        .map_err(|e| format!("kit bug: invalid keyword {s:?}: {e}"))
}

/// A distinct message, with a line that needs dot-stuffing on the wire.
fn message(tag: &str, i: usize) -> Bytes {
    format!(
        "From: kit@example.org\r\nTo: user@example.org\r\nSubject: {tag} {i}\r\n\
         Message-ID: <{tag}.{i}@kit.example.org>\r\n\r\nBody of {tag} {i}.\r\n.leading dot\r\n"
    )
    .into()
}

/// A distinct internal date, in a zone east of UTC.
fn date(i: i64) -> Result<InternalDate, String> {
    InternalDate::new(1_600_000_000 + i * 3_601, 120).map_err(|e| format!("kit bug: date: {e}"))
}

async fn open<H: Harness>(
    store: &H::Store,
    user: &UserId,
    mailbox: &str,
) -> Result<MailboxOf<H>, String> {
    let account = store.account(user).await.ctx("open the account")?;
    account
        .open_mailbox(&name(mailbox)?)
        .await
        .ctx(&format!("open {mailbox}"))
}

async fn uids_of<M: Mailbox>(mailbox: &M) -> Result<Vec<Uid>, String> {
    let snapshot = mailbox.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    Ok(snapshot.messages.iter().map(|m| m.uid).collect())
}
