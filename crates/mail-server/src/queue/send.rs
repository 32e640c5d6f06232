//! The client drive loop: smtp-proto's client machine on a tokio socket.
//! It only moves bytes, sleeps until the machine's deadline, runs the TLS
//! handshake when the machine asks, and feeds the body as the machine
//! wants it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use smtp_proto::client::{BodyDemand, BodyNeeds, Client, CloseReason, Envelope, Event, Options};
use smtp_proto::{ForwardPath, Mailbox, Reply, ReversePath};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::OutboundTls;
use super::files::Attempt;
use super::route::Hop;

/// Octets read at a time.
const READ_CHUNK: usize = 16 * 1024;

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Upgrading,
}

/// One SMTP session to one host, ready for transactions.
pub(crate) struct Session {
    stream: Stream,
    client: Client,
    /// `host[ip]:port`, Postfix's `relay=`.
    pub(crate) relay: String,
    host: String,
    out: BytesMut,
    input: BytesMut,
    write_timeout: Duration,
    handshake_timeout: Duration,
    /// The body of the transaction under way, and how much of it is handed
    /// over.
    body: Option<(Bytes, usize)>,
}

/// How a session could not be opened or went: this server's words, for
/// every recipient it was to carry.
pub(crate) fn local_failure(status: &str, text: String, remote: Option<String>) -> Attempt {
    Attempt {
        status: status.into(),
        smtp: false,
        remote,
        text,
    }
}

/// A reply from the remote server as an outcome.
pub(crate) fn remote_outcome(reply: &Reply, remote: &str) -> Attempt {
    let status = reply.enhanced().map_or_else(
        || {
            let class = reply.code().get() / 100;
            format!("{class}.0.0")
        },
        |e| e.to_string(),
    );
    let mut text = format!("{}", reply.code());
    if let Some(e) = reply.enhanced() {
        text.push_str(&format!(" {e}"));
    }
    for line in reply.lines() {
        text.push(' ');
        text.push_str(line);
    }
    Attempt {
        status,
        smtp: true,
        remote: Some(remote.to_owned()),
        text,
    }
}

impl Session {
    /// Connects to `hop` (each of its addresses in turn), reads the
    /// greeting, says EHLO, starts TLS as `tls` says, and logs in if the hop
    /// has credentials. A failure is the outcome for every recipient.
    pub(crate) async fn open(
        hop: &Hop,
        options: &Options,
        tls: &OutboundTls,
        config: &Arc<ClientConfig>,
        connect_timeout: Duration,
    ) -> Result<Self, Attempt> {
        let addrs: Vec<SocketAddr> = match &hop.addrs {
            Some(ips) => ips
                .iter()
                .map(|ip| SocketAddr::new(*ip, hop.port))
                .collect(),
            None => match tokio::net::lookup_host((hop.host.as_str(), hop.port)).await {
                Ok(addrs) => addrs.collect(),
                Err(e) => {
                    return Err(local_failure(
                        "4.4.3",
                        format!("Host or domain name not found: {}: {e}", hop.host),
                        None,
                    ));
                }
            },
        };
        let mut last = local_failure(
            "4.4.1",
            format!("connect to {}: no address", hop.host),
            None,
        );
        for addr in addrs {
            let relay = format!("{}[{}]:{}", hop.host, addr.ip(), addr.port());
            match tokio::time::timeout(connect_timeout, TcpStream::connect(addr)).await {
                Ok(Ok(tcp)) => {
                    let _ = tcp.set_nodelay(true);
                    let mut session = Self {
                        stream: Stream::Plain(tcp),
                        client: Client::new(options.clone(), Instant::now()),
                        relay,
                        host: hop.host.clone(),
                        out: BytesMut::new(),
                        input: BytesMut::with_capacity(READ_CHUNK),
                        write_timeout: options.data_block_timeout,
                        handshake_timeout: options.tls_handshake_timeout,
                        body: None,
                    };
                    return match session.start(hop, tls, config).await {
                        Ok(()) => Ok(session),
                        Err(failure) => {
                            session.close().await;
                            Err(failure)
                        }
                    };
                }
                Ok(Err(e)) => {
                    last = local_failure("4.4.1", format!("connect to {relay}: {e}"), None);
                }
                Err(_) => {
                    last = local_failure(
                        "4.4.1",
                        format!("connect to {relay}: Connection timed out"),
                        None,
                    );
                }
            }
        }
        Err(last)
    }

    /// Greeting, EHLO, STARTTLS, AUTH: until the session is ready for mail.
    async fn start(
        &mut self,
        hop: &Hop,
        tls: &OutboundTls,
        config: &Arc<ClientConfig>,
    ) -> Result<(), Attempt> {
        let mut tried_tls = false;
        let mut tried_auth = false;
        let mut greeted = false;
        loop {
            let Some(event) = self.next_event().await else {
                return Err(self.lost("while receiving the initial server greeting"));
            };
            match event {
                Event::GreetingReceived { .. } => greeted = true,
                Event::Ready { capabilities, .. } => {
                    let offers_tls = capabilities
                        .capabilities()
                        .iter()
                        .any(|c| c.keyword().eq_ignore_ascii_case("STARTTLS"));
                    if !self.client.is_tls() && !tried_tls {
                        match tls {
                            OutboundTls::Disabled => {}
                            OutboundTls::Opportunistic if !offers_tls => {}
                            OutboundTls::Required(_) if !offers_tls => {
                                return Err(local_failure(
                                    "4.7.4",
                                    format!(
                                        "TLS is required, but was not offered by host {}",
                                        self.relay
                                    ),
                                    Some(self.host.clone()),
                                ));
                            }
                            _ => {
                                tried_tls = true;
                                self.client.starttls().map_err(|e| self.refused(&e))?;
                                continue;
                            }
                        }
                    }
                    if self.authenticate(hop, &mut tried_auth)? {
                        return Ok(());
                    }
                }
                Event::TlsRequested => self.handshake(config).await?,
                Event::Authenticated => return Ok(()),
                Event::AuthFailed { reply } => {
                    return Err(remote_outcome(&reply, &self.host).with_class(4));
                }
                Event::CommandFailed { reply, .. } if matches!(tls, OutboundTls::Required(_)) => {
                    return Err(remote_outcome(&reply, &self.host).with_class(4));
                }
                // STARTTLS refused: opportunistic TLS goes on in plaintext.
                Event::CommandFailed {
                    verb: "STARTTLS", ..
                } => {
                    let done = self.authenticate(hop, &mut tried_auth)?;
                    if done {
                        return Ok(());
                    }
                }
                // The caller tries the next hop either way. A 5xx greeting
                // counts as a 4xx, as Postfix's default
                // `smtp_skip_5xx_greeting = yes` has it: the mail waits. A
                // HELO refused with a 5xx keeps its class: from the last hop
                // it bounces.
                Event::Closed {
                    reason: CloseReason::Rejected(reply),
                } => {
                    let outcome = remote_outcome(&reply, &self.host);
                    return Err(if greeted {
                        outcome
                    } else {
                        outcome.with_class(4)
                    });
                }
                Event::Closed { reason } => {
                    return Err(remote_outcome(&reason.reply(), &self.host).with_class(4));
                }
                _ => {}
            }
        }
    }

    /// AUTH PLAIN with the hop's credentials, once; `true` when there is
    /// nothing (more) to do before mail. The machine refuses AUTH without
    /// TLS: a password never crosses in plaintext.
    fn authenticate(&mut self, hop: &Hop, tried: &mut bool) -> Result<bool, Attempt> {
        match &hop.auth {
            Some((user, password)) if !*tried => {
                *tried = true;
                self.client
                    .auth_plain(None, user, password.as_bytes())
                    .map_err(|e| self.refused(&e))?;
                Ok(false)
            }
            _ => Ok(true),
        }
    }

    /// One transaction: `from` to `recipients` with `message`. Returns each
    /// recipient's outcome, in order, as soon as the server's reply to the
    /// message is in (nothing more is sent before the caller records it).
    pub(crate) async fn send(
        &mut self,
        from: &str,
        recipients: &[String],
        message: Bytes,
    ) -> Vec<Attempt> {
        let mut outcomes: Vec<Option<Attempt>> = vec![None; recipients.len()];
        let envelope = match envelope(from, recipients, &message) {
            Ok(envelope) => envelope,
            Err(text) => {
                let failure = local_failure("5.1.3", text, None);
                return vec![failure; recipients.len()];
            }
        };
        if let Err(e) = self.client.send_mail(envelope) {
            let failure = self.misuse(&e);
            return vec![failure; recipients.len()];
        }
        self.body = Some((message, 0));
        let mut accepted = Vec::new();
        loop {
            let Some(event) = self.next_event().await else {
                break;
            };
            match event {
                Event::RcptAccepted { index, .. } => accepted.push(index),
                Event::RcptRejected { index, reply, .. } => {
                    let mut outcome = remote_outcome(&reply, &self.host);
                    // A refused recipient is never delivered, whatever the
                    // reply says: try it again.
                    if outcome.is_success() {
                        outcome = outcome.with_class(4);
                    }
                    if let Some(o) = outcomes.get_mut(index) {
                        *o = Some(outcome);
                    }
                }
                Event::MessageAccepted { reply, .. } | Event::TransactionFailed { reply, .. } => {
                    let outcome = remote_outcome(&reply, &self.host);
                    for index in &accepted {
                        if let Some(o) = outcomes.get_mut(*index) {
                            *o = Some(outcome.clone());
                        }
                    }
                    break;
                }
                _ => {}
            }
        }
        self.body = None;
        let lost = self.lost("while sending the message");
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| lost.clone()))
            .collect()
    }

    /// QUIT, and the connection closed; errors only logged.
    pub(crate) async fn close(mut self) {
        if !self.client.is_closed() && self.client.quit().is_ok() {
            while self.next_event().await.is_some() {}
        }
        let _ = match &mut self.stream {
            Stream::Plain(s) => s.shutdown().await,
            Stream::Tls(s) => s.shutdown().await,
            Stream::Upgrading => Ok(()),
        };
    }

    /// The next event, moving bytes (and the body) as needed; `None` when
    /// the session is over or there is nothing to wait for.
    async fn next_event(&mut self) -> Option<Event> {
        loop {
            self.feed_body();
            if let Some(event) = self.client.poll_event() {
                return Some(event);
            }
            if self.client.poll_transmit(&mut self.out) > 0 {
                let out = self.out.split();
                if self.write(&out).await.is_err() {
                    return None;
                }
                self.client.handle_timeout(Instant::now());
                continue;
            }
            if self.client.is_closed() || !self.client.wants_read() {
                return None;
            }
            let deadline = self.client.poll_timeout()?;
            let read = tokio::time::timeout_at(deadline.into(), self.read()).await;
            match read {
                Ok(Ok(0)) | Ok(Err(_)) => return None,
                Ok(Ok(_)) => self.client.handle_input_buf(&mut self.input),
                Err(_) => self.client.handle_timeout(Instant::now()),
            }
        }
    }

    fn feed_body(&mut self) {
        let Some((body, offset)) = &mut self.body else {
            return;
        };
        while self.client.body_demand() == Some(BodyDemand::More) {
            let chunk = (body.len() - *offset).min(64 * 1024);
            let result = if chunk == 0 {
                self.client.body_end()
            } else {
                let piece = body.slice(*offset..*offset + chunk);
                *offset += chunk;
                self.client.body_chunk(piece)
            };
            if result.is_err() {
                return;
            }
        }
    }

    async fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        let write = async {
            match &mut self.stream {
                Stream::Plain(s) => s.write_all(data).await,
                Stream::Tls(s) => {
                    s.write_all(data).await?;
                    s.flush().await
                }
                Stream::Upgrading => Err(std::io::ErrorKind::NotConnected.into()),
            }
        };
        tokio::time::timeout(self.write_timeout, write)
            .await
            .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
    }

    async fn read(&mut self) -> std::io::Result<usize> {
        self.input.reserve(READ_CHUNK);
        match &mut self.stream {
            Stream::Plain(s) => s.read_buf(&mut self.input).await,
            Stream::Tls(s) => s.read_buf(&mut self.input).await,
            Stream::Upgrading => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }

    /// The TLS handshake after the server's `220` to STARTTLS.
    async fn handshake(&mut self, config: &Arc<ClientConfig>) -> Result<(), Attempt> {
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Upgrading) else {
            return Err(self.lost("before the TLS handshake"));
        };
        let Ok(name) = ServerName::try_from(self.host.clone()) else {
            return Err(local_failure(
                "4.7.5",
                format!("{:?} is not a name TLS can verify", self.host),
                Some(self.host.clone()),
            ));
        };
        let connector = TlsConnector::from(config.clone());
        let handshake =
            tokio::time::timeout(self.handshake_timeout, connector.connect(name, tcp)).await;
        match handshake {
            Ok(Ok(stream)) => {
                self.stream = Stream::Tls(Box::new(stream));
                self.client.tls_established().map_err(|e| self.refused(&e))
            }
            Ok(Err(e)) => Err(local_failure(
                "4.7.5",
                format!("TLS handshake with {} failed: {e}", self.relay),
                Some(self.host.clone()),
            )),
            Err(_) => Err(local_failure(
                "4.7.5",
                format!("TLS handshake with {} timed out", self.relay),
                Some(self.host.clone()),
            )),
        }
    }

    /// The outcome for recipients the session ended before answering.
    fn lost(&self, when: &str) -> Attempt {
        local_failure(
            "4.4.2",
            format!("lost connection with {} {when}", self.relay),
            Some(self.host.clone()),
        )
    }

    /// The machine refused a call while the session was set up (AUTH the
    /// server does not offer, or would take only in plaintext): a
    /// temporary failure, as Postfix defers mail when a relay's SASL fails
    /// (`4.7.0`); the mail waits for the relay or its settings to be fixed.
    fn refused(&self, e: &smtp_proto::ClientError) -> Attempt {
        local_failure(
            "4.7.0",
            format!("cannot set up the session with {}: {e}", self.relay),
            Some(self.host.clone()),
        )
    }

    /// The machine refused the transaction: a message this server cannot
    /// send as it is (a parameter the server lacks, such as SMTPUTF8).
    fn misuse(&self, e: &smtp_proto::ClientError) -> Attempt {
        let permanent = matches!(e, smtp_proto::ClientError::NotOffered(_));
        local_failure(
            if permanent { "5.6.7" } else { "4.3.0" },
            format!("cannot send to {}: {e}", self.relay),
            Some(self.host.clone()),
        )
    }
}

impl Attempt {
    /// The same outcome with its status in `class` (a failure that must not
    /// bounce: a session-level `5xx` to AUTH or STARTTLS is retried).
    fn with_class(mut self, class: u8) -> Self {
        if let Some(rest) = self.status.get(1..) {
            self.status = format!("{class}{rest}");
        }
        self
    }

    /// Whether the outcome is a success (`2.x.x`).
    pub(crate) fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }

    /// Whether the outcome is a permanent failure (`5.x.x`).
    pub(crate) fn is_permanent(&self) -> bool {
        self.status.starts_with('5')
    }
}

/// The machine's envelope for paths as queued (`<a@b>`, `<>`), with the
/// parameters the message needs (SIZE, 8BITMIME; SMTPUTF8 for UTF-8
/// addresses).
fn envelope(
    from: &str,
    recipients: &[String],
    message: &[u8],
) -> Result<Envelope<'static>, String> {
    let mailbox = |path: &str| {
        let inner = path.trim_start_matches('<').trim_end_matches('>');
        Mailbox::try_from(inner.to_owned()).map_err(|e| format!("bad address {path}: {e}"))
    };
    let from = if from == "<>" {
        ReversePath::Null
    } else {
        ReversePath::Mailbox(mailbox(from)?)
    };
    let mut envelope = Envelope::new(from);
    // BODY=8BITMIME for an 8-bit message. SMTPUTF8 only where an address
    // needs it (the client adds it then): UTF-8 in header fields alone does
    // not ask for it, as Postfix's smtputf8_autodetect_classes leaves mail
    // from SMTP clients, so such a message still reaches a server without
    // SMTPUTF8.
    let mut needs = BodyNeeds::of(message);
    needs.utf8_headers = false;
    needs.apply(&mut envelope.params);
    envelope.params.size = Some(message.len() as u64);
    for path in recipients {
        envelope = envelope.to(ForwardPath::Mailbox(mailbox(path)?));
    }
    Ok(envelope)
}

#[cfg(test)]
mod tests {
    use smtp_proto::Body;

    use super::*;

    #[test]
    fn envelope_parameters_from_the_message() {
        let rcpts = ["<bob@b.test>".to_owned(), "<carol@c.test>".to_owned()];
        let plain = b"Subject: hi\r\n\r\nhello\r\n";
        let e = envelope("<alice@a.test>", &rcpts, plain).unwrap();
        assert_eq!(e.from.to_string(), "<alice@a.test>");
        assert_eq!(e.recipients.len(), 2);
        assert_eq!(
            (e.params.body, e.params.size, e.params.smtputf8),
            (None, Some(22), false)
        );
        // 8 bits, and UTF-8 in a header field: BODY=8BITMIME, no SMTPUTF8.
        let utf8 = "Subject: caf\u{e9}\r\n\r\nna\u{ef}ve\r\n".as_bytes();
        let e = envelope("<>", &rcpts[..1], utf8).unwrap();
        assert_eq!(e.from, ReversePath::Null);
        assert_eq!(e.params.body, Some(Body::EightBitMime));
        assert!(!e.params.smtputf8);
        assert!(envelope("<alice@a.test>", &["<not an address>".to_owned()], plain).is_err());
    }
}
