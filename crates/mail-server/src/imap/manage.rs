//! The mailbox hierarchy: CREATE (with RFC 6154's USE), DELETE, RENAME,
//! SUBSCRIBE, UNSUBSCRIBE (RFC 9051 §6.3.4 to §6.3.8) and STATUS
//! (§6.3.11, with RFC 8438's SIZE and RFC 7162's HIGHESTMODSEQ).

use std::str::FromStr;

use imap_proto::server::{Completion, Server};
use imap_proto::types::{Code, Data, Mailbox as WireName, MailboxAttr, StatusAttr, Tag};
use mailbox_traits::{
    Access, Account, Authenticator, MailStore, Mailbox, MailboxName, SpecialUse, StoreError,
};

use super::convert;
use super::select::no_such_mailbox;
use super::session::{Session, log_refusal, store_failure};

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// The store's name for `wire`, or the `NO` that says it is not one.
    fn name_or_no(
        &self,
        m: &Server,
        wire: &WireName<'_>,
    ) -> Result<MailboxName, Completion<'static>> {
        convert::store_name(wire, m.mode())
            .ok_or_else(|| Completion::no("Invalid mailbox name.").with_code(Code::Cannot))
    }

    /// CREATE (RFC 9051 §6.3.4), optionally with a special use (RFC 6154
    /// §5.2).
    pub(super) async fn create(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        wire: &WireName<'_>,
        special_use: Option<&[MailboxAttr<'_>]>,
    ) {
        let result = match (self.name_or_no(m, wire), special_use.map(one_use)) {
            (Err(c), _) | (_, Some(Err(c))) => Err(c),
            (Ok(name), _) if name.is_inbox() => {
                Err(Completion::no("Mailbox already exists.").with_code(Code::AlreadyExists))
            }
            (Ok(name), u) => {
                let u = u.and_then(Result::ok).flatten();
                match &self.account {
                    Some(account) => match account.create_mailbox(&name, u).await {
                        Ok(()) => Ok(()),
                        Err(StoreError::Unsupported) if u.is_some() => Err(Completion::no(
                            "This server can't give that mailbox a special use.",
                        )
                        .with_code(Code::UseAttr)),
                        Err(e) => Err(store_failure(&e)),
                    },
                    None => Ok(()),
                }
            }
        };
        self.done(m, tag, result, "Create completed.").await;
    }

    /// DELETE (RFC 9051 §6.3.5): not INBOX, not a mailbox with children.
    pub(super) async fn delete(&mut self, m: &mut Server, tag: &Tag<'_>, wire: &WireName<'_>) {
        let result = match self.name_or_no(m, wire) {
            Err(c) => Err(c),
            Ok(name) if name.is_inbox() => {
                Err(Completion::no("INBOX can't be deleted.").with_code(Code::Cannot))
            }
            Ok(name) => match &self.account {
                Some(account) => match account.delete_mailbox(&name).await {
                    Ok(()) => Ok(()),
                    Err(StoreError::NoSuchMailbox) => Err(no_such_mailbox(wire, m.mode())),
                    Err(e) => Err(store_failure(&e)),
                },
                None => Ok(()),
            },
        };
        self.done(m, tag, result, "Delete completed.").await;
    }

    /// RENAME (RFC 9051 §6.3.6): children move too; renaming INBOX moves
    /// its messages to the new mailbox and leaves INBOX empty (RFC 3501
    /// §6.3.5).
    pub(super) async fn rename(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        from: &WireName<'_>,
        to: &WireName<'_>,
    ) {
        let result = match (self.name_or_no(m, from), self.name_or_no(m, to)) {
            (Err(c), _) | (_, Err(c)) => Err(c),
            (Ok(_), Ok(to)) if to.is_inbox() => {
                Err(Completion::no("Mailbox already exists.").with_code(Code::AlreadyExists))
            }
            (Ok(from_name), Ok(to_name)) => match &self.account {
                Some(account) => match account.rename_mailbox(&from_name, &to_name).await {
                    Ok(()) => Ok(()),
                    Err(StoreError::NoSuchMailbox) => Err(no_such_mailbox(from, m.mode())),
                    Err(e) => Err(store_failure(&e)),
                },
                None => Ok(()),
            },
        };
        self.done(m, tag, result, "Rename completed.").await;
    }

    /// SUBSCRIBE or UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8); the mailbox need
    /// not exist.
    pub(super) async fn subscribe(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        wire: &WireName<'_>,
        on: bool,
    ) {
        let result = match self.name_or_no(m, wire) {
            Err(c) => Err(c),
            Ok(name) => match &self.account {
                Some(account) => {
                    let done = if on {
                        account.subscribe(&name).await
                    } else {
                        account.unsubscribe(&name).await
                    };
                    done.map_err(|e| store_failure(&e))
                }
                None => Ok(()),
            },
        };
        let text = if on {
            "Subscribe completed."
        } else {
            "Unsubscribe completed."
        };
        self.done(m, tag, result, text).await;
    }

    /// STATUS (RFC 9051 §6.3.11): `* STATUS name (...)` in the order asked.
    pub(super) async fn status(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        wire: &WireName<'_>,
        attrs: &[StatusAttr],
    ) {
        let mode = m.mode();
        let name = match self.name_or_no(m, wire) {
            Ok(name) => name,
            Err(c) => return self.done(m, tag, Err(c), "").await,
        };
        let Some(account) = &self.account else {
            return;
        };
        let items = match account.open_mailbox(&name).await {
            Ok(mailbox) => status_items(&mailbox, attrs).await,
            Err(e) => Err(e),
        };
        let result = match items {
            Ok(items) => {
                let data = Data::MailboxStatus {
                    mailbox: convert::wire_name(&name, mode),
                    items,
                };
                log_refusal(m.data(tag, &data));
                Ok(())
            }
            Err(StoreError::NoSuchMailbox) => Err(no_such_mailbox(wire, mode)),
            Err(e) => Err(store_failure(&e)),
        };
        self.done(m, tag, result, "Status completed.").await;
    }

    /// Completes with `ok` text, or the refusal.
    async fn done(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        result: Result<(), Completion<'static>>,
        ok: &'static str,
    ) {
        let c = result.map_or_else(|c| c, |()| Completion::ok(ok));
        self.finish(m, tag, c).await;
    }
}

/// The values of STATUS attributes for a mailbox, in the order asked.
/// DELETED needs every message's flags; the rest come from the counts.
pub(super) async fn status_items<M: Mailbox>(
    mailbox: &M,
    attrs: &[StatusAttr],
) -> Result<Vec<(StatusAttr, u64)>, StoreError> {
    let (status, deleted) = if attrs.contains(&StatusAttr::Deleted) {
        let snapshot = mailbox.snapshot(Access::ReadOnly).await?;
        let deleted = snapshot
            .messages
            .iter()
            .filter(|m| m.flags.is_deleted())
            .count();
        (snapshot.status(), deleted as u64)
    } else {
        (mailbox.status().await?, 0)
    };
    Ok(attrs
        .iter()
        .map(|&a| {
            let value = match a {
                StatusAttr::Messages => u64::from(status.messages),
                StatusAttr::Recent => u64::from(status.recent),
                StatusAttr::UidNext => u64::from(status.uid_next.get()),
                StatusAttr::UidValidity => u64::from(status.uid_validity.get()),
                StatusAttr::Unseen => u64::from(status.unseen),
                StatusAttr::Deleted => deleted,
                StatusAttr::Size => status.size,
                StatusAttr::HighestModSeq => status.highest_modseq.get(),
                _ => 0,
            };
            (a, value)
        })
        .collect())
}

/// The one special use of CREATE's `USE (...)`: none for `()`, and `NO
/// [USEATTR]` for an unknown attribute or more than one (RFC 6154 §5.2:
/// the server "MAY" refuse several; a mailbox here has one).
fn one_use(attrs: &[MailboxAttr<'_>]) -> Result<Option<SpecialUse>, Completion<'static>> {
    let refused = || Completion::no("Unsupported special-use attribute.").with_code(Code::UseAttr);
    match attrs {
        [] => Ok(None),
        [one] => SpecialUse::from_str(&format!("\\{}", one.name()))
            .map(Some)
            .map_err(|_| refused()),
        _ => Err(refused()),
    }
}
