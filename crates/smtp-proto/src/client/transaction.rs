//! One mail transaction (RFC 5321 §3.3): MAIL, RCPT for each recipient,
//! then the body by DATA (dot-stuffed as it streams) or BDAT (RFC 3030),
//! pipelined when the server allows (RFC 2920).

use std::collections::VecDeque;

use bytes::Bytes;

use crate::framing::BodyEncoder;
use crate::{Body, Capability, ClientError, Command, Reply, encode};

use super::{BodyDemand, Client, Envelope, Event, Sent, State, TxnId};

/// Where the body stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyState {
    /// The envelope's replies are not all in, or the application has not
    /// offered any body yet.
    Waiting,
    /// DATA is sent; `354` is awaited.
    DataSent,
    /// The server takes the body.
    Flowing,
    /// The end is written (`.` or `BDAT ... LAST`); the final reply is
    /// awaited.
    Ended,
    /// The transaction failed: the application's chunks are dropped.
    Dropped,
}

#[derive(Debug)]
pub(super) struct Transaction {
    id: TxnId,
    /// Which recipients have had their event (accepted or refused).
    answered: Vec<bool>,
    accepted: usize,
    /// MAIL and RCPT replies still to come.
    envelope_pending: usize,
    mail_refused: bool,
    /// The reply that made the transaction fail.
    failure: Option<Reply>,
    /// TransactionFailed was sent.
    reported: bool,
    chunked: bool,
    data_pipelined: bool,
    body: BodyState,
    /// DATA or a BDAT was written: the transaction can only end with its
    /// body.
    body_sent: bool,
    encoder: BodyEncoder,
    /// Chunks from the application not yet encoded.
    held: VecDeque<Bytes>,
    held_len: usize,
    /// The application called `body_end`.
    ended: bool,
    /// Encoded pieces of the next BDAT chunk.
    chunk: Vec<Bytes>,
    chunk_len: usize,
    bdat_in_flight: usize,
}

impl Transaction {
    pub(super) fn id(&self) -> TxnId {
        self.id
    }
}

impl Client {
    /// Starts a transaction: MAIL, then RCPT for each recipient (in one
    /// batch with DATA, or with the first BDAT chunk, when the server offers
    /// PIPELINING). Hand the body over with [`body_chunk`](Self::body_chunk)
    /// and [`body_end`](Self::body_end), as
    /// [`body_demand`](Self::body_demand) asks; it goes out once the server
    /// takes it. Without pipelining, DATA waits for the first chunk (or the
    /// end), so the application can still [`rset`](Self::rset) after seeing
    /// a recipient refused.
    ///
    /// Parameters of extensions the server did not announce are dropped
    /// where that loses nothing the message needs, as Postfix does (SIZE,
    /// DSN's RET, ENVID, NOTIFY and ORCPT, AUTH=, BODY=7BIT; see
    /// [`Options::drop_unoffered_parameters`](super::Options::drop_unoffered_parameters)).
    /// Fails if the session is not [`State::Ready`], there is no recipient,
    /// or a parameter or address needs an extension the server did not
    /// announce ([`ClientError::NotOffered`] names the parameter; SMTPUTF8
    /// is added when an address needs it).
    pub fn send_mail(&mut self, envelope: Envelope<'_>) -> Result<TxnId, ClientError> {
        self.idle()?;
        if envelope.recipients.is_empty() {
            return Err(ClientError::NoRecipients);
        }
        let mut envelope = envelope;
        if !envelope.from.is_ascii() || envelope.recipients.iter().any(|(to, _)| !to.is_ascii()) {
            envelope.params.smtputf8 = true;
        }
        self.fit_mail_params(&mut envelope.params)?;
        for (_, rcpt) in &mut envelope.recipients {
            self.fit_rcpt_params(rcpt)?;
        }
        let params = envelope.params;
        let binary = params.body == Some(Body::BinaryMime);
        let chunked = binary || (self.options.chunking && self.offers(&Capability::Chunking));
        let data_pipelined = self.is_pipelining() && !chunked;
        // BDAT goes in the same batch as MAIL and RCPT (RFC 2920 §3.1 does
        // not end a group at it; the round trip is saved).
        let bdat_pipelined = chunked && self.is_pipelining() && self.options.pipeline_bdat;
        self.next_txn += 1;
        let id = TxnId(self.next_txn);
        let recipients = envelope.recipients.len();
        self.txn = Some(Transaction {
            id,
            answered: vec![false; recipients],
            accepted: 0,
            envelope_pending: recipients + 1,
            mail_refused: false,
            failure: None,
            reported: false,
            chunked,
            data_pipelined,
            body: if data_pipelined {
                BodyState::DataSent
            } else if bdat_pipelined {
                BodyState::Flowing
            } else {
                BodyState::Waiting
            },
            body_sent: false,
            encoder: if binary {
                BodyEncoder::binary()
            } else if chunked {
                BodyEncoder::bdat()
            } else {
                BodyEncoder::data()
            },
            held: VecDeque::new(),
            held_len: 0,
            ended: false,
            chunk: Vec::new(),
            chunk_len: 0,
            bdat_in_flight: 0,
        });
        self.state = State::Transaction;
        if self.need_rset {
            self.need_rset = false;
            self.queue_command(&Command::Rset, Sent::Rset);
        }
        let mail = Command::Mail {
            from: envelope.from,
            params: params.into(),
        };
        self.queue_command(&mail, Sent::Mail(id));
        for (index, (to, params)) in envelope.recipients.into_iter().enumerate() {
            let rcpt = Command::Rcpt {
                to,
                params: params.into(),
            };
            self.queue_command(&rcpt, Sent::Rcpt(id, index));
        }
        if data_pipelined {
            self.queue_command(&Command::Data, Sent::Data(id));
            if let Some(txn) = &mut self.txn {
                txn.body_sent = true;
            }
        }
        if bdat_pipelined {
            self.events.push_back(Event::DataStarted { txn: id });
        }
        Ok(id)
    }

    /// Hands over the next octets of the message. The client keeps the
    /// [`Bytes`] (no copy) until they go out, normalized and, for DATA,
    /// dot-stuffed. After the transaction failed, chunks are dropped.
    pub fn body_chunk(&mut self, chunk: Bytes) -> Result<(), ClientError> {
        let txn = self.open_body()?;
        if txn.body != BodyState::Dropped && !chunk.is_empty() {
            txn.held_len += chunk.len();
            txn.held.push_back(chunk);
        }
        self.envelope_step();
        self.flush_body();
        Ok(())
    }

    /// The message is complete: its end goes out after its last octets.
    pub fn body_end(&mut self) -> Result<(), ClientError> {
        self.open_body()?.ended = true;
        self.envelope_step();
        self.flush_body();
        Ok(())
    }

    /// What the open body needs next; `None` when no transaction takes a
    /// body (none is open, it has ended, or it failed).
    pub fn body_demand(&self) -> Option<BodyDemand> {
        let txn = self.txn.as_ref()?;
        if txn.ended || txn.body == BodyState::Dropped {
            return None;
        }
        let waiting = txn.held_len + txn.chunk_len + self.unsent();
        Some(if waiting >= self.options.body_buffer {
            BodyDemand::Full
        } else {
            BodyDemand::More
        })
    }

    /// Whether the transaction's body has ended (or it failed), so QUIT may
    /// follow it.
    pub(super) fn body_done(&self) -> bool {
        self.txn
            .as_ref()
            .is_none_or(|t| matches!(t.body, BodyState::Ended | BodyState::Dropped))
    }

    /// Gives up the transaction if its body has not started: its commands
    /// not yet written are dropped, and replies to those written ignored.
    pub(super) fn abandon_transaction(&mut self) -> bool {
        let Some(txn) = &self.txn else {
            return true;
        };
        if txn.body_sent {
            return false;
        }
        let id = txn.id;
        self.waiting.retain(
            |(s, _)| !matches!(s, Sent::Mail(t) | Sent::Rcpt(t, _) | Sent::Data(t) if *t == id),
        );
        // MAIL may have been taken: RSET before the next transaction.
        self.need_rset = true;
        self.txn = None;
        true
    }

    fn open_body(&mut self) -> Result<&mut Transaction, ClientError> {
        match &mut self.txn {
            Some(txn) if !txn.ended => Ok(txn),
            _ => Err(ClientError::NoBodyPending),
        }
    }

    pub(super) fn on_mail(&mut self, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        txn.envelope_pending -= 1;
        if reply.code().is_negative() {
            txn.mail_refused = true;
            // MAIL's reply is the one every recipient gets (`on_rcpt`).
            txn.failure = Some(reply);
            // The recipients not sent yet need not be; the replies of those
            // sent (503) are still to come.
            let id = txn.id;
            self.waiting
                .retain(|(s, _)| !matches!(s, Sent::Rcpt(t, _) | Sent::Data(t) if *t == id));
            txn.envelope_pending = self
                .in_flight
                .iter()
                .filter(|s| matches!(s, Sent::Rcpt(t, _) if *t == id))
                .count();
        }
        self.envelope_step();
    }

    pub(super) fn on_rcpt(&mut self, index: usize, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        txn.envelope_pending = txn.envelope_pending.saturating_sub(1);
        let id = txn.id;
        if let Some(done) = txn.answered.get_mut(index) {
            *done = true;
        }
        if txn.mail_refused {
            // RFC 2920 §3.1: with MAIL refused, the RCPT replies say nothing
            // about the recipients (a 503, or even a 250 from a broken
            // server); each one's outcome is MAIL's reply, as Postfix has it.
            let reply = txn.failure.clone().unwrap_or(reply);
            self.events.push_back(Event::RcptRejected {
                txn: id,
                index,
                reply,
            });
        } else if reply.code().is_positive() {
            txn.accepted += 1;
            self.events
                .push_back(Event::RcptAccepted { txn: id, index });
        } else {
            txn.failure = Some(reply.clone());
            self.events.push_back(Event::RcptRejected {
                txn: id,
                index,
                reply,
            });
        }
        self.envelope_step();
    }

    /// What follows the envelope, once its replies are in: the body, or the
    /// end of a transaction no recipient took.
    fn envelope_step(&mut self) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        if txn.envelope_pending > 0 || txn.data_pipelined {
            return;
        }
        let failed = txn.mail_refused || txn.accepted == 0;
        // BDAT pipelined: the body was taken at once; if the envelope failed
        // before a chunk went, the transaction ends here, else with the
        // chunks' replies.
        let bdat_unsent = txn.chunked && !txn.body_sent && txn.body == BodyState::Flowing;
        if txn.body != BodyState::Waiting && !(failed && bdat_unsent) {
            return;
        }
        if failed {
            // MAIL was taken: the server holds a transaction open.
            self.need_rset |= !txn.mail_refused;
            if let Some(reply) = txn.failure.take() {
                // Recipients never sent (MAIL was refused first) share its
                // reply.
                self.answer_the_rest(&reply);
                self.fail_transaction(reply);
            }
            return self.end_transaction();
        }
        let id = txn.id;
        if txn.chunked {
            txn.body = BodyState::Flowing;
            self.events.push_back(Event::DataStarted { txn: id });
        } else if txn.ended || txn.held_len > 0 {
            txn.body = BodyState::DataSent;
            txn.body_sent = true;
            self.send(&Command::Data, Sent::Data(id));
        }
    }

    pub(super) fn on_data(&mut self, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        if reply.code() == crate::ReplyCode::START_MAIL_INPUT {
            let id = txn.id;
            if txn.mail_refused || txn.accepted == 0 {
                // RFC 2920 §3.1: "if the DATA command was accepted the
                // client SMTP should send a single dot".
                txn.body = BodyState::Dropped;
                txn.ended = true;
                self.cmd.extend_from_slice(b".\r\n");
                self.expect(Sent::DataEnd(id));
                return;
            }
            txn.body = BodyState::Flowing;
            self.events.push_back(Event::DataStarted { txn: id });
        } else {
            self.need_rset |= !txn.mail_refused;
            // With DATA pipelined after a refused MAIL, MAIL's reply says
            // why; otherwise DATA's reply ended the transaction.
            let reply = match txn.failure.take() {
                Some(failure) if txn.mail_refused => failure,
                _ => reply,
            };
            self.fail_transaction(reply);
            self.end_transaction();
        }
    }

    pub(super) fn on_data_end(&mut self, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        if txn.body == BodyState::Dropped {
            // The single dot after a 354 with no recipient.
            let reply = txn.failure.take().unwrap_or(reply);
            self.fail_transaction(reply);
        } else if reply.code().is_positive() {
            let id = txn.id;
            self.events
                .push_back(Event::MessageAccepted { txn: id, reply });
        } else {
            self.fail_transaction(reply);
        }
        self.end_transaction();
    }

    pub(super) fn on_bdat(&mut self, last: bool, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        txn.bdat_in_flight -= 1;
        if reply.code().is_negative() {
            // RFC 3030 §2: no further chunk after a failed one, and RSET
            // before the next transaction. Replies to chunks already in the
            // pipeline are ignored. A chunk pipelined after a refused
            // envelope fails for the envelope's reason.
            let reply = match txn.failure.take() {
                Some(failure) if txn.mail_refused || txn.accepted == 0 => failure,
                _ => reply,
            };
            self.fail_transaction(reply);
            self.need_rset = true;
            self.end_transaction();
        } else if last {
            let id = txn.id;
            self.events
                .push_back(Event::MessageAccepted { txn: id, reply });
            self.end_transaction();
        }
    }

    /// The session closes with this transaction open: every recipient
    /// without an answer is refused with the close's reply, and the
    /// transaction fails with it, unless it already had its outcome.
    pub(super) fn cut_off_transaction(&mut self, reason: &super::CloseReason) {
        if self.txn.is_none() {
            return;
        }
        let reply = reason.reply();
        self.answer_the_rest(&reply);
        self.fail_transaction(reply);
        self.txn = None;
    }

    /// Refuses, with `reply`, each recipient that has had no event.
    fn answer_the_rest(&mut self, reply: &Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        let id = txn.id;
        for (index, done) in txn.answered.iter_mut().enumerate() {
            if !*done {
                *done = true;
                self.events.push_back(Event::RcptRejected {
                    txn: id,
                    index,
                    reply: reply.clone(),
                });
            }
        }
    }

    /// Drops the rest of the body and reports the failure, once.
    fn fail_transaction(&mut self, reply: Reply) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        txn.body = BodyState::Dropped;
        txn.held.clear();
        txn.held_len = 0;
        txn.chunk.clear();
        txn.chunk_len = 0;
        if !txn.reported {
            txn.reported = true;
            let id = txn.id;
            self.events
                .push_back(Event::TransactionFailed { txn: id, reply });
        }
    }

    fn end_transaction(&mut self) {
        self.txn = None;
        if self.state == State::Transaction {
            self.state = State::Ready;
        }
    }

    /// Moves the body along as far as the server takes it.
    pub(super) fn flush_body(&mut self) {
        let Some(mut txn) = self.txn.take() else {
            return;
        };
        if txn.body == BodyState::Flowing {
            let mut pieces = Vec::new();
            while let Some(chunk) = txn.held.pop_front() {
                txn.encoder.encode_bytes(chunk, |p| pieces.push(p));
            }
            txn.held_len = 0;
            if txn.ended {
                txn.encoder.finish_bytes(|p| pieces.push(p));
            }
            if txn.chunked {
                for p in pieces {
                    txn.chunk_len += p.len();
                    txn.chunk.push(p);
                }
                self.frame_chunks(&mut txn);
            } else {
                for p in pieces {
                    self.push_piece(p);
                }
                if txn.ended {
                    txn.body = BodyState::Ended;
                    self.expect(Sent::DataEnd(txn.id));
                }
            }
        }
        self.txn = Some(txn);
    }

    /// Frames encoded pieces into BDAT chunks: full ones as they fill, the
    /// rest with `LAST` at the end; one at a time without pipelining.
    fn frame_chunks(&mut self, txn: &mut Transaction) {
        // A chunk never overtakes the envelope's commands.
        let id = txn.id;
        if self
            .waiting
            .iter()
            .any(|(s, _)| matches!(s, Sent::Mail(t) | Sent::Rcpt(t, _) if *t == id))
        {
            return;
        }
        loop {
            if !(self.is_pipelining() || txn.bdat_in_flight == 0) {
                return;
            }
            let last = txn.ended;
            if !last && txn.chunk_len < self.options.body_buffer {
                return;
            }
            encode::command(
                &Command::Bdat {
                    size: txn.chunk_len as u64,
                    last,
                },
                &mut self.cmd,
            );
            for p in txn.chunk.drain(..) {
                self.push_piece(p);
            }
            txn.chunk_len = 0;
            txn.bdat_in_flight += 1;
            txn.body_sent = true;
            self.expect(Sent::Bdat { txn: txn.id, last });
            if last {
                txn.body = BodyState::Ended;
                return;
            }
        }
    }
}
