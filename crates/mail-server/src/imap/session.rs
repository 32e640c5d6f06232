//! One IMAP connection: the machine's options for it, the events answered,
//! the selected mailbox's change feed, and IDLE.
//!
//! Updates from other sessions (new mail, flag changes, expunges) come in
//! through the store's [change feed](mailbox_traits::Mailbox::watch) of the
//! selected mailbox, which the driver polls while it waits on the socket.
//! They go out to the client, as Dovecot sends them, at the end of each
//! command before its tagged reply, and at once during IDLE; an expunge
//! only where RFC 9051 §7.5.1 allows it (the machine says, with
//! [`Server::updates`]).

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use imap_proto::server::{Completion, Event, LoginFailure, Server, Updates};
use imap_proto::types::{Command, CommandBody, Tag};
use mailbox_traits::{Account, Authenticator, MailStore, Mailbox, UserId};
use tracing::{debug, info, warn};

use super::append::AppendJob;
use super::fetching::FetchJob;
use super::select::Selected;
use super::view::Style;
use crate::connection::Connection;
use crate::driver::{self, End, Handler, Step};
use crate::server::Shared;

/// The account type of a store.
pub(super) type AccountOf<S> = <S as MailStore>::Account;
/// The mailbox type of a store.
pub(super) type MailboxOf<S> = <AccountOf<S> as Account>::Mailbox;

driver::machine_by_bytes!(Server, Event);

/// The driver's entry point for one accepted connection.
pub(crate) fn serve<S: MailStore, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    conn: Connection,
) -> BoxFuture<'static, ()> {
    Box::pin(run(shared, conn))
}

async fn run<S: MailStore, A: Authenticator>(shared: Arc<Shared<S, A>>, mut conn: Connection) {
    let mut options = shared.settings.imap.clone();
    options.implicit_tls = conn.is_tls();
    options.starttls &= shared.tls.is_some() && !conn.is_tls();
    // LOGINDISABLED before TLS, but from loopback (Dovecot's rule).
    options.allow_plaintext_without_tls = shared
        .settings
        .plaintext_auth
        .allows_without_tls(conn.peer().ip());
    let mut machine = Server::new(options, Instant::now());
    let limits = shared.driver_limits();
    let tls = shared.tls.clone();
    debug!(local = %conn.local(), tls = conn.is_tls(), "connected");
    let mut session = Session::new(shared);
    let end = driver::drive(&mut conn, &mut machine, &mut session, tls.as_ref(), &limits).await;
    let how = End::describe(&end);
    // One line per session, as Dovecot's "Logged out in=.. out=.. deleted=..".
    let s = &session.stats;
    match &session.user {
        Some(user) => info!(
            %user, end = %how, commands = s.commands, fetched = s.fetched,
            body_octets = s.body_octets, appended = s.appended, expunged = s.expunged,
            "session ended"
        ),
        None => debug!(end = %how, "session ended before login"),
    }
}

/// What a session did, for its last log line.
#[derive(Debug, Default)]
pub(super) struct Stats {
    pub(super) commands: u64,
    pub(super) fetched: u64,
    pub(super) body_octets: u64,
    pub(super) appended: u64,
    pub(super) expunged: u64,
}

/// One IMAP session over the store.
pub(super) struct Session<S: MailStore, A> {
    pub(super) shared: Arc<Shared<S, A>>,
    /// Who logged in.
    pub(super) user: Option<UserId>,
    /// Their account, after login.
    pub(super) account: Option<AccountOf<S>>,
    /// The selected mailbox.
    pub(super) selected: Option<Selected<MailboxOf<S>>>,
    /// A FETCH being answered a part at a time.
    pub(super) fetch: Option<FetchJob>,
    /// An APPEND being received.
    pub(super) append: Option<AppendJob<MailboxOf<S>>>,
    /// IDLE is on: updates go out as they come.
    pub(super) idle: bool,
    pub(super) stats: Stats,
}

impl<S: MailStore, A: Authenticator> Handler<Server> for Session<S, A> {
    async fn on_event(&mut self, m: &mut Server, event: Event) -> Step {
        match event {
            Event::CommandReceived { command } => {
                self.stats.commands += 1;
                self.command(m, command).await;
            }
            Event::LoginRequested { credentials, .. } => self.login(m, credentials).await,
            Event::SaslStarted { .. } | Event::SaslResponseReceived { .. } => {
                // Only PLAIN is offered, and the machine decodes it itself.
                log_refusal(m.login_failed(LoginFailure::InvalidCredentials));
            }
            Event::AppendRequested {
                tag,
                mailbox,
                message,
            } => self.append_requested(m, tag, &mailbox, message).await,
            Event::AppendChunk { data, .. } => self.append_chunk(&data),
            Event::AppendMessageEnded { .. } => self.append_message_ended().await,
            Event::AppendReceived { tag, messages } => {
                self.stats.commands += 1;
                self.append_received(m, &tag, messages).await;
            }
            Event::AppendAborted { .. } => self.append_aborted().await,
            Event::TlsRequested => {
                debug!("STARTTLS: starting TLS");
                return Step::StartTls;
            }
            Event::CompressionStarted { input } => {
                debug!("COMPRESS=DEFLATE: compressing");
                return Step::StartDeflate(input);
            }
            Event::IdleStarted { .. } => {
                self.idle = true;
                if let Some(sel) = &mut self.selected {
                    sel.catch_up().await;
                }
                self.sync(m).await;
            }
            Event::IdleEnded { .. } => self.idle = false,
            // Kept updates: during IDLE they go now; otherwise at the end
            // of the command in progress.
            Event::UpdatesAllowed { updates } if self.idle && updates > Updates::None => {
                self.sync(m).await;
            }
            Event::Enabled { capabilities } => {
                debug!(?capabilities, "enabled");
            }
            Event::CommandRejected { tag, reply } => {
                debug!(tag = ?tag.as_ref().map(Tag::as_str), %reply, "command rejected");
            }
            Event::Closed { reason } => debug!(?reason, "IMAP session closed"),
            _ => {}
        }
        Step::Continue
    }

    fn busy(&self) -> bool {
        self.fetch.is_some()
    }

    async fn resume(&mut self, m: &mut Server) -> Step {
        if let Some(sel) = &mut self.selected {
            sel.absorb();
        }
        if self.fetch.is_some() {
            self.fetch_more(m).await;
        } else if self.idle || self.selected.as_ref().is_some_and(|sel| sel.gone) {
            self.sync(m).await;
        }
        Step::Continue
    }

    fn poll_wake(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        match &mut self.selected {
            Some(sel) => sel.poll_feed(cx),
            None => Poll::Pending,
        }
    }
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    fn new(shared: Arc<Shared<S, A>>) -> Self {
        Self {
            shared,
            user: None,
            account: None,
            selected: None,
            fetch: None,
            append: None,
            idle: false,
            stats: Stats::default(),
        }
    }

    /// Answers a command the machine handed over.
    async fn command(&mut self, m: &mut Server, command: Command<'static>) {
        let Command { tag, body } = command;
        let name = body.name();
        if self.selected.is_some()
            && !matches!(
                body,
                CommandBody::Select { .. }
                    | CommandBody::Examine { .. }
                    | CommandBody::Close
                    | CommandBody::Unselect
            )
        {
            // As Dovecot, the view catches up with the store before each
            // command: messages another session added are announced, so
            // the command (a UID FETCH of a UID learnt elsewhere) sees them.
            if !self.sync(m).await {
                return;
            }
        }
        match body {
            CommandBody::Noop | CommandBody::Check => {
                if let Some(sel) = &mut self.selected {
                    sel.catch_up().await;
                }
                if self.sync(m).await {
                    log_refusal(m.ok(&tag));
                }
            }
            CommandBody::Id(params) => self.id(m, &tag, params.as_deref()),
            CommandBody::Namespace => self.namespace(m, &tag),
            CommandBody::Select { mailbox, params } => {
                self.select(m, &tag, &mailbox, &params, false).await;
            }
            CommandBody::Examine { mailbox, params } => {
                self.select(m, &tag, &mailbox, &params, true).await;
            }
            CommandBody::Close => self.close(m, &tag, true).await,
            CommandBody::Unselect => self.close(m, &tag, false).await,
            CommandBody::Create {
                mailbox,
                special_use,
            } => self.create(m, &tag, &mailbox, special_use.as_deref()).await,
            CommandBody::Delete(mailbox) => self.delete(m, &tag, &mailbox).await,
            CommandBody::Rename { from, to } => self.rename(m, &tag, &from, &to).await,
            CommandBody::Subscribe(mailbox) => self.subscribe(m, &tag, &mailbox, true).await,
            CommandBody::Unsubscribe(mailbox) => self.subscribe(m, &tag, &mailbox, false).await,
            CommandBody::Status { mailbox, attrs } => self.status(m, &tag, &mailbox, &attrs).await,
            CommandBody::List {
                selection,
                reference,
                patterns,
                returns,
            } => {
                let request = super::list::Request {
                    selection: selection.as_deref(),
                    reference: &reference,
                    patterns: &patterns,
                    returns: returns.as_deref(),
                    lsub: false,
                };
                self.list(m, &tag, request).await;
            }
            CommandBody::Lsub { reference, pattern } => {
                let patterns = imap_proto::types::ListPatterns::Single(pattern);
                let request = super::list::Request {
                    selection: None,
                    reference: &reference,
                    patterns: &patterns,
                    returns: None,
                    lsub: true,
                };
                self.list(m, &tag, request).await;
            }
            CommandBody::Fetch {
                uid,
                set,
                attrs,
                modifiers,
            } => self.fetch(m, tag, uid, &set, &attrs, &modifiers).await,
            CommandBody::Search {
                uid,
                returns,
                charset,
                criteria,
            } => {
                let request = super::searching::Request {
                    uid,
                    returns: returns.as_deref(),
                    charset: charset.as_ref(),
                    criteria: &criteria,
                };
                self.search(m, &tag, request).await;
            }
            CommandBody::Store {
                uid,
                set,
                unchanged_since,
                kind,
                silent,
                flags,
            } => {
                let request = super::flags::Request {
                    uid,
                    set: &set,
                    unchanged_since,
                    kind,
                    silent,
                    flags: &flags,
                };
                self.store(m, &tag, request).await;
            }
            CommandBody::Copy { uid, set, mailbox } => {
                self.copy(m, &tag, uid, &set, &mailbox, false).await;
            }
            CommandBody::Move { uid, set, mailbox } => {
                self.copy(m, &tag, uid, &set, &mailbox, true).await;
            }
            CommandBody::Expunge => self.expunge(m, &tag, None).await,
            CommandBody::UidExpunge(set) => self.expunge(m, &tag, Some(&set)).await,
            _ => {
                // Dovecot's answer to a command it does not implement
                // (GETQUOTA and the rest of RFC 9208 without a quota).
                let text = format!("Error in IMAP command {name}: Unknown command.");
                log_refusal(m.complete(&tag, Completion::bad(text)));
            }
        }
    }

    /// How updates are written now.
    pub(super) fn style(&self, m: &Server) -> Style {
        let enabled = m.enabled();
        Style {
            rev1: !m.mode().rev2(),
            condstore: enabled.condstore,
            qresync: enabled.qresync && m.mailbox().is_none_or(|mb| mb.has_mod_sequences()),
        }
    }

    /// Sends the selected mailbox's pending updates, as far as the machine
    /// allows now. If the mailbox was deleted under the session, ends it
    /// with Dovecot's `* BYE Selected mailbox was deleted, have to
    /// disconnect.` (RFC 2180 §3.3: a client cannot be told any other way)
    /// and returns `false`.
    pub(super) async fn sync(&mut self, m: &mut Server) -> bool {
        let style = self.style(m);
        let Some(sel) = &mut self.selected else {
            return true;
        };
        sel.absorb();
        if sel.gone {
            info!(mailbox = %sel.name, "the selected mailbox was deleted: disconnecting");
            self.selected = None;
            m.bye("Selected mailbox was deleted, have to disconnect.");
            return false;
        }
        if sel.view.lagged {
            match sel.mailbox.snapshot(mailbox_traits::Access::ReadOnly).await {
                Ok(snapshot) => sel.view.resync(snapshot),
                Err(e) => warn!(error = %e, "cannot read the selected mailbox again"),
            }
        }
        loop {
            let level = m.updates();
            if level == Updates::None {
                break;
            }
            let Some(update) = sel.view.next_update(level == Updates::All, style) else {
                break;
            };
            // Refused (the client is not reading): kept for UpdatesAllowed.
            if m.update(&update.data).is_err() {
                break;
            }
            sel.view.sent(update);
        }
        true
    }

    /// Sends pending updates, then completes `tag`.
    pub(super) async fn finish(&mut self, m: &mut Server, tag: &Tag<'_>, c: Completion<'_>) {
        if self.sync(m).await {
            log_refusal(m.complete(tag, c));
        }
    }
}

/// A decision the machine refused ([`driver::log_refused`]).
pub(super) fn log_refusal(result: Result<(), imap_proto::ServerError>) {
    driver::log_refused("IMAP", result);
}

/// `NO` with Dovecot's text for a store failure, and its response code
/// (RFC 5530).
pub(super) fn store_failure(e: &mailbox_traits::StoreError) -> Completion<'static> {
    use imap_proto::types::Code;
    use mailbox_traits::StoreError as E;
    match e {
        E::NoSuchMailbox => Completion::no("Mailbox doesn't exist.").with_code(Code::NonExistent),
        E::AlreadyExists => {
            Completion::no("Mailbox already exists.").with_code(Code::AlreadyExists)
        }
        E::HasChildren => {
            Completion::no("Mailbox has children, delete them first.").with_code(Code::HasChildren)
        }
        E::NoSuchMessage => Completion::no("Some of the requested messages no longer exist.")
            .with_code(Code::ExpungeIssued),
        E::NotPermitted(why) => {
            Completion::no(format!("Not permitted: {why}.")).with_code(Code::Cannot)
        }
        E::InvalidName(_) => Completion::no("Invalid mailbox name.").with_code(Code::Cannot),
        E::OverQuota => Completion::no("Quota exceeded.").with_code(Code::OverQuota),
        E::Limit(what) => Completion::no(format!("Limit reached: {what}.")).with_code(Code::Limit),
        E::Unsupported => Completion::no("Not supported by this server.").with_code(Code::Cannot),
        _ => {
            // Dovecot's text for an internal error, its details in the log.
            warn!(error = %e, "store failure");
            Completion::no("Internal error occurred. Refer to server log for more information.")
                .with_code(Code::ServerBug)
        }
    }
}
