//! The commands a client issues, and the queue that sends them as the
//! pipelining rules of RFC 9051 §5.5 and the literal flow of §4.3 allow.

use std::collections::VecDeque;

use bytes::BytesMut;

use crate::types::{
    AString, Atom, AuthenticateData, Command, CommandBody, IntoStatic, Literal, Mailbox, SearchKey,
    Secret, Tag,
};
use crate::validity::Validity;
use crate::{ClientError, LiteralPolicy, encode};

use super::{CancelReason, Client, Event, Expect, Idling, InFlight, Queued, State};

impl Client {
    /// Issues any command; returns the tag its [`Event::Completed`] will
    /// carry. STARTTLS, AUTHENTICATE, IDLE and COMPRESS behave as their own
    /// methods do ([`starttls`](Self::starttls), [`authenticate`](Self::authenticate),
    /// [`idle`](Self::idle), [`compress`](Self::compress)).
    ///
    /// Fails if the session cannot take the command (after every command
    /// already issued succeeds), or it cannot be encoded in the session's
    /// mode.
    pub fn command(&mut self, body: CommandBody<'_>) -> Result<Tag<'static>, ClientError> {
        match body {
            CommandBody::StartTls => self.starttls(),
            CommandBody::Idle => self.idle(),
            CommandBody::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(
                mechanism.as_str(),
                initial_response.as_ref().map(|r| r.expose().as_slice()),
            ),
            CommandBody::Compress(algorithm) => {
                if !algorithm.is("DEFLATE") {
                    return Err(ClientError::InvalidArgument);
                }
                self.compress()
            }
            body => {
                let expect = match &body {
                    CommandBody::Login { .. } => Expect::Login,
                    CommandBody::Select { .. } | CommandBody::Examine { .. } => Expect::Select,
                    CommandBody::Close | CommandBody::Unselect => Expect::Close,
                    CommandBody::Logout => Expect::Logout,
                    _ => Expect::Plain,
                };
                self.issue(body, expect)
            }
        }
    }

    /// `CAPABILITY` (RFC 9051 §6.1.1).
    pub fn capability(&mut self) -> Result<Tag<'static>, ClientError> {
        self.issue(CommandBody::Capability, Expect::Plain)
    }

    /// `NOOP` (§6.1.2): the server's chance to send mailbox updates.
    pub fn noop(&mut self) -> Result<Tag<'static>, ClientError> {
        self.issue(CommandBody::Noop, Expect::Plain)
    }

    /// `LOGOUT` (§6.1.3): its completion closes the session.
    pub fn logout(&mut self) -> Result<Tag<'static>, ClientError> {
        self.issue(CommandBody::Logout, Expect::Logout)
    }

    /// `STARTTLS` (§6.2.1): answered by [`Event::TlsRequested`]; nothing is
    /// sent after it until [`tls_started`](Self::tls_started).
    pub fn starttls(&mut self) -> Result<Tag<'static>, ClientError> {
        if self.tls || self.pending_expect(|e| matches!(e, Expect::StartTls)) {
            return Err(ClientError::TlsActive);
        }
        self.issue(CommandBody::StartTls, Expect::StartTls)
    }

    /// `LOGIN user password` (§6.2.3), strings written in the shortest form
    /// the mode allows (a literal where they must).
    ///
    /// Fails with [`ClientError::LoginDisabled`] while the server advertises
    /// LOGINDISABLED, unless a STARTTLS is on its way: the LOGIN then waits
    /// for the capabilities over TLS, and is cancelled
    /// ([`Event::CommandCancelled`]) if the server still says
    /// LOGINDISABLED or STARTTLS fails.
    pub fn login(&mut self, user: &str, password: &[u8]) -> Result<Tag<'static>, ClientError> {
        let mode = self.codec.mode;
        let body = CommandBody::Login {
            username: AString::from_bytes(user.as_bytes(), mode),
            password: Secret::new(AString::from_bytes(password, mode)),
        };
        self.issue(body, Expect::Login)
    }

    /// `AUTHENTICATE PLAIN` (RFC 4616) with these credentials: the response
    /// goes on the command line when the server offers SASL-IR (RFC 4959) or
    /// IMAP4rev2, after its empty challenge otherwise.
    pub fn authenticate_plain(
        &mut self,
        authzid: Option<&str>,
        authcid: &str,
        password: &[u8],
    ) -> Result<Tag<'static>, ClientError> {
        let authzid = authzid.unwrap_or("");
        if authcid.is_empty() || password.is_empty() {
            return Err(ClientError::InvalidArgument);
        }
        if authzid.contains('\0') || authcid.contains('\0') || password.contains(&0) {
            return Err(ClientError::InvalidArgument);
        }
        let mut message = Vec::with_capacity(authzid.len() + authcid.len() + password.len() + 2);
        message.extend_from_slice(authzid.as_bytes());
        message.push(0);
        message.extend_from_slice(authcid.as_bytes());
        message.push(0);
        message.extend_from_slice(password);
        let body = CommandBody::Authenticate {
            mechanism: Atom::from_static("PLAIN"),
            initial_response: None,
        };
        self.issue(
            body,
            Expect::AuthPlain {
                response: Some(Secret::new(message)),
            },
        )
    }

    /// `AUTHENTICATE mechanism [initial-response]` (§6.2.2) run by the
    /// application: each challenge comes as [`Event::ChallengeReceived`],
    /// answered with [`sasl_respond`](Self::sasl_respond). `PLAIN` is better
    /// left to [`authenticate_plain`](Self::authenticate_plain).
    pub fn authenticate(
        &mut self,
        mechanism: &str,
        initial_response: Option<&[u8]>,
    ) -> Result<Tag<'static>, ClientError> {
        let mechanism =
            Atom::new(mechanism.to_owned()).map_err(|_| ClientError::InvalidArgument)?;
        let body = CommandBody::Authenticate {
            mechanism,
            initial_response: initial_response.map(|r| Secret::new(r.to_vec())),
        };
        self.issue(body, Expect::Sasl)
    }

    /// Answers the challenge of [`Event::ChallengeReceived`].
    pub fn sasl_respond(&mut self, response: &[u8]) -> Result<(), ClientError> {
        self.sasl_line(AuthenticateData::Response(Secret::new(response.to_vec())))
    }

    /// Cancels the exchange at a challenge (`*`, RFC 9051 §6.2.2); the server
    /// answers `BAD`.
    pub fn sasl_cancel(&mut self) -> Result<(), ClientError> {
        self.sasl_line(AuthenticateData::Cancel)
    }

    fn sasl_line(&mut self, data: AuthenticateData) -> Result<(), ClientError> {
        if !self.challenged {
            return Err(ClientError::NoChallenge);
        }
        self.challenged = false;
        encode::authenticate_data(&data, &mut self.out);
        Ok(())
    }

    /// `ENABLE cap...` (RFC 5161, §6.3.1); the grammar switches when the
    /// server's `* ENABLED` names UTF8=ACCEPT or IMAP4rev2.
    pub fn enable(&mut self, capabilities: &[&str]) -> Result<Tag<'static>, ClientError> {
        let caps = capabilities
            .iter()
            .map(|c| Atom::new((*c).to_owned()).map_err(|_| ClientError::InvalidArgument))
            .collect::<Result<Vec<_>, _>>()?;
        self.issue(CommandBody::Enable(caps), Expect::Plain)
    }

    /// `SELECT mailbox` (§6.3.2).
    pub fn select(&mut self, mailbox: Mailbox<'_>) -> Result<Tag<'static>, ClientError> {
        let body = CommandBody::Select {
            mailbox,
            params: vec![],
        };
        self.issue(body, Expect::Select)
    }

    /// `EXAMINE mailbox` (§6.3.3).
    pub fn examine(&mut self, mailbox: Mailbox<'_>) -> Result<Tag<'static>, ClientError> {
        let body = CommandBody::Examine {
            mailbox,
            params: vec![],
        };
        self.issue(body, Expect::Select)
    }

    /// `APPEND mailbox (flags) {n}` (§6.3.12) of one message: a
    /// synchronizing literal waits for the server's `+` unless LITERAL+ is
    /// offered.
    pub fn append(
        &mut self,
        mailbox: Mailbox<'_>,
        flags: Option<Vec<crate::types::Flag<'_>>>,
        message: bytes::Bytes,
    ) -> Result<Tag<'static>, ClientError> {
        let data = match Literal::new(message.clone()) {
            Ok(l) => l,
            Err(_) => Literal::binary(message),
        };
        let body = CommandBody::Append {
            mailbox,
            messages: vec![crate::types::AppendMessage {
                flags,
                date: None,
                data,
                utf8: false,
            }],
        };
        self.issue(body, Expect::Plain)
    }

    /// `IDLE` (RFC 2177, §6.3.13): [`Event::IdleStarted`] once the server
    /// accepts it, then updates as they happen until
    /// [`idle_done`](Self::idle_done). Every [`Options::idle_refresh`] the
    /// client ends it and starts another by itself.
    ///
    /// [`Options::idle_refresh`]: super::Options::idle_refresh
    pub fn idle(&mut self) -> Result<Tag<'static>, ClientError> {
        if self.idle.is_some() {
            return Err(ClientError::Idling);
        }
        let tag = self.issue(CommandBody::Idle, Expect::Idle)?;
        self.idle = Some(Idling {
            tag: tag.clone(),
            started: false,
            done: false,
            renew: false,
            refresh_at: None,
        });
        Ok(tag)
    }

    /// Ends IDLE with `DONE` (sent as soon as the server has accepted IDLE);
    /// its [`Event::Completed`] follows.
    pub fn idle_done(&mut self) -> Result<(), ClientError> {
        let Some(idle) = self.idle.as_mut() else {
            return Err(ClientError::NotIdling);
        };
        if idle.done {
            return Ok(());
        }
        idle.done = true;
        idle.renew = false;
        if idle.started {
            encode::idle_done(&mut self.out);
        }
        Ok(())
    }

    /// `COMPRESS DEFLATE` (RFC 4978): answered by
    /// [`Event::CompressionStarted`]; nothing is sent after it until
    /// [`compression_started`](Self::compression_started).
    pub fn compress(&mut self) -> Result<Tag<'static>, ClientError> {
        if self.compressing || self.pending_expect(|e| matches!(e, Expect::Compress)) {
            return Err(ClientError::CompressionActive);
        }
        self.issue(
            CommandBody::Compress(Atom::from_static("DEFLATE")),
            Expect::Compress,
        )
    }

    /// The IDLE refresh timer.
    pub(super) fn idle_timer(&mut self, now: std::time::Instant) {
        let Some(idle) = self.idle.as_mut() else {
            return;
        };
        if !idle.started || idle.done {
            return;
        }
        match idle.refresh_at {
            None => idle.refresh_at = Some(now + self.options.idle_refresh),
            Some(at) if now >= at => {
                idle.done = true;
                idle.renew = true;
                encode::idle_done(&mut self.out);
                // Its completion is awaited from now.
                self.active = true;
            }
            Some(_) => {}
        }
    }

    /// Whether a queued or in-flight command expects `f`.
    fn pending_expect(&self, f: impl Fn(&Expect) -> bool) -> bool {
        self.queued.iter().any(|c| f(&c.expect)) || self.in_flight.iter().any(|c| f(&c.expect))
    }

    /// Checks the command against the state the session will be in once
    /// every command before it succeeds, and queues it.
    pub(super) fn issue(
        &mut self,
        body: CommandBody<'_>,
        expect: Expect,
    ) -> Result<Tag<'static>, ClientError> {
        if self.state == State::Logout || self.pending_expect(|e| matches!(e, Expect::Logout)) {
            return Err(ClientError::Closed);
        }
        let logged = matches!(self.state, State::Authenticated | State::Selected)
            || self.pending_expect(Expect::is_login);
        let selected =
            self.state == State::Selected || self.pending_expect(|e| matches!(e, Expect::Select));
        let ok = match Validity::of(body.name()) {
            Validity::Any | Validity::Unknown => true,
            Validity::NotAuthenticated => !logged,
            Validity::Authenticated => logged,
            Validity::AuthenticatedOnly => logged && !selected,
            Validity::Selected => selected,
        };
        if !ok {
            return Err(ClientError::WrongState(self.state));
        }
        // RFC 9051 §6.2.3; a STARTTLS on its way will bring new capabilities.
        if matches!(body, CommandBody::Login { .. })
            && self.has_capability("LOGINDISABLED")
            && !self.pending_expect(|e| matches!(e, Expect::StartTls))
        {
            return Err(ClientError::LoginDisabled);
        }
        // Refuse now what cannot be encoded, rather than after it is queued;
        // a message to append is checked without its octets.
        let mut check = body.clone();
        if let CommandBody::Append { messages, .. } = &mut check {
            for m in messages {
                m.data = Literal::binary(bytes::Bytes::new());
            }
        }
        encode::command(
            &Command::new(Tag::number(0), check),
            &mut BytesMut::new(),
            &self.codec,
        )?;
        let tag = (self.tags)();
        self.queued.push_back(Queued {
            tag: tag.clone(),
            body: body.into_static(),
            expect,
            internal: false,
        });
        self.active = true;
        self.flush();
        Ok(tag)
    }

    /// Sends queued commands as far as the rules allow.
    pub(super) fn flush(&mut self) {
        if matches!(self.state, State::Greeting | State::Logout) || self.paused.is_some() {
            return;
        }
        while let Some(next) = self.queued.front() {
            if !self.may_send(&next.body) {
                break;
            }
            let Some(q) = self.queued.pop_front() else {
                break;
            };
            self.send(q);
        }
    }

    /// RFC 9051 §5.5: nothing after a command whose continuation is awaited
    /// or that is a barrier; a command with sequence numbers waits for every
    /// command before it that is not a FETCH, STORE or SEARCH. While the
    /// client asks for capabilities it does not know, commands wait for them:
    /// how literals and AUTHENTICATE are written depends on them.
    fn may_send(&self, body: &CommandBody<'_>) -> bool {
        if self
            .in_flight
            .iter()
            .any(|c| c.rest.is_some() || c.expect.is_barrier())
        {
            return false;
        }
        if self.capabilities.is_none() && self.in_flight.iter().any(|c| c.internal) {
            return false;
        }
        !uses_seqs(body) || self.in_flight.iter().all(|c| c.safe_before_seqs)
    }

    fn send(&mut self, q: Queued) {
        let Queued {
            tag,
            mut body,
            mut expect,
            internal,
        } = q;
        if matches!(body, CommandBody::Login { .. }) && self.has_capability("LOGINDISABLED") {
            return self.cancel(tag, expect, CancelReason::LoginDisabled);
        }
        self.codec.literals = self.literal_policy();
        if let Expect::AuthPlain { response } = &mut expect
            && self.options.sasl_ir
            && (self.has_capability("SASL-IR") || self.has_capability("IMAP4rev2"))
            && let CommandBody::Authenticate {
                initial_response, ..
            } = &mut body
        {
            *initial_response = response.take();
        }
        let safe_before_seqs = matches!(
            body,
            CommandBody::Fetch { uid: false, .. }
                | CommandBody::Store { uid: false, .. }
                | CommandBody::Search { uid: false, .. }
        );
        let mut buf = BytesMut::new();
        let waits = match encode::command(&Command::new(tag.clone(), body), &mut buf, &self.codec) {
            Ok(waits) => waits,
            // The mode changed since it was issued.
            Err(_) => return self.cancel(tag, expect, CancelReason::Unencodable),
        };
        let mut waits: VecDeque<usize> = waits.literal_waits().iter().copied().collect();
        let rest = match waits.pop_front() {
            None => {
                self.send_bytes(buf);
                None
            }
            Some(at) => {
                let rest = buf.split_off(at);
                self.send_bytes(buf);
                let waits = waits.into_iter().map(|w| w - at).collect();
                Some((rest, waits))
            }
        };
        self.in_flight.push_back(InFlight {
            tag,
            safe_before_seqs,
            expect,
            internal,
            rest,
        });
    }

    /// A command that will not be sent: the application hears why.
    pub(super) fn cancel(&mut self, tag: Tag<'static>, expect: Expect, reason: CancelReason) {
        if matches!(expect, Expect::Idle) {
            self.idle = None;
        }
        self.events
            .push_back(Event::CommandCancelled { tag, reason });
    }

    /// Queues encoded octets for `poll_transmit`, without a copy when nothing
    /// else is waiting.
    pub(super) fn send_bytes(&mut self, bytes: BytesMut) {
        if self.out.is_empty() {
            self.out = bytes;
        } else {
            self.out.extend_from_slice(&bytes);
        }
    }

    /// How literals go, from what the server offers (RFC 7888; IMAP4rev2
    /// includes LITERAL-).
    fn literal_policy(&self) -> LiteralPolicy {
        if !self.options.literal_plus {
            LiteralPolicy::AsGiven
        } else if self.has_capability("LITERAL+") {
            LiteralPolicy::LiteralPlus
        } else if self.has_capability("LITERAL-") || self.has_capability("IMAP4rev2") {
            LiteralPolicy::LiteralMinus
        } else {
            LiteralPolicy::AsGiven
        }
    }
}

/// Whether a command carries or returns message sequence numbers: the
/// commands without `UID`, and a `UID SEARCH` with a sequence-set key (RFC
/// 9051 §5.5: "a command that uses message sequence numbers (this may
/// include UID SEARCH)").
fn uses_seqs(body: &CommandBody<'_>) -> bool {
    match body {
        CommandBody::Fetch { uid: false, .. }
        | CommandBody::Store { uid: false, .. }
        | CommandBody::Search { uid: false, .. }
        | CommandBody::Copy { uid: false, .. }
        | CommandBody::Move { uid: false, .. } => true,
        CommandBody::Search {
            uid: true,
            criteria,
            ..
        } => SearchKey::any_in(criteria, |k| matches!(k, SearchKey::SequenceSet(_))),
        _ => false,
    }
}
