//! An IMAP load run against the server on a Maildir store, all on
//! 127.0.0.1, the server in a process of its own so its memory can be
//! measured alone:
//!
//! 1. `UID FETCH 1:* (FLAGS RFC822.SIZE ENVELOPE)` over 10 000 messages
//!    (the first run reads every file; the second finds them in the page
//!    cache);
//! 2. `BODY.PEEK[]` throughput, over the same 10 000 small messages and
//!    over 100 messages of 1 MB;
//! 3. the server's memory per idle IMAP connection: its resident set before
//!    and after 1000 clients have logged in, selected INBOX and entered IDLE.
//!
//! ```text
//! cargo run --release --example imap-load [MESSAGES] [IDLE_CLIENTS]
//! ```
//!
//! Defaults: 10 000 messages of about 5 000 octets, 1000 idle clients. The
//! messages are put in the Maildir before the server starts, without fsync
//! (delivery is smtp-load's measure, not this one's). Passwords are checked
//! by the in-memory store, so logging in 1000 clients measures IMAP, not
//! argon2. Each idle client holds a socket in this process and one in the
//! server: raise the open-file limit (`ulimit -n 4096`) if it is low.

#![allow(
    clippy::print_stdout,
    reason = "an example shows what happens on standard output"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mail_server::MailServer;
use mailbox_maildir::{MaildirStore, Options};
use mailbox_traits::memory::MemoryStore;
use mailbox_traits::{Account, Flags, InternalDate, LocalDelivery, MailStore, Mailbox};
use mailbox_traits::{MailboxName, UserId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Set in the server process: the data directory.
const SERVER_DIR: &str = "IMAP_LOAD_SERVER_DIR";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(dir) = std::env::var(SERVER_DIR) {
        return serve(Path::new(&dir)).await;
    }
    let mut args = std::env::args().skip(1);
    let messages: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let idle_clients: usize = args.next().map_or(Ok(1000), |a| a.parse())?;

    let dir = std::env::temp_dir().join(format!("imap-load-{}", std::process::id()));
    let started = Instant::now();
    fill(&dir, messages).await?;
    println!(
        "set-up: {messages} messages of ~5 000 octets and 100 of 1 MB in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut child = Command::new(std::env::current_exe()?)
        .env(SERVER_DIR, &dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let addr: SocketAddr = line.trim().parse()?;
    let pid = child.id();

    // 1. Metadata of every message.
    let mut c = Client::login(addr, "load").await?;
    c.command("s", "SELECT INBOX").await?;
    for run in ["first", "second"] {
        let t = Instant::now();
        let (lines, _) = c
            .command("f", "UID FETCH 1:* (FLAGS RFC822.SIZE ENVELOPE)")
            .await?;
        let elapsed = t.elapsed().as_secs_f64();
        println!(
            "UID FETCH 1:* (FLAGS RFC822.SIZE ENVELOPE), {run} run: {lines} messages in {:.3} s = {:.0} messages/s",
            elapsed,
            lines as f64 / elapsed
        );
    }

    // 2. Bodies.
    for (mailbox, what) in [("INBOX", "small"), ("Big", "1 MB")] {
        c.command("e", &format!("EXAMINE {mailbox}")).await?;
        let t = Instant::now();
        let (_, octets) = c.command("b", "UID FETCH 1:* (BODY.PEEK[])").await?;
        let elapsed = t.elapsed().as_secs_f64();
        println!(
            "UID FETCH 1:* (BODY.PEEK[]) of the {what} messages: {:.1} MB in {:.3} s = {:.0} MB/s",
            octets as f64 / 1e6,
            elapsed,
            octets as f64 / 1e6 / elapsed
        );
    }
    c.command("o", "LOGOUT").await?;

    // 3. Memory per idle connection.
    let warm = Client::login(addr, "idle").await?;
    drop(warm);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(pid)?;
    let mut idle = Vec::with_capacity(idle_clients);
    for batch in (0..idle_clients).collect::<Vec<_>>().chunks(50) {
        let tasks: Vec<_> = batch
            .iter()
            .map(|_| tokio::spawn(Client::idle(addr)))
            .collect();
        for t in tasks {
            idle.push(t.await??);
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(pid)?;
    println!(
        "{} connections in IDLE: server RSS {} KiB -> {} KiB, {:.1} KiB per connection",
        idle.len(),
        before,
        after,
        (after.saturating_sub(before)) as f64 / idle.len().max(1) as f64
    );
    drop(idle);

    drop(child.stdin.take());
    child.wait()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// The server process: serves IMAP on the Maildir in `dir` until its
/// standard input closes; prints its address first.
async fn serve(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let store = MaildirStore::open(dir)?;
    let auth = MemoryStore::new();
    auth.add_user("load", "load")?;
    auth.add_user("idle", "idle")?;
    let server = MailServer::builder(store, auth)
        .imap("127.0.0.1:0".parse()?)
        .max_connections(100_000)
        .start()
        .await?;
    let mut out = std::io::stdout();
    writeln!(out, "{}", server.listeners()[0].addr)?;
    out.flush()?;
    // Until the parent closes our standard input.
    tokio::task::spawn_blocking(|| std::io::stdin().lines().count()).await?;
    server.shutdown_within(Duration::from_secs(1)).await;
    Ok(())
}

/// The users' mail: `load` gets `messages` in INBOX and 100 of 1 MB in
/// `Big`, `idle` gets 10.
async fn fill(dir: &Path, messages: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut options = Options::default();
    options.fsync = false;
    let store = MaildirStore::with_options(dir, options)?;
    let date = InternalDate::now();
    for (name, count) in [("load", messages), ("idle", 10)] {
        let user = store.create_user(name).await?;
        for i in 0..count {
            store
                .deliver(message(i, 5_000).into(), std::slice::from_ref(&user), date)
                .await?;
        }
    }
    let account = store.account(&UserId::new("load")).await?;
    let big = MailboxName::new("Big")?;
    account.create_mailbox(&big, None).await?;
    let big = account.open_mailbox(&big).await?;
    for i in 0..100 {
        big.append(message(i, 1_000_000).into(), &Flags::new(), date)
            .await?;
    }
    Ok(())
}

/// A message of about `octets` octets with the header fields an ENVELOPE
/// reads.
fn message(i: usize, octets: usize) -> Vec<u8> {
    let mut m = format!(
        "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\
         From: \"Load Sender\" <sender{i}@example.org>\r\n\
         To: load@localhost, \"Someone Else\" <else@example.net>\r\n\
         Cc: cc{i}@example.com\r\n\
         Subject: load message number {i}\r\n\
         Message-ID: <load-{i}@example.org>\r\n\
         In-Reply-To: <load-{}@example.org>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n",
        i.saturating_sub(1)
    )
    .into_bytes();
    let mut n = 0;
    while m.len() < octets {
        m.extend_from_slice(
            format!("{n:08} the quick brown fox jumps over the lazy dog\r\n").as_bytes(),
        );
        n += 1;
    }
    m
}

/// The server's resident set, from /proc (Linux).
fn rss_kib(pid: u32) -> Result<u64, Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("no VmRSS value")?
        .parse()?)
}

/// An IMAP client on a socket that counts what comes without keeping it.
struct Client {
    socket: TcpStream,
}

impl Client {
    async fn login(addr: SocketAddr, user: &str) -> std::io::Result<Self> {
        let mut c = Self {
            socket: TcpStream::connect(addr).await?,
        };
        c.read_until(b"\r\n").await?;
        c.command("l", &format!("LOGIN {user} {user}")).await?;
        Ok(c)
    }

    /// A session that has selected INBOX and is idling.
    async fn idle(addr: SocketAddr) -> std::io::Result<TcpStream> {
        let mut c = Self::login(addr, "idle").await?;
        c.command("s", "SELECT INBOX").await?;
        c.socket.write_all(b"i IDLE\r\n").await?;
        c.read_until(b"+ idling\r\n").await?;
        Ok(c.socket)
    }

    /// Sends `tag command` (a one-letter tag) and reads up to its tagged
    /// `OK`; returns how many untagged responses came and the octets read.
    async fn command(&mut self, tag: &str, command: &str) -> std::io::Result<(usize, usize)> {
        assert_eq!(tag.len(), 1);
        self.socket
            .write_all(format!("{tag} {command}\r\n").as_bytes())
            .await?;
        let end = format!("\r\n{tag} ");
        // The last octets seen, so that a marker split between two reads
        // is found; three octets hold no whole four-octet marker, so none
        // is counted twice.
        let mut window = b"\r\n".to_vec();
        let (mut untagged, mut octets) = (0, 0);
        let mut chunk = vec![0u8; 256 * 1024];
        loop {
            let n = self.socket.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            octets += n;
            window.extend_from_slice(&chunk[..n]);
            untagged += window.windows(4).filter(|w| w == b"\r\n* ").count();
            if let Some(at) = window.windows(4).position(|w| w == end.as_bytes()) {
                let mut tagged = window[at + 2..].to_vec();
                while !tagged.ends_with(b"\r\n") {
                    let n = self.socket.read(&mut chunk).await?;
                    if n == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    octets += n;
                    tagged.extend_from_slice(&chunk[..n]);
                }
                if !tagged[2..].starts_with(b"OK") {
                    let text = String::from_utf8_lossy(&tagged).into_owned();
                    return Err(std::io::Error::other(format!("{command}: {text}")));
                }
                return Ok((untagged, octets));
            }
            window.drain(..window.len() - 3);
        }
    }

    /// Reads until `needle`, which ends what the server sends.
    async fn read_until(&mut self, needle: &[u8]) -> std::io::Result<()> {
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        while !seen.ends_with(needle) {
            let n = self.socket.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            seen.extend_from_slice(&chunk[..n]);
        }
        Ok(())
    }
}
