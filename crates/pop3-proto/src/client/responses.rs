//! Reading the server's responses, in the order of the commands.

use std::mem;

use bytes::Buf;

use crate::framing::{BodyFrame, DotUnstuffer, LineTooLong};
use crate::{
    Capability, Mechanism, ResponseLine, SaslResponse, ScanListing, Status, UidListing, decode,
    encode,
};

use super::{Client, CloseReason, Event, Expect, Gathered, Listing, Reading, State};

impl Client {
    /// Reads as much of the input as makes whole responses.
    pub(super) fn process(&mut self) {
        while self.state != State::Closed {
            let progressed = match &mut self.reading {
                Reading::Body(unstuffer) => match unstuffer.decode(&mut self.input) {
                    Some(BodyFrame::Data(data)) => {
                        let id = self.front_id();
                        self.events.push_back(Event::BodyChunkReceived { id, data });
                        true
                    }
                    Some(BodyFrame::End) => {
                        let id = self.front_id();
                        self.events.push_back(Event::BodyEnded { id });
                        self.complete();
                        true
                    }
                    None => false,
                },
                _ => {
                    if self.state != State::Greeting && self.in_flight.is_empty() {
                        self.unsolicited();
                        return;
                    }
                    let limit = match (&self.reading, self.in_flight.front()) {
                        (Reading::Status, Some(cmd))
                            if matches!(cmd.expect, Expect::AuthPlain { .. }) =>
                        {
                            self.options.max_challenge_line
                        }
                        _ => self.options.max_response_line,
                    };
                    self.lines.set_limit(limit);
                    match self.lines.next_line(&mut self.input) {
                        None => false,
                        Some(Err(LineTooLong { .. })) => {
                            self.close(CloseReason::ProtocolError);
                            false
                        }
                        Some(Ok(found)) => {
                            // Copied out (at most the line limit) and read
                            // from the copy, while the input stays the
                            // client's own.
                            let mut line = mem::take(&mut self.line_buf);
                            line.clear();
                            line.extend_from_slice(&self.input[..found.len]);
                            self.input.advance(found.end);
                            self.line(&line);
                            self.line_buf = line;
                            true
                        }
                    }
                }
            };
            if !progressed {
                break;
            }
        }
    }

    /// Input with no command outstanding: a server's parting `-ERR`, or a
    /// server out of step.
    fn unsolicited(&mut self) {
        if self.input.is_empty() {
            return;
        }
        self.lines.set_limit(self.options.max_response_line);
        let reason = match self.lines.read_line(&mut self.input) {
            None => return,
            Some(Ok(line)) if line.starts_with(b"-ERR") => CloseReason::ServerClosed,
            Some(_) => CloseReason::ProtocolError,
        };
        self.close(reason);
    }

    fn front_id(&self) -> super::CommandId {
        self.in_flight
            .front()
            .map_or(super::CommandId(u64::MAX), |c| c.id)
    }

    fn line(&mut self, line: &[u8]) {
        match mem::replace(&mut self.reading, Reading::Status) {
            Reading::Greeting => self.greeting(line),
            Reading::Status => self.status(line),
            Reading::Lines(gathered) => self.listing_line(gathered, line),
            body @ Reading::Body(_) => self.reading = body,
        }
    }

    fn greeting(&mut self, line: &[u8]) {
        let Ok(greeting) = decode::greeting(line) else {
            return self.close(CloseReason::ProtocolError);
        };
        let ok = greeting.response.is_ok();
        self.timestamp = greeting.timestamp.clone();
        self.events.push_back(Event::GreetingReceived {
            ok,
            code: greeting.response.code.clone(),
            text: greeting.response.text.into_owned(),
            timestamp: greeting.timestamp,
        });
        if !ok {
            return self.close(CloseReason::GreetingRejected);
        }
        self.state = State::Authorization;
        self.flush();
    }

    /// The first line of the front command's response.
    fn status(&mut self, line: &[u8]) {
        // RETR and TOP: the `+OK` line's text goes unread; the body follows.
        if matches!(self.in_flight.front(), Some(front) if matches!(front.expect, Expect::Body))
            && decode::is_ok_line(line)
        {
            self.reading = Reading::Body(DotUnstuffer::new());
            return;
        }
        let response = match decode::response_line(line) {
            Ok(ResponseLine::Status(response)) => response,
            Ok(ResponseLine::Challenge(_)) => return self.challenge(),
            Err(_) => return self.close(CloseReason::ProtocolError),
        };
        let Some(front) = self.in_flight.front_mut() else {
            return;
        };
        let id = front.id;
        if response.status == Status::Err {
            let quit = matches!(front.expect, Expect::Quit);
            self.events.push_back(Event::ErrReceived {
                id,
                code: response.code,
                text: response.text.into_owned(),
            });
            self.complete();
            if quit {
                self.close(CloseReason::Quit);
            }
            return;
        }
        let text = response.text;
        match front.expect {
            Expect::Simple => {
                self.events.push_back(Event::OkReceived {
                    id,
                    code: response.code,
                    text: text.into_owned(),
                });
                self.complete();
            }
            Expect::Login | Expect::AuthPlain { .. } => {
                self.state = State::Transaction;
                self.events.push_back(Event::LoggedIn { id });
                self.complete();
            }
            Expect::Capa => self.reading = Reading::Lines(Gathered::new(Listing::Capa(Vec::new()))),
            Expect::Stat => match decode::drop_listing(text.as_bytes()) {
                Ok(listing) => {
                    self.events.push_back(Event::StatReceived { id, listing });
                    self.complete();
                }
                Err(_) => self.close(CloseReason::ProtocolError),
            },
            Expect::List { all: true } => {
                self.reading = Reading::Lines(Gathered::new(Listing::Scan(Vec::new())));
            }
            Expect::List { all: false } => match decode::scan_listing(text.as_bytes()) {
                Ok(listing) => {
                    self.events.push_back(Event::ListReceived {
                        id,
                        listings: vec![listing],
                    });
                    self.complete();
                }
                Err(_) => self.close(CloseReason::ProtocolError),
            },
            Expect::Uidl { all: true } => {
                self.reading = Reading::Lines(Gathered::new(Listing::Uid(Vec::new())));
            }
            Expect::Uidl { all: false } => match decode::uid_listing(text.as_bytes()) {
                Ok(listing) => {
                    self.events.push_back(Event::UidlReceived {
                        id,
                        listings: vec![listing],
                    });
                    self.complete();
                }
                Err(_) => self.close(CloseReason::ProtocolError),
            },
            Expect::Body => self.reading = Reading::Body(DotUnstuffer::new()),
            Expect::Stls => {
                // RFC 2595 §4: the client MUST discard cached capabilities;
                // and nothing the server sent after this line in plaintext may
                // be read as if it came over TLS.
                self.input.clear();
                self.capabilities = None;
                self.tls = true;
                self.events.push_back(Event::TlsRequested { id });
                self.complete();
            }
            Expect::Quit => {
                self.events.push_back(Event::OkReceived {
                    id,
                    code: response.code,
                    text: text.into_owned(),
                });
                self.complete();
                self.close(CloseReason::Quit);
            }
        }
    }

    /// A `+ ` challenge: AUTH PLAIN without an initial response sends its
    /// response now; any other challenge is cancelled with `*` (RFC 5034 §4),
    /// and the server's `-ERR` follows.
    fn challenge(&mut self) {
        let Some(front) = self.in_flight.front_mut() else {
            return self.close(CloseReason::ProtocolError);
        };
        let response = match &mut front.expect {
            Expect::AuthPlain { response } => response.take(),
            _ => return self.close(CloseReason::ProtocolError),
        };
        match response {
            Some(data) => encode::sasl_response(&SaslResponse::Data(data), &mut self.out),
            None => encode::sasl_response(&SaslResponse::Cancel, &mut self.out),
        }
        self.flush();
    }

    /// One line of a multi-line listing. The client holds the entries until
    /// the `.` line, so what they may cost is bounded: lines for CAPA
    /// ([`Options::max_capabilities`]), entries for LIST and UIDL
    /// ([`Options::max_listing`]), and memory for all three
    /// ([`Options::max_listing_bytes`]). Past a bound the session closes.
    ///
    /// [`Options::max_capabilities`]: super::Options::max_capabilities
    /// [`Options::max_listing`]: super::Options::max_listing
    /// [`Options::max_listing_bytes`]: super::Options::max_listing_bytes
    fn listing_line(&mut self, mut gathered: Gathered, line: &[u8]) {
        let id = self.front_id();
        let line = match line {
            b"." => {
                match gathered.listing {
                    Listing::Capa(capabilities) => {
                        self.capabilities = Some(capabilities.clone());
                        self.events
                            .push_back(Event::CapabilitiesReceived { id, capabilities });
                    }
                    Listing::Scan(listings) => {
                        self.events.push_back(Event::ListReceived { id, listings });
                    }
                    Listing::Uid(listings) => {
                        self.events.push_back(Event::UidlReceived { id, listings });
                    }
                }
                self.complete();
                return;
            }
            // RFC 1939 §3: a stuffed dot is stripped.
            [b'.', rest @ ..] => rest,
            line => line,
        };
        gathered.lines += 1;
        let max_lines = match gathered.listing {
            Listing::Capa(_) => self.options.max_capabilities,
            Listing::Scan(_) | Listing::Uid(_) => self.options.max_listing,
        };
        if gathered.lines > max_lines {
            return self.close(CloseReason::ListingTooLong);
        }
        let cost = match &mut gathered.listing {
            // A malformed capability line is skipped: the others still say
            // what the server offers.
            Listing::Capa(caps) => match Capability::decode(line) {
                Ok(cap) => {
                    let cost = capability_cost(&cap);
                    caps.push(cap);
                    cost
                }
                Err(_) => 0,
            },
            Listing::Scan(v) => match decode::scan_listing(line) {
                Ok(l) => {
                    v.push(l);
                    size_of::<ScanListing>()
                }
                Err(_) => return self.close(CloseReason::ProtocolError),
            },
            Listing::Uid(v) => match decode::uid_listing(line) {
                Ok(l) => {
                    let cost = size_of::<UidListing>() + l.uid.as_str().len();
                    v.push(l);
                    cost
                }
                Err(_) => return self.close(CloseReason::ProtocolError),
            },
        };
        gathered.bytes = gathered.bytes.saturating_add(cost);
        if gathered.bytes > self.options.max_listing_bytes {
            return self.close(CloseReason::ListingTooLong);
        }
        self.reading = Reading::Lines(gathered);
    }

    /// The front command is answered: the next one may go.
    fn complete(&mut self) {
        self.reading = Reading::Status;
        if let Some(done) = self.in_flight.pop_front()
            && done.expect.is_login()
        {
            self.logins = self.logins.saturating_sub(1);
        }
        self.flush();
    }
}

/// What a capability takes in memory: its own size and the text it holds.
fn capability_cost(cap: &Capability) -> usize {
    let text = match cap {
        Capability::Sasl(mechs) => mechs
            .iter()
            .map(|m| size_of::<Mechanism>() + m.as_str().len())
            .sum(),
        Capability::Implementation(text) => text.len(),
        Capability::Other { tag, params } => {
            tag.len()
                + params
                    .iter()
                    .map(|p| size_of::<String>() + p.len())
                    .sum::<usize>()
        }
        _ => 0,
    };
    size_of::<Capability>() + text
}
