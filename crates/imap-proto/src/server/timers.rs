//! Time as an input: the autologout timer (RFC 3501 §5.4), exact from the
//! last activity, and the keepalives of an idling client.

use std::time::Instant;

use crate::types::StatusKind;

use super::{CloseReason, Keepalive, Pending, Server, State};

#[cfg(doc)]
use super::Options;

impl Server {
    /// Tells the server the time. After activity (input, or output while no
    /// IDLE runs) this call stamps it: the autologout timer runs
    /// [`Options::autologout`] from `now`, so the driver that calls it when
    /// [`poll_timeout`](Self::poll_timeout) says logs the client out exactly
    /// that long after its last activity. An idling client hears `* OK Still
    /// here` every [`Options::idle_keepalive`]. When the timer has run out
    /// with nothing since and no decision of the application's pending, the
    /// session ends with `* BYE Disconnected for inactivity.` (RFC 3501
    /// §5.4, Dovecot's text). Calling it early is harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Logout {
            return;
        }
        self.now = self.now.max(now);
        self.keepalive(now);
        // The timer is for an idle client, not a slow application: while a
        // decision is pending the session waits, unless the application waits
        // for a client that stopped reading.
        let deciding = !matches!(self.pending, Pending::None | Pending::Appending)
            && self.backlog() < self.options.max_transmit;
        if self.active || deciding {
            self.active = false;
            self.deadline = self.now + self.options.autologout;
            return;
        }
        if now < self.deadline {
            return;
        }
        // A response cut off in the middle cannot be followed by a BYE, nor
        // can the OK of a switch.
        let mid_response = self.fetch.is_some() || self.switch.is_some();
        self.queue.clear();
        self.queued = 0;
        self.out.clear();
        self.fetch = None;
        if !mid_response {
            self.write_bye("Disconnected for inactivity.");
        }
        self.close(CloseReason::TimedOut);
    }

    /// Sends `* OK Still here` (Dovecot's keepalive) when it is due.
    pub(super) fn keepalive(&mut self, now: Instant) {
        let Some(interval) = self.options.idle_keepalive else {
            return;
        };
        match self.keepalive {
            Keepalive::Off => {}
            Keepalive::Unscheduled => self.keepalive = Keepalive::At(now + interval),
            Keepalive::At(at) if now >= at => {
                // Not to a client that is not reading what it has.
                if self.fetch.is_none() && self.backlog() < self.options.max_transmit {
                    self.untagged_status(StatusKind::Ok, None, "Still here");
                }
                self.keepalive = Keepalive::At(now + interval);
            }
            Keepalive::At(_) => {}
        }
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next; `None` once
    /// the session is over. After activity it is an instant already past
    /// (the last one the server was told), so that the driver's next
    /// `handle_timeout` tells the server when the activity was: the
    /// autologout then runs exactly from it, as in `pop3-proto`.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Logout {
            return None;
        }
        if self.active {
            return Some(self.now);
        }
        Some(match self.keepalive {
            Keepalive::Off => self.deadline,
            Keepalive::Unscheduled => self.now,
            Keepalive::At(at) => at.min(self.deadline),
        })
    }
}
