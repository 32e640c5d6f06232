//! The extensions real clients use, each with the examples of its RFC
//! (verbatim where the RFC gives a complete line), decoded and re-encoded.

mod common;

use bytes::{Bytes, BytesMut};
use imap_proto::decode::{Frame, Framer};
use imap_proto::types::*;
use imap_proto::{LiteralPolicy, Mode, Options, decode, encode};

fn rev1() -> Options {
    Options::default()
}

/// RFC 2177 IDLE, §3's example (the `* 4 FETCH (...)` lines are elided there).
#[test]
fn idle() {
    common::replay(
        &[
            ("S", "* FLAGS (Deleted Seen)", None),
            ("S", "* 0 RECENT", None),
            ("S-", "* OK [UIDVALIDITY 1]", None),
            ("C", "A002 IDLE", None),
            ("S", "+ idling", None),
            ("S", "* 4 EXISTS", None),
            ("S", "A002 OK IDLE terminated", None),
        ],
        &rev1(),
    );
    assert_eq!(decode::idle_done(b"DONE\r\n"), Ok(6));
    let mut out = BytesMut::new();
    encode::idle_done(&mut out);
    assert_eq!(&out[..], b"DONE\r\n");
}

/// RFC 4315 UIDPLUS §3 and §4.
#[test]
fn uidplus() {
    common::replay(
        &[
            ("C", "A003 UID EXPUNGE 3000:3002", None),
            ("S", "A003 OK UID EXPUNGE completed", None),
            ("S", "A003 OK [APPENDUID 38505 3955] APPEND completed", None),
            ("C", "A004 COPY 2:4 meeting", None),
            (
                "S",
                "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done",
                None,
            ),
            ("C", "A005 UID COPY 305:310 meeting", None),
            ("S", "* NO [UIDNOTSTICKY] Non-persistent UIDs", None),
        ],
        &rev1(),
    );
    // `uid-expunge = "UID" SP "EXPUNGE" SP sequence-set` (RFC 4315 §4,
    // RFC 9051 §9): a sequence-set, so `*` and `$` are allowed.
    let c = common::command(
        b"A003 UID EXPUNGE 3000:*\r\n",
        b"A003 UID EXPUNGE 3000:*\r\n",
        &rev1(),
    );
    assert_eq!(
        c.body,
        CommandBody::UidExpunge(SequenceSet::Set(vec![Sequence::Range(
            SeqNumber::Value(3000),
            SeqNumber::Last
        )]))
    );
    let c = common::command(
        b"A004 UID EXPUNGE $\r\n",
        b"A004 UID EXPUNGE $\r\n",
        &rev1(),
    );
    assert_eq!(c.body, CommandBody::UidExpunge(SequenceSet::Saved));
    // A uid-set, as in APPENDUID and COPYUID, has no "*" (RFC 4315 §4).
    let b = Bytes::from_static(b"A003 OK [APPENDUID 38505 3955:*] APPEND completed\r\n");
    assert!(matches!(
        decode::response(&b, &rev1()).unwrap().0,
        Response::Tagged(Tagged {
            text: RespText {
                code: Some(Code::Other(..)),
                ..
            },
            ..
        })
    ));
}

/// RFC 6851 MOVE §4.
#[test]
fn move_() {
    common::replay(
        &[
            ("C", "a UID MOVE 42:69 foo", None),
            ("S-", "* OK [COPYUID 432432 42:69 1202:1229] ", None),
            ("S", "* 22 EXPUNGE", None),
            ("S", "a OK Done", None),
            ("C", "a MOVE 1:3 Trash", None),
        ],
        &rev1(),
    );
}

/// RFC 2342 NAMESPACE §5.
#[test]
fn namespace() {
    common::replay(
        &[
            ("C", "A001 NAMESPACE", None),
            ("S", "* NAMESPACE ((\"\" \"/\")) NIL NIL", None),
            ("S", "* NAMESPACE NIL NIL ((\"\" \".\"))", None),
            (
                "S",
                "* NAMESPACE ((\"\" \"/\")) NIL ((\"Public Folders/\" \"/\"))",
                None,
            ),
            (
                "S",
                "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))",
                None,
            ),
            (
                "S",
                "* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL",
                None,
            ),
            ("C", "A002 CREATE \"INBOX.Sent Mail\"", None),
        ],
        &rev1(),
    );
}

/// RFC 5161 ENABLE §4.
#[test]
fn enable() {
    common::replay(
        &[
            (
                "S",
                "* CAPABILITY IMAP4rev1 ID LITERAL+ ENABLE X-GOOD-IDEA",
                None,
            ),
            ("C", "t2 ENABLE CONDSTORE X-GOOD-IDEA", None),
            ("S", "* ENABLED X-GOOD-IDEA", None),
            ("S", "* ENABLED", None),
            ("S", "t2 OK foo", None),
        ],
        &rev1(),
    );
}

/// RFC 7888 LITERAL+ §3: non-synchronizing literals, and the encoder's policies.
#[test]
fn literal_plus_and_minus() {
    let c = common::command(
        b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
        b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
        &rev1(),
    );
    let mut out = BytesMut::new();
    let waits = encode::command(&c, &mut out, &rev1()).unwrap();
    assert!(waits.is_empty(), "non-synchronizing literals never wait");
    // The same command with synchronizing literals waits twice...
    let sync = common::command(
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
        &rev1(),
    );
    let mut out = BytesMut::new();
    let waits = encode::command(&sync, &mut out, &rev1()).unwrap();
    assert_eq!(waits.literal_waits(), &[17, 34]);
    assert_eq!(&out[..17], b"A001 LOGIN {11}\r\n");
    // ...and none once the server offers LITERAL+.
    let mut plus = rev1();
    plus.literals = LiteralPolicy::LiteralPlus;
    let mut out = BytesMut::new();
    assert!(encode::command(&sync, &mut out, &plus).unwrap().is_empty());
    assert_eq!(
        &out[..],
        b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n"
    );
    // A server sees each announcement before the octets (RFC 7888 §4: it
    // refuses a literal it cannot take, even a non-synchronizing one).
    let mut framer = Framer::new(&rev1());
    let Frame::Literal(a) = framer.next(b"A001 LOGIN {11+}\r\n").unwrap() else {
        panic!()
    };
    assert!(a.non_sync && a.length == 11);
}

/// RFC 4959 SASL-IR §3.
#[test]
fn sasl_ir() {
    common::replay(
        &[
            ("S", "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN", None),
            ("C", "A01 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", None),
            ("S", "A01 OK Success (tls protection)", None),
            ("C", "A01 AUTHENTICATE EXTERNAL =", None),
            ("C", "A01 AUTHENTICATE PLAIN", None),
        ],
        &rev1(),
    );
    let (d, _) = decode::authenticate_data(b"dGVzdAB0ZXN0AHRlc3Q=\r\n").unwrap();
    assert_eq!(
        d,
        AuthenticateData::Response(Secret::new(b"test\0test\0test".to_vec()))
    );
}

/// RFC 2971 ID §3.
#[test]
fn id() {
    common::replay(
        &[
            (
                "C",
                "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
                None,
            ),
            ("S", "* ID NIL", None),
            ("S", "a023 OK ID completed", None),
            ("C", "a042 ID NIL", None),
            (
                "S",
                "* ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" \"sunos\" \"os-version\" \"5.5\" \"support-url\" \"mailto:cyrus-bugs+@andrew.cmu.edu\")",
                None,
            ),
            ("S", "a042 OK ID command completed", None),
        ],
        &rev1(),
    );
}

/// RFC 6154 SPECIAL-USE §5.
#[test]
fn special_use() {
    common::replay(
        &[
            ("C", "t1 LIST \"\" \"%\"", None),
            ("S", "* LIST (\\Marked \\HasNoChildren) \"/\" Inbox", None),
            ("S", "* LIST (\\Sent \\HasNoChildren) \"/\" SentMail", None),
            (
                "S",
                "* LIST (\\Marked \\Drafts \\HasNoChildren) \"/\" MyDrafts",
                None,
            ),
            ("C", "t2 LIST \"\" \"%\" RETURN (SPECIAL-USE)", None),
            ("C", "t3 LIST (SPECIAL-USE) \"\" \"*\"", None),
            ("C", "t2 CREATE MySpecial (USE (\\Drafts \\Sent))", None),
            ("C", "t3 CREATE Everything (USE (\\All))", None),
            ("S", "t3 NO [USEATTR] \\All not supported", None),
        ],
        &rev1(),
    );
    let r = common::response(
        b"* LIST (\\Trash \\HasNoChildren) \"/\" Trash\r\n",
        b"* LIST (\\Trash \\HasNoChildren) \"/\" Trash\r\n",
        &rev1(),
    );
    let Response::Data(Data::List(item)) = r else {
        panic!()
    };
    assert_eq!(item.attrs[0], MailboxAttr::TRASH);
    assert!(item.attrs[0].is_special_use());
    assert_eq!(item.delimiter, Some('/'));
}

/// RFC 5258 LIST-EXTENDED §5 and RFC 5819 LIST-STATUS §5.
#[test]
fn list_extended_and_status() {
    common::replay(
        &[
            ("C", "A02 LIST (SUBSCRIBED) \"\" \"*\"", None),
            (
                "S",
                "* LIST (\\Marked \\NoInferiors \\Subscribed) \"/\" inbox",
                None,
            ),
            (
                "S",
                "* LIST (\\NonExistent \\Subscribed) \"/\" \"Fruit/Peach\"",
                None,
            ),
            (
                "C",
                "A04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)",
                None,
            ),
            (
                "S",
                "* LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                None,
            ),
            (
                "C",
                "A05 LIST (REMOTE) \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")",
                None,
            ),
            (
                "C",
                "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",
                None,
            ),
            ("S", "* LIST () \".\" \"INBOX\"", None),
            ("S", "* STATUS \"INBOX\" (MESSAGES 17 UNSEEN 16)", None),
            ("S", "* LIST () \"\\\\\" foo", None),
        ],
        &rev1(),
    );
}

/// RFC 4731 ESEARCH and RFC 5182 SEARCHRES.
#[test]
fn esearch_and_searchres() {
    common::replay(
        &[
            (
                "C",
                "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("S", "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3", None),
            (
                "C",
                "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("S", "* ESEARCH (TAG \"A283\") ALL 2,10:11", None),
            ("C", "A284 SEARCH RETURN (MIN) UNSEEN", None),
            ("C", "A285 UID SEARCH RETURN (MIN MAX) 1:5000", None),
            ("S", "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800", None),
            (
                "C",
                "A301 UID SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("C", "A302 COPY $ \"Other Messages\"", None),
            ("C", "A303 UID FETCH $ (FLAGS)", None),
            ("C", "A304 SEARCH UNDELETED UID $", None),
        ],
        &rev1(),
    );
}

/// RFC 7162 CONDSTORE and QRESYNC.
#[test]
fn condstore_and_qresync() {
    common::replay(
        &[
            ("C", "a SELECT INBOX (CONDSTORE)", None),
            ("S", "* OK [HIGHESTMODSEQ 715194045007] Highest", None),
            (
                "S",
                "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences",
                None,
            ),
            (
                "C",
                "a103 UID STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)",
                None,
            ),
            ("S", "a103 OK [MODIFIED 7,9] Conditional STORE failed", None),
            ("S", "* 4 FETCH (UID 8 MODSEQ (12121231000))", None),
            ("C", "s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)", None),
            (
                "C",
                "a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338",
                None,
            ),
            (
                "S",
                "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)",
                None,
            ),
            (
                "C",
                "A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
                None,
            ),
            (
                "C",
                "B02 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29975:29977)))",
                None,
            ),
            ("S-", "* OK [CLOSED]", None),
            (
                "S",
                "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540",
                None,
            ),
            ("S", "* VANISHED 405,407,410,425", None),
            (
                "C",
                "s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
                None,
            ),
            ("C", "t ENABLE QRESYNC", None),
            ("C", "x STATUS INBOX (HIGHESTMODSEQ)", None),
        ],
        &rev1(),
    );
}

/// RFC 4978 COMPRESS §3 and §4.
#[test]
fn compress() {
    common::replay(
        &[
            (
                "S-",
                "* OK [CAPABILITY IMAP4REV1 STARTTLS COMPRESS=DEFLATE]",
                None,
            ),
            ("C", "c compress deflate", Some("c COMPRESS deflate")),
            ("S", "d OK DEFLATE active", None),
            ("S", "c NO [COMPRESSIONACTIVE] DEFLATE active via TLS", None),
        ],
        &rev1(),
    );
}

/// RFC 6855 UTF8=ACCEPT §3 and §4.
#[test]
fn utf8_accept() {
    let utf8 = Options::with_mode(Mode::Utf8Accept);
    common::replay(
        &[
            ("C", "a ENABLE UTF8=ACCEPT", None),
            ("C", "b SELECT \"Entw\u{fc}rfe\"", None),
            ("S", "* LIST () \"/\" \"Entw\u{fc}rfe\"", None),
            ("S", "* OK caf\u{e9} ouvert", None),
        ],
        &utf8,
    );
    let c = common::command(
        b"a APPEND INBOX UTF8 (~{5}\r\nhello)\r\n",
        b"a APPEND INBOX UTF8 (~{5}\r\nhello)\r\n",
        &utf8,
    );
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    assert!(messages[0].utf8 && messages[0].data.is_binary());
}

/// RFC 9208 QUOTA §4 and §5.
#[test]
fn quota() {
    common::replay(
        &[
            ("C", "G0001 GETQUOTA \"!partition/sda4\"", None),
            (
                "S",
                "* QUOTA \"!partition/sda4\" (STORAGE 104 10923847)",
                None,
            ),
            ("C", "G0002 GETQUOTAROOT INBOX", None),
            (
                "S",
                "* QUOTAROOT INBOX \"#user/alice\" \"!partition/sda4\"",
                None,
            ),
            ("S", "* QUOTA \"#user/alice\" (MESSAGE 42 1000)", None),
            ("C", "S0000 SETQUOTA \"#user/alice\" (STORAGE 510)", None),
            ("S", "* QUOTA \"\" (STORAGE 10 512 MESSAGE 4 100)", None),
            ("S", "a NO [OVERQUOTA] Quota exceeded", None),
        ],
        &rev1(),
    );
}

/// RFC 3691 UNSELECT, RFC 3516 BINARY, RFC 3502 MULTIAPPEND, RFC 8438 STATUS=SIZE.
#[test]
fn unselect_binary_multiappend_status_size() {
    common::replay(
        &[
            ("C", "A342 UNSELECT", None),
            ("S", "A342 OK Unselect completed", None),
            (
                "C",
                "a FETCH 1 (BINARY.PEEK[1.2]<0.100> BINARY.SIZE[1] BINARY[])",
                None,
            ),
            ("S", "* 1 FETCH (BINARY.SIZE[1] 1234)", None),
            ("S", "a NO [UNKNOWN-CTE] Can't decode", None),
            ("C", "a STATUS INBOX (SIZE MESSAGES)", None),
            ("S", "* STATUS INBOX (SIZE 12345678 MESSAGES 3)", None),
        ],
        &rev1(),
    );
    let wire = b"* 1 FETCH (BINARY[1] ~{3}\r\na\0b)\r\n";
    let r = common::response(wire, wire, &rev1());
    let Response::Data(Data::Fetch { items, .. }) = r else {
        panic!()
    };
    assert_eq!(items[0].literal().unwrap().data().as_ref(), b"a\0b");
    // RFC 3502 §6.3.11's example: two messages in one APPEND.
    let wire = b"A003 APPEND saved-messages (\\Seen) {3}\r\nabc (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {2}\r\nde\r\n";
    let c = common::command(wire, wire, &rev1());
    let CommandBody::Append { messages, .. } = c.body else {
        panic!()
    };
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].date.unwrap().zone_minutes(), -480);
}

/// RFC 5530's response codes, §4's examples.
#[test]
fn rfc5530_codes() {
    common::replay(
        &[
            ("C", "a LOGIN \"fred\" \"foo\"", None),
            (
                "S",
                "a NO [UNAVAILABLE] User's backend down for maintenance",
                None,
            ),
            (
                "S",
                "b NO [AUTHENTICATIONFAILED] Authentication failed",
                None,
            ),
            (
                "S",
                "c1 NO [AUTHORIZATIONFAILED] No such authorization-ID",
                None,
            ),
            (
                "S",
                "d NO [EXPIRED] That password isn't valid any more",
                None,
            ),
            (
                "S",
                "d NO [PRIVACYREQUIRED] Connection offers no privacy",
                None,
            ),
            ("S-", "e OK [CONTACTADMIN]", None),
            ("S", "f NO [NOPERM] Access denied", None),
            ("S", "g NO [INUSE] Mailbox in use", None),
            ("S", "h OK [EXPUNGEISSUED] Search completed", None),
            ("S", "i NO [CORRUPTION] Cannot open mailbox", None),
            ("S", "j NO [SERVERBUG] This should not happen", None),
            ("S", "m NO [CLIENTBUG] Done", None),
            ("S", "n NO [CANNOT] Too many dots in name", None),
            (
                "S",
                "o NO [LIMIT] At most 32 flags in one mailbox supported",
                None,
            ),
            ("S", "p NO [OVERQUOTA] Sorry", None),
            (
                "S",
                "q NO [ALREADYEXISTS] Mailbox \"that\" already exists",
                None,
            ),
            ("S", "r NO [NONEXISTENT] No such mailbox", None),
        ],
        &rev1(),
    );
}
