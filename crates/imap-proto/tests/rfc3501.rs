//! RFC 3501: the §8 transcript and the example of every command (§6) and
//! response (§7) section, decoded and re-encoded.
//!
//! Lines are verbatim from the RFC. Where the RFC writes a keyword in lower
//! case (`a002 select inbox`), the encoder writes the RFC's upper-case
//! spelling, which the grammar makes equivalent (RFC 3501 §9: "case
//! insensitive"); the expected re-encoding is given next to the line.

mod common;

use imap_proto::types::*;
use imap_proto::{DecodeError, ErrorKind, Options};

const HEADER_342: &str = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n";

/// The §8 FETCH response, its editorial line breaks joined.
pub const FETCH_FULL: &str = "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 \
92))";

#[test]
fn section_8_transcript() {
    assert_eq!(HEADER_342.len(), 342);
    let o = Options::default();
    common::replay(
        &[
            ("S", "* OK IMAP4rev1 Service Ready", None),
            ("C", "a001 login mrc secret", Some("a001 LOGIN mrc secret")),
            ("S", "a001 OK LOGIN completed", None),
            ("C", "a002 select inbox", Some("a002 SELECT inbox")),
            ("S", "* 18 EXISTS", None),
            (
                "S",
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                None,
            ),
            ("S", "* 2 RECENT", None),
            (
                "S",
                "* OK [UNSEEN 17] Message 17 is the first unseen message",
                None,
            ),
            ("S", "* OK [UIDVALIDITY 3857529045] UIDs valid", None),
            ("S", "a002 OK [READ-WRITE] SELECT completed", None),
            ("C", "a003 fetch 12 full", Some("a003 FETCH 12 FULL")),
            ("S", FETCH_FULL, None),
            ("S", "a003 OK FETCH completed", None),
            (
                "C",
                "a004 fetch 12 body[header]",
                Some("a004 FETCH 12 BODY[HEADER]"),
            ),
        ],
        &o,
    );
    let fetch_header = format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{HEADER_342})\r\n");
    let r = common::response(fetch_header.as_bytes(), fetch_header.as_bytes(), &o);
    let Response::Data(Data::Fetch { seq: 12, items }) = r else {
        panic!()
    };
    assert_eq!(
        items[0].literal().unwrap().data().as_ref(),
        HEADER_342.as_bytes()
    );
    common::replay(
        &[
            ("S", "a004 OK FETCH completed", None),
            (
                "C",
                "a005 store 12 +flags \\deleted",
                Some("a005 STORE 12 +FLAGS (\\Deleted)"),
            ),
            ("S", "* 12 FETCH (FLAGS (\\Seen \\Deleted))", None),
            ("S", "a005 OK +FLAGS completed", None),
            ("C", "a006 logout", Some("a006 LOGOUT")),
            ("S", "* BYE IMAP4rev1 server terminating connection", None),
            ("S", "a006 OK LOGOUT completed", None),
        ],
        &o,
    );
}

#[test]
fn section_8_fetch_values() {
    let r = common::response(
        format!("{FETCH_FULL}\r\n").as_bytes(),
        format!("{FETCH_FULL}\r\n").as_bytes(),
        &Options::default(),
    );
    let Response::Data(Data::Fetch { seq: 12, items }) = r else {
        panic!()
    };
    assert_eq!(items[0], FetchItem::Flags(vec![Flag::Seen]));
    let FetchItem::InternalDate(d) = &items[1] else {
        panic!()
    };
    assert_eq!(d.unix_timestamp(), 837_596_665);
    assert_eq!(items[2], FetchItem::Rfc822Size(4286));
    let FetchItem::Envelope(e) = &items[3] else {
        panic!()
    };
    assert_eq!(
        e.subject.as_ref().unwrap().as_bytes(),
        b"IMAP4rev1 WG mtg summary and minutes"
    );
    assert_eq!(e.cc().len(), 2);
    assert_eq!(e.cc()[1].mailbox.as_ref().unwrap().as_bytes(), b"KLENSIN");
    assert!(e.bcc().is_empty() && e.in_reply_to.is_none());
    let FetchItem::Body(b) = &items[4] else {
        panic!()
    };
    let BodyStructure::Single { part, ext: None } = b else {
        panic!()
    };
    assert_eq!(
        (part.octets, &part.specific),
        (3028, &Specific::Text { lines: 92 })
    );
}

/// §6.1 to §6.4: each command's example, with the responses shown there.
#[test]
fn section_6_command_examples() {
    let o = Options::default();
    common::replay(
        &[
            // 6.1.1 CAPABILITY
            ("C", "abcd CAPABILITY", None),
            ("S", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI", None),
            ("S", "abcd OK CAPABILITY completed", None),
            ("C", "efgh STARTTLS", None),
            ("S", "efgh OK STARTLS completed", None),
            ("C", "ijkl CAPABILITY", None),
            ("S", "* CAPABILITY IMAP4rev1 AUTH=GSSAPI AUTH=PLAIN", None),
            ("S", "ijkl OK CAPABILITY completed", None),
            // 6.1.2 NOOP
            ("C", "a002 NOOP", None),
            ("S", "a002 OK NOOP completed", None),
            ("C", "a047 NOOP", None),
            ("S", "* 22 EXPUNGE", None),
            ("S", "* 23 EXISTS", None),
            ("S", "* 3 RECENT", None),
            ("S", "* 14 FETCH (FLAGS (\\Seen \\Deleted))", None),
            ("S", "a047 OK NOOP completed", None),
            // 6.1.3 LOGOUT
            ("C", "A023 LOGOUT", None),
            ("S", "* BYE IMAP4rev1 Server logging out", None),
            ("S", "A023 OK LOGOUT completed", None),
            // 6.2.1 STARTTLS
            ("C", "a001 CAPABILITY", None),
            ("S", "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", None),
            ("S", "a001 OK CAPABILITY completed", None),
            ("C", "a002 STARTTLS", None),
            ("S", "a002 OK Begin TLS negotiation now", None),
            ("C", "a003 CAPABILITY", None),
            ("S", "* CAPABILITY IMAP4rev1 AUTH=PLAIN", None),
            ("S", "a003 OK CAPABILITY completed", None),
            ("C", "a004 LOGIN joe password", None),
            ("S", "a004 OK LOGIN completed", None),
            // 6.2.2 AUTHENTICATE (the base64 lines of the example are elided
            // in the RFC and are not valid base64, so only the text lines)
            ("S", "* OK IMAP4rev1 Server", None),
            ("C", "A001 AUTHENTICATE GSSAPI", None),
            (
                "S",
                "+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ+iSzBJoAMC",
                None,
            ),
            (
                "S",
                "+ YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHe",
                None,
            ),
            ("S", "A001 OK GSSAPI authentication successful", None),
            // 6.2.3 LOGIN
            ("C", "a001 LOGIN SMITH SESAME", None),
            ("S", "a001 OK LOGIN completed", None),
            // 6.3.1 SELECT
            ("C", "A142 SELECT INBOX", None),
            ("S", "* 172 EXISTS", None),
            ("S", "* 1 RECENT", None),
            ("S", "* OK [UNSEEN 12] Message 12 is first unseen", None),
            ("S", "* OK [UIDVALIDITY 3857529045] UIDs valid", None),
            ("S", "* OK [UIDNEXT 4392] Predicted next UID", None),
            (
                "S",
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                None,
            ),
            (
                "S",
                "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
                None,
            ),
            ("S", "A142 OK [READ-WRITE] SELECT completed", None),
            // 6.3.2 EXAMINE
            ("C", "A932 EXAMINE blurdybloop", None),
            ("S", "* 17 EXISTS", None),
            ("S", "* 2 RECENT", None),
            ("S", "* OK [UNSEEN 8] Message 8 is first unseen", None),
            (
                "S",
                "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
                None,
            ),
            ("S", "A932 OK [READ-ONLY] EXAMINE completed", None),
            // 6.3.3 CREATE
            ("C", "A003 CREATE owatagusiam/", None),
            ("S", "A003 OK CREATE completed", None),
            ("C", "A004 CREATE owatagusiam/blurdybloop", None),
            ("S", "A004 OK CREATE completed", None),
            // 6.3.4 DELETE
            ("C", "A682 LIST \"\" *", None),
            ("S", "* LIST () \"/\" blurdybloop", None),
            ("S", "* LIST (\\Noselect) \"/\" foo", None),
            ("S", "* LIST () \"/\" foo/bar", None),
            ("S", "A682 OK LIST completed", None),
            ("C", "A683 DELETE blurdybloop", None),
            ("S", "A683 OK DELETE completed", None),
            ("C", "A684 DELETE foo", None),
            (
                "S",
                "A684 NO Name \"foo\" has inferior hierarchical names",
                None,
            ),
            ("C", "A685 DELETE foo/bar", None),
            ("S", "A685 OK DELETE Completed", None),
            ("C", "A86 LIST \"\" %", None),
            ("S", "* LIST (\\Noselect) \".\" foo", None),
            // 6.3.5 RENAME
            ("C", "A683 RENAME blurdybloop sarasoop", None),
            ("S", "A683 OK RENAME completed", None),
            ("C", "Z433 RENAME INBOX old-mail", None),
            ("S", "* LIST () \".\" INBOX.bar", None),
            ("S", "* LIST () \".\" old-mail", None),
            // 6.3.6 SUBSCRIBE, 6.3.7 UNSUBSCRIBE
            ("C", "A002 SUBSCRIBE #news.comp.mail.mime", None),
            ("S", "A002 OK SUBSCRIBE completed", None),
            ("C", "A002 UNSUBSCRIBE #news.comp.mail.mime", None),
            ("S", "A002 OK UNSUBSCRIBE completed", None),
            // 6.3.8 LIST
            ("C", "A101 LIST \"\" \"\"", None),
            ("S", "* LIST (\\Noselect) \"/\" \"\"", None),
            ("S", "A101 OK LIST Completed", None),
            ("C", "A102 LIST #news.comp.mail.misc \"\"", None),
            ("S", "* LIST (\\Noselect) \".\" #news.", None),
            ("C", "A103 LIST /usr/staff/jones \"\"", None),
            ("S", "* LIST (\\Noselect) \"/\" /", None),
            ("C", "A202 LIST ~/Mail/ %", None),
            ("S", "* LIST (\\Noselect) \"/\" ~/Mail/foo", None),
            ("S", "* LIST () \"/\" ~/Mail/meetings", None),
            // 6.3.9 LSUB
            ("C", "A002 LSUB \"#news.\" \"comp.mail.*\"", None),
            ("S", "* LSUB () \".\" #news.comp.mail.mime", None),
            ("S", "* LSUB () \".\" #news.comp.mail.misc", None),
            ("C", "A003 LSUB \"#news.\" \"comp.%\"", None),
            ("S", "* LSUB (\\NoSelect) \".\" #news.comp.mail", None),
            // 6.3.10 STATUS
            ("C", "A042 STATUS blurdybloop (UIDNEXT MESSAGES)", None),
            (
                "S",
                "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
                None,
            ),
            ("S", "A042 OK STATUS completed", None),
            // 6.3.11 APPEND: below. 6.4.1 CHECK
            ("S", "+ Ready for literal data", None),
            ("C", "FXXZ CHECK", None),
            ("S", "FXXZ OK CHECK Completed", None),
            // 6.4.2 CLOSE
            ("C", "A341 CLOSE", None),
            ("S", "A341 OK CLOSE completed", None),
            // 6.4.3 EXPUNGE
            ("C", "A202 EXPUNGE", None),
            ("S", "* 3 EXPUNGE", None),
            ("S", "* 8 EXPUNGE", None),
            ("S", "A202 OK EXPUNGE completed", None),
            // 6.4.4 SEARCH
            (
                "C",
                "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("S", "* SEARCH 2 84 882", None),
            ("S", "A282 OK SEARCH completed", None),
            ("C", "A283 SEARCH TEXT \"string not in mailbox\"", None),
            ("S", "* SEARCH", None),
            ("S", "A283 OK SEARCH completed", None),
            ("S", "* SEARCH 43", None),
            // 6.4.5 FETCH
            (
                "C",
                "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
                None,
            ),
            ("S", "A654 OK FETCH completed", None),
            // 6.4.6 STORE
            ("C", "A003 STORE 2:4 +FLAGS (\\Deleted)", None),
            ("S", "* 2 FETCH (FLAGS (\\Deleted \\Seen))", None),
            ("S", "* 3 FETCH (FLAGS (\\Deleted))", None),
            ("S", "* 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))", None),
            ("S", "A003 OK STORE completed", None),
            // 6.4.7 COPY
            ("C", "A003 COPY 2:4 MEETING", None),
            ("S", "A003 OK COPY completed", None),
            // 6.4.8 UID
            ("C", "A999 UID FETCH 4827313:4828442 FLAGS", None),
            ("S", "* 23 FETCH (FLAGS (\\Seen) UID 4827313)", None),
            ("S", "* 24 FETCH (FLAGS (\\Seen) UID 4827943)", None),
            ("S", "* 25 FETCH (FLAGS (\\Seen) UID 4828442)", None),
            ("S", "A999 OK UID FETCH completed", None),
            // 6.5.1 X<atom>
            ("C", "a441 CAPABILITY", None),
            ("S", "* CAPABILITY IMAP4rev1 XPIG-LATIN", None),
            ("S", "a441 OK CAPABILITY completed", None),
        ],
        &o,
    );
}

#[test]
fn section_6_literals() {
    let o = Options::default();
    // 6.3.11 APPEND, whose literal is exactly 310 octets.
    let message = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\
From: Fred Foobar <foobar@Blurdybloop.COM>\r\n\
Subject: afternoon meeting\r\n\
To: mooch@owatagu.siam.edu\r\n\
Message-Id: <B27397-0100000@Blurdybloop.COM>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n\
Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    assert_eq!(message.len(), 310);
    let wire = format!("A003 APPEND saved-messages (\\Seen) {{310}}\r\n{message}\r\n");
    let c = common::command(wire.as_bytes(), wire.as_bytes(), &o);
    let CommandBody::Append { mailbox, messages } = c.body else {
        panic!()
    };
    assert_eq!(mailbox.name(o.mode).unwrap(), "saved-messages");
    assert_eq!(messages[0].flags, Some(vec![Flag::Seen]));
    assert_eq!(messages[0].data.data().as_ref(), message.as_bytes());
    // 6.4.4: a literal in a search key.
    common::command(
        b"A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX\r\n",
        b"A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX\r\n",
        &o,
    );
    // 7.5: literals for both LOGIN arguments.
    let c = common::command(
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
        &o,
    );
    let CommandBody::Login { username, password } = c.body else {
        panic!()
    };
    assert_eq!(
        (username.as_bytes(), password.expose().as_bytes()),
        (&b"FRED FOOBAR"[..], &b"fat man"[..])
    );
}

/// §7: each response's example.
#[test]
fn section_7_response_examples() {
    let o = Options::default();
    common::replay(
        &[
            ("S", "* OK IMAP4rev1 server ready", None),
            ("S", "* OK [ALERT] System shutdown in 10 minutes", None),
            ("S", "A001 OK LOGIN Completed", None),
            (
                "S",
                "* NO Disk is 98% full, please delete unnecessary data",
                None,
            ),
            ("C", "A223 COPY 3:200 blurdybloop", None),
            ("S", "A223 NO COPY failed: disk is full", None),
            ("S", "* BAD Command line too long", None),
            ("S", "* BAD Empty command line", None),
            (
                "S",
                "* BAD Disk crash, attempting salvage to a new disk!",
                None,
            ),
            ("S", "* OK Salvage successful, no data lost", None),
            ("S", "* PREAUTH IMAP4rev1 server logged in as Smith", None),
            ("S", "* BYE Autologout; idle for too long", None),
            (
                "S",
                "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN",
                None,
            ),
            ("S", "* LIST (\\Noselect) \"/\" ~/Mail/foo", None),
            ("S", "* LSUB () \".\" #news.comp.mail.misc", None),
            (
                "S",
                "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
                None,
            ),
            ("S", "* SEARCH 2 3 6", None),
            (
                "S",
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                None,
            ),
            ("S", "* 23 EXISTS", None),
            ("S", "* 5 RECENT", None),
            ("S", "* 44 EXPUNGE", None),
            ("S", "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)", None),
            ("S", "+ Ready for additional command text", None),
            ("S", "A044 BAD No such command as \"BLURDYBLOOP\"", None),
        ],
        &o,
    );
}

#[test]
fn section_6_and_7_rejects() {
    let o = Options::default();
    let bad = |wire: &'static [u8], command: bool| {
        let b = bytes::Bytes::from_static(wire);
        if command {
            imap_proto::decode::command(&b, &o).map(|_| ())
        } else {
            imap_proto::decode::response(&b, &o).map(|_| ())
        }
    };
    // 6.5.1: an experimental command this crate does not know.
    assert_eq!(
        bad(b"A442 XPIG-LATIN\r\n", true),
        Err(DecodeError::Invalid {
            offset: 5,
            kind: ErrorKind::UnknownCommand
        })
    );
    assert_eq!(
        bad(
            b"* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay\r\n",
            false
        ),
        Err(DecodeError::Invalid {
            offset: 2,
            kind: ErrorKind::UnknownResponse
        })
    );
    assert_eq!(
        bad(b"A044 BLURDYBLOOP {102856}\r\n", true),
        Err(DecodeError::Invalid {
            offset: 5,
            kind: ErrorKind::UnknownCommand
        })
    );
    // 7.5: "+" alone is the bare-continuation quirk (6.2.2 shows "S: +").
    assert!(bad(b"+\r\n", false).is_err());
    let mut quirky = Options::default();
    quirky.quirks.bare_continuation = true;
    assert!(imap_proto::decode::response(&bytes::Bytes::from_static(b"+\r\n"), &quirky).is_ok());
}
