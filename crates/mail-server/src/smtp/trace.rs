//! The `Received:` trace header field a server adds to every message it
//! takes (RFC 5321 §4.4), with the protocol keywords of RFC 3848, the date
//! of RFC 5322 §3.3, and the queue ids that name messages in the logs.

use std::fmt::Write;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use bytes::BytesMut;
use mailbox_traits::InternalDate;
use smtp_proto::server::HelloKind;

/// Hands out queue ids: the second the message arrived and a counter, in
/// upper-case hexadecimal (`6553F10000A2F`), so ids sort by arrival and
/// differ across restarts. They name a message in the `Received:` field
/// and the logs, as Postfix's queue ids do.
#[derive(Debug, Default)]
pub(crate) struct QueueIds {
    next: AtomicU32,
}

impl QueueIds {
    /// A new id for a message that arrived at `date`.
    pub(crate) fn next(&self, date: InternalDate) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed) & 0xF_FFFF;
        format!("{:X}{n:05X}", date.unix_timestamp())
    }
}

/// What the `Received:` field says about one message.
#[derive(Clone, Debug)]
pub(crate) struct Trace<'a> {
    /// The client's HELO, EHLO or LHLO name, if it gave one.
    pub(crate) helo: Option<&'a str>,
    /// The client's address.
    pub(crate) peer: IpAddr,
    /// This server's name.
    pub(crate) hostname: &'a str,
    /// The protocol keyword ([`with_keyword`]).
    pub(crate) with: &'static str,
    /// The queue id.
    pub(crate) id: &'a str,
    /// The recipient's path (`<a@b>`), when there is exactly one.
    pub(crate) recipient: Option<&'a str>,
    /// When the message arrived.
    pub(crate) date: InternalDate,
}

impl Trace<'_> {
    /// Writes the field, CRLF included, in Postfix's layout (its lines
    /// folded before a tab):
    ///
    /// ```text
    /// Received: from client.example.org ([192.0.2.7])
    ///         by mail.example.org with ESMTPSA id 6553F10000001
    ///         for <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000
    /// ```
    ///
    /// RFC 5321 §4.4's grammar: `From-domain` is the name the client gave
    /// (anything it sent that is not printable ASCII becomes `?`, so the
    /// field stays one header), `TCP-info` the address literal of its IP
    /// address (no reverse DNS lookup is made); `By-domain`, `Via`-less
    /// `With`, `ID`, `For` and the date after `;`.
    pub(crate) fn write(&self, out: &mut BytesMut) {
        let mut s = String::with_capacity(200);
        s.push_str("Received: from ");
        match self.helo {
            Some(helo) if !helo.is_empty() => s.extend(helo.chars().take(255).map(printable)),
            _ => s.push_str("unknown"),
        }
        let _ = write!(s, " ({})\r\n\tby ", address_literal(self.peer));
        s.extend(self.hostname.chars().map(printable));
        let _ = write!(s, " with {} id {}", self.with, self.id);
        if let Some(rcpt) = self.recipient {
            s.push_str("\r\n\tfor ");
            s.extend(rcpt.chars().map(printable));
        }
        let _ = write!(s, "; {}\r\n", rfc5322_date(self.date));
        out.extend_from_slice(s.as_bytes());
    }
}

/// The `with` keyword (RFC 5321 §4.4, RFC 3848 §2): `SMTP` after HELO,
/// `ESMTP` after EHLO, `LMTP` after LHLO; `S` added under TLS, `A` once the
/// client authenticated (`ESMTPSA`).
pub(crate) fn with_keyword(
    hello: Option<HelloKind>,
    tls: bool,
    authenticated: bool,
) -> &'static str {
    match (hello, tls, authenticated) {
        (Some(HelloKind::Lhlo), false, false) => "LMTP",
        (Some(HelloKind::Lhlo), true, false) => "LMTPS",
        (Some(HelloKind::Lhlo), false, true) => "LMTPA",
        (Some(HelloKind::Lhlo), true, true) => "LMTPSA",
        (Some(HelloKind::Helo) | None, _, _) => "SMTP",
        (Some(_), false, false) => "ESMTP",
        (Some(_), true, false) => "ESMTPS",
        (Some(_), false, true) => "ESMTPA",
        (Some(_), true, true) => "ESMTPSA",
    }
}

/// An IP address as RFC 5321 §4.1.3 writes it: `[192.0.2.7]`,
/// `[IPv6:2001:db8::1]`; an IPv4 address mapped into IPv6 as IPv4.
pub(crate) fn address_literal(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => format!("[{v4}]"),
        IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
    }
}

/// A date as RFC 5322 §3.3 writes it, in the date's own zone:
/// `Tue, 14 Nov 2023 22:13:20 +0000`.
pub(crate) fn rfc5322_date(date: InternalDate) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let offset = i64::from(date.offset_minutes());
    let local = date.unix_timestamp() + offset * 60;
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[usize::try_from(local.div_euclid(86_400).rem_euclid(7)).unwrap_or(0)];
    let c = date.civil();
    let month = MONTHS[usize::from(c.month.clamp(1, 12) - 1)];
    let sign = if offset < 0 { '-' } else { '+' };
    format!(
        "{weekday}, {} {month} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        c.day,
        c.year,
        c.hour,
        c.minute,
        c.second,
        offset.abs() / 60,
        offset.abs() % 60
    )
}

/// A character a header field may hold as it is: printable ASCII; anything
/// else (controls, spaces inside a name, 8-bit) is `?`.
fn printable(c: char) -> char {
    if c.is_ascii_graphic() { c } else { '?' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> InternalDate {
        InternalDate::from_unix(1_700_000_000).unwrap()
    }

    #[test]
    fn rfc5322_dates() {
        assert_eq!(rfc5322_date(date()), "Tue, 14 Nov 2023 22:13:20 +0000");
        // RFC 5322 §A.1.1's date, in its own zone.
        let d = InternalDate::from_unix(880_127_706).unwrap();
        assert_eq!(
            rfc5322_date(d.with_offset(-6 * 60).unwrap()),
            "Fri, 21 Nov 1997 09:55:06 -0600"
        );
        assert_eq!(
            rfc5322_date(InternalDate::from_unix(0).unwrap()),
            "Thu, 1 Jan 1970 00:00:00 +0000"
        );
        assert_eq!(
            rfc5322_date(
                InternalDate::from_unix(951_782_400)
                    .unwrap()
                    .with_offset(330)
                    .unwrap()
            ),
            "Tue, 29 Feb 2000 05:30:00 +0530"
        );
    }

    #[test]
    fn received_in_postfix_layout() {
        let mut out = BytesMut::new();
        Trace {
            helo: Some("client.example.org"),
            peer: "192.0.2.7".parse().unwrap(),
            hostname: "mail.example.org",
            with: "ESMTPSA",
            id: "6553F10000001",
            recipient: Some("<alice@example.org>"),
            date: date(),
        }
        .write(&mut out);
        assert_eq!(
            &out[..],
            b"Received: from client.example.org ([192.0.2.7])\r\n\
              \tby mail.example.org with ESMTPSA id 6553F10000001\r\n\
              \tfor <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
        );
    }

    #[test]
    fn received_without_helo_or_single_recipient() {
        let mut out = BytesMut::new();
        Trace {
            helo: None,
            peer: "::1".parse().unwrap(),
            hostname: "localhost",
            with: "SMTP",
            id: "1",
            recipient: None,
            date: date(),
        }
        .write(&mut out);
        assert_eq!(
            &out[..],
            b"Received: from unknown ([IPv6:::1])\r\n\
              \tby localhost with SMTP id 1; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
        );
        // A name with octets a header cannot hold.
        let mut out = BytesMut::new();
        Trace {
            helo: Some("bad\u{1b}[1mname\u{e9}"),
            peer: "::ffff:127.0.0.1".parse().unwrap(),
            hostname: "localhost",
            with: "ESMTP",
            id: "2",
            recipient: None,
            date: date(),
        }
        .write(&mut out);
        assert!(out.starts_with(b"Received: from bad?[1mname? ([127.0.0.1])\r\n"));
    }

    #[test]
    fn rfc3848_keywords() {
        let cases = [
            (Some(HelloKind::Helo), false, false, "SMTP"),
            (Some(HelloKind::Helo), true, true, "SMTP"),
            (Some(HelloKind::Ehlo), false, false, "ESMTP"),
            (Some(HelloKind::Ehlo), true, false, "ESMTPS"),
            (Some(HelloKind::Ehlo), false, true, "ESMTPA"),
            (Some(HelloKind::Ehlo), true, true, "ESMTPSA"),
            (Some(HelloKind::Lhlo), false, false, "LMTP"),
            (Some(HelloKind::Lhlo), true, false, "LMTPS"),
            (Some(HelloKind::Lhlo), false, true, "LMTPA"),
            (Some(HelloKind::Lhlo), true, true, "LMTPSA"),
            (None, false, false, "SMTP"),
        ];
        for (hello, tls, auth, keyword) in cases {
            assert_eq!(
                with_keyword(hello, tls, auth),
                keyword,
                "{hello:?} {tls} {auth}"
            );
        }
    }

    #[test]
    fn queue_ids_differ_and_sort_by_time() {
        let ids = QueueIds::default();
        let a = ids.next(date());
        let b = ids.next(date());
        assert_eq!(a, "6553F10000000");
        assert_eq!(b, "6553F10000001");
        let later = ids.next(InternalDate::from_unix(1_700_000_001).unwrap());
        assert!(later > b);
    }
}
