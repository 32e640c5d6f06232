//! An SMTP load run against the server on a durable Maildir store, all on
//! 127.0.0.1: messages accepted per second with several clients sending at
//! once.
//!
//! ```text
//! cargo run --release --example smtp-load [CONNECTIONS] [SECONDS] [MESSAGE_OCTETS]
//! ```
//!
//! Defaults: 10 connections, 5 seconds, 5 000-octet messages. Each
//! connection sends to its own user, one transaction after another: MAIL,
//! RCPT and DATA pipelined (RFC 2920), then the message, and waits for the
//! `250`, which the server gives only once the message is fsynced into the
//! user's Maildir (file, directory and UID journal).

#![allow(
    clippy::print_stdout,
    reason = "an example shows what happens on standard output"
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mail_server::{MailServer, Users};
use mailbox_maildir::MaildirStore;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let connections: usize = args.next().map_or(Ok(10), |a| a.parse())?;
    let seconds: u64 = args.next().map_or(Ok(5), |a| a.parse())?;
    let octets: usize = args.next().map_or(Ok(5_000), |a| a.parse())?;

    let dir = std::env::temp_dir().join(format!("smtp-load-{}", std::process::id()));
    // The default options: fsync on.
    let store = MaildirStore::open(&dir)?;
    let users = Users::new(["localhost"]);
    for i in 0..connections {
        store.create_user(&format!("user{i}")).await?;
    }
    let server = MailServer::builder(store, users)
        .smtp("127.0.0.1:0".parse()?)
        .start()
        .await?;
    let addr = server.listeners()[0].addr;

    let message = message(octets);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|i| tokio::spawn(client(addr, i, message.clone(), deadline)))
        .collect();
    let mut sent = 0;
    for task in tasks {
        sent += task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{connections} connections, {octets}-octet messages, fsync on: {sent} messages in \
         {elapsed:.2} s = {:.0} messages/s, {:.2} MB/s",
        sent as f64 / elapsed,
        (sent * message.len()) as f64 / elapsed / 1e6
    );
    server.shutdown().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// One connection's transactions until `deadline`; how many got `250`.
async fn client(
    addr: SocketAddr,
    i: usize,
    message: Vec<u8>,
    deadline: Instant,
) -> std::io::Result<usize> {
    let (read, mut write) = tokio::net::TcpStream::connect(addr).await?.into_split();
    let mut replies = BufReader::new(read);
    expect(&mut replies, "220").await?;
    write.write_all(b"EHLO load.example\r\n").await?;
    expect(&mut replies, "250").await?;
    let envelope =
        format!("MAIL FROM:<load@example.org>\r\nRCPT TO:<user{i}@localhost>\r\nDATA\r\n");
    let mut sent = 0;
    while Instant::now() < deadline {
        write.write_all(envelope.as_bytes()).await?;
        for code in ["250", "250", "354"] {
            expect(&mut replies, code).await?;
        }
        write.write_all(&message).await?;
        expect(&mut replies, "250").await?;
        sent += 1;
    }
    write.write_all(b"QUIT\r\n").await?;
    expect(&mut replies, "221").await?;
    Ok(sent)
}

/// Reads one reply (all its lines); fails unless its code is `code`.
async fn expect<R: tokio::io::AsyncBufRead + Unpin>(
    replies: &mut R,
    code: &str,
) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        if replies.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if !line.starts_with(code) {
            return Err(std::io::Error::other(format!(
                "expected {code}, got {line:?}"
            )));
        }
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

/// A message of about `octets` octets in 76-octet lines, some starting
/// with a dot (stuffed here, as a client sends them), and the end of data.
fn message(octets: usize) -> Vec<u8> {
    let mut m = b"From: load@example.org\r\nTo: user@localhost\r\nSubject: load\r\n\r\n".to_vec();
    let mut i = 0;
    while m.len() < octets {
        let dot = if i % 10 == 0 { ".." } else { "" };
        m.extend_from_slice(
            format!("{dot}{i:08} the quick brown fox jumps over the lazy dog\r\n").as_bytes(),
        );
        i += 1;
    }
    m.extend_from_slice(b".\r\n");
    m
}
