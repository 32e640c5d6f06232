//! The session outside transactions: HELO, EHLO and LHLO (RFC 5321
//! §4.1.1.1, RFC 2033 §4.1), STARTTLS (RFC 3207), RSET, NOOP, QUIT and VRFY.

use crate::{Capability, EnhancedCode, Host, Mechanism, Reply, ReplyCode, ServerError, encode};

use super::{AbortReason, CloseReason, Event, HelloKind, Pending, Phase, Server, Vrfy, replies};

impl Server {
    /// TLS is up after [`Event::TlsRequested`]: the session starts over
    /// under TLS, and the client's next command is EHLO again (RFC 3207
    /// §4.2).
    pub fn tls_established(&mut self) -> Result<(), ServerError> {
        if !matches!(self.phase, Phase::TlsHandshake) {
            return Err(ServerError::NoTlsPending);
        }
        self.tls = true;
        self.phase = Phase::Command;
        self.active = true;
        self.deadline = self.now + self.options.command_timeout;
        self.process();
        Ok(())
    }

    /// Answers [`Event::VrfyRequested`] with `reply` (`250` with the
    /// mailbox, `252`, `550`, ...).
    pub fn vrfy_answered(&mut self, reply: Reply) -> Result<(), ServerError> {
        if self.pending != Pending::Vrfy {
            return Err(ServerError::NoVrfyPending);
        }
        self.pending = Pending::None;
        self.send(&reply);
        if reply.code().is_negative() {
            self.count_error();
        }
        self.process();
        Ok(())
    }

    /// HELO, EHLO or LHLO: the transaction, if any, is reset (RFC 5321
    /// §4.1.4).
    pub(super) fn greet(&mut self, kind: HelloKind, host: Host<'_>) {
        match (kind, self.options.lmtp) {
            (HelloKind::Lhlo, false) => return self.fail(replies::UNKNOWN_COMMAND),
            (HelloKind::Helo | HelloKind::Ehlo, true) => return self.fail(replies::USE_LHLO),
            _ => {}
        }
        if self.options.reject_invalid_hello && !host.is_valid() {
            let reply = Reply::new(
                ReplyCode::PARAMETER_SYNTAX_ERROR,
                Some(EnhancedCode::SYNTAX_ERROR),
                format!("<{host}>: Helo command rejected: Invalid name"),
            )
            .unwrap_or(replies::BAD_SYNTAX);
            return self.fail(reply);
        }
        self.abort_transaction(AbortReason::Hello);
        let host = host.into_owned();
        self.hello = Some((kind, host.clone()));
        match kind {
            HelloKind::Helo => {
                let reply = Reply::new(ReplyCode::OK, None, self.options.hostname.to_string())
                    .unwrap_or(Reply::OK);
                self.send(&reply);
            }
            HelloKind::Ehlo | HelloKind::Lhlo => {
                let ehlo = crate::EhloReply::new(
                    self.options.hostname.clone().into(),
                    crate::Text::default(),
                    self.capabilities(),
                );
                self.send_ehlo(&ehlo);
            }
        }
        self.events.push_back(Event::HelloReceived { kind, host });
    }

    fn send_ehlo(&mut self, ehlo: &crate::EhloReply) {
        self.before_reply();
        encode::ehlo_reply(ehlo, &mut self.out);
    }

    /// The EHLO keywords for this session now (in Postfix's order).
    pub(super) fn capabilities(&self) -> Vec<Capability> {
        let o = &self.options;
        let mut caps = Vec::new();
        if o.pipelining || o.lmtp {
            caps.push(Capability::Pipelining);
        }
        if o.max_message_size > 0 {
            caps.push(Capability::Size(Some(o.max_message_size)));
        }
        if o.vrfy == Vrfy::Application {
            caps.push(Capability::Vrfy);
        }
        if o.starttls && !self.tls {
            caps.push(Capability::StartTls);
        }
        let mechanisms = self.mechanisms();
        if !mechanisms.is_empty() {
            caps.push(Capability::Auth(mechanisms));
        }
        if o.enhanced_status_codes {
            caps.push(Capability::EnhancedStatusCodes);
        }
        if o.eight_bit_mime {
            caps.push(Capability::EightBitMime);
        }
        if o.binary_mime && o.chunking {
            caps.push(Capability::BinaryMime);
        }
        if o.dsn {
            caps.push(Capability::Dsn);
        }
        if o.smtputf8 {
            caps.push(Capability::SmtpUtf8);
        }
        if o.chunking {
            caps.push(Capability::Chunking);
        }
        if o.requiretls && self.tls {
            caps.push(Capability::RequireTls);
        }
        if o.mt_priority {
            caps.push(Capability::MtPriority(None));
        }
        caps.extend(o.extra_capabilities.iter().cloned());
        caps
    }

    /// The AUTH mechanisms usable now: PLAIN and LOGIN of those configured,
    /// only where passwords may cross (RFC 4954 §4).
    pub(super) fn mechanisms(&self) -> Vec<Mechanism> {
        if !(self.tls || self.options.auth_without_tls) {
            return Vec::new();
        }
        self.options
            .auth_mechanisms
            .iter()
            .filter(|m| **m == Mechanism::PLAIN || **m == Mechanism::LOGIN)
            .cloned()
            .collect()
    }

    /// STARTTLS (RFC 3207 §4): `220`, then every plaintext byte already
    /// received is dropped and the session starts over. The driver hears
    /// [`Event::TlsRequested`] once the `220` has left through
    /// `poll_transmit`, so it is never written inside TLS.
    pub(super) fn starttls(&mut self) {
        if self.tls {
            return self.fail(replies::TLS_ACTIVE);
        }
        if !self.options.starttls {
            return self.fail(replies::NOT_IMPLEMENTED);
        }
        if self.txn.is_some() {
            return self.fail(replies::IN_TRANSACTION);
        }
        self.send(&replies::READY_FOR_TLS);
        self.input.clear();
        self.lines.reset();
        // RFC 3207 §4.2: "The server MUST discard any knowledge obtained
        // from the client, such as the argument to the EHLO command, which
        // was not obtained from the TLS negotiation itself."
        self.hello = None;
        self.authenticated = false;
        self.identity = None;
        self.phase = Phase::TlsPending;
    }

    pub(super) fn rset(&mut self) {
        self.abort_transaction(AbortReason::Reset);
        self.send(&Reply::OK);
        self.count_junk();
    }

    pub(super) fn noop(&mut self) {
        self.send(&Reply::OK);
        self.count_junk();
    }

    pub(super) fn quit(&mut self) {
        self.send_final(&Reply::BYE);
        self.close(CloseReason::Quit);
    }

    pub(super) fn vrfy(&mut self, argument: &str) {
        if self.options.auth_required && !self.authenticated {
            return self.fail(Reply::AUTH_REQUIRED);
        }
        match self.options.vrfy {
            Vrfy::CannotVerify => {
                self.send(&replies::VRFY_CANNOT);
                self.count_junk();
            }
            Vrfy::Disabled => self.fail(replies::VRFY_DISABLED),
            Vrfy::Application => {
                self.count_junk();
                if self.phase_is_closed() {
                    return;
                }
                self.pending = Pending::Vrfy;
                self.events.push_back(Event::VrfyRequested {
                    argument: argument.to_owned(),
                });
            }
        }
    }
}
