//! COPY and MOVE (RFC 9051 §6.4.7, §6.4.8; RFC 6851) with UIDPLUS's
//! COPYUID (RFC 4315 §3), and EXPUNGE and UID EXPUNGE (RFC 9051 §6.4.3,
//! RFC 4315 §2.1).
//!
//! A MOVE is the store's (copy, then expunge: a message is never lost),
//! answered as RFC 6851 §4.3 and Dovecot do: `* OK [COPYUID ...] Moved
//! UIDs.`, the expunges (or VANISHED), then the tagged `OK`.

use imap_proto::server::{Completion, Server};
use imap_proto::types::{Code, Data, Mailbox as WireName, SequenceSet, StatusKind, Tag, Text};
use mailbox_traits::{Account, Authenticator, MailStore, Mailbox, StoreError, Uid};

use super::convert;
use super::fetching::resolve;
use super::session::{Session, log_refusal, store_failure};
use super::sets;

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// COPY, UID COPY, MOVE or UID MOVE.
    pub(super) async fn copy(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        uid: bool,
        set: &SequenceSet,
        wire: &WireName<'_>,
        moving: bool,
    ) {
        let name = match (uid, moving) {
            (false, false) => "COPY",
            (true, false) => "UID COPY",
            (false, true) => "MOVE",
            (true, true) => "UID MOVE",
        };
        let mode = m.mode();
        let (Some(sel), Some(account)) = (&mut self.selected, &self.account) else {
            return;
        };
        let indexes = match resolve(set, uid, &sel.view.messages, &sel.saved) {
            Ok(i) => i,
            Err(_) => {
                let text = format!("Error in IMAP command {name}: Invalid messageset");
                return log_refusal(m.complete(tag, Completion::bad(text)));
            }
        };
        let uids: Vec<Uid> = indexes
            .iter()
            .map(|&i| sel.view.messages[i].uid)
            .filter(|&u| !sel.view.is_expunged(u))
            .collect();
        // RFC 9051 §6.4.7: a missing target is `NO [TRYCREATE]`.
        let trycreate = || {
            let shown = wire.name(mode).map(|n| n.into_owned()).unwrap_or_default();
            Completion::no(format!("Mailbox doesn't exist: {shown}")).with_code(Code::TryCreate)
        };
        let Some(target_name) = convert::store_name(wire, mode) else {
            return log_refusal(m.complete(tag, trycreate()));
        };
        let target = match account.open_mailbox(&target_name).await {
            Ok(t) => t,
            Err(StoreError::NoSuchMailbox) => return log_refusal(m.complete(tag, trycreate())),
            Err(e) => return self.finish(m, tag, store_failure(&e)).await,
        };
        if uids.is_empty() {
            return self
                .finish(m, tag, Completion::ok("No messages found."))
                .await;
        }
        let copied = if moving {
            sel.mailbox.move_to(&uids, &target).await
        } else {
            sel.mailbox.copy_to(&uids, &target).await
        };
        let copied = match copied {
            Ok(c) => c,
            Err(e) => return self.finish(m, tag, store_failure(&e)).await,
        };
        let (from, to): (Vec<Uid>, Vec<Uid>) = copied.uids.iter().copied().unzip();
        let code = match (sets::uid_set(&from), sets::uid_set(&to)) {
            (Some(source), Some(destination)) => Some(Code::CopyUid {
                uid_validity: copied.uid_validity.get(),
                source,
                destination,
            }),
            _ => None,
        };
        if !moving {
            let c = Completion::ok("Copy completed.");
            let c = match code {
                Some(code) => c.with_code(code),
                None => c,
            };
            return self.finish(m, tag, c).await;
        }
        if let (Some(code), Ok(text)) = (code, Text::new("Moved UIDs.")) {
            let data = Data::Status {
                kind: StatusKind::Ok,
                text: imap_proto::types::RespText {
                    code: Some(code),
                    text,
                },
            };
            log_refusal(m.data(tag, &data));
        }
        sel.view.remove(&from);
        self.stats.expunged += from.len() as u64;
        self.finish(m, tag, Completion::ok("Move completed.")).await;
    }

    /// EXPUNGE, or UID EXPUNGE of `set`: the messages with `\Deleted` go,
    /// and the client hears of each (RFC 9051 §7.5.1).
    pub(super) async fn expunge(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        set: Option<&SequenceSet>,
    ) {
        let Some(sel) = &mut self.selected else {
            return;
        };
        // Flags as the store has them now, not as the client last heard.
        sel.absorb();
        let within: Option<Vec<usize>> =
            set.map(|s| resolve(s, true, &sel.view.messages, &sel.saved).unwrap_or_default());
        let candidates: Vec<Uid> = match &within {
            Some(indexes) => indexes
                .iter()
                .map(|&i| &sel.view.messages[i])
                .collect::<Vec<_>>(),
            None => sel.view.messages.iter().collect(),
        }
        .into_iter()
        .filter(|meta| meta.flags.is_deleted() && !sel.view.is_expunged(meta.uid))
        .map(|meta| meta.uid)
        .collect();
        if !candidates.is_empty() {
            match sel.mailbox.expunge(&candidates).await {
                Ok(done) => {
                    self.stats.expunged += done.uids.len() as u64;
                    sel.view.remove(&done.uids);
                }
                Err(e) => return self.finish(m, tag, store_failure(&e)).await,
            }
        }
        self.finish(m, tag, Completion::ok("Expunge completed."))
            .await;
    }
}
