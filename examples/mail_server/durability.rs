//! `kill -9` in the middle of a stream of mail: every message the server
//! acknowledged with `250` is there after a restart, exactly once.
//!
//! The server is this example's own code in a process of its own: the test
//! runs its own executable (the example, built as a test) again, with the
//! test's name and the example's command line in an environment variable;
//! that process serves through [`run`](crate::run), as `main` does, until it
//! is killed. (Cargo builds an example's plain binary only for `cargo run`
//! and `cargo build`, and a nested `cargo build` would wait forever for the
//! lock that `cargo test` holds.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;

use crate::cli::Cli;

/// Set in the server process: the example's arguments, one per line.
const SERVER_ARGS: &str = "MAIL_SERVER_DURABILITY_ARGS";
const TEST_NAME: &str = "durability::kill_9_loses_no_acknowledged_message";
const SENDERS: usize = 4;
const USER: &str = "durable";

#[test]
fn kill_9_loses_no_acknowledged_message() {
    if let Ok(args) = std::env::var(SERVER_ARGS) {
        // The server process: serve until killed.
        let cli = Cli::parse_from(args.lines());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(crate::run(cli)).unwrap();
        return;
    }
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("mail-server-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    // Several clients send as fast as the server takes mail...
    let mut server = Server::start(&dir);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let senders: Vec<_> = (0..SENDERS)
        .map(|i| {
            let (addr, acked) = (server.smtp, acked.clone());
            std::thread::spawn(move || send_until_refused(addr, i, &acked))
        })
        .collect();
    // ...until the server dies mid-stream, between any two octets.
    while acked.lock().unwrap().len() < 40 {
        assert!(started.elapsed() < Duration::from_secs(20), "too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(150));
    server.kill();
    let attempted: usize = senders.into_iter().map(|s| s.join().unwrap()).sum();
    let acked = acked.lock().unwrap().clone();

    // A new process on the same data: every acknowledged message is there
    // once; a message whose 250 was lost may be there too, once.
    let mut server = Server::start(&dir);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for id in pop3_message_ids(server.pop3) {
        *seen.entry(id).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered twice: {twice:?}");
    let missing: Vec<_> = acked.iter().filter(|id| !seen.contains_key(*id)).collect();
    assert!(missing.is_empty(), "acknowledged, then lost: {missing:?}");
    assert!(
        seen.len() <= attempted,
        "{} stored of {attempted} sent",
        seen.len()
    );
    println!(
        "killed with {} acknowledged of {attempted} begun; {} there after the restart",
        acked.len(),
        seen.len()
    );

    // And the server goes on taking mail.
    let mut client = Smtp::connect(server.smtp).unwrap();
    assert!(client.send("after.restart").unwrap());
    client.quit();
    assert_eq!(pop3_message_ids(server.pop3).len(), seen.len() + 1);
    server.kill();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// The example running in a process of its own.
pub(crate) struct Server {
    child: Child,
    pub(crate) smtp: SocketAddr,
    pop3: SocketAddr,
}

impl Server {
    /// Starts the example on `dir` with a user and its plain listeners on
    /// free ports, which it reads from the settings table the example prints.
    fn start(dir: &Path) -> Self {
        let user = format!("{USER}:pw");
        Self::spawn(&crate::test_args(dir.to_str().unwrap(), &["--user", &user]))
    }

    /// Starts the example with `args` (its SMTP and POP3 listeners on);
    /// the process serves through this module's test function.
    pub(crate) fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env(SERVER_ARGS, args.join("\n"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut pop3, mut smtp, mut section) = (None, None, String::new());
        for line in stdout.by_ref().lines() {
            let line = line.unwrap();
            if !line.starts_with(' ') {
                section = line.clone();
            }
            // `                     2525  STARTTLS; plain password ...`
            if let Some((port, _)) = line.trim_start().split_once("  STARTTLS;") {
                let addr = SocketAddr::from(([127, 0, 0, 1], port.parse().unwrap()));
                if section.starts_with("Incoming mail: POP3") {
                    pop3 = Some(addr);
                } else if section.starts_with("Outgoing mail: SMTP") {
                    smtp = Some(addr);
                }
            }
            if line.starts_with("Stop:") {
                break;
            }
        }
        // Whatever else it prints is read, so it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Self {
            child,
            smtp: smtp.expect("no SMTP port in the settings table"),
            pop3: pop3.expect("no POP3 port in the settings table"),
        }
    }

    /// `kill -9`.
    pub(crate) fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends messages from sender `i` until the server stops answering;
/// records the Message-ID of each one acknowledged with `250`. Returns how
/// many it began to send.
fn send_until_refused(addr: SocketAddr, i: usize, acked: &Mutex<Vec<String>>) -> usize {
    let Ok(mut client) = Smtp::connect(addr) else {
        return 0;
    };
    for n in 0.. {
        let id = format!("{i}.{n}");
        match client.send(&id) {
            Ok(true) => acked
                .lock()
                .unwrap()
                .push(format!("<{id}@durability.test>")),
            Ok(false) => panic!("message {id} refused"),
            Err(_) => return n + 1,
        }
    }
    unreachable!()
}

/// A blocking SMTP client, one command at a time.
struct Smtp {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Smtp {
    fn connect(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut client = Self {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        };
        client.reply()?;
        client.command("EHLO durability.test")?;
        Ok(client)
    }

    /// One transaction; `Ok(true)` once the server said `250` to the data.
    fn send(&mut self, id: &str) -> std::io::Result<bool> {
        for command in [
            "MAIL FROM:<sender@durability.test>".to_owned(),
            format!("RCPT TO:<{USER}@localhost>"),
            "DATA".to_owned(),
        ] {
            let code = self.command(&command)?;
            if !code.starts_with('2') && !code.starts_with('3') {
                return Ok(false);
            }
        }
        let body = "durable payload line of the message body\r\n".repeat(40);
        let message =
            format!("Message-ID: <{id}@durability.test>\r\nSubject: {id}\r\n\r\n{body}.\r\n");
        self.writer.write_all(message.as_bytes())?;
        Ok(self.reply()?.starts_with("250"))
    }

    fn quit(mut self) {
        let _ = self.command("QUIT");
    }

    fn command(&mut self, line: &str) -> std::io::Result<String> {
        self.writer.write_all(format!("{line}\r\n").as_bytes())?;
        self.reply()
    }

    /// The last line of the next reply.
    fn reply(&mut self) -> std::io::Result<String> {
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(line);
            }
        }
    }
}

/// The Message-IDs of every message in the user's INBOX, over POP3.
fn pop3_message_ids(addr: SocketAddr) -> Vec<String> {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    writer
        .write_all(format!("USER {USER}\r\nPASS pw\r\nSTAT\r\nQUIT\r\n").as_bytes())
        .unwrap();
    let mut replies = String::new();
    BufReader::new(stream).read_to_string(&mut replies).unwrap();
    let lines: Vec<&str> = replies.lines().collect();
    assert_eq!(lines[2], "+OK Logged in.", "{lines:?}");
    let count: usize = lines[3].split(' ').nth(1).unwrap().parse().unwrap();

    // RETR every message in one pipelined session.
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut script = format!("USER {USER}\r\nPASS pw\r\n");
    for n in 1..=count {
        script.push_str(&format!("RETR {n}\r\n"));
    }
    script.push_str("QUIT\r\n");
    writer.write_all(script.as_bytes()).unwrap();
    let mut text = String::new();
    BufReader::new(stream).read_to_string(&mut text).unwrap();
    let ids: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Message-ID: "))
        .map(str::to_owned)
        .collect();
    assert_eq!(ids.len(), count, "a message without its Message-ID");
    ids
}
