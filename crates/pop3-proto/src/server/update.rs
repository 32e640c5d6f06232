//! The UPDATE state (RFC 1939 §6): QUIT from TRANSACTION hands the
//! application the messages to expunge; `+OK` only once it says they are gone.
//!
//! > If a session terminates for some reason other than a client-issued QUIT
//! > command, the POP3 session does NOT enter the UPDATE state and MUST not
//! > remove any messages from the maildrop.
//!
//! So a timeout, too many bad commands or a dropped connection never raise
//! [`Event::UpdateRequested`].

use crate::{ResponseCode, ServerError};

use super::{CloseReason, Event, Pending, Server, State};

impl Server {
    /// The messages of [`Event::UpdateRequested`] are expunged: the client
    /// gets `+OK` (Dovecot's `Logging out, messages deleted.`) and the session
    /// closes.
    pub fn update_succeeded(&mut self) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Update) {
            return Err(ServerError::NoUpdatePending);
        }
        if self.session.deleted().is_empty() {
            self.ok("Logging out.");
        } else {
            self.ok("Logging out, messages deleted.");
        }
        self.close(CloseReason::Quit);
        Ok(())
    }

    /// Some or all of the messages could not be expunged (RFC 1939 §6:
    /// `-ERR some deleted messages not removed`); the session closes all the
    /// same.
    pub fn update_failed(&mut self) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Update) {
            return Err(ServerError::NoUpdatePending);
        }
        self.reply(
            false,
            Some(&ResponseCode::SYS_TEMP),
            "Some deleted messages were not removed.",
        );
        self.close(CloseReason::Quit);
        Ok(())
    }

    /// QUIT in the TRANSACTION state: enter UPDATE, and read nothing after it.
    pub(super) fn quit(&mut self) {
        self.good();
        self.state = State::Update;
        self.pending = Pending::Update;
        self.input.clear();
        self.overflowed = false;
        self.events.push_back(Event::UpdateRequested {
            deleted: self.session.deleted(),
        });
    }
}
