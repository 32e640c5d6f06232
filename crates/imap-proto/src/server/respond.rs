//! The application's answers: untagged data keyed by the command's tag,
//! mailbox updates when the rules allow them, and completions.

use crate::ServerError;
use crate::types::{Code, Data, RespText, StatusKind, Tag};

use super::{
    CloseReason, Completion, Event, Pending, Role, SelectedMailbox, Server, State, Updates, encode,
    input::Reading,
};

impl Server {
    /// Sends untagged data answering the command `tag` (RFC 9051 §7): the
    /// `* FLAGS`, `* n EXISTS` and `* OK [UIDVALIDITY n]` of a SELECT, the
    /// `* LIST` lines of a LIST, the `* n FETCH` of a FETCH, and so on. A
    /// literal in it is copied into the output; stream message bodies with
    /// [`fetch_begin`](Self::fetch_begin) instead.
    ///
    /// Fails if no command `tag` is with the application, a FETCH response
    /// is open, the data cannot be encoded in the session's mode (a `SEARCH`
    /// response in IMAP4rev2), it is an untagged `PREAUTH` or `BYE` (see
    /// [`bye`](Self::bye)), it is an EXPUNGE or VANISHED while a FETCH,
    /// STORE or SEARCH is in progress (RFC 9051 §7.5.1), an EXPUNGE after
    /// ENABLE QRESYNC or a VANISHED before it (RFC 7162 §3.2.10). Nothing is
    /// sent then.
    pub fn data(&mut self, tag: &Tag<'_>, data: &Data<'_>) -> Result<(), ServerError> {
        if self.switch.is_some() {
            return Err(ServerError::SwitchPending);
        }
        let role = self.command_role(tag)?;
        if self.fetch.is_some() {
            return Err(ServerError::ResponseOpen);
        }
        if is_expunge(data) && matches!(role, Role::NoExpunge) {
            return Err(ServerError::ExpungeNotAllowed);
        }
        self.expunge_form(data)?;
        self.write_data(data)?;
        if let (
            Data::Status {
                text:
                    RespText {
                        code: Some(Code::NoModSeq),
                        ..
                    },
                ..
            },
            Pending::Command {
                kind:
                    super::Kind {
                        role: Role::Select { no_modseq, .. },
                        ..
                    },
                ..
            },
        ) = (data, &mut self.pending)
        {
            *no_modseq = true;
        }
        Ok(())
    }

    /// Sends a mailbox update that answers no particular command: a new
    /// message's `EXISTS`, another session's flag change as `FETCH (UID n
    /// FLAGS (...))`, an `EXPUNGE` or `VANISHED`, an `* OK [ALERT]`.
    ///
    /// Fails unless [`updates`](Self::updates) allows it now: a mailbox must
    /// be selected for mailbox data, no FETCH response may be open, no
    /// STARTTLS or COMPRESS switch pending, the output not taken by the
    /// client under [`Options::max_transmit`](super::Options::max_transmit)
    /// ([`ServerError::Backpressure`]: a change feed to many idle clients
    /// stays bounded), and EXPUNGE and VANISHED need IDLE or a command in
    /// progress other than FETCH, STORE and SEARCH. Nothing is sent then;
    /// keep the update for later: [`Event::UpdatesAllowed`] comes as soon
    /// as the server takes more than it did at the refusal, so the
    /// application need not poll. After ENABLE QRESYNC an expunge is `VANISHED` (RFC 7162
    /// §3.2.10): EXPUNGE is refused with [`ServerError::VanishedRequired`],
    /// as VANISHED is before it with [`ServerError::QresyncNotEnabled`]; the
    /// server cannot convert one into the other, it knows no UIDs.
    pub fn update(&mut self, data: &Data<'_>) -> Result<(), ServerError> {
        if self.state == State::Logout {
            return Err(ServerError::Closed);
        }
        let refusal = if self.switch.is_some() {
            Some(ServerError::SwitchPending)
        } else if self.fetch.is_some() {
            Some(ServerError::ResponseOpen)
        } else if is_mailbox_data(data) && self.state != State::Selected {
            return Err(ServerError::NotSelected);
        } else if self.backlog() >= self.options.max_transmit {
            Some(ServerError::Backpressure)
        } else if is_expunge(data) && self.updates() != Updates::All {
            Some(ServerError::ExpungeNotAllowed)
        } else {
            None
        };
        if let Some(e) = refusal {
            // The application keeps it: say when the server takes more.
            let now = self.updates();
            self.refused = Some(self.refused.map_or(now, |r| r.min(now)));
            return Err(e);
        }
        self.expunge_form(data)?;
        self.write_data(data)
    }

    /// Which mailbox updates [`update`](Self::update) takes now.
    pub fn updates(&self) -> Updates {
        if self.state != State::Selected
            || self.fetch.is_some()
            || self.switch.is_some()
            || self.backlog() >= self.options.max_transmit
        {
            return Updates::None;
        }
        if matches!(self.reading, Reading::Idle { .. }) {
            return Updates::All;
        }
        match &self.pending {
            Pending::Command {
                kind:
                    super::Kind {
                        role: Role::NoExpunge,
                        ..
                    },
                ..
            } => Updates::NoExpunge,
            Pending::Command { .. } => Updates::All,
            _ => Updates::NoExpunge,
        }
    }

    /// Completes the command `tag` with `OK`, `NO` or `BAD`, a response code
    /// and text. An `OK` to SELECT or EXAMINE selects the mailbox (read-only
    /// for EXAMINE or a `[READ-ONLY]` code), an `OK` to CLOSE or UNSELECT
    /// leaves it. Then the server reads the next command.
    ///
    /// Fails if no command `tag` is with the application, a FETCH response
    /// is open, or the code cannot be encoded.
    pub fn complete(
        &mut self,
        tag: &Tag<'_>,
        completion: Completion<'_>,
    ) -> Result<(), ServerError> {
        let role = self.command_role(tag)?.clone();
        if self.fetch.is_some() {
            return Err(ServerError::ResponseOpen);
        }
        let Completion { kind, code, text } = completion;
        let ok = kind == StatusKind::Ok;
        let read_only = code == Some(Code::ReadOnly);
        if !matches!(kind, StatusKind::Ok | StatusKind::No | StatusKind::Bad) {
            return Err(ServerError::InvalidStatus);
        }
        self.write_tagged(Some(tag), kind, code, &text)?;
        self.pending = Pending::None;
        match role {
            Role::Select {
                mailbox,
                examine,
                no_modseq,
            } if ok => {
                self.state = State::Selected;
                self.selected = Some(SelectedMailbox {
                    mailbox,
                    read_only: examine || read_only,
                    no_modseq,
                });
            }
            Role::Close if ok => {
                self.state = State::Authenticated;
                self.selected = None;
            }
            _ => {}
        }
        self.process();
        Ok(())
    }

    /// Completes the command `tag` with `OK <NAME> completed`, as RFC 9051's
    /// examples do; SELECT's carries `[READ-WRITE]` and EXAMINE's
    /// `[READ-ONLY]` (§6.3.2, §6.3.3).
    pub fn ok(&mut self, tag: &Tag<'_>) -> Result<(), ServerError> {
        let Pending::Command { kind, .. } = &self.pending else {
            return Err(ServerError::NoCommandPending);
        };
        let text = format!("{} completed", kind.name);
        let completion = match kind.role {
            Role::Select { examine: false, .. } => Completion::ok(text).with_code(Code::ReadWrite),
            Role::Select { examine: true, .. } => Completion::ok(text).with_code(Code::ReadOnly),
            _ => Completion::ok(text),
        };
        self.complete(tag, completion)
    }

    /// Ends the session with `* BYE text` (RFC 9051 §7.1.5): the server is
    /// shutting down, or the mailbox went away. In the middle of a streamed
    /// body no BYE can be sent, nor after the `OK` to STARTTLS or COMPRESS
    /// before the switch (it would follow the `OK` in the old layer); the
    /// session just closes once what is queued has left.
    pub fn bye(&mut self, text: &str) {
        if self.state == State::Logout {
            return;
        }
        if self.fetch.is_none() && self.switch.is_none() {
            self.write_bye(text);
        }
        self.fetch = None;
        self.close(CloseReason::Bye);
    }

    /// After a refused update: [`Event::UpdatesAllowed`] once the server
    /// takes more than it did then.
    pub(super) fn check_updates(&mut self) {
        let Some(level) = self.refused else {
            return;
        };
        if self.state == State::Logout {
            self.refused = None;
            return;
        }
        let now = self.updates();
        if now > level {
            self.refused = None;
            self.events
                .push_back(Event::UpdatesAllowed { updates: now });
        }
    }

    /// The role of the command `tag` with the application.
    pub(super) fn command_role(&self, tag: &Tag<'_>) -> Result<&Role, ServerError> {
        match &self.pending {
            Pending::Command { tag: t, kind } if t.as_str() == tag.as_str() => Ok(&kind.role),
            Pending::Command { .. } => Err(ServerError::UnknownTag),
            _ if self.state == State::Logout => Err(ServerError::Closed),
            _ => Err(ServerError::NoCommandPending),
        }
    }

    /// RFC 7162 §3.2.10: after ENABLE QRESYNC, VANISHED instead of EXPUNGE
    /// (unless the mailbox has no mod-sequences); before it, no VANISHED.
    fn expunge_form(&self, data: &Data<'_>) -> Result<(), ServerError> {
        let qresync = self.enabled.qresync;
        match data {
            Data::Expunge(_) if qresync && self.selected.as_ref().is_none_or(|m| !m.no_modseq) => {
                Err(ServerError::VanishedRequired)
            }
            Data::Vanished { .. } if !qresync => Err(ServerError::QresyncNotEnabled),
            _ => Ok(()),
        }
    }

    fn write_data(&mut self, data: &Data<'_>) -> Result<(), ServerError> {
        if let Data::Status {
            kind: StatusKind::PreAuth | StatusKind::Bye,
            ..
        } = data
        {
            return Err(ServerError::InvalidStatus);
        }
        encode::data(data, &mut self.out, &self.codec)?;
        Ok(())
    }
}

/// EXPUNGE, or VANISHED that is not `(EARLIER)` (RFC 7162 §3.2.10): both
/// remove messages and renumber the rest.
fn is_expunge(data: &Data<'_>) -> bool {
    matches!(
        data,
        Data::Expunge(_) | Data::Vanished { earlier: false, .. }
    )
}

/// Data about the selected mailbox's messages.
fn is_mailbox_data(data: &Data<'_>) -> bool {
    matches!(
        data,
        Data::Exists(_)
            | Data::Recent(_)
            | Data::Expunge(_)
            | Data::Fetch { .. }
            | Data::Flags(_)
            | Data::Vanished { .. }
    )
}
