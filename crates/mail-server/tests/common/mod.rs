//! Helpers shared by the integration tests: a server on 127.0.0.1 over a
//! Maildir in a temporary directory, messages delivered through the store,
//! and real clients (Python's smtplib and poplib, curl) run as child
//! processes.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mail_server::{MailServer, PlaintextAuth, Protocol, RunningServer, Security, TlsSource, Users};
use mailbox_maildir::{MaildirStore, Options};
use mailbox_traits::{
    Access, Account, InternalDate, LocalDelivery, MailStore, Mailbox, MailboxName, Snapshot, UserId,
};

pub(crate) const ALICE: (&str, &str) = ("alice", "wonderland");
pub(crate) const BOB: (&str, &str) = ("bob", "builder");
/// The server's name, in its greeting and `Received:` fields.
pub(crate) const HOSTNAME: &str = "mail.example.org";

/// How a test server is set up.
#[derive(Clone, Debug)]
pub(crate) struct Setup {
    pub(crate) plaintext: PlaintextAuth,
    pub(crate) failure_delay: Duration,
    pub(crate) max_connections: usize,
    pub(crate) grace: Duration,
    pub(crate) pop3s: bool,
    /// SMTP with implicit TLS, and LMTP, besides SMTP.
    pub(crate) smtps: bool,
    pub(crate) lmtp: bool,
    /// How long SMTP replies wait past the soft error limit (Postfix's 1 s
    /// makes junk tests slow).
    pub(crate) smtp_error_delay: Duration,
    /// Postfix's `smtpd_forbid_unauth_pipelining` (default on).
    pub(crate) forbid_unauth_pipelining: bool,
    /// More users, `user0`, `user1`, ..., all with the password `pw`.
    pub(crate) extra_users: usize,
    /// The IMAP sessions' options; `None`: the server's defaults.
    pub(crate) imap: Option<imap_proto::server::Options>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            plaintext: PlaintextAuth::TlsOrLoopback,
            failure_delay: Duration::from_millis(50),
            max_connections: 100,
            grace: Duration::from_secs(5),
            pop3s: true,
            smtps: true,
            lmtp: true,
            smtp_error_delay: Duration::from_millis(100),
            forbid_unauth_pipelining: true,
            extra_users: 0,
            imap: None,
        }
    }
}

/// A server on a Maildir in `dir`.
pub(crate) struct TestServer {
    pub(crate) server: Option<RunningServer>,
    pub(crate) store: MaildirStore,
    pub(crate) pop3: SocketAddr,
    pub(crate) pop3s: Option<SocketAddr>,
    pub(crate) smtp: SocketAddr,
    pub(crate) smtps: Option<SocketAddr>,
    pub(crate) lmtp: Option<SocketAddr>,
    pub(crate) imap: SocketAddr,
    pub(crate) imaps: SocketAddr,
    pub(crate) cert: PathBuf,
}

/// The Maildir store under `dir/mail`, without fsync (a throwaway directory).
pub(crate) fn store(dir: &Path) -> MaildirStore {
    let mut options = Options::default();
    options.fsync = false;
    MaildirStore::with_options(dir.join("mail"), options).unwrap()
}

/// Starts a server for alice and bob of example.org on `dir`, with a
/// self-signed certificate kept in `dir/tls`: POP3 and SMTP, and as `setup`
/// says POP3S, SMTPS and LMTP.
pub(crate) async fn start(dir: &Path, setup: Setup) -> TestServer {
    let store = store(dir);
    let mut users = Users::new(["example.org"]);
    for (name, password) in [ALICE, BOB] {
        users.add_password(name, password.as_bytes()).unwrap();
        store.create_user(name).await.unwrap();
    }
    if setup.extra_users > 0 {
        // One cheap hash for all (1 MiB, one pass): argon2 at its default
        // cost is slow by design, and these users log in often.
        use argon2::password_hash::{PasswordHasher, SaltString};
        let params = argon2::Params::new(1024, 1, 1, None).unwrap();
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = SaltString::encode_b64(b"extra-users-salt").unwrap();
        let hash = argon.hash_password(b"pw", &salt).unwrap().to_string();
        for i in 0..setup.extra_users {
            let name = format!("user{i}");
            users.add_hash(&name, &hash).unwrap();
            store.create_user(&name).await.unwrap();
        }
    }
    let localhost: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let mut smtp = smtp_proto::server::Options::default();
    smtp.error_delay = setup.smtp_error_delay;
    smtp.forbid_unauth_pipelining = setup.forbid_unauth_pipelining;
    let mut builder = MailServer::builder(store.clone(), users)
        .hostname(HOSTNAME)
        .local_domains(["example.org"])
        .smtp_options(smtp)
        .tls(TlsSource::self_signed(dir.join("tls"), "localhost"))
        .plaintext_auth(setup.plaintext)
        .auth_failure_delay(setup.failure_delay)
        .max_connections(setup.max_connections)
        .shutdown_grace(setup.grace)
        .pop3(localhost)
        .smtp(localhost)
        .imap(localhost)
        .imaps(localhost);
    if let Some(options) = setup.imap {
        builder = builder.imap_options(options);
    }
    if setup.pop3s {
        builder = builder.pop3s(localhost);
    }
    if setup.smtps {
        builder = builder.smtps(localhost);
    }
    if setup.lmtp {
        builder = builder.lmtp(localhost);
    }
    let server = builder.start().await.unwrap();
    let pop3 = server.local_addr(Protocol::Pop3, Security::Plain).unwrap();
    let pop3s = server.local_addr(Protocol::Pop3, Security::ImplicitTls);
    let smtp = server.local_addr(Protocol::Smtp, Security::Plain).unwrap();
    let smtps = server.local_addr(Protocol::Smtp, Security::ImplicitTls);
    let lmtp = server.local_addr(Protocol::Lmtp, Security::Plain);
    let imap = server.local_addr(Protocol::Imap, Security::Plain).unwrap();
    let imaps = server
        .local_addr(Protocol::Imap, Security::ImplicitTls)
        .unwrap();
    TestServer {
        server: Some(server),
        store,
        pop3,
        pop3s,
        smtp,
        smtps,
        lmtp,
        imap,
        imaps,
        cert: dir.join("tls/cert.pem"),
    }
}

impl TestServer {
    pub(crate) fn running(&self) -> &RunningServer {
        self.server.as_ref().unwrap()
    }

    /// Delivers `message` to `user`'s INBOX as SMTP would.
    pub(crate) async fn deliver(&self, user: &str, message: &[u8]) {
        let id = UserId::new(user);
        let date = InternalDate::from_unix(1_700_000_000).unwrap();
        let results = self
            .store
            .deliver(Bytes::copy_from_slice(message), &[id], date)
            .await
            .unwrap();
        results.into_iter().for_each(|r| {
            r.unwrap();
        });
    }

    /// `user`'s INBOX now.
    pub(crate) async fn inbox(&self, user: &str) -> Snapshot {
        inbox_of(&self.store, user).await
    }

    /// The UIDVALIDITY of `user`'s `mailbox`.
    pub(crate) async fn uid_validity(&self, user: &str, mailbox: &str) -> u32 {
        let account = self.store.account(&UserId::new(user)).await.unwrap();
        let mailbox = account
            .open_mailbox(&MailboxName::new(mailbox).unwrap())
            .await
            .unwrap();
        mailbox.status().await.unwrap().uid_validity.get()
    }

    /// The octets of message `n` (from 1) of `user`'s INBOX, from the store.
    pub(crate) async fn stored(&self, user: &str, n: usize) -> Bytes {
        let account = self.store.account(&UserId::new(user)).await.unwrap();
        let inbox = account.open_mailbox(&MailboxName::inbox()).await.unwrap();
        let snapshot = inbox.snapshot(Access::ReadOnly).await.unwrap();
        inbox.read(snapshot.messages[n - 1].uid).await.unwrap()
    }

    /// Waits until no session is open (a dropped client has been noticed).
    pub(crate) async fn wait_idle(&self) {
        let start = Instant::now();
        while self.running().sessions() > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "sessions did not end"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Runs a poplib case against the plain POP3 listener.
    pub(crate) async fn poplib(
        &self,
        case: &str,
        user: (&str, &str),
        args: &[&str],
    ) -> Vec<String> {
        poplib_at(self.pop3, case, user, args).await
    }
}

/// A user's INBOX in `store`.
pub(crate) async fn inbox_of(store: &MaildirStore, user: &str) -> Snapshot {
    let account = store.account(&UserId::new(user)).await.unwrap();
    let inbox = account.open_mailbox(&MailboxName::inbox()).await.unwrap();
    inbox.snapshot(Access::ReadOnly).await.unwrap()
}

/// Runs `case` of tests/clients/poplib_client.py against `addr`; returns
/// its `key: value` lines. Fails the test if the script fails.
pub(crate) async fn poplib_at(
    addr: SocketAddr,
    case: &str,
    (user, password): (&str, &str),
    args: &[&str],
) -> Vec<String> {
    python_client("poplib_client.py", addr, case, (user, password), args).await
}

/// Runs `case` of the Python client `script` (in tests/clients) against
/// `addr` with a user and password; returns its `key: value` lines.
async fn python_client(
    script: &str,
    addr: SocketAddr,
    case: &str,
    (user, password): (&str, &str),
    args: &[&str],
) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(script);
    let port = addr.port().to_string();
    let mut all = vec![
        script.to_str().unwrap(),
        case,
        "127.0.0.1",
        &port,
        user,
        password,
    ];
    all.extend_from_slice(args);
    lines(&run("python3", &all).await)
}

/// Runs a program with a 60 s limit; fails the test if it exits non-zero.
pub(crate) async fn run(program: &str, args: &[&str]) -> Output {
    let output = run_unchecked(program, args).await;
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a program with a 60 s limit.
pub(crate) async fn run_unchecked(program: &str, args: &[&str]) -> Output {
    let child = tokio::process::Command::new(program)
        .args(args)
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(Duration::from_secs(60), child)
        .await
        .unwrap_or_else(|_| panic!("{program} {args:?} took over 60 s"))
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

pub(crate) fn lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A message whose body has lines that start with `.`, the octets POP3
/// must stuff and unstuff.
pub(crate) fn dotted_message(subject: &str) -> Vec<u8> {
    format!(
        "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: {subject}\r\n\r\n\
         .leading dot\r\n..two dots\r\n.\r\n. \r\nlast line\r\n"
    )
    .into_bytes()
}

/// A message of at least `size` octets in 78-octet lines, with lines that
/// start with `.` and `..` here and there.
pub(crate) fn big_message(size: usize) -> Vec<u8> {
    let mut m = b"From: bob@example.org\r\nTo: alice@example.org\r\nSubject: big\r\n\r\n".to_vec();
    let mut i = 0u64;
    while m.len() < size {
        let prefix = match i % 7 {
            0 => ".",
            3 => "..",
            _ => "",
        };
        let line = format!(
            "{prefix}{i:010} {}\r\n",
            "abcdefghijklmnopqrstuvwxyz0123456789_-=+"
        );
        m.extend_from_slice(line.as_bytes());
        i += 1;
    }
    m.extend_from_slice(b".\r\n");
    m
}

/// The `value` of every `key: value` line with this key.
pub(crate) fn values<'a>(lines: &'a [String], key: &str) -> Vec<&'a str> {
    let prefix = format!("{key}: ");
    lines
        .iter()
        .filter_map(|l| l.strip_prefix(&prefix))
        .collect()
}

/// The one value of `key`.
pub(crate) fn value<'a>(lines: &'a [String], key: &str) -> &'a str {
    match values(lines, key).as_slice() {
        [one] => one,
        other => panic!("{key}: expected one value, got {other:?} in {lines:#?}"),
    }
}

/// The UIDL unique-id Dovecot's `%08Xu%08Xv` gives each message of a
/// snapshot.
pub(crate) fn expected_uidls(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{} {:08X}{:08X}",
                i + 1,
                m.uid.get(),
                snapshot.uid_validity.get()
            )
        })
        .collect()
}

/// Runs `case` of tests/clients/smtplib_client.py against `addr`; returns
/// its `key: value` lines. Fails the test if the script fails.
pub(crate) async fn smtplib(addr: SocketAddr, case: &str, args: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/smtplib_client.py");
    let port = addr.port().to_string();
    let mut all = vec![script.to_str().unwrap(), case, "127.0.0.1", &port];
    all.extend_from_slice(args);
    lines(&run("python3", &all).await)
}

/// A message as an SMTP client sends it, with a Message-ID to find it by.
pub(crate) fn message_with_id(id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: bob@example.org\r\nTo: alice@example.org\r\nSubject: {id}\r\n\
         Message-ID: <{id}@test.example>\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// Splits a stored message into its `Received:` field (the first field,
/// with its folded lines) and the message as it was sent.
pub(crate) fn split_received(stored: &[u8]) -> (String, &[u8]) {
    assert!(
        stored.starts_with(b"Received: "),
        "no Received: field first: {:?}",
        String::from_utf8_lossy(&stored[..stored.len().min(200)])
    );
    let mut end = 0;
    loop {
        let crlf = end + stored[end..].windows(2).position(|w| w == b"\r\n").unwrap();
        end = crlf + 2;
        if stored.get(end) != Some(&b'\t') {
            break;
        }
    }
    (
        String::from_utf8(stored[..end].to_vec()).unwrap(),
        &stored[end..],
    )
}

/// Checks a `Received:` field the server wrote: from the client's EHLO
/// name and address, by this server, with `keyword`, for `rcpt` when
/// there was one recipient, and an RFC 5322 date in UTC. Returns its id.
pub(crate) fn check_received(field: &str, helo: &str, keyword: &str, rcpt: Option<&str>) -> String {
    let first =
        format!("Received: from {helo} ([127.0.0.1])\r\n\tby {HOSTNAME} with {keyword} id ");
    let rest = field
        .strip_prefix(&first)
        .unwrap_or_else(|| panic!("{field:?} does not start with {first:?}"));
    let (id, rest) = rest.split_at(rest.find([';', '\r']).unwrap());
    assert!(
        id.len() >= 13
            && id
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()),
        "queue id {id:?}"
    );
    let date = match rcpt {
        Some(rcpt) => rest
            .strip_prefix(&format!("\r\n\tfor {rcpt}; "))
            .unwrap_or_else(|| panic!("no `for {rcpt}` in {field:?}")),
        None => rest
            .strip_prefix("; ")
            .unwrap_or_else(|| panic!("{field:?}")),
    };
    // `Tue, 14 Nov 2023 22:13:20 +0000`
    let parts: Vec<&str> = date.trim_end().split(' ').collect();
    assert_eq!(parts.len(), 6, "{date:?}");
    assert!(["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"].contains(&parts[0]));
    assert_eq!(parts[5], "+0000");
    assert!(date.ends_with("\r\n"));
    id.to_owned()
}

/// A POP3 client on a bare socket, for what real clients will not send.
pub(crate) struct Raw {
    reader: tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Raw {
    pub(crate) async fn connect(addr: SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (read, writer) = stream.into_split();
        Self {
            reader: tokio::io::BufReader::new(read),
            writer,
        }
    }

    pub(crate) async fn send(&mut self, data: &[u8]) {
        use tokio::io::AsyncWriteExt;
        self.writer.write_all(data).await.unwrap();
    }

    /// The next line, without its CRLF; `None` at EOF. Fails after 10 s.
    pub(crate) async fn line(&mut self) -> Option<String> {
        self.line_within(Duration::from_secs(10))
            .await
            .expect("no reply within 10 s")
    }

    /// The next line, or `Err` if none comes within `limit`.
    pub(crate) async fn line_within(&mut self, limit: Duration) -> Result<Option<String>, ()> {
        use tokio::io::AsyncBufReadExt;
        let mut line = Vec::new();
        match tokio::time::timeout(limit, self.reader.read_until(b'\n', &mut line)).await {
            Err(_) => Err(()),
            Ok(Ok(0)) | Ok(Err(_)) => Ok(None),
            Ok(Ok(_)) => Ok(Some(
                String::from_utf8_lossy(line.strip_suffix(b"\r\n").unwrap_or(&line)).into_owned(),
            )),
        }
    }

    /// The next SMTP reply, all its lines joined by LF, without CRLF; `None`
    /// at EOF. Fails after 10 s.
    pub(crate) async fn reply(&mut self) -> Option<String> {
        let mut lines = Vec::new();
        loop {
            let line = self.line().await?;
            // A line `250-...` continues the reply; `250 ...` or `250` ends it.
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return Some(lines.join("\n"));
            }
        }
    }

    /// Sends an SMTP command line and returns its reply.
    pub(crate) async fn smtp(&mut self, command: &str) -> String {
        self.send(format!("{command}\r\n").as_bytes()).await;
        self.reply().await.expect("connection closed")
    }

    /// Sends a command line and returns the reply line.
    pub(crate) async fn command(&mut self, command: &str) -> String {
        self.send(format!("{command}\r\n").as_bytes()).await;
        self.line().await.expect("connection closed")
    }

    /// Sends a POP3 command with a multi-line response; returns its first
    /// line and the lines up to the terminating `.`, still dot-stuffed.
    pub(crate) async fn multiline(&mut self, command: &str) -> (String, Vec<String>) {
        let first = self.command(command).await;
        let mut lines = Vec::new();
        if first.starts_with("+OK") {
            loop {
                let line = self.line().await.expect("connection closed");
                if line == "." {
                    break;
                }
                lines.push(line);
            }
        }
        (first, lines)
    }

    /// Logs in with USER/PASS; returns the PASS reply.
    pub(crate) async fn login(&mut self, (user, password): (&str, &str)) -> String {
        assert_eq!(self.command(&format!("USER {user}")).await, "+OK");
        self.command(&format!("PASS {password}")).await
    }

    /// Reads an IMAP response up to the tagged line of `tag`: every line,
    /// literals inlined (`{n}` CRLF and the n octets, lossily as text).
    /// Fails after 10 s.
    pub(crate) async fn imap_response(&mut self, tag: &str) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            let line = self.imap_line().await.expect("connection closed");
            let done = line.starts_with(&format!("{tag} "));
            out.push(line);
            if done {
                return out;
            }
        }
    }

    /// One IMAP response line with its literals inlined; `None` at EOF.
    pub(crate) async fn imap_line(&mut self) -> Option<String> {
        use tokio::io::AsyncReadExt;
        let mut line = self.line().await?;
        while let Some(n) = literal_size(&line) {
            let mut data = vec![0u8; n];
            tokio::time::timeout(Duration::from_secs(10), self.reader.read_exact(&mut data))
                .await
                .expect("no literal within 10 s")
                .unwrap();
            line.push_str("\r\n");
            line.push_str(&String::from_utf8_lossy(&data));
            line.push_str(&self.line().await?);
        }
        Some(line)
    }

    /// Sends `tag command` and returns the response.
    pub(crate) async fn imap(&mut self, tag: &str, command: &str) -> Vec<String> {
        self.send(format!("{tag} {command}\r\n").as_bytes()).await;
        self.imap_response(tag).await
    }

    pub(crate) fn into_inner(self) -> tokio::net::TcpStream {
        self.reader.into_inner().reunite(self.writer).unwrap()
    }
}

/// The size of the literal a line ends with (`{n}` or `~{n}`).
fn literal_size(line: &str) -> Option<usize> {
    let open = line.strip_suffix('}')?.rfind('{')?;
    line[open + 1..line.len() - 1]
        .trim_end_matches('+')
        .parse()
        .ok()
}

/// Runs `case` of tests/clients/imaplib_client.py against `addr`; returns
/// its `key: value` lines. Fails the test if the script fails.
pub(crate) async fn imaplib(
    addr: SocketAddr,
    case: &str,
    (user, password): (&str, &str),
    args: &[&str],
) -> Vec<String> {
    python_client("imaplib_client.py", addr, case, (user, password), args).await
}

/// Everything the `tracing` subscriber of [`capture_logs`] writes.
#[derive(Clone, Default)]
pub(crate) struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// The log text so far.
    pub(crate) fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// This test binary's `tracing` subscriber, every level, plain text, into
/// the returned buffer: set by the first call, shared by the later ones (the
/// other tests of the binary log there too).
pub(crate) fn capture_logs() -> Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .try_init()
                .unwrap();
            captured
        })
        .clone()
}

/// A TLS client on `stream` that trusts the test server's certificate
/// (`cert`, made for `localhost`), after STARTTLS/STLS or on an implicit-TLS
/// port.
pub(crate) async fn tls_client(
    cert: &Path,
    stream: tokio::net::TcpStream,
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_file(cert).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").unwrap(),
            stream,
        )
        .await
        .unwrap()
}
