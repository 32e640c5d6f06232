//! IDLE (RFC 2177, RFC 9051 §6.3.13): `+ idling`, updates pushed by the
//! application as they happen, keepalives, and `DONE`.

use bytes::Buf;

use crate::decode;
use crate::error::DecodeError;
use crate::types::{StatusKind, Tag};

use super::input::{Discard, Reading};
use super::{Event, Keepalive, Server};

impl Server {
    /// IDLE: the continuation, and the application told to send updates.
    pub(super) fn idle(&mut self, tag: Tag<'static>) {
        // RFC 2177's and RFC 9051's text.
        self.out.extend_from_slice(b"+ idling\r\n");
        self.reading = Reading::Idle { tag: tag.clone() };
        self.keepalive = match self.options.idle_keepalive {
            Some(_) => Keepalive::Unscheduled,
            None => Keepalive::Off,
        };
        self.events.push_back(Event::IdleStarted { tag });
    }

    /// Input while idling: `DONE` in any case ends IDLE with `OK`; anything
    /// else ends it with `BAD Expected DONE.` (Dovecot) and is dropped.
    /// Returns whether it consumed anything.
    pub(super) fn idle_input(&mut self) -> bool {
        let Reading::Idle { tag } = &self.reading else {
            return false;
        };
        let tag = tag.clone();
        match decode::idle_done(&self.input) {
            Err(DecodeError::Incomplete { .. }) => false,
            Ok(used) => {
                self.input.advance(used);
                self.reading = Reading::Commands;
                self.keepalive = Keepalive::Off;
                self.good();
                self.ok_text(&tag, "Idle completed.");
                self.events.push_back(Event::IdleEnded { tag });
                true
            }
            Err(DecodeError::Invalid { .. }) => {
                self.reading = Reading::Discard(Discard::default());
                self.keepalive = Keepalive::Off;
                self.reject(Some(&tag), StatusKind::Bad, None, "Expected DONE.", true);
                self.events.push_back(Event::IdleEnded { tag });
                true
            }
        }
    }
}
