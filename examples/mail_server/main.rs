//! A small, real mail server from the workspace's parts, with no set-up:
//!
//! ```text
//! cargo run --release --example mail-server
//! cargo run --release --example mail-server -- --help
//! ```
//!
//! It keeps mail in `./mail-data` (a Maildir++ per user, which mutt and
//! Dovecot read too), takes mail over SMTP on 127.0.0.1:2525 (STARTTLS) and
//! 127.0.0.1:1465 (implicit TLS), serves IMAP on 127.0.0.1:1143 (STARTTLS)
//! and IMAPS on 127.0.0.1:1993, POP3 on 127.0.0.1:1110 (STLS) and POP3S on
//! 127.0.0.1:1995, with a self-signed certificate made once, and prints the
//! settings to give a mail client, with a demo user's password. Logs go to
//! standard error (`RUST_LOG=debug` for more). Ctrl-C or SIGTERM stops it
//! gracefully.
//!
//! This file only wires the parts together: the flags ([`cli`]), the data
//! directory and users ([`setup`]), and the settings table ([`table`]).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line program talks to its user on the terminal"
)]

mod cli;
#[cfg(test)]
mod durability;
#[cfg(test)]
mod outbound_kill;
mod queue;
mod setup;
mod table;

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use mail_server::{MailServer, MailServerBuilder, RunningServer, Users};
use mailbox_maildir::MaildirStore;

use crate::cli::{Cli, Command, Listen};
use crate::setup::Setup;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::HashPassword { password }) => return hash_password(password.clone()),
        Some(Command::Queue { action }) => {
            return match queue::run(&cli, *action) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("mail-server: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        None => {}
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mail-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let (server, table) = start(&cli).await?;
    println!("{table}");
    let report = server.run_until_signal().await?;
    if report.closed_at_deadline > 0 {
        eprintln!(
            "mail-server: closed {} session(s) at the shutdown deadline; they deleted nothing",
            report.closed_at_deadline
        );
    }
    Ok(())
}

/// The example's server builder.
type Builder = MailServerBuilder<MaildirStore, Users>;

/// Sets up the data directory and starts the listeners; returns the server
/// and the settings table to print.
async fn start(cli: &Cli) -> Result<(RunningServer, String), Box<dyn std::error::Error>> {
    let setup = Setup::from_cli(cli).await?;
    let mut builder = MailServer::builder(setup.store.clone(), setup.users.clone())
        .hostname(&cli.hostname)
        .local_domains(&cli.domains)
        .tls(setup.tls.clone())
        .sender_login_match(cli.sender_login_match)
        .outbound(queue::settings(cli)?);
    // The first user in name order gets postmaster's mail unless one is
    // named (RFC 5321 §4.5.1: every server takes mail for postmaster).
    let postmaster = cli
        .postmaster
        .clone()
        .or_else(|| setup.users.users().first().map(ToString::to_string));
    if let Some(user) = postmaster {
        builder = builder.postmaster(user);
    }
    type Listener = fn(Builder, SocketAddr) -> Builder;
    let listeners: [(Listen, Listener); 8] = [
        (cli.smtp, Builder::smtp),
        (cli.submission, Builder::submission),
        (cli.smtps, Builder::smtps),
        (cli.lmtp, Builder::lmtp),
        (cli.pop3, Builder::pop3),
        (cli.pop3s, Builder::pop3s),
        (cli.imap, Builder::imap),
        (cli.imaps, Builder::imaps),
    ];
    if listeners.iter().all(|(listen, _)| listen.0.is_none()) {
        return Err(
            "every listener (--smtp, --submission, --smtps, --lmtp, --pop3, --pop3s, \
                    --imap, --imaps) is off"
                .into(),
        );
    }
    for (listen, add) in listeners {
        if let Some(addr) = listen.0 {
            builder = add(builder, addr);
        }
    }
    let server = builder.start().await?;
    let table = table::settings(cli, &setup, server.listeners());
    Ok((server, table))
}

/// `hash-password [PASSWORD]`: prints the hash for a users file.
fn hash_password(password: Option<String>) -> ExitCode {
    let password = match password {
        Some(p) => p,
        None => {
            let mut line = String::new();
            if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
                eprintln!("mail-server: cannot read the password: {e}");
                return ExitCode::FAILURE;
            }
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.is_empty() {
        eprintln!("mail-server: an empty password");
        return ExitCode::FAILURE;
    }
    match mail_server::hash_password(password.as_bytes()) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mail-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The example's arguments in a test: data in `data_dir`, SMTP and POP3 on
/// free ports of 127.0.0.1, every other listener off, then `extra`.
#[cfg(test)]
fn test_args<'a>(data_dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "mail-server",
        "--data-dir",
        data_dir,
        "--smtp",
        "127.0.0.1:0",
        "--pop3",
        "127.0.0.1:0",
        "--submission",
        "off",
        "--smtps",
        "off",
        "--pop3s",
        "off",
        "--imap",
        "off",
        "--imaps",
        "off",
    ];
    args.extend_from_slice(extra);
    args
}

#[cfg(test)]
mod tests {
    use mail_server::{Protocol, Security};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    use super::*;

    /// A POP3 exchange on a socket: sends `script`, returns every line.
    async fn exchange(addr: SocketAddr, script: &str) -> Vec<String> {
        let (read, mut write) = tokio::net::TcpStream::connect(addr)
            .await
            .unwrap()
            .into_split();
        write.write_all(script.as_bytes()).await.unwrap();
        let mut lines = BufReader::new(read).lines();
        let mut all = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            all.push(line);
        }
        all
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn serves_a_demo_user_with_no_setup_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("mail-server-example-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.to_str().unwrap();
        let args = [
            "mail-server",
            "--data-dir",
            data,
            "--pop3",
            "127.0.0.1:0",
            "--pop3s",
            "127.0.0.1:0",
            "--smtp",
            "127.0.0.1:0",
            "--submission",
            "127.0.0.1:0",
            "--smtps",
            "127.0.0.1:0",
            "--imap",
            "127.0.0.1:0",
            "--imaps",
            "127.0.0.1:0",
        ];
        let cli = Cli::parse_from(args);

        let (server, table) = start(&cli).await.unwrap();
        let password = std::fs::read_to_string(dir.join("demo-password")).unwrap();
        let password = password.trim();
        assert!(
            table.contains(&format!("  Password           {password}\n")),
            "{table}"
        );
        assert!(table.contains("demo@localhost  (or just demo)"), "{table}");
        let addr = |protocol, security| server.local_addr(protocol, security).unwrap();
        let pop3 = addr(Protocol::Pop3, Security::Plain);
        let smtp = addr(Protocol::Smtp, Security::Plain);
        let smtps = addr(Protocol::Smtp, Security::ImplicitTls);
        let imap = addr(Protocol::Imap, Security::Plain);
        let imaps = addr(Protocol::Imap, Security::ImplicitTls);
        for (port, how) in [
            (pop3.port(), "STARTTLS"),
            (smtp.port(), "STARTTLS"),
            (smtps.port(), "SSL/TLS (recommended)"),
            (imap.port(), "STARTTLS"),
            (imaps.port(), "SSL/TLS (recommended)"),
        ] {
            assert!(table.contains(&format!("{port}  {how}")), "{table}");
        }
        assert!(
            table.contains(&format!("smtps://127.0.0.1:{}", smtps.port())),
            "{table}"
        );
        assert!(
            table.contains("Incoming mail: IMAP (kept on the server, synced to every device)"),
            "{table}"
        );
        assert!(
            table.contains(&format!("imaps://127.0.0.1:{}/INBOX;UID=1", imaps.port())),
            "{table}"
        );
        let cert = std::fs::read(dir.join("tls/cert.pem")).unwrap();

        // Mail for the demo user over SMTP, from anyone; none for elsewhere.
        let session = [
            "EHLO client.example",
            "MAIL FROM:<a@elsewhere.net>",
            "RCPT TO:<demo@localhost>",
            "RCPT TO:<b@elsewhere.net>",
            "DATA",
            "Subject: over SMTP\r\n\r\nhello\r\n.",
            "QUIT",
        ];
        let replies = smtp_session(smtp, &session).await;
        assert_eq!(replies[0], "220 localhost ESMTP");
        assert_eq!(
            replies[2..],
            [
                "250 2.1.0 Ok",
                "250 2.1.5 Ok",
                "554 5.7.1 <b@elsewhere.net>: Relay access denied",
                "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 Ok: queued",
                "221 2.0.0 Bye",
            ]
        );

        // The demo user has a welcome message and this one; log in as
        // demo@localhost.
        let script =
            format!("USER demo@localhost\r\nPASS {password}\r\nSTAT\r\nTOP 1 0\r\nQUIT\r\n");
        let lines = exchange(pop3, &script).await;
        assert_eq!(lines[2], "+OK Logged in.");
        assert!(lines[3].starts_with("+OK 2 "), "{lines:?}");
        assert!(lines.contains(&"Subject: Welcome to your mail server".to_owned()));
        // The same two messages over IMAP, from the INBOX POP3 read.
        let script = format!(
            "a LOGIN demo@localhost {password}\r\nb EXAMINE INBOX\r\n\
             c UID SEARCH SUBJECT \"over SMTP\"\r\nd LOGOUT\r\n"
        );
        let lines = exchange(imap, &script).await;
        assert!(lines.contains(&"* 2 EXISTS".to_owned()), "{lines:?}");
        assert!(lines.contains(&"* SEARCH 2".to_owned()), "{lines:?}");
        assert_eq!(lines.last().unwrap(), "d OK Logout completed.");
        server.shutdown().await;

        // A restart keeps the password, the certificate and the mail, and
        // does not deliver a second welcome.
        let (server, table) = start(&cli).await.unwrap();
        assert!(table.contains(&format!("  Password           {password}\n")));
        assert_eq!(std::fs::read(dir.join("tls/cert.pem")).unwrap(), cert);
        let pop3 = server.local_addr(Protocol::Pop3, Security::Plain).unwrap();
        let lines = pop3_quit(pop3, password).await;
        assert!(lines[3].starts_with("+OK 2 "), "{lines:?}");
        server.shutdown().await;

        // Named users instead of the demo one; an address with no listener.
        let cli = Cli::parse_from([
            "mail-server",
            "--data-dir",
            data,
            "--pop3",
            "127.0.0.1:0",
            "--pop3s",
            "off",
            "--smtp",
            "off",
            "--submission",
            "off",
            "--smtps",
            "off",
            "--imap",
            "off",
            "--imaps",
            "off",
            "--user",
            "erin:pw1",
            "--domain",
            "example.org",
        ]);
        let (server, table) = start(&cli).await.unwrap();
        assert!(table.contains("  Users              erin\n"), "{table}");
        assert!(table.contains("SSL/TLS: off"), "{table}");
        assert!(table.contains("SSL/TLS: off"), "{table}");
        assert!(table.contains("STARTTLS: off"), "{table}");
        let lines = exchange(
            server.listeners()[0].addr,
            "USER erin@example.org\r\nPASS pw1\r\nSTAT\r\nQUIT\r\n",
        )
        .await;
        assert_eq!(
            lines[2..],
            ["+OK Logged in.", "+OK 0 0", "+OK Logging out."]
        );
        server.shutdown().await;

        // A users file with a hash from hash_password (the subcommand's).
        let file = dir.join("users");
        let hash = mail_server::hash_password(b"pw2").unwrap();
        std::fs::write(&file, format!("# test users\nfrank:{hash}\n")).unwrap();
        let cli = Cli::parse_from([
            "mail-server",
            "--data-dir",
            data,
            "--pop3",
            "127.0.0.1:0",
            "--pop3s",
            "off",
            "--smtp",
            "off",
            "--submission",
            "off",
            "--smtps",
            "off",
            "--imap",
            "off",
            "--imaps",
            "off",
            "--users-file",
            file.to_str().unwrap(),
        ]);
        let (server, table) = start(&cli).await.unwrap();
        assert!(table.contains("  Users              frank\n"), "{table}");
        let lines = exchange(
            server.listeners()[0].addr,
            "USER frank@localhost\r\nPASS pw2\r\nQUIT\r\n",
        )
        .await;
        assert_eq!(lines[2], "+OK Logged in.");
        server.shutdown().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// RFC 5321 §4.5.1: mail for postmaster is taken and reaches the first
    /// user in name order, or the one `--postmaster` names.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postmaster_mail_reaches_a_user() {
        let dir =
            std::env::temp_dir().join(format!("mail-server-postmaster-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let data = dir.to_str().unwrap();
        for (flag, who, other) in [(None, "bob", "carol"), (Some("carol"), "carol", "bob")] {
            let mut args = test_args(data, &["--user", "carol:pw", "--user", "bob:pw"]);
            if let Some(name) = flag {
                args.extend(["--postmaster", name]);
            }
            let (server, _) = start(&Cli::parse_from(args)).await.unwrap();
            let smtp = server.local_addr(Protocol::Smtp, Security::Plain).unwrap();
            let pop3 = server.local_addr(Protocol::Pop3, Security::Plain).unwrap();
            let replies = smtp_session(
                smtp,
                &[
                    "EHLO client.example",
                    "MAIL FROM:<someone@example.net>",
                    "RCPT TO:<Postmaster>",
                    "RCPT TO:<POSTMASTER@localhost>",
                    "DATA",
                    "Subject: hello\r\n\r\nfor the postmaster\r\n.",
                    "QUIT",
                ],
            )
            .await;
            assert!(replies[3].starts_with("250 2.1.5"), "{replies:?}");
            assert!(replies[4].starts_with("250 2.1.5"), "{replies:?}");
            assert!(replies[6].starts_with("250 2.0.0"), "{replies:?}");
            // One copy for the one user both addresses reach.
            let stat = |user: &str| format!("USER {user}\r\nPASS pw\r\nSTAT\r\nQUIT\r\n");
            assert!(exchange(pop3, &stat(who)).await[3].starts_with("+OK 1 "));
            assert_eq!(exchange(pop3, &stat(other)).await[3], "+OK 0 0");
            // Delivered: empty the mailbox for the next round.
            exchange(
                pop3,
                &format!("USER {who}\r\nPASS pw\r\nDELE 1\r\nQUIT\r\n"),
            )
            .await;
            server.shutdown().await;
        }
    }

    /// An SMTP session on a socket, one command at a time: the greeting
    /// and each reply's last line.
    async fn smtp_session(addr: SocketAddr, commands: &[&str]) -> Vec<String> {
        let (read, mut write) = tokio::net::TcpStream::connect(addr)
            .await
            .unwrap()
            .into_split();
        let mut lines = BufReader::new(read).lines();
        let mut reply = async || loop {
            let line = lines.next_line().await.unwrap().unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                return line;
            }
        };
        let mut replies = vec![reply().await];
        for command in commands {
            write
                .write_all(format!("{command}\r\n").as_bytes())
                .await
                .unwrap();
            replies.push(reply().await);
        }
        replies
    }

    async fn pop3_quit(addr: SocketAddr, password: &str) -> Vec<String> {
        exchange(
            addr,
            &format!("USER demo\r\nPASS {password}\r\nSTAT\r\nQUIT\r\n"),
        )
        .await
    }
}
