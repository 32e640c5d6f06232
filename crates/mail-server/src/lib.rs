//! The tokio layer of the mail protocol crates: listeners, TLS, limits,
//! authentication, and a session driver per protocol over any
//! [`mailbox_traits`] store.
//!
//! Serve POP3 for your application's users from your own store in a few
//! lines. Here the store is the in-memory one, which is its own
//! authenticator too:
//!
//! ```
//! use mail_server::MailServer;
//! use mailbox_traits::memory::MemoryStore;
//! use mailbox_traits::{InternalDate, LocalDelivery};
//! use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = MemoryStore::new();
//! let alice = store.add_user("alice", "wonderland")?;
//! let message = "Subject: hi\r\n\r\nHello from the app.\r\n";
//! let date = InternalDate::from_unix(1_700_000_000)?;
//! store.deliver(message.into(), &[alice], date).await?;
//!
//! let server = MailServer::builder(store.clone(), store)
//!     .pop3("127.0.0.1:0".parse()?)
//!     .start()
//!     .await?;
//! let addr = server.listeners()[0].addr;
//!
//! // Any POP3 client will do; this one is a socket. From loopback,
//! // USER/PASS is allowed without TLS (Dovecot's rule).
//! let (read, mut write) = tokio::net::TcpStream::connect(addr).await?.into_split();
//! let mut lines = BufReader::new(read).lines();
//! write.write_all(b"USER alice\r\nPASS wonderland\r\nSTAT\r\nUIDL 1\r\nQUIT\r\n").await?;
//! let mut replies = Vec::new();
//! while let Some(line) = lines.next_line().await? {
//!     replies.push(line);
//! }
//! assert_eq!(replies, [
//!     "+OK POP3 server ready",
//!     "+OK",
//!     "+OK Logged in.",
//!     "+OK 1 36",
//!     "+OK 1 0000000100000001", // UID 1, UIDVALIDITY 1: Dovecot's %08Xu%08Xv
//!     "+OK Logging out.",
//! ]);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Take mail in over SMTP for the local domains with a store that delivers
//! ([`LocalDelivery`](mailbox_traits::LocalDelivery)); the client hears
//! `250` only once the message is stored:
//!
//! ```
//! use mail_server::MailServer;
//! use mailbox_traits::memory::MemoryStore;
//! use mailbox_traits::{Access, Account, MailStore, Mailbox, MailboxName};
//! use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = MemoryStore::new();
//! let alice = store.add_user("alice", "wonderland")?;
//! let server = MailServer::builder(store.clone(), store.clone())
//!     .hostname("mail.example.org")
//!     .local_domains(["example.org"])
//!     .smtp("127.0.0.1:0".parse()?)
//!     .start()
//!     .await?;
//! let addr = server.listeners()[0].addr;
//!
//! let (read, mut write) = tokio::net::TcpStream::connect(addr).await?.into_split();
//! let mut lines = BufReader::new(read).lines();
//! let mut exchange = async |send: &str| -> std::io::Result<String> {
//!     write.write_all(send.as_bytes()).await?;
//!     let mut reply = String::new();
//!     while let Some(line) = lines.next_line().await? {
//!         let last = line.as_bytes().get(3) == Some(&b' ');
//!         reply.push_str(&line);
//!         if last {
//!             break;
//!         }
//!     }
//!     Ok(reply)
//! };
//! assert_eq!(exchange("").await?, "220 mail.example.org ESMTP");
//! exchange("EHLO client.example\r\n").await?;
//! // Mail for a local user, from anyone; RFC 2920 pipelining.
//! let envelope = "MAIL FROM:<bob@elsewhere.net>\r\nRCPT TO:<alice@example.org>\r\n";
//! assert_eq!(exchange(envelope).await?, "250 2.1.0 Ok");
//! assert_eq!(exchange("").await?, "250 2.1.5 Ok");
//! // Mail for elsewhere: no open relay.
//! assert_eq!(
//!     exchange("RCPT TO:<carol@elsewhere.net>\r\n").await?,
//!     "554 5.7.1 <carol@elsewhere.net>: Relay access denied"
//! );
//! exchange("DATA\r\n").await?;
//! let data = "Subject: hi\r\n\r\nHello, Alice.\r\n.\r\n";
//! assert_eq!(exchange(data).await?, "250 2.0.0 Ok: queued");
//!
//! let inbox = store.account(&alice).await?.open_mailbox(&MailboxName::inbox()).await?;
//! let uid = inbox.snapshot(Access::ReadOnly).await?.messages[0].uid;
//! let stored = inbox.read(uid).await?;
//! // A trace field first (RFC 5321 §4.4), then the message as sent.
//! assert!(stored.starts_with(b"Received: from client.example ([127.0.0.1])\r\n"));
//! assert!(stored.ends_with(b"\r\n\r\nHello, Alice.\r\n"));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Serve IMAP the same way; a client that selects INBOX sees the mail at
//! once, and an idling client hears of new mail as it is stored:
//!
//! ```
//! use mail_server::MailServer;
//! use mailbox_traits::memory::MemoryStore;
//! use mailbox_traits::{InternalDate, LocalDelivery};
//! use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = MemoryStore::new();
//! let alice = store.add_user("alice", "wonderland")?;
//! let date = InternalDate::from_unix(1_700_000_000)?;
//! store.deliver("Subject: hi\r\n\r\nHello.\r\n".into(), &[alice.clone()], date).await?;
//! let server = MailServer::builder(store.clone(), store.clone())
//!     .imap("127.0.0.1:0".parse()?)
//!     .start()
//!     .await?;
//! let addr = server.listeners()[0].addr;
//!
//! let (read, mut write) = tokio::net::TcpStream::connect(addr).await?.into_split();
//! let mut lines = BufReader::new(read).lines();
//! let mut response = async |tag: &str| -> std::io::Result<Vec<String>> {
//!     let mut all = Vec::new();
//!     while let Some(line) = lines.next_line().await? {
//!         let done = line.starts_with(tag);
//!         all.push(line);
//!         if done {
//!             break;
//!         }
//!     }
//!     Ok(all)
//! };
//! response("* OK").await?;
//! write.write_all(b"a LOGIN alice wonderland\r\nb SELECT INBOX\r\n").await?;
//! response("a ").await?;
//! assert!(response("b ").await?.contains(&"* 1 EXISTS".to_owned()));
//! write.write_all(b"c FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n").await?;
//! assert_eq!(response("c ").await?, [
//!     "* 1 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {15}",
//!     "Subject: hi",
//!     "",
//!     ")",
//!     "c OK FETCH completed",
//! ]);
//! // IDLE (RFC 2177): a delivery reaches the idling client by itself.
//! write.write_all(b"d IDLE\r\n").await?;
//! assert_eq!(response("+ ").await?, ["+ idling"]);
//! store.deliver("Subject: again\r\n\r\nHi.\r\n".into(), &[alice], date).await?;
//! assert_eq!(response("* 2 ").await?, ["* 2 EXISTS"]);
//! write.write_all(b"DONE\r\ne LOGOUT\r\n").await?;
//! response("e ").await?;
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! - [`MailServer::builder`] takes a [`MailStore`](mailbox_traits::MailStore)
//!   and an [`Authenticator`](mailbox_traits::Authenticator), listeners and
//!   settings, and [`start`](MailServerBuilder::start)s them; the
//!   [`RunningServer`] it gives back reports its addresses and shuts down
//!   gracefully: it stops accepting, lets sessions finish up to a deadline,
//!   and closes the rest ([`RunningServer::run_until_signal`] does that on
//!   Ctrl-C or SIGTERM).
//! - TLS with rustls: implicit-TLS listeners (RFC 8314) and STARTTLS/STLS
//!   on the plain ones, from PEM files or a self-signed certificate made
//!   once and kept ([`TlsSource`]).
//! - Policy as Dovecot and Postfix have it: passwords only over TLS or from
//!   loopback ([`PlaintextAuth`]), a failed login answered after a delay
//!   (2 s), no open relay, a cap on connections, and the protocol machines'
//!   own limits (line lengths, recipients, message size, bad commands,
//!   timeouts).
//! - [`Users`]: an authenticator over argon2 password hashes, as a users
//!   file lists them ([`hash_password`] makes the lines).
//! - Logs through `tracing`: one span per session with the protocol and
//!   the peer's address; never a password.
//!
//! # Session drivers
//!
//! Each protocol is one driver module: it runs the protocol crate's
//! sans-IO server machine on a connection, and only moves bytes, sleeps
//! until the machine's deadline, and answers the machine's questions from
//! the store. The loop they share does the rest, including the switch to
//! TLS after STARTTLS/STLS/COMPRESS on the same socket, and streams a
//! large answer a part at a time as the client reads it.
//!
//! SMTP (RFC 5321) takes mail for the local domains
//! ([`Settings::local_domains`]) from anyone, and refuses other domains
//! from a client that did not authenticate (`554 5.7.1 Relay access
//! denied`). An authenticated client's mail for other domains goes to the
//! outbound [`queue`] when the server has one
//! ([`MailServerBuilder::outbound`]): written durably before `250`, then
//! sent to each domain's MX hosts (or a static route, or a smarthost) with
//! smtp-proto's client, retried with backoff, bounced to the sender with an
//! RFC 3464 report when it fails for good; without a queue it gets `550
//! 5.7.1`. A submission listener ([`MailServerBuilder::submission`], RFC
//! 6409) requires AUTH before MAIL and adds a missing `Date` and
//! `Message-ID`. AUTH PLAIN and LOGIN check
//! the [`Authenticator`](mailbox_traits::Authenticator). Each message gets
//! a `Received:` field (RFC 5321 §4.4, RFC 3848's `ESMTPSA` and the like)
//! and goes to [`LocalDelivery::deliver`](mailbox_traits::LocalDelivery)
//! once per user; the client hears `250` only when every copy is durable,
//! and `451 4.3.0` otherwise. LMTP (RFC 2033) is the same for a mail server
//! on this host, with a reply per recipient and no AUTH.
//!
//! POP3 (RFC 1939) serves each user's INBOX: UIDL stays the same across
//! sessions and restarts (UID and UIDVALIDITY, as Dovecot), sizes are exact,
//! RETR sets `\Seen`, DELE takes effect only at QUIT, and a second session
//! of the same user gets `-ERR [IN-USE]`.
//!
//! IMAP (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1, both offered) answers
//! every command from the store as Dovecot does: LOGIN and AUTHENTICATE
//! PLAIN with SASL-IR (LOGINDISABLED before TLS but from loopback),
//! LIST-EXTENDED, LIST-STATUS and SPECIAL-USE (a new account gets INBOX,
//! Sent, Drafts, Trash, Junk and Archive), CREATE, DELETE, RENAME,
//! SUBSCRIBE, STATUS with SIZE, SELECT and EXAMINE with CONDSTORE and
//! QRESYNC, FETCH of every item (bodies streamed as the store's `Bytes`,
//! `\Seen` set by a body fetched without PEEK), SEARCH with ESEARCH and
//! SEARCHRES, STORE with UNCHANGEDSINCE, COPY and MOVE with COPYUID,
//! EXPUNGE and UID EXPUNGE, APPEND and MULTIAPPEND streamed in with
//! APPENDUID, IDLE, NAMESPACE, ID, ENABLE, UNSELECT and COMPRESS=DEFLATE.
//! Other sessions' changes reach a session through the store's change
//! feed: at the end of each command (an EXPUNGE only where RFC 9051 §7.5.1
//! allows it) and at once in IDLE.

mod auth;
mod connection;
mod deflate;
mod driver;
mod error;
mod imap;
mod login;
mod pop3;
pub mod queue;
mod running;
mod server;
mod smtp;
mod tls;

pub use auth::{PlaintextAuth, Users, hash_password};
pub use error::{Error, UsersError};
pub use running::{Listening, RunningServer, ShutdownReport};
pub use server::{MailServer, MailServerBuilder, Protocol, Security, Settings};
pub use tls::{SelfSigned, TlsSource};
