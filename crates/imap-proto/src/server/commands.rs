//! Commands the server answers itself (CAPABILITY, NOOP before login,
//! LOGOUT, STARTTLS, ENABLE, COMPRESS), and the hand-over of the rest to the
//! application.

use crate::Mode;
use crate::types::{
    Atom, Code, Command, CommandBody, Data, FetchAttr, FetchModifier, IntoStatic, SearchKey,
    SelectParam, StatusAttr, StatusKind, Tag,
};

use super::input::Reading;
use super::{CloseReason, Event, Kind, Pending, Role, Server, State, Switch, encode};

impl Server {
    /// A decoded command its state takes.
    pub(super) fn command(&mut self, command: Command<'_>) {
        let tag = command.tag.clone().into_static();
        match command.body {
            CommandBody::Capability => self.capability(&tag),
            CommandBody::Noop if self.state == State::NotAuthenticated => {
                self.ok_text(&tag, "NOOP completed.");
            }
            CommandBody::Logout => self.logout(&tag),
            CommandBody::StartTls => self.starttls(&tag),
            CommandBody::Login { username, password } => self.login(tag, username, password),
            CommandBody::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(tag, mechanism.into_static(), initial_response),
            CommandBody::Enable(caps) => self.enable(&tag, &caps),
            CommandBody::Idle => self.idle(tag),
            CommandBody::Compress(algorithm) => self.compress(&tag, &algorithm),
            CommandBody::Store { .. }
            | CommandBody::Expunge
            | CommandBody::UidExpunge(_)
            | CommandBody::Move { .. }
                if self.selected.as_ref().is_some_and(|s| s.read_only) =>
            {
                // RFC 9051 §6.3.3: nothing changes a mailbox opened by EXAMINE.
                self.reject(
                    Some(&tag),
                    StatusKind::No,
                    None,
                    "Mailbox is read-only.",
                    false,
                );
            }
            body => self.hand_over(Command::new(tag, body).into_static()),
        }
    }

    /// Gives a command to the application.
    fn hand_over(&mut self, command: Command<'static>) {
        let role = match &command.body {
            CommandBody::Select { mailbox, .. } | CommandBody::Examine { mailbox, .. } => {
                // RFC 9051 §6.3.2: SELECT deselects first, whether or not it
                // succeeds, and an IMAP4rev2 server says CLOSED where the old
                // mailbox's responses end; RFC 7162 §3.2.11: so does one that
                // offers CONDSTORE or QRESYNC. RFC 3501 has no such code.
                if self.selected.take().is_some() {
                    self.state = State::Authenticated;
                    if self.codec.mode.rev2() || self.offers("CONDSTORE") || self.offers("QRESYNC")
                    {
                        self.untagged_status(
                            StatusKind::Ok,
                            Some(Code::Closed),
                            "Previous mailbox closed.",
                        );
                    }
                }
                Role::Select {
                    mailbox: mailbox.clone(),
                    examine: matches!(command.body, CommandBody::Examine { .. }),
                    no_modseq: false,
                }
            }
            CommandBody::Close | CommandBody::Unselect => Role::Close,
            CommandBody::Fetch { uid: false, .. }
            | CommandBody::Store { uid: false, .. }
            | CommandBody::Search { uid: false, .. } => Role::NoExpunge,
            _ => Role::Other,
        };
        if !self.enabled.condstore
            && (self.offers("CONDSTORE") || self.offers("QRESYNC"))
            && enables_condstore(&command.body)
        {
            // RFC 7162 §3.1: the client is CONDSTORE-aware from now on; the
            // application answers this command with mod-sequences already.
            self.enabled.condstore = true;
            self.events.push_back(Event::Enabled {
                capabilities: vec![Atom::from_static("CONDSTORE")],
            });
        }
        self.pending = Pending::Command {
            tag: command.tag.clone(),
            kind: Kind {
                name: command.body.name(),
                role,
            },
        };
        // A command in progress may open a window for updates kept (an
        // EXPUNGE during NOOP): said before the command, which may close it.
        self.check_updates();
        self.events.push_back(Event::CommandReceived { command });
    }

    /// Whether the server announces this capability after login.
    pub(super) fn offers(&self, name: &str) -> bool {
        self.options.extensions.iter().any(|c| c.is(name))
    }

    /// `tag OK text`, written by the server itself.
    pub(super) fn ok_text(&mut self, tag: &Tag<'_>, text: &str) {
        // Only the server's own texts get here.
        let _ = self.write_tagged(Some(tag), StatusKind::Ok, None, text);
    }

    /// CAPABILITY (RFC 9051 §6.1.1), with Dovecot's completion texts.
    fn capability(&mut self, tag: &Tag<'_>) {
        let caps = Data::Capability(self.capabilities());
        let _ = encode::data(&caps, &mut self.out, &self.codec);
        if self.state == State::NotAuthenticated {
            self.ok_text(
                tag,
                "Pre-login capabilities listed, post-login capabilities have more.",
            );
        } else {
            self.ok_text(tag, "Capability completed.");
        }
    }

    /// LOGOUT (RFC 9051 §6.1.3): `* BYE`, the tagged `OK`, and the end.
    fn logout(&mut self, tag: &Tag<'_>) {
        self.write_bye("Logging out");
        self.ok_text(tag, "Logout completed.");
        self.close(CloseReason::Logout);
    }

    /// STARTTLS (RFC 9051 §6.2.1): `OK`, then every plaintext octet already
    /// received is dropped, so none can be read as if it came over TLS; the
    /// driver hears [`Event::TlsRequested`] once the `OK` has left.
    fn starttls(&mut self, tag: &Tag<'_>) {
        if self.tls {
            return self.reject(
                Some(tag),
                StatusKind::Bad,
                None,
                "TLS is already active.",
                false,
            );
        }
        if !self.options.starttls {
            return self.reject(
                Some(tag),
                StatusKind::Bad,
                None,
                "TLS support isn't enabled.",
                false,
            );
        }
        self.ok_text(tag, "Begin TLS negotiation now.");
        self.input.clear();
        self.framer.reset();
        self.tls = true;
        self.switch = Some(Switch::Tls);
    }

    /// ENABLE (RFC 5161 §3.1, RFC 9051 §6.3.1): turns on what the server
    /// offers, ignores the rest, and names what it turned on.
    fn enable(&mut self, tag: &Tag<'_>, caps: &[Atom<'_>]) {
        let mut newly = Vec::new();
        let condstore = self.offers("CONDSTORE") || self.offers("QRESYNC");
        let qresync = self.offers("QRESYNC");
        let utf8 = self.offers("UTF8=ACCEPT");
        for cap in caps {
            let e = &mut self.enabled;
            let name = if cap.is("CONDSTORE") && !e.condstore && condstore {
                e.condstore = true;
                "CONDSTORE"
            } else if cap.is("QRESYNC") && !e.qresync && qresync {
                // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
                e.qresync = true;
                e.condstore = true;
                "QRESYNC"
            } else if cap.is("UTF8=ACCEPT") && !e.utf8_accept && utf8 {
                e.utf8_accept = true;
                "UTF8=ACCEPT"
            } else if cap.is("IMAP4rev2") && !e.imap4rev2 && self.options.imap4rev2 {
                e.imap4rev2 = true;
                "IMAP4rev2"
            } else {
                continue;
            };
            newly.push(Atom::from_static(name));
        }
        let _ = encode::data(&Data::Enabled(newly.clone()), &mut self.out, &self.codec);
        self.ok_text(tag, "Enabled.");
        // The grammar changes after the response that announced it.
        let rev2_only = self.options.imap4rev2 && !self.options.imap4rev1;
        self.codec.mode = if self.enabled.imap4rev2 || rev2_only {
            Mode::Imap4rev2
        } else if self.enabled.utf8_accept {
            Mode::Utf8Accept
        } else {
            Mode::Imap4rev1
        };
        if !newly.is_empty() {
            self.events.push_back(Event::Enabled {
                capabilities: newly,
            });
        }
    }

    /// COMPRESS (RFC 4978 §3): `OK`, and compression starts right after its
    /// CRLF; the driver hears [`Event::CompressionStarted`], with any
    /// octets the client already sent, once the `OK` has left.
    fn compress(&mut self, tag: &Tag<'_>, algorithm: &Atom<'_>) {
        if !self.options.compress {
            let text = self.error_text(Some("COMPRESS"), "Unknown command.");
            return self.reject(Some(tag), StatusKind::Bad, None, &text, true);
        }
        if self.compressing {
            return self.reject(
                Some(tag),
                StatusKind::Bad,
                None,
                "Compression already active.",
                false,
            );
        }
        if !algorithm.is("DEFLATE") {
            return self.reject(
                Some(tag),
                StatusKind::Bad,
                None,
                "Unknown compression mechanism.",
                false,
            );
        }
        // RFC 4978 §3's example text.
        self.ok_text(tag, "DEFLATE active");
        let stash = self.input.split();
        self.framer.reset();
        self.switch = Some(Switch::Compress(stash));
        debug_assert!(matches!(self.reading, Reading::Commands));
    }
}

/// A "CONDSTORE enabling command" of RFC 7162 §3.1 (ENABLE CONDSTORE aside):
/// SELECT or EXAMINE with CONDSTORE (or QRESYNC, which implies it),
/// STATUS (HIGHESTMODSEQ), a FETCH of MODSEQ or with CHANGEDSINCE, a SEARCH
/// with MODSEQ, a STORE with UNCHANGEDSINCE.
fn enables_condstore(body: &CommandBody<'_>) -> bool {
    match body {
        CommandBody::Select { params, .. } | CommandBody::Examine { params, .. } => params
            .iter()
            .any(|p| matches!(p, SelectParam::CondStore | SelectParam::QResync { .. })),
        CommandBody::Status { attrs, .. } => attrs.contains(&StatusAttr::HighestModSeq),
        CommandBody::Fetch {
            attrs, modifiers, ..
        } => {
            attrs.expand().contains(&FetchAttr::ModSeq)
                || modifiers
                    .iter()
                    .any(|m| matches!(m, FetchModifier::ChangedSince(_)))
        }
        CommandBody::Search { criteria, .. } => {
            SearchKey::any_in(criteria, |k| matches!(k, SearchKey::ModSeq { .. }))
        }
        CommandBody::Store {
            unchanged_since, ..
        } => unchanged_since.is_some(),
        _ => false,
    }
}
