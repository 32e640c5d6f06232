//! Logging in (LOGIN, RFC 9051 §6.2.3; AUTHENTICATE PLAIN with SASL-IR,
//! §6.2.2 and RFC 4959), the mailboxes a new account gets, and the
//! commands that describe the server: ID (RFC 2971) and NAMESPACE (RFC
//! 2342).

use imap_proto::server::{Credentials, LoginFailure, Server};
use imap_proto::types::{Data, IString, NString, NamespaceDescr, Quoted, Tag};
use mailbox_traits::{
    Account, Authenticator, MailStore, MailboxName, Password, SpecialUse, StoreError, UserId,
};
use tracing::{debug, info, warn};

use super::session::{Session, log_refusal};
use crate::login::{Attempt, Verdict};

/// The mailboxes every account has, with their special use (RFC 6154),
/// made at first login if missing, as Dovecot's `auto = create` does;
/// INBOX is the store's.
pub(crate) const DEFAULT_MAILBOXES: [(&str, SpecialUse); 5] = [
    ("Sent", SpecialUse::Sent),
    ("Drafts", SpecialUse::Drafts),
    ("Trash", SpecialUse::Trash),
    ("Junk", SpecialUse::Junk),
    ("Archive", SpecialUse::Archive),
];

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// LOGIN or AUTHENTICATE PLAIN: checked by the authenticator; a failure
    /// is answered after [`Settings::auth_failure_delay`](crate::Settings).
    pub(super) async fn login(&mut self, m: &mut Server, credentials: Credentials) {
        let attempt = match credentials {
            Credentials::Login { username, password } => Attempt::Password {
                login: username,
                password: Password::new(password.into_inner()),
            },
            Credentials::Plain {
                authzid,
                authcid,
                password,
            } => Attempt::Plain {
                authzid,
                authcid,
                password: Password::new(password.into_inner()),
            },
            _ => Attempt::Unverifiable {
                login: String::new(),
            },
        };
        let user = match self.shared.verify(attempt).await {
            Verdict::User(user) => user,
            Verdict::Refused => {
                return log_refusal(m.login_failed(LoginFailure::InvalidCredentials));
            }
            Verdict::Unavailable => return log_refusal(m.login_failed(LoginFailure::Unavailable)),
        };
        match self.open_account(&user).await {
            Ok(account) => {
                info!(%user, "logged in");
                self.user = Some(user);
                self.account = Some(account);
                log_refusal(m.login_succeeded());
            }
            Err(e) => {
                warn!(%user, error = %e, "cannot open the account");
                log_refusal(m.login_failed(LoginFailure::Unavailable));
            }
        }
    }

    /// The user's account, with the default mailboxes made if missing.
    async fn open_account(&self, user: &UserId) -> Result<S::Account, StoreError> {
        let account = self.shared.store.account(user).await?;
        let existing = account.list_mailboxes().await?;
        for (name, special_use) in DEFAULT_MAILBOXES {
            if existing.iter().any(|m| m.name.as_str() == name) {
                continue;
            }
            let name = MailboxName::new(name)?;
            match account.create_mailbox(&name, Some(special_use)).await {
                // Another session of the user made it meanwhile.
                Ok(()) | Err(StoreError::AlreadyExists) => {
                    debug!(%user, mailbox = %name, "made a default mailbox");
                }
                // A store without special uses still gets the mailbox.
                Err(StoreError::Unsupported) => match account.create_mailbox(&name, None).await {
                    Ok(()) | Err(StoreError::AlreadyExists) => {}
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Ok(account)
    }

    /// ID (RFC 2971 §3.1): what the client says is logged; the server
    /// names itself.
    pub(super) fn id(
        &self,
        m: &mut Server,
        tag: &Tag<'_>,
        params: Option<&[(IString<'_>, NString<'_>)]>,
    ) {
        if let Some(params) = params {
            let shown: Vec<(String, String)> = params
                .iter()
                .take(30)
                .map(|(k, v)| {
                    let value = v.as_ref().map_or("NIL".into(), |v| {
                        String::from_utf8_lossy(v.as_bytes()).into_owned()
                    });
                    (String::from_utf8_lossy(k.as_bytes()).into_owned(), value)
                })
                .collect();
            debug!(client = ?shown, "ID");
        }
        let field = |s: &'static str| Quoted::new(s.as_bytes()).ok().map(IString::Quoted);
        let pairs: Vec<(IString<'static>, NString<'static>)> = [
            ("name", "mail-server"),
            ("version", env!("CARGO_PKG_VERSION")),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((field(k)?, Some(field(v)?))))
        .collect();
        log_refusal(m.data(tag, &Data::Id(Some(pairs))));
        log_refusal(m.ok(tag));
    }

    /// NAMESPACE (RFC 2342 §5): one personal namespace with no prefix and
    /// `/` as the delimiter; no other users' or shared ones.
    pub(super) fn namespace(&self, m: &mut Server, tag: &Tag<'_>) {
        let personal = Quoted::new(&b""[..]).ok().map(|prefix| NamespaceDescr {
            prefix: IString::Quoted(prefix),
            delimiter: Some(MailboxName::DELIMITER),
            extensions: Vec::new(),
        });
        let data = Data::Namespace {
            personal: personal.into_iter().collect(),
            other: Vec::new(),
            shared: Vec::new(),
        };
        log_refusal(m.data(tag, &data));
        log_refusal(m.ok(tag));
    }
}
