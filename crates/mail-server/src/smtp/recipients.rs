//! Who may receive mail here: the recipient policy of Postfix's defaults
//! (`smtpd_relay_restrictions = permit_sasl_authenticated,
//! reject_unauth_destination` and `local_recipient_maps`), with Postfix's
//! reply texts, and Dovecot's for LMTP.

use std::borrow::Cow;

use mailbox_traits::{LocalDelivery, UserId};
use smtp_proto::{EnhancedCode, ForwardPath, Reply, ReplyCode};

use super::incoming::Failure;
use crate::Settings;

/// What becomes of a recipient.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// A local user's INBOX.
    Local(UserId),
    /// Another domain, for an authenticated client: the outbound queue.
    Queue,
    /// Refused with this reply.
    Refused(Reply),
}

/// Who is asking: what the policy depends on besides the address.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Client {
    /// LMTP: a mail server on this host delivering its mail; every
    /// recipient must be a local user.
    pub(crate) lmtp: bool,
    /// The client authenticated (SMTP AUTH).
    pub(crate) authenticated: bool,
    /// The server delivers to other domains (an outbound queue).
    pub(crate) outbound: bool,
}

/// Decides a `RCPT TO`:
///
/// - a mailbox in a local domain is looked up with
///   [`LocalDelivery::resolve_recipient`] (local part and domain);
///   `<Postmaster>` (RFC 5321 §4.5.1) is the local user `postmaster`, and
///   it and `postmaster@` a local domain go to
///   [`Settings::postmaster`] when there is no such user;
/// - an unknown local user gets Postfix's `550 5.1.1 <addr>: Recipient
///   address rejected: User unknown in local recipient table`;
/// - a mailbox elsewhere (another domain, an address literal) is relaying:
///   `554 5.7.1 <addr>: Relay access denied` unless the client
///   authenticated; then it goes to the outbound queue, or, where there is
///   none, gets `550 5.7.1` (this server does not deliver to other
///   domains);
/// - in LMTP, every address that is not a local user gets Dovecot's
///   `550 5.1.1 <addr> User doesn't exist: addr`;
/// - a failing lookup gets `451 4.3.0 <addr>: Temporary lookup failure`,
///   and the client tries again later.
pub(crate) async fn route<S: LocalDelivery>(
    store: &S,
    settings: &Settings,
    client: Client,
    to: &ForwardPath<'_>,
) -> Route {
    let (address, local, postmaster) = match to {
        ForwardPath::Postmaster => (Cow::Borrowed("postmaster"), true, true),
        ForwardPath::Mailbox(m) => {
            let local = m.address_literal().is_none() && settings.is_local_domain(m.domain());
            let local_part = m.local_part_unquoted();
            let address = format!("{local_part}@{}", m.domain().to_ascii_lowercase());
            let postmaster = local_part.eq_ignore_ascii_case("postmaster");
            (Cow::Owned(address), local, postmaster)
        }
    };
    let path = to.to_string();
    if !local {
        if client.authenticated && client.outbound && !client.lmtp {
            return Route::Queue;
        }
        return Route::Refused(if client.lmtp {
            unknown_lmtp(&path)
        } else if client.authenticated {
            outbound_disabled(&path)
        } else {
            relay_denied(&path)
        });
    }
    let mut found = store.resolve_recipient(&address).await;
    if let (Ok(None), true, false, Some(alias)) =
        (&found, postmaster, client.lmtp, &settings.postmaster)
    {
        found = store.resolve_recipient(alias).await;
    }
    match found {
        Ok(Some(user)) => Route::Local(user),
        Ok(None) if client.lmtp => Route::Refused(unknown_lmtp(&path)),
        Ok(None) => Route::Refused(unknown_user(&path)),
        Err(e) => {
            tracing::warn!(rcpt = %path, error = %e, "recipient lookup failed");
            Route::Refused(lookup_failed(&path))
        }
    }
}

/// The LMTP reply (RFC 2033 §4.2) for a recipient the store could not take,
/// in Dovecot's words.
pub(crate) fn lmtp_failure(path: &str, failure: Failure) -> Reply {
    match failure {
        Failure::OverQuota => reply(
            ReplyCode::EXCEEDED_STORAGE,
            enhanced(5, 2, 2),
            format!("{path} Quota exceeded (mailbox for user is full)"),
        ),
        Failure::NoSuchUser => unknown_lmtp(path),
        Failure::Temporary => reply(
            ReplyCode::LOCAL_ERROR,
            EnhancedCode::SYSTEM_TRANSIENT,
            format!("{path} Temporary internal error"),
        ),
    }
}

/// `550 5.1.1 <addr>: Recipient address rejected: User unknown in local
/// recipient table` (Postfix).
fn unknown_user(path: &str) -> Reply {
    reply(
        ReplyCode::MAILBOX_UNAVAILABLE,
        EnhancedCode::BAD_DESTINATION_MAILBOX,
        format!("{path}: Recipient address rejected: User unknown in local recipient table"),
    )
}

/// `554 5.7.1 <addr>: Relay access denied` (Postfix's
/// `reject_unauth_destination`).
fn relay_denied(path: &str) -> Reply {
    reply(
        ReplyCode::TRANSACTION_FAILED,
        EnhancedCode::NOT_AUTHORIZED,
        format!("{path}: Relay access denied"),
    )
}

/// `550 5.7.1`: an authenticated client may send to other domains once
/// this server delivers there; until then it says so.
fn outbound_disabled(path: &str) -> Reply {
    reply(
        ReplyCode::MAILBOX_UNAVAILABLE,
        EnhancedCode::NOT_AUTHORIZED,
        format!(
            "{path}: Recipient address rejected: this server does not deliver to other domains \
             (outbound delivery is not enabled)"
        ),
    )
}

/// `550 5.1.1 <addr> User doesn't exist: addr` (Dovecot's LMTP).
fn unknown_lmtp(path: &str) -> Reply {
    let bare = path.trim_start_matches('<').trim_end_matches('>');
    reply(
        ReplyCode::MAILBOX_UNAVAILABLE,
        EnhancedCode::BAD_DESTINATION_MAILBOX,
        format!("{path} User doesn't exist: {bare}"),
    )
}

/// `451 4.3.0 <addr>: Temporary lookup failure` (Postfix).
fn lookup_failed(path: &str) -> Reply {
    reply(
        ReplyCode::LOCAL_ERROR,
        EnhancedCode::SYSTEM_TRANSIENT,
        format!("{path}: Temporary lookup failure"),
    )
}

fn enhanced(class: u8, subject: u16, detail: u16) -> EnhancedCode {
    EnhancedCode::new(class, subject, detail).unwrap_or(EnhancedCode::SYSTEM_TRANSIENT)
}

/// A reply whose text holds an address the client sent; the grammar keeps
/// control octets out of addresses, and should one get through the reply
/// loses its text rather than the session its framing.
fn reply(code: ReplyCode, enhanced: EnhancedCode, text: String) -> Reply {
    Reply::new(code, Some(enhanced), text)
        .unwrap_or_else(|_| Reply::from_static(code, Some(enhanced), "Recipient address rejected"))
}

#[cfg(test)]
mod tests {
    use mailbox_traits::memory::MemoryStore;
    use smtp_proto::Mailbox;

    use super::*;

    fn settings() -> Settings {
        Settings {
            local_domains: vec!["example.org".into(), "mail.test".into()],
            ..Settings::default()
        }
    }

    fn to(address: &str) -> ForwardPath<'static> {
        ForwardPath::Mailbox(Mailbox::try_from(address.to_owned()).unwrap())
    }

    fn decide(store: &MemoryStore, client: Client, path: &ForwardPath<'_>) -> Route {
        decide_with(&settings(), store, client, path)
    }

    fn decide_with(
        settings: &Settings,
        store: &MemoryStore,
        client: Client,
        path: &ForwardPath<'_>,
    ) -> Route {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(route(store, settings, client, path))
    }

    const ANONYMOUS: Client = Client {
        lmtp: false,
        authenticated: false,
        outbound: true,
    };
    const AUTHENTICATED: Client = Client {
        lmtp: false,
        authenticated: true,
        outbound: false,
    };
    const SUBMISSION: Client = Client {
        lmtp: false,
        authenticated: true,
        outbound: true,
    };
    const LMTP: Client = Client {
        lmtp: true,
        authenticated: false,
        outbound: true,
    };

    fn refused(route: Route) -> String {
        match route {
            Route::Refused(reply) => reply.to_string(),
            Route::Local(user) => panic!("accepted for {user}"),
            Route::Queue => panic!("queued"),
        }
    }

    #[test]
    fn local_users_in_local_domains() {
        let store = MemoryStore::new();
        let alice = store.add_user("alice", "pw").unwrap();
        let postmaster = store.add_user("postmaster", "pw").unwrap();
        for client in [ANONYMOUS, AUTHENTICATED, LMTP] {
            for address in [
                "alice@example.org",
                "alice@MAIL.TEST",
                "\"alice\"@Example.Org",
            ] {
                assert_eq!(
                    decide(&store, client, &to(address)),
                    Route::Local(alice.clone()),
                    "{address}"
                );
            }
            assert_eq!(
                decide(&store, client, &ForwardPath::Postmaster),
                Route::Local(postmaster.clone())
            );
        }
    }

    #[test]
    fn postfix_replies_for_unknown_users_and_relaying() {
        let store = MemoryStore::new();
        store.add_user("alice", "pw").unwrap();
        assert_eq!(
            refused(decide(&store, ANONYMOUS, &to("bob@example.org"))),
            "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local \
             recipient table"
        );
        assert_eq!(
            refused(decide(&store, ANONYMOUS, &to("alice@elsewhere.net"))),
            "554 5.7.1 <alice@elsewhere.net>: Relay access denied"
        );
        assert_eq!(
            refused(decide(&store, ANONYMOUS, &to("alice@[192.0.2.1]"))),
            "554 5.7.1 <alice@[192.0.2.1]>: Relay access denied"
        );
        // A subdomain of a local domain is not local (Postfix's
        // parent_domain_matches_subdomains has no mydestination).
        assert!(
            refused(decide(&store, ANONYMOUS, &to("alice@sub.example.org")))
                .starts_with("554 5.7.1")
        );
        assert_eq!(
            refused(decide(&store, AUTHENTICATED, &to("bob@elsewhere.net"))),
            "550 5.7.1 <bob@elsewhere.net>: Recipient address rejected: this server does not \
             deliver to other domains (outbound delivery is not enabled)"
        );
        // With an outbound queue, an authenticated client's mail for
        // elsewhere is queued; an anonymous one's is still refused.
        assert_eq!(
            decide(&store, SUBMISSION, &to("bob@elsewhere.net")),
            Route::Queue
        );
        assert_eq!(
            decide(&store, SUBMISSION, &to("bob@[192.0.2.1]")),
            Route::Queue
        );
        assert!(
            refused(decide(&store, ANONYMOUS, &to("bob@elsewhere.net"))).starts_with("554 5.7.1")
        );
        // No postmaster account.
        assert!(
            refused(decide(&store, ANONYMOUS, &ForwardPath::Postmaster))
                .starts_with("550 5.1.1 <Postmaster>:")
        );
    }

    /// RFC 5321 §4.5.1: `<Postmaster>`, and `postmaster@` a local domain
    /// in any case, reach the user the postmaster alias names when no user
    /// is called so (Postfix's `postmaster: root`); a real `postmaster`
    /// user comes first. LMTP takes local users only.
    #[test]
    fn postmaster_goes_to_the_alias() {
        let store = MemoryStore::new();
        let alice = store.add_user("alice", "pw").unwrap();
        let with_alias = Settings {
            postmaster: Some("alice".into()),
            ..settings()
        };
        for path in [
            ForwardPath::Postmaster,
            to("postmaster@example.org"),
            to("PostMaster@mail.test"),
        ] {
            assert_eq!(
                decide_with(&with_alias, &store, ANONYMOUS, &path),
                Route::Local(alice.clone()),
                "{path}"
            );
            assert!(refused(decide(&store, ANONYMOUS, &path)).starts_with("550 5.1.1"));
            assert!(
                refused(decide_with(&with_alias, &store, LMTP, &path)).starts_with("550 5.1.1")
            );
        }
        // Elsewhere's postmaster is relaying, alias or not.
        assert!(
            refused(decide_with(
                &with_alias,
                &store,
                ANONYMOUS,
                &to("postmaster@elsewhere.net")
            ))
            .starts_with("554 5.7.1")
        );
        let postmaster = store.add_user("postmaster", "pw").unwrap();
        assert_eq!(
            decide_with(&with_alias, &store, ANONYMOUS, &ForwardPath::Postmaster),
            Route::Local(postmaster)
        );
    }

    #[test]
    fn dovecot_replies_in_lmtp() {
        let store = MemoryStore::new();
        for address in ["bob@example.org", "alice@elsewhere.net"] {
            assert_eq!(
                refused(decide(&store, LMTP, &to(address))),
                format!("550 5.1.1 <{address}> User doesn't exist: {address}")
            );
        }
        assert_eq!(
            lmtp_failure("<a@example.org>", Failure::OverQuota).to_string(),
            "552 5.2.2 <a@example.org> Quota exceeded (mailbox for user is full)"
        );
        assert_eq!(
            lmtp_failure("<a@example.org>", Failure::Temporary).to_string(),
            "451 4.3.0 <a@example.org> Temporary internal error"
        );
        assert_eq!(
            lmtp_failure("<a@example.org>", Failure::NoSuchUser).to_string(),
            "550 5.1.1 <a@example.org> User doesn't exist: a@example.org"
        );
    }
}
