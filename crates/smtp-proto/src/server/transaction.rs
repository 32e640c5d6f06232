//! MAIL and RCPT (RFC 5321 §4.1.1.2, §4.1.1.3), with the parameters of the
//! extensions the server announced, and the application's decisions.

use crate::{Body, ForwardPath, MailParameters, RcptParameters, Reply, ReversePath, ServerError};

use super::{Event, Pending, RcptId, Server, Transaction, TxnId, replies};

impl Server {
    /// Accepts the sender of [`Event::MailRequested`]: `250 2.1.0 Ok`.
    pub fn accept_mail(&mut self, txn: TxnId) -> Result<(), ServerError> {
        if self.pending != Pending::Mail(txn) {
            return Err(ServerError::NoMailPending);
        }
        self.pending = Pending::None;
        self.send(&Reply::SENDER_OK);
        self.process();
        Ok(())
    }

    /// Refuses the sender of [`Event::MailRequested`] with `reply` (a `4xx`
    /// or `5xx`); the transaction ends.
    pub fn reject_mail(&mut self, txn: TxnId, reply: Reply) -> Result<(), ServerError> {
        if self.pending != Pending::Mail(txn) {
            return Err(ServerError::NoMailPending);
        }
        if !reply.code().is_negative() {
            return Err(ServerError::WrongReplyCode);
        }
        self.pending = Pending::None;
        self.txn = None;
        self.send(&reply);
        self.count_error();
        self.process();
        Ok(())
    }

    /// Accepts the recipient of [`Event::RcptRequested`]: `250 2.1.5 Ok`.
    pub fn accept_rcpt(&mut self, id: RcptId) -> Result<(), ServerError> {
        let Pending::Rcpt(pending, _) = &self.pending else {
            return Err(ServerError::NoRcptPending);
        };
        if *pending != id {
            return Err(ServerError::NoRcptPending);
        }
        let Pending::Rcpt(id, path) = std::mem::replace(&mut self.pending, Pending::None) else {
            return Err(ServerError::NoRcptPending);
        };
        if let Some(t) = &mut self.txn {
            t.recipients.push((id, path));
        }
        self.send(&Reply::RECIPIENT_OK);
        self.process();
        Ok(())
    }

    /// Refuses the recipient of [`Event::RcptRequested`] with `reply` (a
    /// `4xx` or `5xx`); the transaction goes on without it.
    pub fn reject_rcpt(&mut self, id: RcptId, reply: Reply) -> Result<(), ServerError> {
        if !matches!(&self.pending, Pending::Rcpt(pending, _) if *pending == id) {
            return Err(ServerError::NoRcptPending);
        }
        if !reply.code().is_negative() {
            return Err(ServerError::WrongReplyCode);
        }
        self.pending = Pending::None;
        self.send(&reply);
        self.count_error();
        self.process();
        Ok(())
    }

    pub(super) fn mail(&mut self, from: ReversePath<'_>, params: MailParameters<'_>) {
        if self.hello.is_none() && self.options.helo_required {
            return self.fail(if self.options.lmtp {
                replies::SEND_LHLO_FIRST
            } else {
                replies::SEND_HELO_FIRST
            });
        }
        if self.options.require_tls && !self.tls {
            return self.fail(replies::STARTTLS_FIRST);
        }
        if self.options.auth_required && !self.authenticated {
            return self.fail(Reply::AUTH_REQUIRED);
        }
        if self.txn.is_some() {
            return self.fail(replies::NESTED_MAIL);
        }
        if let Err(reply) = self.check_mail(&from, &params) {
            return self.fail(reply);
        }
        let id = TxnId(self.next_id());
        self.txn = Some(Transaction {
            id,
            announced: true,
            body: params.body,
            smtputf8: params.smtputf8,
            rcpt_attempts: 0,
            rcpt_overshoot: 0,
            recipients: Vec::new(),
            size: 0,
            bdat: false,
            failed: None,
            lmtp_results: Vec::new(),
            lmtp_sent: 0,
        });
        self.pending = Pending::Mail(id);
        self.events.push_back(Event::MailRequested {
            txn: id,
            from: from.into_owned(),
            params: params.into_owned(),
        });
    }

    /// The parameters of extensions not announced get `555` (RFC 5321
    /// §4.1.1.11); a SIZE over the limit `552 5.3.4` (RFC 1870 §6.1); a
    /// non-ASCII sender without SMTPUTF8 `550 5.6.7` (RFC 6531 §3.5).
    fn check_mail(&self, from: &ReversePath<'_>, params: &MailParameters<'_>) -> Result<(), Reply> {
        let o = &self.options;
        let esmtp = self.esmtp();
        let offer = |on: bool, keyword: &str| {
            if esmtp && on {
                Ok(())
            } else {
                Err(replies::unsupported(keyword))
            }
        };
        if let Some(size) = params.size {
            offer(true, "SIZE")?;
            if o.max_message_size > 0 && size > o.max_message_size {
                return Err(Reply::MESSAGE_TOO_BIG);
            }
        }
        match params.body {
            None => {}
            Some(Body::SevenBit | Body::EightBitMime) => offer(o.eight_bit_mime, "BODY")?,
            Some(Body::BinaryMime) => offer(o.binary_mime && o.chunking, "BODY")?,
        }
        if params.smtputf8 {
            offer(o.smtputf8, "SMTPUTF8")?;
        }
        if params.ret.is_some() {
            offer(o.dsn, "RET")?;
        }
        if params.envid.is_some() {
            offer(o.dsn, "ENVID")?;
        }
        if params.auth.is_some() {
            offer(!self.mechanisms().is_empty(), "AUTH")?;
        }
        if params.requiretls {
            offer(o.requiretls && self.tls, "REQUIRETLS")?;
        }
        if params.mt_priority.is_some() {
            offer(o.mt_priority, "MT-PRIORITY")?;
        }
        for p in &params.other {
            offer(self.takes_parameter(p.keyword()), p.keyword())?;
        }
        if !from.is_ascii() && !params.smtputf8 {
            return Err(replies::NON_ASCII_SENDER);
        }
        Ok(())
    }

    fn takes_parameter(&self, keyword: &str) -> bool {
        self.options
            .extra_parameters
            .iter()
            .any(|k| k.eq_ignore_ascii_case(keyword))
    }

    pub(super) fn rcpt(&mut self, to: ForwardPath<'_>, params: RcptParameters<'_>) {
        let Some(txn) = &mut self.txn else {
            return self.fail(replies::NEED_MAIL);
        };
        txn.rcpt_attempts += 1;
        let (id, bdat, smtputf8, accepted) = (txn.id, txn.bdat, txn.smtputf8, txn.recipients.len());
        if bdat {
            return self.fail(replies::BDAT_IN_PROGRESS);
        }
        if accepted >= self.options.max_recipients {
            // Postfix counts the excess only past its overshoot limit.
            txn.rcpt_overshoot += 1;
            if txn.rcpt_overshoot <= self.options.recipient_overshoot_limit {
                self.send(&Reply::TOO_MANY_RECIPIENTS);
                self.events.push_back(Event::CommandRejected {
                    reply: Reply::TOO_MANY_RECIPIENTS,
                });
                return;
            }
            return self.fail(Reply::TOO_MANY_RECIPIENTS);
        }
        let esmtp = self.esmtp();
        let dsn = esmtp && self.options.dsn;
        if params.notify.is_some() && !dsn {
            return self.fail(replies::unsupported("NOTIFY"));
        }
        if params.orcpt.is_some() && !dsn {
            return self.fail(replies::unsupported("ORCPT"));
        }
        for p in &params.other {
            if !(esmtp && self.takes_parameter(p.keyword())) {
                return self.fail(replies::unsupported(p.keyword()));
            }
        }
        if !to.is_ascii() && !smtputf8 {
            return self.fail(replies::NON_ASCII_RECIPIENT);
        }
        let rcpt = RcptId(self.next_id());
        self.pending = Pending::Rcpt(rcpt, to.to_string());
        self.events.push_back(Event::RcptRequested {
            txn: id,
            id: rcpt,
            to: to.into_owned(),
            params: params.into_owned(),
        });
    }
}
