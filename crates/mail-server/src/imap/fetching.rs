//! FETCH and UID FETCH (RFC 9051 §6.4.5, RFC 7162 CHANGEDSINCE and
//! VANISHED), answered a message at a time as the client reads.
//!
//! The FETCH engine ([`super::fetch`]) says what each message's items
//! are; here the session reads the message from the store only when an
//! item needs its bytes, and writes the response through the machine:
//! items whole, bodies announced with their size and handed over in
//! slices of the store's [`Bytes`] while the machine asks for more
//! (`body_demand`). When the client does not read, the work waits with the
//! rest of the set ([`Session::fetch_more`] is called again once the
//! connection has room), so no session holds more than a socket buffer's
//! worth of a response.
//!
//! A body fetched without PEEK sets `\Seen` (RFC 9051 §6.4.5): one store
//! update for the whole set before the first response, and the messages
//! whose flags it changed get their FLAGS in their response (with UID and
//! MODSEQ under CONDSTORE, RFC 7162 §3.2.4).

use bytes::Bytes;
use imap_proto::server::{BodyDemand, Completion, Server};
use imap_proto::types::{
    Code, Data, FetchAttr, FetchAttrs, FetchItem, FetchModifier, SequenceSet, Tag,
};
use mailbox_traits::{Authenticator, Flag, FlagOp, Flags, MailStore, Mailbox, StoreError, Uid};
use tracing::warn;

use super::convert;
use super::fetch::{self as engine, Answer, FetchError, FetchOptions, Plan};
use super::session::{Session, log_refusal, store_failure};
use super::sets::{self, InvalidSet};

/// Octets of a body handed to the machine at a time: slices of the
/// stored message.
const BODY_CHUNK: usize = 64 * 1024;

/// A FETCH being answered.
#[derive(Debug)]
pub(super) struct FetchJob {
    tag: Tag<'static>,
    name: &'static str,
    attrs: Vec<FetchAttr<'static>>,
    plan: Plan,
    options: FetchOptions,
    /// The messages, in sequence order.
    targets: Vec<Uid>,
    next: usize,
    current: Option<Current>,
    /// Messages whose `\Seen` this FETCH set: their FLAGS go out too.
    seen_set: Vec<Uid>,
    /// Add MODSEQ where FLAGS is added (CONDSTORE).
    condstore: bool,
    /// A message was expunged by another session meanwhile.
    missing: bool,
    /// Why the FETCH failed, after what was sent.
    failed: Option<Completion<'static>>,
}

/// The response of one message, being written.
#[derive(Debug)]
struct Current {
    answers: std::vec::IntoIter<Answer<'static>>,
    /// The rest of the body being streamed.
    body: Option<Bytes>,
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// FETCH or UID FETCH: resolves the set, sets `\Seen` if a body is
    /// fetched without PEEK, and starts answering.
    pub(super) async fn fetch(
        &mut self,
        m: &mut Server,
        tag: Tag<'static>,
        uid: bool,
        set: &SequenceSet,
        attrs: &FetchAttrs<'static>,
        modifiers: &[FetchModifier],
    ) {
        let name = if uid { "UID FETCH" } else { "FETCH" };
        let style = self.style(m);
        let Some(sel) = &mut self.selected else {
            return;
        };
        let mut changed_since = None;
        let mut vanished = false;
        for modifier in modifiers {
            match modifier {
                FetchModifier::ChangedSince(n) => changed_since = Some(*n),
                FetchModifier::Vanished => vanished = true,
                _ => {}
            }
        }
        if vanished && !(uid && changed_since.is_some() && m.enabled().qresync) {
            // RFC 7162 §3.2.6: VANISHED needs UID FETCH, CHANGEDSINCE and
            // ENABLE QRESYNC.
            let c = Completion::bad("VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC.");
            return log_refusal(m.complete(&tag, c));
        }
        let indexes = match resolve(set, uid, &sel.view.messages, &sel.saved) {
            Ok(i) => i,
            Err(InvalidSet) => {
                let c =
                    Completion::bad(format!("Error in IMAP command {name}: Invalid messageset"));
                return log_refusal(m.complete(&tag, c));
            }
        };
        let mut attrs = attrs.expand();
        if changed_since.is_some() && !attrs.contains(&FetchAttr::ModSeq) {
            attrs.push(FetchAttr::ModSeq);
        }
        // RFC 9051 §6.4.9: UID FETCH answers with UID, first as Dovecot;
        // so does a FETCH of MODSEQ once CONDSTORE is on (RFC 7162 §3.2.4,
        // for a server that offers QRESYNC).
        let with_uid = uid || (style.condstore && attrs.contains(&FetchAttr::ModSeq));
        if with_uid && !attrs.contains(&FetchAttr::Uid) {
            attrs.insert(0, FetchAttr::Uid);
        }
        let targets: Vec<Uid> = indexes
            .iter()
            .map(|&i| &sel.view.messages[i])
            .filter(|meta| changed_since.is_none_or(|n| meta.modseq.get() > n))
            .map(|meta| meta.uid)
            .collect();
        if vanished {
            let max = sel.view.uid_next.get().saturating_sub(1);
            if let Some(uids) = sets::ranges_set(sets::missing(set, &sel.view.messages, max)) {
                let data = Data::Vanished {
                    earlier: true,
                    uids,
                };
                log_refusal(m.data(&tag, &data));
            }
        }
        let plan = engine::plan(&attrs);
        let mut seen_set = Vec::new();
        if plan.sets_seen && !sel.read_only {
            let unseen: Vec<Uid> = targets
                .iter()
                .copied()
                .filter(|&u| {
                    sel.view
                        .index_of(u)
                        .is_some_and(|i| !sel.view.messages[i].flags.is_seen())
                })
                .collect();
            if !unseen.is_empty() {
                let seen = Flags::from([Flag::Seen]);
                match sel
                    .mailbox
                    .update_flags(&unseen, FlagOp::Add, &seen, None)
                    .await
                {
                    Ok(done) => {
                        for u in done.updated {
                            if let Some(i) = sel.view.index_of(u.uid) {
                                let meta = &mut sel.view.messages[i];
                                meta.flags = u.flags;
                                meta.modseq = meta.modseq.max(u.modseq);
                                sel.view.highest_modseq = sel.view.highest_modseq.max(u.modseq);
                                sel.view.told(u.uid);
                            }
                            if u.changed {
                                seen_set.push(u.uid);
                            }
                        }
                    }
                    // The bodies still go out; the flag did not stick.
                    Err(e) => warn!(error = %e, "cannot set \\Seen"),
                }
            }
        }
        self.fetch = Some(FetchJob {
            tag,
            name,
            attrs,
            plan,
            options: FetchOptions { recent: style.rev1 },
            targets,
            next: 0,
            current: None,
            seen_set,
            condstore: style.condstore,
            missing: false,
            failed: None,
        });
        self.fetch_more(m).await;
    }

    /// Goes on with the FETCH in progress until the machine's output is
    /// full or the FETCH is complete.
    pub(super) async fn fetch_more(&mut self, m: &mut Server) {
        loop {
            let (Some(job), Some(sel)) = (&mut self.fetch, &mut self.selected) else {
                self.fetch = None;
                return;
            };
            if let Some(current) = &mut job.current {
                if let Some(body) = &mut current.body {
                    while !body.is_empty() {
                        match m.body_demand() {
                            Some(BodyDemand::More) => {
                                let chunk = body.split_to(body.len().min(BODY_CHUNK));
                                if let Err(e) = m.body_chunk(chunk) {
                                    warn!(error = %e, "the IMAP machine refused a body chunk");
                                    current.body = None;
                                    self.fetch = None;
                                    return;
                                }
                            }
                            // The client has not read what it has: wait.
                            Some(BodyDemand::Full) => return,
                            None => break,
                        }
                    }
                    current.body = None;
                }
                match current.answers.next() {
                    Some(Answer::Item(item)) => log_refusal(m.fetch_items(&job.tag, &[item])),
                    Some(Answer::Body(item, data)) => {
                        self.stats.body_octets += data.len() as u64;
                        log_refusal(m.fetch_body(&job.tag, &item, data.len() as u64));
                        current.body = Some(data);
                    }
                    None => {
                        log_refusal(m.fetch_end(&job.tag));
                        job.current = None;
                    }
                }
                continue;
            }
            if m.backlog() >= 64 * 1024 {
                // Let the connection take what is written first.
                return;
            }
            if job.failed.is_some() || job.next >= job.targets.len() {
                let Some(job) = self.fetch.take() else {
                    return;
                };
                let c = match job.failed {
                    Some(c) => c,
                    None if job.missing => {
                        Completion::no("Some of the requested messages no longer exist.")
                            .with_code(Code::ExpungeIssued)
                    }
                    None => Completion::ok(format!("{} completed", job.name)),
                };
                return self.finish(m, &job.tag, c).await;
            }
            let uid = job.targets[job.next];
            job.next += 1;
            let Some(index) = sel.view.index_of(uid) else {
                continue;
            };
            let meta = sel.view.messages[index].clone();
            let raw = if job.plan.needs_bytes {
                match sel.mailbox.read(uid).await {
                    Ok(raw) => Some(raw),
                    Err(StoreError::NoSuchMessage) => {
                        job.missing = true;
                        continue;
                    }
                    Err(e) => {
                        job.failed = Some(store_failure(&e));
                        continue;
                    }
                }
            } else {
                None
            };
            let fetched = match engine::fetch(&job.attrs, &meta, raw.as_ref(), job.options) {
                Ok(f) => f,
                Err(FetchError::UnknownCte) => {
                    job.failed = Some(
                        Completion::no("Unknown Content-Transfer-Encoding.")
                            .with_code(Code::UnknownCte),
                    );
                    continue;
                }
                Err(e) => {
                    job.failed = Some(Completion::no(format!("Cannot fetch the message: {e}.")));
                    continue;
                }
            };
            let mut answers = fetched.answers;
            if job.seen_set.binary_search(&uid).is_ok() {
                // RFC 9051 §6.4.5: the flags the FETCH changed go with it.
                if !job.attrs.contains(&FetchAttr::Flags) {
                    let flags = convert::wire_flags(&meta.flags, job.options.recent && meta.recent);
                    answers.push(Answer::Item(FetchItem::Flags(flags)));
                }
                if job.condstore && !job.attrs.contains(&FetchAttr::Uid) {
                    answers.push(Answer::Item(FetchItem::Uid(uid.get())));
                }
                if job.condstore && !job.attrs.contains(&FetchAttr::ModSeq) {
                    answers.push(Answer::Item(FetchItem::ModSeq(meta.modseq.get())));
                }
            }
            if answers.is_empty() {
                continue;
            }
            self.stats.fetched += 1;
            log_refusal(m.fetch_begin(&job.tag, index as u32 + 1));
            job.current = Some(Current {
                answers: answers.into_iter(),
                body: None,
            });
        }
    }
}

/// The indexes a FETCH, STORE, COPY or MOVE set names: message numbers, or
/// UIDs, or `$` (the saved UIDs, RFC 5182).
pub(super) fn resolve(
    set: &SequenceSet,
    uid: bool,
    messages: &[mailbox_traits::MessageMeta],
    saved: &[Uid],
) -> Result<Vec<usize>, InvalidSet> {
    match set {
        SequenceSet::Saved => Ok(sets::of_uids(saved, messages)),
        _ if uid => Ok(sets::by_uid(set, messages)),
        _ => sets::by_number(set, messages.len()),
    }
}
