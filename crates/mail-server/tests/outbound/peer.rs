//! A scripted receiving MTA on a raw tokio listener: Postfix's replies,
//! PIPELINING, and a script for which transactions fail and how.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the peer does with each transaction.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Script {
    /// The first `n` transactions get `451` after the data, later ones
    /// `250`.
    TempFailFirst(usize),
    /// Recipients with this local part get `550 5.1.1`; the rest `250`.
    RejectRcpt(&'static str),
    /// Every transaction gets `451` after the data.
    AlwaysTempFail,
    /// The end of the data is never answered.
    Stall,
    /// Every transaction gets `250` after the data, this many milliseconds
    /// late.
    Slow(u64),
    /// The first `n` MAIL commands get Postfix's greylisting `451`, and the
    /// RCPT and DATA pipelined after them `503 5.5.1 Error: need MAIL
    /// command`; later transactions `250`.
    GreylistMail(usize),
    /// The session is refused at the greeting: `554 5.7.1`.
    RefuseGreeting,
    /// The greeting is `220`, EHLO and HELO get `550 5.7.1`.
    RefuseHelo,
}

/// One transaction as the peer saw it.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) from: String,
    pub(crate) rcpts: Vec<String>,
    pub(crate) data: Vec<u8>,
    /// The reply to the end of the data.
    pub(crate) result: String,
}

pub(crate) struct Peer {
    pub(crate) addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Transactions between the end of their data and its (late) reply
    /// now, and the most at once ([`Script::Slow`]).
    sessions: Arc<Mutex<(usize, usize)>>,
    task: tokio::task::JoinHandle<()>,
}

impl Peer {
    pub(crate) async fn start(script: Script) -> Self {
        Self::start_at("127.0.0.1:0".parse().unwrap(), script)
            .await
            .unwrap()
    }

    /// A peer listening on `addr`.
    pub(crate) async fn start_at(addr: SocketAddr, script: Script) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let sessions = Arc::new(Mutex::new((0, 0)));
        let count = sessions.clone();
        let mails = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let count = count.clone();
                let log = log.clone();
                tokio::spawn(session(tcp, script, log, count, mails.clone()));
            }
        });
        Ok(Self {
            addr,
            seen,
            sessions,
            task,
        })
    }

    /// The most transactions that waited for their reply at once
    /// ([`Script::Slow`]).
    pub(crate) fn max_in_flight(&self) -> usize {
        self.sessions.lock().unwrap().1
    }

    pub(crate) fn transactions(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The address inside `<...>` of a MAIL or RCPT line.
fn path(line: &str) -> String {
    let start = line.find('<').unwrap_or(0);
    let end = line.find('>').map_or(line.len(), |e| e + 1);
    line[start..end].to_owned()
}

async fn session(
    tcp: tokio::net::TcpStream,
    script: Script,
    log: Arc<Mutex<Vec<Seen>>>,
    in_flight: Arc<Mutex<(usize, usize)>>,
    mails: Arc<AtomicUsize>,
) {
    let (read, mut write) = tcp.into_split();
    let mut lines = BufReader::new(read);
    if matches!(script, Script::RefuseGreeting) {
        send(&mut write, "554 5.7.1 peer.test No SMTP service here\r\n").await;
    } else {
        send(&mut write, "220 peer.test ESMTP\r\n").await;
    }
    let mut from = String::new();
    let mut rcpts = Vec::new();
    let mut in_mail = false;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        if matches!(script, Script::RefuseHelo)
            && (upper.starts_with("EHLO") || upper.starts_with("HELO"))
        {
            send(&mut write, "550 5.7.1 peer.test Not talking to you\r\n").await;
        } else if upper.starts_with("EHLO") {
            send(
                &mut write,
                "250-peer.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
            )
            .await;
        } else if upper.starts_with("MAIL FROM:") {
            from = path(&line);
            rcpts.clear();
            let n = mails.fetch_add(1, Ordering::SeqCst);
            if matches!(script, Script::GreylistMail(first) if n < first) {
                let reply = format!(
                    "451 4.7.1 {from}: Sender address rejected: Greylisted, try again later\r\n"
                );
                send(&mut write, &reply).await;
                continue;
            }
            in_mail = true;
            send(&mut write, "250 2.1.0 Ok\r\n").await;
        } else if !in_mail && (upper.starts_with("RCPT TO:") || upper.starts_with("DATA")) {
            send(&mut write, "503 5.5.1 Error: need MAIL command\r\n").await;
        } else if upper.starts_with("RCPT TO:") {
            let to = path(&line);
            match script {
                Script::RejectRcpt(local) if to.starts_with(&format!("<{local}@")) => {
                    let reply = format!(
                        "550 5.1.1 {to}: Recipient address rejected: User unknown in local recipient table\r\n"
                    );
                    send(&mut write, &reply).await;
                }
                _ => {
                    rcpts.push(to);
                    send(&mut write, "250 2.1.5 Ok\r\n").await;
                }
            }
        } else if upper.starts_with("DATA") {
            if rcpts.is_empty() {
                send(&mut write, "554 5.5.1 Error: no valid recipients\r\n").await;
                continue;
            }
            send(&mut write, "354 End data with <CR><LF>.<CR><LF>\r\n").await;
            let mut data = Vec::new();
            loop {
                let mut body_line = Vec::new();
                if lines.read_until(b'\n', &mut body_line).await.unwrap_or(0) == 0 {
                    return;
                }
                if body_line == b".\r\n" {
                    break;
                }
                let unstuffed = if body_line.starts_with(b".") {
                    &body_line[1..]
                } else {
                    &body_line[..]
                };
                data.extend_from_slice(unstuffed);
            }
            if matches!(script, Script::Stall) {
                log.lock().unwrap().push(Seen {
                    from: from.clone(),
                    rcpts: std::mem::take(&mut rcpts),
                    data: data.clone(),
                    result: String::new(),
                });
                std::future::pending::<()>().await;
            }
            if let Script::Slow(ms) = script {
                {
                    let mut c = in_flight.lock().unwrap();
                    c.0 += 1;
                    c.1 = c.1.max(c.0);
                }
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                // Before the reply: the client cannot start another
                // transaction in its place until it has it.
                in_flight.lock().unwrap().0 -= 1;
            }
            let result = {
                let mut seen = log.lock().unwrap();
                let result = match script {
                    Script::TempFailFirst(n) if seen.len() < n => "451 4.3.0 Try again later",
                    Script::AlwaysTempFail => "451 4.3.0 Try again later",
                    _ => "250 2.0.0 Ok: queued as PEER",
                };
                seen.push(Seen {
                    from: from.clone(),
                    rcpts: std::mem::take(&mut rcpts),
                    data,
                    result: result.to_owned(),
                });
                result
            };
            in_mail = false;
            send(&mut write, &format!("{result}\r\n")).await;
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            in_mail &= upper.starts_with("NOOP");
            rcpts.clear();
            send(&mut write, "250 2.0.0 Ok\r\n").await;
        } else if upper.starts_with("QUIT") {
            send(&mut write, "221 2.0.0 Bye\r\n").await;
            return;
        } else {
            send(&mut write, "502 5.5.2 Error: command not recognized\r\n").await;
        }
    }
}

async fn send(w: &mut tokio::net::tcp::OwnedWriteHalf, s: &str) {
    let _ = w.write_all(s.as_bytes()).await;
}
