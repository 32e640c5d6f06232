//! A POP3 load run against the server on a Maildir store, all on 127.0.0.1:
//! RETR per second with several clients downloading at once.
//!
//! ```text
//! cargo run --release --example pop3-load [CLIENTS] [SECONDS] [MESSAGE_OCTETS]
//! ```
//!
//! Defaults: 10 clients, 5 seconds, 5 000-octet messages. Each client is its
//! own user (a maildrop serves one POP3 session at a time) with 100
//! messages; it logs in, then pipelines `RETR 1` to `RETR 100` and reads
//! every response, over and over until the time is up, and QUITs. The
//! first round of RETRs sets `\Seen`, a durable flag change in the Maildir.

#![allow(
    clippy::print_stdout,
    reason = "an example shows what happens on standard output"
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mail_server::{MailServer, Users};
use mailbox_maildir::MaildirStore;
use mailbox_traits::{InternalDate, LocalDelivery, UserId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MESSAGES: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().map_or(Ok(10), |a| a.parse())?;
    let seconds: u64 = args.next().map_or(Ok(5), |a| a.parse())?;
    let octets: usize = args.next().map_or(Ok(5_000), |a| a.parse())?;

    let dir = std::env::temp_dir().join(format!("pop3-load-{}", std::process::id()));
    let store = MaildirStore::open(&dir)?;
    let mut users = Users::new(["localhost"]);
    let message = message(octets);
    let date = InternalDate::now();
    for i in 0..clients {
        let name = format!("user{i}");
        users.add_password(&name, b"load")?;
        store.create_user(&name).await?;
        for _ in 0..MESSAGES {
            let id = UserId::new(name.as_str());
            store.deliver(message.clone().into(), &[id], date).await?;
        }
    }
    let server = MailServer::builder(store, users)
        .pop3("127.0.0.1:0".parse()?)
        .start()
        .await?;
    let addr = server.listeners()[0].addr;

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client(addr, format!("user{i}"), deadline)))
        .collect();
    let mut retrs = 0;
    let mut bytes = 0;
    for task in tasks {
        let (r, b) = task.await??;
        retrs += r;
        bytes += b;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{clients} clients, {octets}-octet messages: {retrs} RETR in {elapsed:.2} s = {:.0} RETR/s, {:.1} MB/s",
        retrs as f64 / elapsed,
        bytes as f64 / elapsed / 1e6
    );
    server.shutdown().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// One client's sessions until `deadline`: RETR count and octets read.
async fn client(
    addr: SocketAddr,
    user: String,
    deadline: Instant,
) -> std::io::Result<(usize, usize)> {
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    socket
        .write_all(format!("USER {user}\r\nPASS load\r\n").as_bytes())
        .await?;
    let mut batch = String::new();
    for n in 1..=MESSAGES {
        batch.push_str(&format!("RETR {n}\r\n"));
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut ends = EndCounter::default();
    let mut octets = 0;
    while Instant::now() < deadline {
        socket.write_all(batch.as_bytes()).await?;
        let target = ends.count + MESSAGES;
        while ends.count < target {
            let n = socket.read(&mut buf).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            octets += n;
            ends.feed(&buf[..n]);
        }
    }
    socket.write_all(b"QUIT\r\n").await?;
    let mut farewell = Vec::new();
    socket.read_to_end(&mut farewell).await?;
    Ok((ends.count, octets))
}

/// Counts the `CRLF . CRLF` that end multi-line responses.
#[derive(Default)]
struct EndCounter {
    tail: Vec<u8>,
    count: usize,
}

impl EndCounter {
    fn feed(&mut self, data: &[u8]) {
        self.tail.extend_from_slice(data);
        self.count += self.tail.windows(5).filter(|w| w == b"\r\n.\r\n").count();
        let keep = self.tail.len().min(4);
        self.tail.drain(..self.tail.len() - keep);
    }
}

/// A message of about `octets` octets in 76-octet lines, some starting
/// with a dot.
fn message(octets: usize) -> Vec<u8> {
    let mut m = b"From: load@localhost\r\nTo: user@localhost\r\nSubject: load\r\n\r\n".to_vec();
    let mut i = 0;
    while m.len() < octets {
        let dot = if i % 10 == 0 { "." } else { "" };
        m.extend_from_slice(
            format!("{dot}{i:08} the quick brown fox jumps over the lazy dog\r\n").as_bytes(),
        );
        i += 1;
    }
    m
}
