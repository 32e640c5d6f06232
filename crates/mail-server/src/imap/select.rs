//! SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501's responses in
//! IMAP4rev1; RFC 7162 CONDSTORE and QRESYNC), UNSELECT (RFC 3691) and
//! CLOSE (RFC 9051 §6.4.1), and the selected mailbox's change feed.

use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::{FutureExt, StreamExt};
use imap_proto::server::{Completion, Server};
use imap_proto::types::{
    Code, Data, FetchItem, Flag as WireFlag, IntoStatic, ListItem, Mailbox as WireName, RespText,
    SelectParam, SequenceSet, StatusKind, Tag, Text,
};
use mailbox_traits::{
    Access, Authenticator, ChangeStream, Keyword, MailStore, Mailbox, MailboxName, Snapshot, Uid,
};
use tracing::{debug, warn};

use super::convert;
use super::session::{Session, log_refusal, store_failure};
use super::sets;
use super::view::{View, flags_items};

/// How many changes one wake takes from the feed before the driver gets
/// the socket back.
const FEED_BATCH: usize = 64;

/// The selected mailbox.
pub(super) struct Selected<M> {
    pub(super) name: MailboxName,
    pub(super) mailbox: M,
    /// Opened by EXAMINE.
    pub(super) read_only: bool,
    pub(super) view: View,
    /// The store's change feed; `None` once it ended or could not be had.
    feed: Option<Feed>,
    /// The feed ended: the store says the mailbox was deleted (or renamed
    /// away) under the session.
    pub(super) gone: bool,
    /// What `$` stands for (RFC 5182): the UIDs the last SEARCH saved.
    pub(super) saved: Vec<Uid>,
}

/// The change feed, behind a mutex so the session stays `Sync` (its
/// futures are held across awaits); only ever reached through `&mut`.
struct Feed(Mutex<ChangeStream>);

impl Feed {
    fn stream(&mut self) -> &mut ChangeStream {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<M: Mailbox> Selected<M> {
    /// Takes in what the feed has now, without waiting.
    pub(super) fn absorb(&mut self) {
        let Some(feed) = &mut self.feed else {
            return;
        };
        loop {
            // Out of tokio's cooperative budget: a change already sent is
            // ready now, however busy the task has been.
            match tokio::task::unconstrained(feed.stream().next()).now_or_never() {
                Some(Some(change)) => self.view.apply(change),
                Some(None) => {
                    debug!(mailbox = %self.name, "change feed ended: the mailbox is gone");
                    self.feed = None;
                    self.gone = true;
                    return;
                }
                None => return,
            }
        }
    }

    /// Takes in every change made before now: what the feed has, and if
    /// the store is further on than the feed says (the feed is busy
    /// looking at the disk), a fresh snapshot. For NOOP, CHECK and IDLE,
    /// which promise the client the mailbox as it is.
    pub(super) async fn catch_up(&mut self) {
        self.absorb();
        if let Ok(status) = self.mailbox.status().await
            && status.highest_modseq > self.view.highest_modseq
        {
            self.absorb();
            if status.highest_modseq > self.view.highest_modseq {
                self.view.lagged = true;
            }
        }
    }

    /// Takes in what the feed has; ready if anything came.
    pub(super) fn poll_feed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(feed) = &mut self.feed else {
            return Poll::Pending;
        };
        let mut got = false;
        for _ in 0..FEED_BATCH {
            match feed.stream().poll_next_unpin(cx) {
                Poll::Ready(Some(change)) => {
                    self.view.apply(change);
                    got = true;
                }
                Poll::Ready(None) => {
                    debug!(mailbox = %self.name, "change feed ended: the mailbox is gone");
                    self.feed = None;
                    self.gone = true;
                    return Poll::Ready(());
                }
                Poll::Pending => break,
            }
        }
        if got { Poll::Ready(()) } else { Poll::Pending }
    }
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// SELECT or EXAMINE.
    pub(super) async fn select(
        &mut self,
        m: &mut Server,
        tag: &Tag<'_>,
        wire: &WireName<'_>,
        params: &[SelectParam],
        examine: bool,
    ) {
        // The machine has closed the mailbox selected before, whatever
        // comes of this one (RFC 9051 §6.3.2).
        self.selected = None;
        let qresync = params.iter().find_map(|p| match p {
            SelectParam::QResync {
                uid_validity,
                modseq,
                known_uids,
                ..
            } => Some((*uid_validity, *modseq, known_uids.clone())),
            _ => None,
        });
        if qresync.is_some() && !m.enabled().qresync {
            // RFC 7162 §3.2.3: BAD unless ENABLE QRESYNC came first.
            let c = Completion::bad("QRESYNC isn't enabled.");
            return log_refusal(m.complete(tag, c));
        }
        let mode = m.mode();
        let (Some(account), Some(name)) = (&self.account, convert::store_name(wire, mode)) else {
            return log_refusal(m.complete(tag, no_such_mailbox(wire, mode)));
        };
        let opened = async {
            use mailbox_traits::Account;
            let mailbox = account.open_mailbox(&name).await?;
            // The feed first, then the snapshot: nothing falls between.
            let feed = mailbox.watch().await;
            let access = if examine {
                Access::ReadOnly
            } else {
                Access::ReadWrite
            };
            let snapshot = mailbox.snapshot(access).await?;
            Ok::<_, mailbox_traits::StoreError>((mailbox, feed, snapshot))
        };
        let (mailbox, feed, snapshot) = match opened.await {
            Ok(all) => all,
            Err(mailbox_traits::StoreError::NoSuchMailbox) => {
                return log_refusal(m.complete(tag, no_such_mailbox(wire, mode)));
            }
            Err(e) => return log_refusal(m.complete(tag, store_failure(&e))),
        };
        let feed = match feed {
            Ok(stream) => Some(Feed(Mutex::new(stream))),
            Err(e) => {
                warn!(mailbox = %name, error = %e, "no change feed: updates only on reselect");
                None
            }
        };
        let style = self.style(m);
        for data in select_responses(&snapshot, wire, examine, style.rev1, mode.rev2()) {
            log_refusal(m.data(tag, &data));
        }
        let view = View::new(snapshot);
        if let Some((validity, modseq, known)) = qresync
            && validity == view.uid_validity.get()
        {
            for data in qresync_responses(&view, modseq, known.as_ref(), style) {
                log_refusal(m.data(tag, &data));
            }
        }
        debug!(mailbox = %name, messages = view.messages.len(), examine, "selected");
        self.selected = Some(Selected {
            name,
            mailbox,
            read_only: examine,
            view,
            feed,
            gone: false,
            saved: Vec::new(),
        });
        log_refusal(m.ok(tag));
    }

    /// CLOSE (`expunge`: messages with `\Deleted` go, silently, RFC 9051
    /// §6.4.1) or UNSELECT.
    pub(super) async fn close(&mut self, m: &mut Server, tag: &Tag<'_>, expunge: bool) {
        if let Some(sel) = self.selected.take()
            && expunge
            && !sel.read_only
        {
            let deleted: Vec<Uid> = sel
                .view
                .messages
                .iter()
                .filter(|meta| meta.flags.is_deleted())
                .map(|meta| meta.uid)
                .collect();
            if !deleted.is_empty() {
                match sel.mailbox.expunge(&deleted).await {
                    Ok(done) => self.stats.expunged += done.uids.len() as u64,
                    // The mailbox stays as it was; CLOSE still closes it.
                    Err(e) => warn!(error = %e, "CLOSE: expunge failed"),
                }
            }
        }
        log_refusal(m.ok(tag));
    }
}

/// `NO [NONEXISTENT] Mailbox doesn't exist: NAME` (Dovecot's text).
pub(super) fn no_such_mailbox(wire: &WireName<'_>, mode: imap_proto::Mode) -> Completion<'static> {
    let shown = wire
        .name(mode)
        .map(|n| n.into_owned())
        .unwrap_or_else(|_| String::from_utf8_lossy(wire.as_bytes()).into_owned());
    Completion::no(format!("Mailbox doesn't exist: {shown}")).with_code(Code::NonExistent)
}

/// An untagged `OK [code] text`.
pub(super) fn ok_code(code: Code<'static>, text: &'static str) -> Option<Data<'static>> {
    Some(Data::Status {
        kind: StatusKind::Ok,
        text: RespText {
            code: Some(code),
            text: Text::new(text).ok()?,
        },
    })
}

/// The untagged responses of a SELECT or EXAMINE, in Dovecot's order:
/// FLAGS, PERMANENTFLAGS, EXISTS, RECENT and UNSEEN (IMAP4rev1), UIDVALIDITY,
/// UIDNEXT, HIGHESTMODSEQ, and in IMAP4rev2 the mailbox's LIST (RFC 9051
/// §6.3.2).
fn select_responses(
    snapshot: &Snapshot,
    wire: &WireName<'_>,
    examine: bool,
    rev1: bool,
    rev2: bool,
) -> Vec<Data<'static>> {
    let mut keywords: Vec<Keyword> = Vec::new();
    for meta in &snapshot.messages {
        for k in meta.flags.keywords() {
            if let Err(at) = keywords.binary_search(k) {
                keywords.insert(at, k.clone());
            }
        }
    }
    // Dovecot's order.
    let mut flags = vec![
        WireFlag::Answered,
        WireFlag::Flagged,
        WireFlag::Deleted,
        WireFlag::Seen,
        WireFlag::Draft,
    ];
    flags.extend(keywords.iter().filter_map(convert::keyword));
    let mut out = vec![Data::Flags(flags.clone())];
    if examine {
        out.extend(ok_code(
            Code::PermanentFlags(Vec::new()),
            "Read-only mailbox.",
        ));
    } else {
        let mut permanent = flags;
        permanent.push(WireFlag::Wildcard);
        out.extend(ok_code(Code::PermanentFlags(permanent), "Flags permitted."));
    }
    let status = snapshot.status();
    out.push(Data::Exists(status.messages));
    if rev1 {
        out.push(Data::Recent(status.recent));
        if let Some(first) = snapshot.messages.iter().position(|m| !m.flags.is_seen()) {
            out.extend(ok_code(Code::Unseen(first as u32 + 1), "First unseen."));
        }
    }
    out.extend(ok_code(
        Code::UidValidity(status.uid_validity.get()),
        "UIDs valid",
    ));
    out.extend(ok_code(
        Code::UidNext(status.uid_next.get()),
        "Predicted next UID",
    ));
    out.extend(ok_code(
        Code::HighestModSeq(status.highest_modseq.get()),
        "Highest",
    ));
    if rev2 {
        out.push(Data::List(ListItem {
            attrs: Vec::new(),
            delimiter: Some(MailboxName::DELIMITER),
            mailbox: IntoStatic::into_static(wire.clone()),
            extended: None,
        }));
    }
    out
}

/// QRESYNC's answers (RFC 7162 §3.2.5): `VANISHED (EARLIER)` for the known
/// UIDs that are gone, and a FETCH of every message changed since `modseq`.
fn qresync_responses(
    view: &View,
    modseq: u64,
    known: Option<&SequenceSet>,
    style: super::view::Style,
) -> Vec<Data<'static>> {
    let mut out = Vec::new();
    let max = view.uid_next.get().saturating_sub(1);
    let all = SequenceSet::all();
    let gone = sets::missing(known.unwrap_or(&all), &view.messages, max);
    if let Some(uids) = sets::ranges_set(gone) {
        out.push(Data::Vanished {
            earlier: true,
            uids,
        });
    }
    for (i, meta) in view.messages.iter().enumerate() {
        if meta.modseq.get() > modseq {
            let items: Vec<FetchItem<'static>> = flags_items(meta, style, true);
            out.push(Data::Fetch {
                seq: i as u32 + 1,
                items,
            });
        }
    }
    out
}
