//! Reading the server's responses: the greeting, untagged data, continuation
//! requests and completions correlated with their commands by tag.

use bytes::{Buf, Bytes, BytesMut};

use crate::decode::{self, Frame, LiteralAnnouncement};
use crate::types::{
    Atom, AuthenticateData, Code, Continuation, Data, IntoStatic, Response, StatusKind, Tagged,
};
use crate::{Mode, encode};

use super::{CancelReason, Client, CloseReason, Event, Expect, Paused, State};

/// Whether the command at `i` has no more parts waiting for `+`.
fn cmd_rest_done(in_flight: &std::collections::VecDeque<super::InFlight>, i: usize) -> bool {
    in_flight.get(i).is_none_or(|c| c.rest.is_none())
}

/// What the client reads next.
#[derive(Debug)]
pub(super) enum Reading {
    /// Responses. `prefix` stands for the `* n FETCH (` before the rest of a
    /// FETCH response whose body was just streamed.
    Responses { prefix: Option<Bytes> },
    /// The octets of a streamed body; `check_nul` unless a `literal8`.
    Body {
        seq: u32,
        remaining: u64,
        check_nul: bool,
    },
    /// Right after a streamed body: `)` CRLF, or more items.
    Tail { seq: u32 },
}

impl Client {
    /// Reads as much of the input as makes whole responses.
    pub(super) fn process(&mut self) {
        if self.paused == Some(Paused::Tls) && !self.input.is_empty() {
            // Plaintext after STARTTLS's OK, before the handshake.
            return self.close(CloseReason::ResponseInjection);
        }
        while self.state != State::Logout {
            let progressed = match self.reading {
                Reading::Responses { .. } => self.frame(),
                Reading::Body { .. } => self.body(),
                Reading::Tail { .. } => self.tail(),
            };
            if !progressed {
                break;
            }
        }
    }

    fn frame(&mut self) -> bool {
        if self.input.is_empty() {
            return false;
        }
        match self.framer.next(&self.input) {
            Ok(Frame::Incomplete { .. }) => false,
            Ok(Frame::Literal(a)) => self.literal(a),
            Ok(Frame::Complete { len }) => {
                let prefix = match &mut self.reading {
                    Reading::Responses { prefix } => prefix.take(),
                    _ => None,
                };
                let bytes = match &prefix {
                    Some(p) => {
                        let mut b = BytesMut::with_capacity(p.len() + len);
                        b.extend_from_slice(p);
                        b.extend_from_slice(&self.input[..len]);
                        self.input.advance(len);
                        b.freeze()
                    }
                    None => self.input.split_to(len).freeze(),
                };
                self.framer.reset();
                self.literal_total = 0;
                self.response_bytes(&bytes, prefix.is_some());
                true
            }
            Ok(_) | Err(_) => {
                self.close(CloseReason::ProtocolError);
                false
            }
        }
    }

    /// A literal announced at the end of a line: a large FETCH body streams;
    /// any other literal is held, up to [`Options::max_literal`] for the
    /// response.
    ///
    /// [`Options::max_literal`]: super::Options::max_literal
    fn literal(&mut self, a: LiteralAnnouncement) -> bool {
        if a.length >= self.options.stream_threshold && self.start_stream(a) {
            return true;
        }
        self.literal_total = self.literal_total.saturating_add(a.length);
        if self.literal_total > self.options.max_literal {
            self.close(CloseReason::LiteralTooLarge);
            return false;
        }
        true
    }

    fn response_bytes(&mut self, bytes: &Bytes, tail: bool) {
        let response = match decode::response(bytes, &self.codec) {
            Ok((r, _)) => r.into_static(),
            Err(_) => return self.close(CloseReason::ProtocolError),
        };
        if tail {
            // The rest of a FETCH response after a streamed body.
            return match response {
                Response::Data(Data::Fetch { seq, items }) => {
                    self.events.push_back(Event::FetchBodyEnded { seq, items });
                }
                _ => self.close(CloseReason::ProtocolError),
            };
        }
        if self.state == State::Greeting {
            return self.greeting(response);
        }
        match response {
            Response::Continuation(c) => self.continuation(c),
            Response::Data(d) => self.untagged(d),
            Response::Tagged(t) => self.completed(t),
        }
    }

    /// `* OK`, `* PREAUTH` or `* BYE` (RFC 9051 §7.1).
    fn greeting(&mut self, response: Response<'static>) {
        let Response::Data(Data::Status { kind, text }) = response else {
            return self.close(CloseReason::ProtocolError);
        };
        if let Some(Code::Capability(caps)) = &text.code {
            self.set_capabilities(caps.clone());
        }
        self.events.push_back(Event::GreetingReceived {
            kind,
            code: text.code,
            text: text.text.as_str().to_owned(),
        });
        match kind {
            StatusKind::Ok => self.state = State::NotAuthenticated,
            StatusKind::PreAuth => self.state = State::Authenticated,
            StatusKind::Bye => return self.close(CloseReason::GreetingRejected),
            _ => return self.close(CloseReason::ProtocolError),
        }
        self.flush();
    }

    fn untagged(&mut self, data: Data<'static>) {
        match &data {
            Data::Capability(caps) => self.set_capabilities(caps.clone()),
            Data::Status {
                text:
                    crate::types::RespText {
                        code: Some(Code::Capability(caps)),
                        ..
                    },
                ..
            } => self.set_capabilities(caps.clone()),
            Data::Enabled(caps) => {
                // RFC 6855 §3, RFC 9051 §6.3.1: the grammar changes from here.
                if caps.iter().any(|c| c.is("IMAP4rev2")) {
                    self.codec.mode = Mode::Imap4rev2;
                } else if caps.iter().any(|c| c.is("UTF8=ACCEPT")) && !self.codec.mode.rev2() {
                    self.codec.mode = Mode::Utf8Accept;
                }
            }
            _ => {}
        }
        let bye = matches!(
            data,
            Data::Status {
                kind: StatusKind::Bye,
                ..
            }
        );
        self.events.push_back(Event::DataReceived { data });
        // A BYE before LOGOUT's completion is part of it (RFC 9051 §6.1.3).
        if bye
            && !self
                .in_flight
                .iter()
                .any(|c| matches!(c.expect, Expect::Logout))
        {
            self.close(CloseReason::ServerBye);
        }
    }

    fn set_capabilities(&mut self, caps: Vec<Atom<'static>>) {
        let has = |name: &str| caps.iter().any(|c| c.is(name));
        if has("IMAP4rev2") && !has("IMAP4rev1") {
            // A server of IMAP4rev2 alone speaks it from the start.
            self.codec.mode = Mode::Imap4rev2;
        }
        self.capabilities = Some(caps.clone());
        self.events
            .push_back(Event::CapabilitiesChanged { capabilities: caps });
    }

    /// `+`: the next part of a command with literals, a SASL challenge, or
    /// IDLE accepted.
    fn continuation(&mut self, c: Continuation<'static>) {
        let waiting = self.in_flight.iter().position(|f| {
            f.rest.is_some()
                || matches!(f.expect, Expect::AuthPlain { .. } | Expect::Sasl)
                || matches!(f.expect, Expect::Idle)
                    && self
                        .idle
                        .as_ref()
                        .is_some_and(|i| i.tag == f.tag && !i.started)
        });
        let Some(i) = waiting else {
            return self.close(CloseReason::ProtocolError);
        };
        let cmd = &mut self.in_flight[i];
        if let Some((mut bytes, mut waits)) = cmd.rest.take() {
            let part = match waits.pop_front() {
                Some(at) => {
                    let part = bytes.split_to(at);
                    let waits = waits.into_iter().map(|w| w - at).collect();
                    cmd.rest = Some((bytes, waits));
                    part
                }
                None => bytes,
            };
            self.send_bytes(part);
            if cmd_rest_done(&self.in_flight, i) {
                self.flush();
            }
            return;
        }
        let tag = cmd.tag.clone();
        match &mut cmd.expect {
            Expect::AuthPlain { response } => {
                // The response at the empty challenge; a second challenge is
                // more than PLAIN has, and is cancelled.
                let line = match response.take() {
                    Some(r) => AuthenticateData::Response(r),
                    None => AuthenticateData::Cancel,
                };
                encode::authenticate_data(&line, &mut self.out);
            }
            Expect::Sasl => match c.decode_challenge() {
                Some(challenge) => {
                    self.challenged = true;
                    self.events
                        .push_back(Event::ChallengeReceived { tag, challenge });
                }
                None => self.close(CloseReason::ProtocolError),
            },
            _ => {
                if let Some(idle) = self.idle.as_mut() {
                    idle.started = true;
                    idle.refresh_at = None;
                    if idle.done {
                        encode::idle_done(&mut self.out);
                    }
                }
                self.events.push_back(Event::IdleStarted { tag });
            }
        }
    }

    /// A command's completion, found by its tag.
    fn completed(&mut self, t: Tagged<'static>) {
        let Some(i) = self
            .in_flight
            .iter()
            .position(|c| c.tag.as_str() == t.tag.as_str())
        else {
            return self.close(CloseReason::ProtocolError);
        };
        let Some(cmd) = self.in_flight.remove(i) else {
            return;
        };
        let ok = t.kind == StatusKind::Ok;
        let listed = matches!(t.text.code, Some(Code::Capability(_)));
        if let Some(Code::Capability(caps)) = &t.text.code {
            self.set_capabilities(caps.clone());
        }
        let completed = Event::Completed {
            tag: t.tag.clone(),
            kind: t.kind,
            code: t.text.code,
            text: t.text.text.as_str().to_owned(),
        };
        if !cmd.internal {
            self.events.push_back(completed);
        }
        match cmd.expect {
            Expect::Login | Expect::AuthPlain { .. } | Expect::Sasl => {
                self.challenged = false;
                if ok {
                    self.state = State::Authenticated;
                    if !listed {
                        // What a server offers changes with login.
                        self.capabilities = None;
                        self.refresh_capabilities();
                    }
                }
            }
            Expect::Select if matches!(self.state, State::Authenticated | State::Selected) => {
                // A failed SELECT leaves no mailbox selected (§6.3.2).
                self.state = if ok {
                    State::Selected
                } else {
                    State::Authenticated
                };
            }
            Expect::Close if ok => self.state = State::Authenticated,
            Expect::Logout => return self.close(CloseReason::Logout),
            Expect::StartTls if ok => {
                if !self.input.is_empty() {
                    return self.close(CloseReason::ResponseInjection);
                }
                self.tls = true;
                self.capabilities = None;
                self.paused = Some(Paused::Tls);
                self.framer.reset();
                self.events.push_back(Event::TlsRequested { tag: t.tag });
            }
            Expect::StartTls => {
                // Everything issued after it was meant for the TLS session.
                for q in std::mem::take(&mut self.queued) {
                    if q.internal {
                        continue;
                    }
                    self.cancel(q.tag, q.expect, CancelReason::StartTlsFailed);
                }
            }
            Expect::Compress if ok => {
                self.compressing = true;
                self.paused = Some(Paused::Compress);
                self.framer.reset();
                let input = self.input.split().freeze();
                self.events
                    .push_back(Event::CompressionStarted { tag: t.tag, input });
            }
            Expect::Idle => {
                let renew = self
                    .idle
                    .take()
                    .is_some_and(|i| i.tag.as_str() == t.tag.as_str() && i.renew);
                self.flush();
                if renew && ok {
                    let _ = self.idle();
                }
                return;
            }
            _ => {}
        }
        self.flush();
    }
}
