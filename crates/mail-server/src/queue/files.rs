//! The queue on disk: for each message, `<id>.msg` (the message as it
//! goes out) and `<id>.env` (the envelope and each recipient's state),
//! written with Maildir's discipline: into `tmp/`, fsynced, renamed into
//! place, and the directory fsynced. A message is queued once its `.env`
//! is in place; a `.msg` without one is what a crash between the two
//! writes leaves, and is removed at start, as is anything in `tmp/`.
//!
//! The envelope file is text, one field per line, ending with `end` so a
//! file cut short is never taken for a whole one:
//!
//! ```text
//! mail-server-queue 1
//! id 6553F10000A2F
//! from <alice@a.test>
//! arrival 1700000000000
//! rcpt pending 1 1700000300000 <bob@b.test>
//! reply 4.3.0 smtp mx.b.test 451 4.3.0 Try again later
//! rcpt delivered 1 0 <carol@b.test>
//! reply 2.0.0 smtp mx.b.test 250 2.0.0 Ok: queued as 1234
//! end
//! ```
//!
//! A recipient's state is `pending`, `delivered`, `failed` (the sender
//! was told), or `bouncing` (failed for good, the sender's notice not
//! stored yet: tried again after a backoff, or made at the next start if
//! a crash came first).
//!
//! Times are milliseconds since the Unix epoch. A `reply` line belongs to
//! the `rcpt` before it: the enhanced status, `smtp` when the text is the
//! remote server's reply (RFC 3464's `smtp` diagnostic type) or `x`
//! otherwise, the server that answered (`-` for none), and the text.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One queued message's envelope and state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMessage {
    /// The queue id: the file names and the logs'.
    pub id: String,
    /// MAIL FROM's path as sent, `<>` for a bounce.
    pub from: String,
    /// When the message was queued, in milliseconds since the Unix epoch.
    pub arrival: u64,
    /// The recipients and where each stands.
    pub recipients: Vec<QueuedRecipient>,
}

/// One recipient of a queued message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedRecipient {
    /// The forward path as sent (`<bob@b.test>`).
    pub path: String,
    /// Where delivery stands.
    pub state: RecipientState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When to try next, in milliseconds since the Unix epoch (pending
    /// recipients only).
    pub next_attempt: u64,
    /// The last attempt's outcome, if there was one.
    pub last: Option<Attempt>,
}

/// Where a recipient's delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecipientState {
    /// Not delivered yet: it is tried (again) at its next attempt time.
    Pending,
    /// A server accepted it (`250`): never sent again.
    Delivered,
    /// It failed for good (`5xx`, or the queue lifetime ran out); the
    /// sender was told.
    Failed,
    /// It failed for good, and the sender's notice is not stored yet: it
    /// becomes [`Failed`](Self::Failed) once the bounce is in the sender's
    /// mailbox or queued. A bounce that cannot be stored is tried again
    /// after a backoff; a crash in between leaves it so on disk, and the
    /// bounce is made at the next start.
    Bouncing,
}

/// The outcome of one delivery attempt for a recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The enhanced status code (RFC 3463), `4.4.1`, `5.1.1`, `2.0.0`.
    pub status: String,
    /// Whether `text` is a reply from the remote server (RFC 3464's
    /// `Diagnostic-Code: smtp;`), rather than this server's words (a
    /// connection refused, a lookup that failed).
    pub smtp: bool,
    /// The host that answered, if one did.
    pub remote: Option<String>,
    /// The reply, on one line.
    pub text: String,
}

impl RecipientState {
    fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Bouncing => "bouncing",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            "bouncing" => Self::Bouncing,
            _ => return None,
        })
    }
}

const MAGIC: &str = "mail-server-queue 1";

impl QueuedMessage {
    /// The envelope file's text.
    pub(crate) fn encode(&self) -> String {
        let mut s = String::with_capacity(128 + 96 * self.recipients.len());
        s.push_str(MAGIC);
        s.push('\n');
        s.push_str(&format!(
            "id {}\nfrom {}\narrival {}\n",
            self.id, self.from, self.arrival
        ));
        for r in &self.recipients {
            s.push_str(&format!(
                "rcpt {} {} {} {}\n",
                r.state.name(),
                r.attempts,
                r.next_attempt,
                one_line(&r.path)
            ));
            if let Some(a) = &r.last {
                s.push_str(&format!(
                    "reply {} {} {} {}\n",
                    one_word(&a.status),
                    if a.smtp { "smtp" } else { "x" },
                    a.remote.as_deref().map_or_else(|| "-".to_owned(), one_word),
                    one_line(&a.text)
                ));
            }
        }
        s.push_str("end\n");
        s
    }

    /// Reads an envelope file's text; `None` if it is not a whole one.
    pub(crate) fn decode(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let id = lines.next()?.strip_prefix("id ")?.to_owned();
        let from = lines.next()?.strip_prefix("from ")?.to_owned();
        let arrival = lines.next()?.strip_prefix("arrival ")?.parse().ok()?;
        let mut recipients: Vec<QueuedRecipient> = Vec::new();
        for line in lines {
            if line == "end" {
                return Some(Self {
                    id,
                    from,
                    arrival,
                    recipients,
                });
            }
            let (key, rest) = line.split_once(' ')?;
            match key {
                "rcpt" => {
                    let mut f = rest.splitn(4, ' ');
                    recipients.push(QueuedRecipient {
                        state: RecipientState::parse(f.next()?)?,
                        attempts: f.next()?.parse().ok()?,
                        next_attempt: f.next()?.parse().ok()?,
                        path: f.next()?.to_owned(),
                        last: None,
                    });
                }
                "reply" => {
                    let mut f = rest.splitn(4, ' ');
                    let status = f.next()?.to_owned();
                    let smtp = f.next()? == "smtp";
                    let remote = Some(f.next()?).filter(|r| *r != "-").map(str::to_owned);
                    let text = f.next().unwrap_or("").to_owned();
                    recipients.last_mut()?.last = Some(Attempt {
                        status,
                        smtp,
                        remote,
                        text,
                    });
                }
                _ => return None,
            }
        }
        None
    }

    /// Whether any recipient is still to be delivered.
    pub fn is_pending(&self) -> bool {
        self.recipients
            .iter()
            .any(|r| r.state == RecipientState::Pending)
    }

    /// Whether a recipient failed for good and the sender's notice of it
    /// is not stored yet.
    pub fn is_bouncing(&self) -> bool {
        self.recipients
            .iter()
            .any(|r| r.state == RecipientState::Bouncing)
    }

    /// Whether nothing is left to do for the message: no recipient to
    /// deliver, no bounce to send. Such a message is removed.
    pub fn is_settled(&self) -> bool {
        self.recipients
            .iter()
            .all(|r| matches!(r.state, RecipientState::Delivered | RecipientState::Failed))
    }
}

/// Control octets and line ends out of a field, so a reply text cannot
/// forge a line of the file.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn one_word(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() || c == ' ' { '_' } else { c })
        .collect()
}

/// The queue directory and its `tmp/`.
#[derive(Clone, Debug)]
pub(crate) struct QueueDir {
    dir: PathBuf,
    fsync: bool,
}

impl QueueDir {
    /// Opens (creates) the queue directory and clears what a crash left:
    /// everything in `tmp/`, and message files without an envelope.
    pub(crate) fn open(dir: &Path, fsync: bool) -> io::Result<Self> {
        fs::create_dir_all(dir.join("tmp"))?;
        for entry in fs::read_dir(dir.join("tmp"))? {
            let entry = entry?;
            tracing::info!(file = %entry.path().display(), "queue: removing a half-written file");
            fs::remove_file(entry.path())?;
        }
        let queue = Self {
            dir: dir.to_owned(),
            fsync,
        };
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "msg") && !path.with_extension("env").exists()
            {
                tracing::info!(file = %path.display(), "queue: removing a message never queued");
                fs::remove_file(&path)?;
            }
        }
        Ok(queue)
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes the message file for `id`: durable, but not queued until its
    /// envelope is written.
    pub(crate) fn write_message(&self, id: &str, message: &[u8]) -> io::Result<()> {
        self.write_file(&format!("{id}.msg"), message)
    }

    /// Writes (or replaces) the envelope file: the message is queued, in
    /// this state, once this returns.
    pub(crate) fn write_envelope(&self, message: &QueuedMessage) -> io::Result<()> {
        self.write_file(&format!("{}.env", message.id), message.encode().as_bytes())
    }

    /// The message file's path.
    pub(crate) fn message_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.msg"))
    }

    /// Removes a message: the envelope first, so a crash between the two
    /// leaves a message file that the next start removes.
    pub(crate) fn remove(&self, id: &str) -> io::Result<()> {
        remove_if_present(&self.dir.join(format!("{id}.env")))?;
        remove_if_present(&self.message_path(id))?;
        self.sync_dir()
    }

    /// Every queued message, oldest id first; files that do not read are
    /// logged and left alone.
    pub(crate) fn scan(&self) -> io::Result<Vec<QueuedMessage>> {
        scan(&self.dir)
    }

    fn write_file(&self, name: &str, data: &[u8]) -> io::Result<()> {
        let tmp = self.dir.join("tmp").join(name);
        let mut file = File::create(&tmp)?;
        file.write_all(data)?;
        if self.fsync {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&tmp, self.dir.join(name))?;
        self.sync_dir()
    }

    fn sync_dir(&self) -> io::Result<()> {
        if self.fsync {
            File::open(&self.dir)?.sync_all()?;
        }
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Reads every envelope in a queue directory.
pub(crate) fn scan(dir: &Path) -> io::Result<Vec<QueuedMessage>> {
    let mut found = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "env") {
            continue;
        }
        // A running server removes a message once it is delivered: one
        // listed a moment ago may be gone.
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        match QueuedMessage::decode(&text) {
            Some(m) if path.with_extension("msg").exists() => found.push(m),
            Some(_) => tracing::warn!(file = %path.display(), "queue: envelope without a message"),
            None => tracing::warn!(file = %path.display(), "queue: unreadable envelope"),
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> QueuedMessage {
        QueuedMessage {
            id: "6553F10000A2F".into(),
            from: "<alice@a.test>".into(),
            arrival: 1_700_000_000_000,
            recipients: vec![
                QueuedRecipient {
                    path: "<bob@b.test>".into(),
                    state: RecipientState::Pending,
                    attempts: 1,
                    next_attempt: 1_700_000_300_000,
                    last: Some(Attempt {
                        status: "4.3.0".into(),
                        smtp: true,
                        remote: Some("mx.b.test".into()),
                        text: "451 4.3.0 Try again later".into(),
                    }),
                },
                QueuedRecipient {
                    path: "<carol@b.test>".into(),
                    state: RecipientState::Delivered,
                    attempts: 1,
                    next_attempt: 0,
                    last: None,
                },
            ],
        }
    }

    #[test]
    fn envelope_text_round_trip() {
        let m = sample();
        let text = m.encode();
        assert_eq!(
            text,
            "mail-server-queue 1\nid 6553F10000A2F\nfrom <alice@a.test>\n\
             arrival 1700000000000\nrcpt pending 1 1700000300000 <bob@b.test>\n\
             reply 4.3.0 smtp mx.b.test 451 4.3.0 Try again later\n\
             rcpt delivered 1 0 <carol@b.test>\nend\n"
        );
        let back = QueuedMessage::decode(&text).unwrap();
        assert_eq!(back, m);
        assert!(back.is_pending());
        assert!(!back.is_settled());
        // A failure whose bounce is not stored yet: not pending, not
        // settled either.
        let mut bouncing = m.clone();
        bouncing.recipients[0].state = RecipientState::Bouncing;
        let text2 = bouncing.encode();
        assert!(text2.contains("\nrcpt bouncing 1 1700000300000 <bob@b.test>\n"));
        let back = QueuedMessage::decode(&text2).unwrap();
        assert_eq!(back, bouncing);
        assert!(!back.is_pending() && !back.is_settled());
        bouncing.recipients[0].state = RecipientState::Failed;
        assert!(bouncing.is_settled());
        // A reply text cannot forge a line of the file.
        let mut forged = m;
        forged.recipients[0].last.as_mut().unwrap().text =
            "451 x\r\nrcpt delivered 0 0 <x@y>".into();
        let back = QueuedMessage::decode(&forged.encode()).unwrap();
        assert_eq!(back.recipients.len(), 2);
        assert_eq!(
            back.recipients[0].last.as_ref().unwrap().text,
            "451 x  rcpt delivered 0 0 <x@y>"
        );
        // Cut short anywhere before `end`: not a whole file.
        for cut in 0..text.len() - 4 {
            assert_eq!(QueuedMessage::decode(&text[..cut]), None, "{cut}");
        }
    }

    #[test]
    fn crash_states_are_cleared_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let q = QueueDir::open(dir.path(), true).unwrap();
        let m = sample();
        q.write_message(&m.id, b"Subject: x\r\n\r\nhi\r\n").unwrap();
        q.write_envelope(&m).unwrap();
        // A crash mid-write: a half-written file in tmp/, a message whose
        // envelope was never written, a torn envelope.
        fs::write(dir.path().join("tmp/B.env"), "mail-server-queue 1\nid B\n").unwrap();
        fs::write(dir.path().join("C.msg"), "Subject: never queued\r\n").unwrap();
        fs::write(dir.path().join("D.msg"), "x").unwrap();
        fs::write(
            dir.path().join("D.env"),
            "mail-server-queue 1\nid D\nfrom <>\n",
        )
        .unwrap();
        let q = QueueDir::open(dir.path(), true).unwrap();
        assert!(!dir.path().join("tmp/B.env").exists());
        assert!(!dir.path().join("C.msg").exists());
        assert_eq!(q.scan().unwrap(), std::slice::from_ref(&m));
        assert_eq!(
            fs::read(q.message_path(&m.id)).unwrap(),
            b"Subject: x\r\n\r\nhi\r\n"
        );
        q.remove(&m.id).unwrap();
        assert!(q.scan().unwrap().is_empty());
        assert!(!q.message_path(&m.id).exists());
    }
}
