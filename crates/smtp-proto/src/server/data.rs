//! The message: DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030), the body
//! streamed out as it arrives, and the application's word that it is stored
//! (RFC 5321 §6.1), per recipient in LMTP (RFC 2033 §4.2).

use bytes::Bytes;

use crate::framing::{ChunkReader, DataFrame, DotUnstuffer};
use crate::{Body, EnhancedCode, Reply, ReplyCode, ServerError};

use super::{AbortReason, Event, Pending, Phase, RcptId, Server, TxnId, replies};

/// A BDAT chunk being read.
#[derive(Debug)]
pub(super) struct Bdat {
    chunk: ChunkReader,
    size: u64,
    last: bool,
    /// Decided when the command came: the chunk is read and discarded, then
    /// this reply goes (RFC 3030 §2: "the receiver-SMTP MUST accept and
    /// discard the associated message data before sending the appropriate
    /// 5XX or 4XX code").
    error: Option<Reply>,
}

impl Server {
    /// The message of [`Event::MessageReceived`] is stored (`Ok`: durable,
    /// `250 2.0.0 Ok: queued`) or not (`Err` with a `4xx` or `5xx` reply).
    /// In LMTP the result goes to every recipient not yet answered with
    /// [`recipient_stored`](Self::recipient_stored). A failure is the
    /// server's, not the client's: it does not count against the error
    /// limits.
    pub fn message_stored(
        &mut self,
        txn: TxnId,
        result: Result<(), Reply>,
    ) -> Result<(), ServerError> {
        if self.pending != Pending::Message(txn) {
            return Err(ServerError::NoMessagePending);
        }
        check_result(&result)?;
        if self.options.lmtp {
            if let Some(t) = &mut self.txn {
                for slot in t.lmtp_results.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(result.clone());
                }
            }
            self.flush_lmtp();
            return Ok(());
        }
        self.pending = Pending::None;
        self.txn = None;
        if result.is_ok() {
            self.delivered();
        }
        self.send(result.as_ref().err().unwrap_or(&Reply::QUEUED));
        self.finish_shutdown();
        self.process();
        Ok(())
    }

    /// LMTP (RFC 2033 §4.2): the message is stored for one recipient, or
    /// not. The replies go out in the order of the recipients, each as soon
    /// as those before it are answered. Failures do not count against the
    /// client's error limits, so every recipient gets its reply.
    pub fn recipient_stored(
        &mut self,
        txn: TxnId,
        rcpt: RcptId,
        result: Result<(), Reply>,
    ) -> Result<(), ServerError> {
        if !self.options.lmtp || self.pending != Pending::Message(txn) {
            return Err(ServerError::NoMessagePending);
        }
        check_result(&result)?;
        let slot = self.txn.as_mut().and_then(|t| {
            let i = t.recipients.iter().position(|(id, _)| *id == rcpt)?;
            t.lmtp_results.get_mut(i)
        });
        match slot {
            Some(slot @ None) => *slot = Some(result),
            _ => return Err(ServerError::NoMessagePending),
        }
        self.flush_lmtp();
        Ok(())
    }

    pub(super) fn data(&mut self) {
        if let Err(reply) = self.body_allowed() {
            return self.fail(reply);
        }
        let Some(txn) = &self.txn else {
            return self.fail(replies::NEED_MAIL);
        };
        if txn.bdat {
            return self.fail(replies::DATA_AFTER_BDAT);
        }
        if txn.body == Some(Body::BinaryMime) {
            return self.fail(replies::BINARYMIME_NEEDS_BDAT);
        }
        self.send(&Reply::START_DATA);
        self.phase = Phase::Data(DotUnstuffer::new(self.options.bare_line_endings));
    }

    pub(super) fn bdat(&mut self, size: u64, last: bool) {
        let error = self.bdat_check(size);
        if error.is_none()
            && let Some(t) = &mut self.txn
        {
            t.bdat = true;
        }
        self.phase = Phase::Bdat(Bdat {
            chunk: ChunkReader::new(size),
            size,
            last,
            error,
        });
    }

    /// Whether a BDAT of `size` octets may add to the message; if not, the
    /// reply it gets once its octets are read.
    fn bdat_check(&mut self, size: u64) -> Option<Reply> {
        if !(self.esmtp() && self.options.chunking) {
            return Some(replies::NOT_IMPLEMENTED);
        }
        if let Err(reply) = self.body_allowed() {
            return Some(reply);
        }
        let txn = self.txn.as_ref()?;
        let max = self.options.max_message_size;
        if max > 0 && txn.size.saturating_add(size) > max {
            self.message_failed(AbortReason::MessageTooBig);
            return Some(Reply::MESSAGE_TOO_BIG);
        }
        None
    }

    /// A transaction with at least one accepted recipient, or the reply for
    /// DATA or BDAT without one (RFC 5321 §3.3, Postfix's texts).
    fn body_allowed(&self) -> Result<(), Reply> {
        let Some(txn) = &self.txn else {
            return Err(replies::NEED_MAIL);
        };
        if txn.recipients.is_empty() {
            return Err(if txn.rcpt_attempts == 0 {
                replies::NEED_RCPT
            } else {
                replies::NO_VALID_RECIPIENTS
            });
        }
        Ok(())
    }

    /// Reads on in a DATA body.
    pub(super) fn data_step(&mut self) -> bool {
        let Phase::Data(unstuffer) = &mut self.phase else {
            return false;
        };
        let frame = unstuffer.decode(&mut self.input);
        if unstuffer.saw_bare_line_ending() {
            self.message_failed(AbortReason::BareLineEnding);
        }
        match frame {
            None => false,
            Some(DataFrame::Data(data)) => {
                self.body_chunk(data);
                true
            }
            Some(DataFrame::End) => {
                self.phase = Phase::Command;
                self.message_complete();
                true
            }
        }
    }

    /// Reads on in a BDAT chunk.
    pub(super) fn bdat_step(&mut self) -> bool {
        let Phase::Bdat(bdat) = &mut self.phase else {
            return false;
        };
        if let Some(data) = bdat.chunk.decode(&mut self.input) {
            if bdat.error.is_none() {
                self.body_chunk(data);
            }
            return true;
        }
        if !bdat.chunk.is_done() {
            return false;
        }
        let Phase::Bdat(bdat) = std::mem::replace(&mut self.phase, Phase::Command) else {
            return false;
        };
        match bdat.error {
            Some(reply) => {
                if self.txn.as_ref().is_some_and(|t| t.failed.is_some()) {
                    self.txn = None;
                }
                self.fail(reply);
            }
            None if !bdat.last => {
                let reply = Reply::new(
                    ReplyCode::OK,
                    Some(EnhancedCode::OK),
                    format!("Ok: {} octets received", bdat.size),
                )
                .unwrap_or(Reply::OK);
                self.send(&reply);
            }
            None => self.message_complete(),
        }
        // Without PIPELINING the client waits for BDAT's reply.
        if !self.input.is_empty() && !self.pipelining_offered() && !self.phase_is_closed() {
            self.pipelining_violation("BDAT");
        }
        true
    }

    /// Body octets: handed out, or dropped once the message has failed.
    fn body_chunk(&mut self, data: Bytes) {
        let max = self.options.max_message_size;
        let Some(txn) = &mut self.txn else {
            return;
        };
        if txn.failed.is_some() {
            return;
        }
        txn.size += data.len() as u64;
        if max > 0 && txn.size > max {
            // RFC 1870 §6.3: read and discard the rest, then 552.
            if let Phase::Data(unstuffer) = &mut self.phase {
                unstuffer.discard_rest();
            }
            self.message_failed(AbortReason::MessageTooBig);
            return;
        }
        let txn = txn.id;
        self.events
            .push_back(Event::BodyChunkReceived { txn, data });
    }

    /// The message cannot succeed; the application hears so at once.
    fn message_failed(&mut self, reason: AbortReason) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        if txn.failed.is_some() {
            return;
        }
        txn.failed = Some(reason);
        if txn.announced {
            txn.announced = false;
            let txn = txn.id;
            self.events
                .push_back(Event::TransactionAborted { txn, reason });
        }
    }

    /// The end of the data: hand the message over, or refuse it.
    fn message_complete(&mut self) {
        let Some(txn) = &mut self.txn else {
            return;
        };
        match txn.failed {
            None => {
                txn.announced = false;
                txn.lmtp_results = vec![None; txn.recipients.len()];
                txn.lmtp_sent = 0;
                let (id, size) = (txn.id, txn.size);
                let recipients = txn.recipients.iter().map(|(id, _)| *id).collect();
                self.pending = Pending::Message(id);
                self.events.push_back(Event::MessageReceived {
                    txn: id,
                    size,
                    recipients,
                });
            }
            Some(reason) => {
                self.txn = None;
                self.fail(match reason {
                    AbortReason::BareLineEnding => replies::BARE_LINE_ENDING,
                    _ => Reply::MESSAGE_TOO_BIG,
                });
            }
        }
    }

    /// Sends the LMTP replies that are ready, in order; ends the
    /// transaction once all are out.
    fn flush_lmtp(&mut self) {
        loop {
            let Some(txn) = &mut self.txn else {
                return;
            };
            let i = txn.lmtp_sent;
            let Some(Some(result)) = txn.lmtp_results.get(i).cloned() else {
                break;
            };
            txn.lmtp_sent += 1;
            let path = txn.recipients[i].1.clone();
            match result {
                Ok(()) => {
                    self.delivered();
                    let reply = Reply::new(
                        ReplyCode::OK,
                        Some(EnhancedCode::OK),
                        format!("{path} Ok: delivered"),
                    )
                    .unwrap_or(Reply::QUEUED);
                    self.send(&reply);
                }
                // A storage failure is the server's, not the client's.
                Err(reply) => self.send(&reply),
            }
        }
        let done = self
            .txn
            .as_ref()
            .is_some_and(|t| t.lmtp_sent == t.recipients.len());
        if done {
            self.txn = None;
            self.pending = Pending::None;
            self.finish_shutdown();
            self.process();
        }
    }

    /// A message went through: the error and junk counts start again, as
    /// Postfix's limits count errors "without delivering mail".
    fn delivered(&mut self) {
        self.errors = 0;
        self.junk = 0;
    }
}

fn check_result(result: &Result<(), Reply>) -> Result<(), ServerError> {
    match result {
        Err(reply) if !reply.code().is_negative() => Err(ServerError::WrongReplyCode),
        _ => Ok(()),
    }
}
