//! Message submission (RFC 6409): what a mail submission agent does besides
//! SMTP. Authentication before MAIL is the machine's
//! ([`Options::auth_required`](smtp_proto::server::Options::auth_required),
//! `530 5.7.0 Authentication required`); here, the header fields an MSA
//! adds when the client left them out (RFC 6409 §8.2 `Date`, §8.3
//! `Message-ID`), and Postfix's opt-in `reject_sender_login_mismatch`.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use bytes::{Bytes, BytesMut};
use smtp_proto::{EnhancedCode, Reply, ReplyCode};

/// Which of the fields an MSA adds are missing from a message's header
/// section (the octets from `start`, past this server's trace field).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Missing {
    pub(crate) date: bool,
    pub(crate) message_id: bool,
}

impl Missing {
    /// Scans the header section of `message[start..]`, to its first empty
    /// line, for `Date:` and `Message-ID:` at the start of a line.
    pub(crate) fn of(message: &[u8], start: usize) -> Self {
        let (mut date, mut message_id) = (false, false);
        let mut rest = message.get(start..).unwrap_or_default();
        while !rest.is_empty() && !rest.starts_with(b"\r\n") && !rest.starts_with(b"\n") {
            let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let line = &rest[..end];
            let name = line.split(|&b| b == b':').next().unwrap_or_default();
            if line.contains(&b':') {
                date |= name.eq_ignore_ascii_case(b"Date");
                message_id |= name.eq_ignore_ascii_case(b"Message-ID");
            }
            rest = &rest[end..];
        }
        Self {
            date: !date,
            message_id: !message_id,
        }
    }

    /// Whether anything is to be added.
    pub(crate) fn any(self) -> bool {
        self.date || self.message_id
    }
}

/// The left part of a `Message-ID` made for a message queued as
/// `queue_id`: the queue id and 64 random bits from the OS, so that a
/// restart within the same second, which reuses queue ids, never reuses a
/// message identifier (RFC 5322 §3.6.4: it "MUST be globally unique").
pub(crate) fn message_id_left(queue_id: &str) -> String {
    format!("{queue_id}.{:016X}", OsRng.next_u64())
}

/// The message with the missing fields inserted at `at` (after the trace
/// field): `Date:` now, `Message-ID: <id@hostname>` (`id` from
/// [`message_id_left`]). This copies the
/// message once more, only for a client that left a field out (mail
/// clients send both).
pub(crate) fn add_fields(
    message: &Bytes,
    at: usize,
    missing: Missing,
    date: &str,
    id: &str,
    hostname: &str,
) -> Bytes {
    let mut fields = String::new();
    if missing.date {
        fields.push_str(&format!("Date: {date}\r\n"));
    }
    if missing.message_id {
        fields.push_str(&format!("Message-ID: <{id}@{hostname}>\r\n"));
    }
    let at = at.min(message.len());
    let mut out = BytesMut::with_capacity(message.len() + fields.len());
    out.extend_from_slice(&message[..at]);
    out.extend_from_slice(fields.as_bytes());
    out.extend_from_slice(&message[at..]);
    out.freeze()
}

/// Postfix's refusal of a sender the logged-in user does not own:
/// `553 5.7.1 <addr>: Sender address rejected: not owned by user NAME`.
pub(crate) fn not_owned(path: &str, user: &str) -> Reply {
    Reply::new(
        ReplyCode::MAILBOX_NAME_NOT_ALLOWED,
        Some(EnhancedCode::NOT_AUTHORIZED),
        format!("{path}: Sender address rejected: not owned by user {user}"),
    )
    .unwrap_or_else(|_| {
        Reply::from_static(
            ReplyCode::MAILBOX_NAME_NOT_ALLOWED,
            Some(EnhancedCode::NOT_AUTHORIZED),
            "Sender address rejected: not owned by user",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_fields_in_the_header_section_only() {
        let trace = b"Received: from x\r\n\tby y; date\r\n";
        let mut m = trace.to_vec();
        m.extend_from_slice(b"Subject: hi\r\n\r\nDate: not a header\r\nMessage-ID: nor this\r\n");
        let missing = Missing::of(&m, trace.len());
        assert_eq!(
            missing,
            Missing {
                date: true,
                message_id: true
            }
        );
        let m2 = b"DATE: Tue, 14 Nov 2023 22:13:20 +0000\r\nmessage-id: <a@b>\r\n\r\nx\r\n";
        assert!(!Missing::of(m2, 0).any());
        // No body at all, bare LF line ends.
        assert!(!Missing::of(b"Date: x\nMessage-ID: <a@b>\n", 0).any());

        let message = Bytes::from(m);
        let fixed = add_fields(
            &message,
            trace.len(),
            missing,
            "Tue, 14 Nov 2023 22:13:20 +0000",
            "6553F10000001",
            "mail.a.test",
        );
        assert_eq!(
            &fixed[..],
            b"Received: from x\r\n\tby y; date\r\n\
              Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\
              Message-ID: <6553F10000001@mail.a.test>\r\n\
              Subject: hi\r\n\r\nDate: not a header\r\nMessage-ID: nor this\r\n"
        );
        // The same queue id (a restart within a second) makes new
        // identifiers.
        let a = message_id_left("6553F10000001");
        let b = message_id_left("6553F10000001");
        assert_ne!(a, b);
        for left in [&a, &b] {
            let random = left.strip_prefix("6553F10000001.").unwrap();
            assert_eq!(random.len(), 16);
            assert!(random.bytes().all(|c| c.is_ascii_hexdigit()), "{left}");
        }
        assert_eq!(
            not_owned("<bob@a.test>", "alice").to_string(),
            "553 5.7.1 <bob@a.test>: Sender address rejected: not owned by user alice"
        );
    }
}
