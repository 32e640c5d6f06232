//! STORE and UID STORE (RFC 9051 §6.4.6), with UNCHANGEDSINCE (RFC 7162
//! §3.1.3): flags added, removed or replaced in one store update, the new
//! flags sent back unless `.SILENT`, and `[MODIFIED set]` for the messages
//! another session changed since the client looked.

use imap_proto::server::{Completion, Server};
use imap_proto::types::{Code, Data, Flag as WireFlag, SequenceSet, StoreKind, Tag};
use mailbox_traits::{Authenticator, FlagOp, MailStore, Mailbox, Uid};

use super::convert;
use super::fetching::resolve;
use super::session::{Session, log_refusal, store_failure};
use super::sets;
use super::view::flags_items;

/// A STORE, as the client asked.
pub(super) struct Request<'r> {
    pub(super) uid: bool,
    pub(super) set: &'r SequenceSet,
    pub(super) unchanged_since: Option<u64>,
    pub(super) kind: StoreKind,
    pub(super) silent: bool,
    pub(super) flags: &'r [WireFlag<'static>],
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// STORE or UID STORE.
    pub(super) async fn store(&mut self, m: &mut Server, tag: &Tag<'_>, r: Request<'_>) {
        let name = if r.uid { "UID STORE" } else { "STORE" };
        let style = self.style(m);
        let Some(sel) = &mut self.selected else {
            return;
        };
        let flags = match convert::store_flags(r.flags) {
            Ok(f) => f,
            Err(e) => {
                let text = format!("Error in IMAP command {name}: Invalid flag {}", e.0);
                return log_refusal(m.complete(tag, Completion::bad(text)));
            }
        };
        let indexes = match resolve(r.set, r.uid, &sel.view.messages, &sel.saved) {
            Ok(i) => i,
            Err(_) => {
                let text = format!("Error in IMAP command {name}: Invalid messageset");
                return log_refusal(m.complete(tag, Completion::bad(text)));
            }
        };
        // Messages the client knows are gone are not stored to.
        let uids: Vec<Uid> = indexes
            .iter()
            .map(|&i| sel.view.messages[i].uid)
            .filter(|&u| !sel.view.is_expunged(u))
            .collect();
        let op = match r.kind {
            StoreKind::Add => FlagOp::Add,
            StoreKind::Remove => FlagOp::Remove,
            _ => FlagOp::Replace,
        };
        let done = if uids.is_empty() {
            Ok(Default::default())
        } else {
            sel.mailbox
                .update_flags(&uids, op, &flags, r.unchanged_since)
                .await
        };
        let done = match done {
            Ok(d) => d,
            Err(e) => return self.finish(m, tag, store_failure(&e)).await,
        };
        let mut gone = uids.len() > done.updated.len() + done.modified.len();
        for u in &done.updated {
            let Some(i) = sel.view.index_of(u.uid) else {
                continue;
            };
            let meta = &mut sel.view.messages[i];
            meta.flags = u.flags.clone();
            meta.modseq = meta.modseq.max(u.modseq);
            sel.view.highest_modseq = sel.view.highest_modseq.max(u.modseq);
            sel.view.told(u.uid);
            // Unless .SILENT, every message stored to is answered with its
            // flags (Dovecot); with UNCHANGEDSINCE, a changed one is
            // answered even then, with its MODSEQ (RFC 7162 §3.1.3).
            let conditional = r.unchanged_since.is_some() && u.changed;
            if r.silent && !conditional {
                continue;
            }
            let meta = &sel.view.messages[i];
            let mut items = flags_items(meta, style, r.uid);
            if r.silent {
                items.retain(|item| !matches!(item, imap_proto::types::FetchItem::Flags(_)));
            }
            if conditional && !style.condstore {
                items.push(imap_proto::types::FetchItem::ModSeq(meta.modseq.get()));
            }
            let data = Data::Fetch {
                seq: i as u32 + 1,
                items,
            };
            log_refusal(m.data(tag, &data));
        }
        gone &= r.unchanged_since.is_none();
        let completion = if !done.modified.is_empty() {
            // Message numbers for STORE, UIDs for UID STORE.
            let ids: Vec<u32> = if r.uid {
                done.modified.iter().map(|u| u.get()).collect()
            } else {
                let mut seqs: Vec<u32> = done
                    .modified
                    .iter()
                    .filter_map(|u| sel.view.index_of(*u).map(|i| i as u32 + 1))
                    .collect();
                seqs.sort_unstable();
                seqs
            };
            let set = sets::ranges_set(sets::runs(ids.into_iter()));
            match set {
                Some(set) => {
                    Completion::ok("Conditional store failed.").with_code(Code::Modified(set))
                }
                None => Completion::ok(format!("{name} completed")),
            }
        } else if gone {
            Completion::no("Some of the requested messages no longer exist.")
                .with_code(Code::ExpungeIssued)
        } else {
            Completion::ok(format!("{name} completed"))
        };
        self.finish(m, tag, completion).await;
    }
}
