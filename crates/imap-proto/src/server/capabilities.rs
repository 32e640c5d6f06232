//! What the server announces: the capabilities of RFC 9051 §6.1.1 as the
//! session stands, and the greeting (§7.1).

use crate::types::{Atom, Code, StatusKind};

use super::{LiteralExtension, Server, State};

impl Server {
    /// The capabilities the server announces now: the IMAP versions offered,
    /// the extensions the server runs itself, and before login STARTTLS,
    /// LOGINDISABLED and the usable `AUTH=` mechanisms (RFC 9051 §6.1.1,
    /// §6.2) and [`Options::pre_login_extensions`](super::Options::pre_login_extensions),
    /// after login COMPRESS=DEFLATE and
    /// [`Options::extensions`](super::Options::extensions).
    pub fn capabilities(&self) -> Vec<Atom<'static>> {
        let o = &self.options;
        let mut caps = Vec::new();
        if o.imap4rev1 {
            caps.push(Atom::from_static("IMAP4rev1"));
        }
        if o.imap4rev2 {
            caps.push(Atom::from_static("IMAP4rev2"));
        }
        let before_login = self.state == State::NotAuthenticated;
        if before_login {
            if o.starttls && !self.tls {
                caps.push(Atom::from_static("STARTTLS"));
            }
            if !self.plaintext_allowed() {
                caps.push(Atom::from_static("LOGINDISABLED"));
            }
            for mech in self.mechanisms() {
                if let Ok(a) = Atom::new(format!("AUTH={mech}")) {
                    caps.push(a);
                }
            }
        }
        // IMAP4rev2 includes these (RFC 9051 appendix E); IMAP4rev1 clients
        // learn of them by name.
        if o.imap4rev1 {
            caps.push(Atom::from_static("SASL-IR"));
            caps.push(Atom::from_static("ENABLE"));
            caps.push(Atom::from_static("IDLE"));
        }
        match o.literal {
            LiteralExtension::Plus => caps.push(Atom::from_static("LITERAL+")),
            LiteralExtension::Minus if o.imap4rev1 => caps.push(Atom::from_static("LITERAL-")),
            LiteralExtension::Minus => {}
        }
        if before_login {
            caps.extend(o.pre_login_extensions.iter().cloned());
        } else {
            if o.compress {
                caps.push(Atom::from_static("COMPRESS=DEFLATE"));
            }
            caps.extend(o.extensions.iter().cloned());
        }
        caps
    }

    /// Whether a password may cross this connection now.
    pub(super) fn plaintext_allowed(&self) -> bool {
        self.tls || self.options.allow_plaintext_without_tls
    }

    /// The SASL mechanisms usable now: plaintext ones only where passwords
    /// may cross (RFC 9051 §6.2.2, RFC 2595 §3.2).
    pub(super) fn mechanisms(&self) -> impl Iterator<Item = &Atom<'static>> {
        let plaintext = self.plaintext_allowed();
        self.options
            .sasl_mechanisms
            .iter()
            .filter(move |m| plaintext || !is_plaintext(m))
    }

    pub(super) fn greet(&mut self, kind: StatusKind) {
        let code = self
            .options
            .greeting_capabilities
            .then(|| Code::Capability(self.capabilities()));
        let greeting = self.options.greeting.clone();
        self.untagged_status(kind, code, &greeting);
    }
}

/// Whether a SASL mechanism sends the password in the clear (RFC 4616 PLAIN,
/// and the LOGIN mechanism of draft-murchison-sasl-login).
pub(super) fn is_plaintext(mechanism: &Atom<'_>) -> bool {
    mechanism.is("PLAIN") || mechanism.is("LOGIN")
}
