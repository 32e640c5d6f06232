//! Delivery status notifications (RFC 3464): the bounce a sender gets
//! when recipients failed for good, in Postfix's layout: a
//! `multipart/report; report-type=delivery-status` (RFC 6522) with a
//! human-readable part, the `message/delivery-status` part, and the
//! original message's header as `text/rfc822-headers`, from
//! `MAILER-DAEMON@<hostname>`, sent with the null reverse path.

use std::fmt::Write;

use mailbox_traits::InternalDate;

use super::files::{QueuedMessage, QueuedRecipient};
use crate::smtp::rfc5322_date;

/// The most octets of the original header section returned: Postfix
/// returns the header only by default (`bounce_size_limit` aside), and a
/// header this long is already abuse.
const MAX_HEADERS: usize = 64 * 1024;

/// The most octets of a reply (or local reason) quoted in a report: a
/// multi-line reply of any length stays far below RFC 5322's 998-octet
/// line limit (§2.1.1) once folded.
const MAX_DIAGNOSTIC: usize = 900;

/// Lines are folded before this width where a space allows (RFC 5322
/// §2.1.1's 78).
const FOLD_WIDTH: usize = 78;

/// What a bounce says.
#[derive(Debug)]
pub(crate) struct Bounce<'a> {
    /// This server's name: `Reporting-MTA` and the sender's domain.
    pub(crate) hostname: &'a str,
    /// The queued message the recipients belong to.
    pub(crate) message: &'a QueuedMessage,
    /// The recipients that failed, each with its last attempt.
    pub(crate) failed: Vec<&'a QueuedRecipient>,
    /// The original message (its header section is returned).
    pub(crate) original: &'a [u8],
    /// When the bounce is made.
    pub(crate) date: InternalDate,
}

impl Bounce<'_> {
    /// The whole notification message, CRLF line ends.
    pub(crate) fn render(&self) -> Vec<u8> {
        let id = &self.message.id;
        let host = self.hostname;
        let boundary = format!("{id}.{}/{host}", self.date.unix_timestamp());
        let to = self
            .message
            .from
            .trim_start_matches('<')
            .trim_end_matches('>');
        let mut s = String::with_capacity(2048);
        let _ = write!(
            s,
            "From: Mail Delivery System <MAILER-DAEMON@{host}>\r\n\
             To: <{to}>\r\n\
             Subject: Undelivered Mail Returned to Sender\r\n\
             Date: {date}\r\n\
             Message-ID: <{id}.{stamp}.bounce@{host}>\r\n\
             Auto-Submitted: auto-replied\r\n\
             MIME-Version: 1.0\r\n\
             Content-Type: multipart/report; report-type=delivery-status;\r\n\
             \tboundary=\"{boundary}\"\r\n\
             \r\n\
             This is a MIME-encapsulated message.\r\n\
             \r\n\
             --{boundary}\r\n\
             Content-Description: Notification\r\n\
             Content-Type: text/plain; charset=us-ascii\r\n\
             \r\n\
             This is the mail system at host {host}.\r\n\
             \r\n\
             I'm sorry to have to inform you that your message could not\r\n\
             be delivered to one or more recipients. It's attached below.\r\n\
             \r\n\
             For further assistance, please send mail to postmaster.\r\n\
             \r\n\
             If you do so, please include this problem report. You can\r\n\
             delete your own text from the attached returned message.\r\n\
             \r\n\
             \x20                  The mail system\r\n",
            date = rfc5322_date(self.date),
            stamp = self.date.unix_timestamp(),
        );
        for r in &self.failed {
            let why = r.last.as_ref().map_or_else(
                || "delivery failed".to_owned(),
                |a| {
                    let said = match (&a.remote, a.smtp) {
                        (Some(remote), true) => format!("host {remote} said: {}", cut(&a.text)),
                        _ => cut(&a.text).to_owned(),
                    };
                    // A failed recipient with a temporary status ran out
                    // of queue lifetime.
                    if a.status.starts_with('4') {
                        format!("message expired; the last attempt: {said}")
                    } else {
                        said
                    }
                },
            );
            let line = format!("{}: {}", ascii(&r.path), ascii(&why));
            let _ = write!(s, "\r\n{}\r\n", folded(0, &line));
        }
        let arrival =
            InternalDate::from_unix((self.message.arrival / 1000) as i64).unwrap_or(self.date);
        let _ = write!(
            s,
            "\r\n--{boundary}\r\n\
             Content-Description: Delivery report\r\n\
             Content-Type: message/delivery-status\r\n\
             \r\n\
             Reporting-MTA: dns; {host}\r\n\
             X-Queue-ID: {id}\r\n\
             Arrival-Date: {arrival}\r\n",
            arrival = rfc5322_date(arrival),
        );
        for r in &self.failed {
            let address = r.path.trim_start_matches('<').trim_end_matches('>');
            let _ = write!(
                s,
                "\r\nFinal-Recipient: rfc822; {}\r\nAction: failed\r\n",
                ascii(address)
            );
            match &r.last {
                Some(a) => {
                    let _ = write!(s, "Status: {}\r\n", ascii(&a.status));
                    if let Some(remote) = &a.remote {
                        let _ = write!(s, "Remote-MTA: dns; {}\r\n", ascii(remote));
                    }
                    let kind = if a.smtp { "smtp" } else { "X-mail-server" };
                    let lead = format!("Diagnostic-Code: {kind};");
                    let _ = write!(
                        s,
                        "{lead} {}\r\n",
                        folded(lead.len() + 1, &ascii(cut(&a.text)))
                    );
                }
                None => s.push_str("Status: 5.0.0\r\n"),
            }
        }
        let _ = write!(
            s,
            "\r\n--{boundary}\r\n\
             Content-Description: Undelivered Message Headers\r\n\
             Content-Type: text/rfc822-headers\r\n\
             \r\n"
        );
        let mut out = s.into_bytes();
        out.extend_from_slice(header_section(self.original));
        out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        out
    }
}

/// The header section of a message, its last CRLF included, at most
/// [`MAX_HEADERS`] octets (cut at a line end).
fn header_section(message: &[u8]) -> &[u8] {
    let end = memchr::memmem::find(message, b"\r\n\r\n").map_or(message.len(), |i| i + 2);
    let mut head = &message[..end.min(message.len())];
    if head.len() > MAX_HEADERS {
        let cut = memchr::memrchr(b'\n', &head[..MAX_HEADERS]).map_or(0, |i| i + 1);
        head = &head[..cut];
    }
    head
}

/// `text` cut to [`MAX_DIAGNOSTIC`] octets (at a character boundary).
fn cut(text: &str) -> &str {
    if text.len() <= MAX_DIAGNOSTIC {
        return text;
    }
    let mut end = MAX_DIAGNOSTIC;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` (ASCII) folded at its spaces (RFC 5322 §2.2.3, which RFC 3464 §2.1.1 allows for its fields):
/// a CRLF goes before a space wherever the line, which has `lead` octets
/// before `text`, would pass [`FOLD_WIDTH`]. Unfolding gives the text back.
fn folded(lead: usize, text: &str) -> String {
    let text = text.trim_end();
    let mut out = String::with_capacity(text.len() + text.len() / FOLD_WIDTH * 2 + 2);
    let mut width = lead;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if width + 1 + word.len() > FOLD_WIDTH && width > 1 {
                out.push_str("\r\n");
                width = 0;
            }
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}

/// Text for a us-ascii part: other characters (a UTF-8 address) become
/// `?`, control characters spaces.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c,
            c if c.is_control() => ' ',
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use mail_parser::MimeHeaders;

    use super::*;
    use crate::queue::files::{Attempt, RecipientState};

    /// A message from alice@a.test that arrived at 2023-11-14 22:13:20 UTC.
    fn from_alice(id: &str) -> QueuedMessage {
        QueuedMessage {
            id: id.into(),
            from: "<alice@a.test>".into(),
            arrival: 1_700_000_000_000,
            recipients: Vec::new(),
        }
    }

    fn recipient(path: &str, last: Attempt) -> QueuedRecipient {
        QueuedRecipient {
            path: path.into(),
            state: RecipientState::Failed,
            attempts: 1,
            next_attempt: 0,
            last: Some(last),
        }
    }

    #[test]
    fn rfc3464_structure() {
        let message = from_alice("6553F10000001");
        let bob = recipient(
            "<bob@b.test>",
            Attempt {
                status: "5.1.1".into(),
                smtp: true,
                remote: Some("mx.b.test".into()),
                text: "550 5.1.1 <bob@b.test>: Recipient address rejected: User unknown".into(),
            },
        );
        let carol = recipient(
            "<carol@null.test>",
            Attempt {
                status: "5.1.10".into(),
                smtp: false,
                remote: None,
                text: "556 5.1.10 Domain null.test does not accept mail (nullMX)".into(),
            },
        );
        let original = b"Subject: hello\r\nFrom: alice@a.test\r\n\r\nbody\r\n";
        let bounce = Bounce {
            hostname: "mail.a.test",
            message: &message,
            failed: vec![&bob, &carol],
            original,
            date: InternalDate::from_unix(1_700_000_600).unwrap(),
        };
        let dsn = bounce.render();
        let text = String::from_utf8(dsn.clone()).unwrap();
        assert!(text.starts_with(
            "From: Mail Delivery System <MAILER-DAEMON@mail.a.test>\r\nTo: <alice@a.test>\r\n"
        ));
        let parsed = mail_parser::MessageParser::default().parse(&dsn).unwrap();
        let ct = parsed.content_type().unwrap();
        assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("report")));
        assert_eq!(ct.attribute("report-type"), Some("delivery-status"));
        assert_eq!(parsed.parts.len(), 4);
        let part = |i: usize| {
            let p = &parsed.parts[i];
            let ct = p.content_type().unwrap();
            (
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")),
                String::from_utf8_lossy(&dsn[p.offset_body as usize..p.offset_end as usize])
                    .into_owned(),
            )
        };
        let (ct, human) = part(1);
        assert_eq!(ct, "text/plain");
        assert!(human.contains(
            "<bob@b.test>: host mx.b.test said: 550 5.1.1 <bob@b.test>: Recipient address\r\n \
             rejected: User unknown\r\n"
        ));
        let (ct, status) = part(2);
        assert_eq!(ct, "message/delivery-status");
        assert_eq!(
            status,
            "Reporting-MTA: dns; mail.a.test\r\n\
             X-Queue-ID: 6553F10000001\r\n\
             Arrival-Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\
             \r\n\
             Final-Recipient: rfc822; bob@b.test\r\n\
             Action: failed\r\n\
             Status: 5.1.1\r\n\
             Remote-MTA: dns; mx.b.test\r\n\
             Diagnostic-Code: smtp; 550 5.1.1 <bob@b.test>: Recipient address rejected:\r\n \
             User unknown\r\n\
             \r\n\
             Final-Recipient: rfc822; carol@null.test\r\n\
             Action: failed\r\n\
             Status: 5.1.10\r\n\
             Diagnostic-Code: X-mail-server; 556 5.1.10 Domain null.test does not accept\r\n \
             mail (nullMX)\r\n"
        );
        let (ct, headers) = part(3);
        assert_eq!(ct, "text/rfc822-headers");
        assert_eq!(headers, "Subject: hello\r\nFrom: alice@a.test\r\n");
    }

    /// A 256-line reply, joined on one line as the queue records it: the
    /// report's lines stay within 78 octets (folded at spaces, RFC 5322
    /// §2.1.1 and §2.2.3, allowed in RFC 3464 §2.1.1), and the diagnostic
    /// is its first 900 octets, given back by unfolding.
    #[test]
    fn a_long_reply_is_folded_and_cut() {
        let message = from_alice("6553F10000002");
        let mut text = "550 5.7.1".to_owned();
        for i in 1..=256 {
            write!(
                text,
                " Line {i:03} of a policy that explains itself at length."
            )
            .unwrap();
        }
        assert!(text.len() > 13_000);
        let bob = recipient(
            "<bob@b.test>",
            Attempt {
                status: "5.7.1".into(),
                smtp: true,
                remote: Some("mx.b.test".into()),
                text: text.clone(),
            },
        );
        let bounce = Bounce {
            hostname: "mail.a.test",
            message: &message,
            failed: vec![&bob],
            original: b"Subject: hello\r\n\r\nbody\r\n",
            date: InternalDate::from_unix(1_700_000_600).unwrap(),
        };
        let dsn = String::from_utf8(bounce.render()).unwrap();
        for line in dsn.split("\r\n") {
            assert!(line.len() <= FOLD_WIDTH, "{line:?}");
            assert!(line.is_empty() || !line.trim().is_empty(), "{line:?}");
        }
        let unfolded = dsn.replace("\r\n ", " ");
        let cut = text[..MAX_DIAGNOSTIC].trim_end();
        assert!(cut.len() >= 890);
        assert!(
            unfolded.contains(&format!("\r\nDiagnostic-Code: smtp; {cut}\r\n")),
            "{dsn}"
        );
        assert!(
            unfolded.contains(&format!("\r\n<bob@b.test>: host mx.b.test said: {cut}\r\n")),
            "{dsn}"
        );
        assert!(!unfolded.contains("Line 256"));
        // The first line is filled before the fold.
        assert!(dsn.contains(
            "\r\nDiagnostic-Code: smtp; 550 5.7.1 Line 001 of a policy that explains itself at\r\n \
             length. Line 002"
        ));
        // A short text is left alone.
        assert_eq!(folded(22, "550 5.1.1 Ok"), "550 5.1.1 Ok");
    }

    #[test]
    fn header_section_is_bounded() {
        assert_eq!(header_section(b"A: b\r\n\r\nbody"), b"A: b\r\n");
        assert_eq!(header_section(b"A: b\r\n"), b"A: b\r\n");
        let long = "X: yyyyyyyyyyyyyyyy\r\n".repeat(10_000);
        let head = header_section(long.as_bytes());
        assert!(head.len() <= MAX_HEADERS && head.ends_with(b"\r\n"));
    }
}
