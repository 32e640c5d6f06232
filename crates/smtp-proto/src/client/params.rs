//! MAIL and RCPT parameters against what the server announced (RFC 5321
//! §4.1.1.11: a client sends only the parameters of extensions the server
//! offers), with Postfix's choice of what to drop rather than refuse.

use crate::{Body, Capability, ClientError, MailParameters, Parameter, RcptParameters};

use super::Client;

impl Client {
    /// Drops or refuses MAIL's parameters the server did not announce.
    pub(super) fn fit_mail_params(&self, p: &mut MailParameters<'_>) -> Result<(), ClientError> {
        let drop = self.options.drop_unoffered_parameters;
        // SIZE is an estimate for the server's sake (RFC 1870 §6): Postfix
        // sends it only when offered.
        if p.size.is_some() && !self.offers(&Capability::Size(None)) {
            refuse_unless(drop, "SIZE")?;
            p.size = None;
        }
        match p.body {
            Some(Body::BinaryMime) => {
                self.need(Capability::BinaryMime, "BODY")?;
                self.need(Capability::Chunking, "BODY")?;
            }
            // RFC 6152 §3: BODY= only to a server with 8BITMIME. A 7-bit
            // body needs no label.
            Some(Body::SevenBit) if !self.offers(&Capability::EightBitMime) => {
                refuse_unless(drop, "BODY")?;
                p.body = None;
            }
            // An 8-bit body: Postfix converts it to 7 bits (MIME
            // quoted-printable) for such a server unless told not to
            // (`disable_mime_output_conversion = yes`: sent as is). This
            // crate converts nothing: the application converts and says
            // 7BIT, or sets `send_8bit_without_8bitmime`.
            Some(Body::EightBitMime) if !self.offers(&Capability::EightBitMime) => {
                refuse_unless(self.options.send_8bit_without_8bitmime, "BODY")?;
                p.body = None;
            }
            _ => {}
        }
        if p.smtputf8 {
            // RFC 6531 §3.4: no way down for UTF-8 addresses or headers.
            self.need(Capability::SmtpUtf8, "SMTPUTF8")?;
        }
        // DSN (RFC 3461): Postfix drops these for a server without DSN (and
        // sends "relayed" notifications itself, RFC 3461 §4.1: the
        // application's part here).
        if !self.offers(&Capability::Dsn) {
            if p.ret.is_some() {
                refuse_unless(drop, "RET")?;
                p.ret = None;
            }
            if p.envid.is_some() {
                refuse_unless(drop, "ENVID")?;
                p.envid = None;
            }
        }
        // RFC 4954 §5: AUTH= only to a server that offers AUTH.
        if p.auth.is_some() && !self.offers(&Capability::Auth(Vec::new())) {
            refuse_unless(drop, "AUTH")?;
            p.auth = None;
        }
        // RFC 8689: a message that requires TLS must not lose the demand.
        if p.requiretls {
            self.need(Capability::RequireTls, "REQUIRETLS")?;
        }
        if p.mt_priority.is_some() {
            self.need(Capability::MtPriority(None), "MT-PRIORITY")?;
        }
        self.need_others(&p.other)
    }

    /// Drops or refuses RCPT's parameters the server did not announce.
    pub(super) fn fit_rcpt_params(&self, p: &mut RcptParameters<'_>) -> Result<(), ClientError> {
        if !self.offers(&Capability::Dsn) {
            let drop = self.options.drop_unoffered_parameters;
            if p.notify.is_some() {
                refuse_unless(drop, "NOTIFY")?;
                p.notify = None;
            }
            if p.orcpt.is_some() {
                refuse_unless(drop, "ORCPT")?;
                p.orcpt = None;
            }
        }
        self.need_others(&p.other)
    }

    fn need(&self, capability: Capability, parameter: &'static str) -> Result<(), ClientError> {
        if self.offers(&capability) {
            Ok(())
        } else {
            Err(ClientError::NotOffered(parameter.into()))
        }
    }

    /// Parameters of extensions this crate does not know: sent only if the
    /// server announced a keyword of their name.
    fn need_others(&self, other: &[Parameter<'_>]) -> Result<(), ClientError> {
        let offered = |kw: &str| {
            self.esmtp
                && self
                    .capabilities
                    .as_ref()
                    .is_some_and(|c| c.has_keyword(kw))
        };
        match other.iter().find(|p| !offered(p.keyword())) {
            Some(p) => Err(ClientError::NotOffered(p.keyword().to_owned().into())),
            None => Ok(()),
        }
    }
}

fn refuse_unless(drop: bool, parameter: &'static str) -> Result<(), ClientError> {
    if drop {
        Ok(())
    } else {
        Err(ClientError::NotOffered(parameter.into()))
    }
}
