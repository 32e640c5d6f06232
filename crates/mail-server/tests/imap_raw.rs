//! IMAP on a bare socket, for what client libraries hide: exact responses
//! of QRESYNC and VANISHED, CONDSTORE, ESEARCH and SEARCHRES, MULTIAPPEND,
//! LIST-EXTENDED and LIST-STATUS, IMAP4rev2, AUTHENTICATE with SASL-IR,
//! and the ENVELOPE and BODYSTRUCTURE Dovecot gives for real messages.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::{Duration, Instant};

use common::*;
use mail_server::{MailServer, Protocol, Security};
use mailbox_traits::memory::MemoryStore;

/// A raw client logged in as alice.
async fn alice(server: &TestServer) -> Raw {
    let mut c = Raw::connect(server.imap).await;
    c.imap_line().await.unwrap();
    let login = c.imap("L", "LOGIN alice wonderland").await;
    assert!(login[0].starts_with("L OK [CAPABILITY "), "{login:?}");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qresync_reports_vanished_and_changed_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 1..=5 {
        server
            .deliver("alice", &message_with_id(&format!("q{i}"), "x"))
            .await;
    }
    let validity = server.uid_validity("alice", "INBOX").await;
    let mut a = alice(&server).await;
    let select = a.imap("s", "SELECT INBOX").await;
    // Five appends after the mailbox's creation: mod-sequence 6.
    assert!(
        select.contains(&"* OK [HIGHESTMODSEQ 6] Highest".to_owned()),
        "{select:?}"
    );
    // A flag, and an expunge, while the other client is away.
    a.imap("f", "STORE 2 +FLAGS.SILENT (\\Seen)").await;
    a.imap("d", "UID STORE 3 +FLAGS.SILENT (\\Deleted)").await;
    assert_eq!(
        a.imap("e", "EXPUNGE").await,
        ["* 3 EXPUNGE", "e OK Expunge completed."]
    );

    let mut b = alice(&server).await;
    // RFC 7162 §3.2.3: QRESYNC only after ENABLE.
    assert_eq!(
        b.imap("x", &format!("SELECT INBOX (QRESYNC ({validity} 6))"))
            .await,
        ["x BAD QRESYNC isn't enabled."]
    );
    assert_eq!(
        b.imap("n", "ENABLE QRESYNC").await,
        ["* ENABLED QRESYNC", "n OK Enabled."]
    );
    let lines = b
        .imap("q", &format!("SELECT INBOX (QRESYNC ({validity} 6 1:5))"))
        .await;
    // RFC 7162 §3.2.5.2's shape: the usual responses, then VANISHED
    // (EARLIER) and the FETCH of what changed since mod-sequence 6.
    assert_eq!(
        lines[lines.len() - 3..],
        [
            "* VANISHED (EARLIER) 3".to_owned(),
            "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (7))".to_owned(),
            "q OK [READ-WRITE] SELECT completed".to_owned(),
        ]
    );
    assert!(
        lines.contains(&"* OK [HIGHESTMODSEQ 9] Highest".to_owned()),
        "{lines:?}"
    );

    // Live: an expunge by the other session is VANISHED, not EXPUNGE.
    a.imap("d2", "STORE 3 +FLAGS.SILENT (\\Deleted)").await;
    assert_eq!(
        a.imap("e2", "EXPUNGE").await,
        ["* 3 EXPUNGE", "e2 OK Expunge completed."]
    );
    assert_eq!(
        b.imap("p", "NOOP").await,
        // The flag change of a message gone meanwhile is not told.
        ["* VANISHED 4", "p OK NOOP completed"]
    );
    // UID FETCH with CHANGEDSINCE and VANISHED (RFC 7162 §3.2.6): both
    // expunged UIDs, and the flag change.
    assert_eq!(
        b.imap("v", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)")
            .await,
        [
            "* VANISHED (EARLIER) 3:4",
            "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (7))",
            "v OK UID FETCH completed"
        ]
    );
    // A plain FETCH of MODSEQ: with UID, as RFC 7162 §3.2.4 asks of a
    // QRESYNC server.
    assert_eq!(
        b.imap("m", "FETCH 1:* (MODSEQ)").await,
        [
            "* 1 FETCH (UID 1 MODSEQ (2))",
            "* 2 FETCH (UID 2 MODSEQ (7))",
            "* 3 FETCH (UID 5 MODSEQ (6))",
            "m OK FETCH completed"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn condstore_unchangedsince_and_modified() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 1..=3 {
        server
            .deliver("alice", &message_with_id(&format!("c{i}"), "x"))
            .await;
    }
    let mut a = alice(&server).await;
    let lines = a.imap("s", "SELECT INBOX (CONDSTORE)").await;
    assert!(lines.contains(&"* OK [HIGHESTMODSEQ 4] Highest".to_owned()));
    // Message 1 changes after mod-sequence 4; message 2 does not.
    a.imap("f", "STORE 1 +FLAGS.SILENT (\\Flagged)").await;
    // RFC 7162 §3.1.3 example 4's shape.
    assert_eq!(
        a.imap("c", "STORE 1:2 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Seen)")
            .await,
        [
            "* 2 FETCH (UID 2 MODSEQ (6))",
            "c OK [MODIFIED 1] Conditional store failed."
        ]
    );
    assert_eq!(
        a.imap("u", "UID STORE 1:3 (UNCHANGEDSINCE 5) FLAGS (\\Answered)")
            .await,
        [
            "* 1 FETCH (UID 1 FLAGS (\\Answered \\Recent) MODSEQ (7))",
            "* 3 FETCH (UID 3 FLAGS (\\Answered \\Recent) MODSEQ (7))",
            "u OK [MODIFIED 2] Conditional store failed."
        ]
    );
    // A SEARCH with MODSEQ answers with the highest (RFC 7162 §3.1.5).
    assert_eq!(
        a.imap("q", "SEARCH MODSEQ 6").await,
        ["* SEARCH 1 2 3 (MODSEQ 7)", "q OK SEARCH completed"]
    );
    assert_eq!(
        a.imap("t", "STATUS INBOX (HIGHESTMODSEQ MESSAGES)").await,
        [
            "* STATUS INBOX (HIGHESTMODSEQ 7 MESSAGES 3)",
            "t OK Status completed."
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esearch_and_searchres() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 1..=6 {
        server
            .deliver("alice", &message_with_id(&format!("e{i}"), "x"))
            .await;
    }
    let mut a = alice(&server).await;
    a.imap("s", "SELECT INBOX").await;
    a.imap("f", "STORE 2,4:5 +FLAGS.SILENT (\\Flagged)").await;
    // RFC 4731 §3.1.
    assert_eq!(
        a.imap("e1", "SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED")
            .await,
        [
            "* ESEARCH (TAG \"e1\") MIN 2 MAX 5 ALL 2,4:5 COUNT 3",
            "e1 OK SEARCH completed"
        ]
    );
    assert_eq!(
        a.imap("e2", "UID SEARCH RETURN () UNFLAGGED").await,
        [
            "* ESEARCH (TAG \"e2\") UID ALL 1,3,6",
            "e2 OK UID SEARCH completed"
        ]
    );
    // Nothing found: COUNT 0, no MIN (RFC 9051 §6.4.4).
    assert_eq!(
        a.imap("e3", "SEARCH RETURN (MIN COUNT) DELETED").await,
        ["* ESEARCH (TAG \"e3\") COUNT 0", "e3 OK SEARCH completed"]
    );
    // SAVE alone answers nothing; `$` is the result (RFC 5182).
    assert_eq!(
        a.imap("v", "UID SEARCH RETURN (SAVE) FLAGGED").await,
        ["v OK UID SEARCH completed"]
    );
    assert_eq!(
        a.imap("w", "FETCH $ (UID)").await,
        [
            "* 2 FETCH (UID 2)",
            "* 4 FETCH (UID 4)",
            "* 5 FETCH (UID 5)",
            "w OK FETCH completed"
        ]
    );
    assert_eq!(
        a.imap("x", "SEARCH $ 3:*").await,
        ["* SEARCH 4 5", "x OK SEARCH completed"]
    );
    a.imap("y", "STORE $ -FLAGS.SILENT (\\Flagged)").await;
    assert_eq!(
        a.imap("z", "SEARCH FLAGGED").await,
        ["* SEARCH", "z OK SEARCH completed"]
    );
    // A bad message number: Dovecot's BAD.
    assert_eq!(
        a.imap("b", "FETCH 7 (UID)").await,
        ["b BAD Error in IMAP command FETCH: Invalid messageset"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multiappend_binary_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = mail_server_imap_options();
    options.max_append = 1000;
    let setup = Setup {
        imap: Some(options),
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let mut a = alice(&server).await;
    let validity = server.uid_validity("alice", "INBOX").await;
    // RFC 3502: two messages, one command; LITERAL+ needs no `+`.
    a.send(b"m APPEND INBOX (\\Seen) \"14-Nov-2023 22:13:20 +0000\" {12+}\r\nSubject: a\r\n (\\Flagged) \"01-Feb-2024 10:00:00 +0100\" {12+}\r\nSubject: b\r\n\r\n")
        .await;
    assert_eq!(
        a.imap_response("m").await,
        [format!("m OK [APPENDUID {validity} 1:2] Append completed.")]
    );
    // Over the limit: TOOBIG before the client sends anything (RFC 7889).
    a.send(b"t APPEND INBOX {2000}\r\n").await;
    assert_eq!(
        a.imap_response("t").await,
        ["t NO [TOOBIG] Message too large."]
    );
    // A missing mailbox: TRYCREATE, decided before the `+`.
    a.send(b"c APPEND Nowhere {5}\r\n").await;
    assert_eq!(
        a.imap_response("c").await,
        ["c NO [TRYCREATE] Mailbox doesn't exist: Nowhere"]
    );
    // A synchronizing literal gets Dovecot's `+ OK`.
    a.send(b"s APPEND Sent {12}\r\n").await;
    assert_eq!(a.imap_line().await.unwrap(), "+ OK");
    a.send(b"Subject: c\r\n\r\n").await;
    let sent = server.uid_validity("alice", "Sent").await;
    assert_eq!(
        a.imap_response("s").await,
        [format!("s OK [APPENDUID {sent} 1] Append completed.")]
    );
    a.imap("x", "SELECT INBOX").await;
    assert_eq!(
        a.imap("f", "FETCH 1:2 (FLAGS INTERNALDATE BODY.PEEK[])")
            .await,
        [
            "* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE \"14-Nov-2023 22:13:20 +0000\" BODY[] {12}\r\nSubject: a\r\n)",
            "* 2 FETCH (FLAGS (\\Flagged \\Recent) INTERNALDATE \" 1-Feb-2024 10:00:00 +0100\" BODY[] {12}\r\nSubject: b\r\n)",
            "f OK FETCH completed"
        ][..]
    );
}

/// The IMAP options the server runs by default.
fn mail_server_imap_options() -> imap_proto::server::Options {
    mail_server::Settings::default().imap
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_extended_and_list_status() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", &dotted_message("in inbox")).await;
    let mut a = alice(&server).await;
    a.imap("c", "CREATE Work/Projects").await;
    a.imap("s1", "SUBSCRIBE Work/Projects").await;
    a.imap("s2", "SUBSCRIBE Gone").await;
    a.imap("s3", "SUBSCRIBE INBOX").await;
    // RFC 5258 §3.1: SUBSCRIBED lists what is subscribed, existing or not.
    assert_eq!(
        a.imap("l1", "LIST (SUBSCRIBED) \"\" \"*\"").await,
        [
            "* LIST (\\Subscribed \\HasNoChildren) \"/\" INBOX",
            "* LIST (\\NonExistent \\Subscribed) \"/\" Gone",
            "* LIST (\\Subscribed \\HasNoChildren) \"/\" Work/Projects",
            "l1 OK LIST completed"
        ]
    );
    // RECURSIVEMATCH: a parent with a subscribed child (RFC 5258 §3.5).
    assert_eq!(
        a.imap("l2", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"")
            .await,
        [
            "* LIST (\\Subscribed \\HasNoChildren) \"/\" INBOX",
            "* LIST (\\NonExistent \\Subscribed) \"/\" Gone",
            "* LIST (\\HasChildren) \"/\" Work (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "l2 OK LIST completed"
        ]
    );
    assert_eq!(
        a.imap("l3", "LIST (RECURSIVEMATCH) \"\" \"%\"").await,
        ["l3 BAD RECURSIVEMATCH must be combined with SUBSCRIBED."]
    );
    // SPECIAL-USE selection (RFC 6154 §5.1).
    assert_eq!(
        a.imap("l4", "LIST (SPECIAL-USE) \"\" \"*\" RETURN (SPECIAL-USE)")
            .await,
        [
            "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
            "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
            "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
            "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
            "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
            "l4 OK LIST completed"
        ]
    );
    // Several patterns, RETURN (SUBSCRIBED STATUS) (RFC 5819).
    assert_eq!(
        a.imap(
            "l5",
            "LIST \"\" (INBOX Work) RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN SIZE))"
        )
        .await,
        [
            "* LIST (\\Subscribed \\HasNoChildren) \"/\" INBOX".to_owned(),
            format!(
                "* STATUS INBOX (MESSAGES 1 UNSEEN 1 SIZE {})",
                dotted_message("in inbox").len()
            ),
            "* LIST (\\HasChildren) \"/\" Work".to_owned(),
            "* STATUS Work (MESSAGES 0 UNSEEN 0 SIZE 0)".to_owned(),
            "l5 OK LIST completed".to_owned()
        ]
    );
    // RFC 9051 §6.3.9: the delimiter and the root.
    assert_eq!(
        a.imap("l6", "LIST \"\" \"\"").await,
        ["* LIST (\\Noselect) \"/\" \"\"", "l6 OK LIST completed"]
    );
    assert_eq!(
        a.imap("l7", "LSUB \"\" \"*\"").await,
        [
            "* LSUB () \"/\" INBOX",
            "* LSUB (\\Noselect) \"/\" Gone",
            "* LSUB () \"/\" Work/Projects",
            "l7 OK LSUB completed"
        ]
    );
    // Modified UTF-7 in IMAP4rev1, UTF-8 after ENABLE UTF8=ACCEPT.
    assert_eq!(
        a.imap("u1", "CREATE Entw&APw-rfe").await,
        ["u1 OK Create completed."]
    );
    assert_eq!(
        a.imap("u2", "LIST \"\" Entw*").await,
        [
            "* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe",
            "u2 OK LIST completed"
        ]
    );
    a.imap("u3", "ENABLE UTF8=ACCEPT").await;
    assert_eq!(
        a.imap("u4", "LIST \"\" Entw*").await,
        [
            "* LIST (\\HasNoChildren) \"/\" \"Entwürfe\"",
            "u4 OK LIST completed"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imap4rev2_select_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", &dotted_message("rev2")).await;
    let mut a = alice(&server).await;
    assert_eq!(
        a.imap("e", "ENABLE IMAP4rev2").await,
        ["* ENABLED IMAP4rev2", "e OK Enabled."]
    );
    let validity = server.uid_validity("alice", "INBOX").await;
    // RFC 9051 §6.3.2: no RECENT or UNSEEN, and the mailbox's LIST.
    assert_eq!(
        a.imap("s", "SELECT inbox").await,
        [
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)".to_owned(),
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.".to_owned(),
            "* 1 EXISTS".to_owned(),
            format!("* OK [UIDVALIDITY {validity}] UIDs valid"),
            "* OK [UIDNEXT 2] Predicted next UID".to_owned(),
            "* OK [HIGHESTMODSEQ 2] Highest".to_owned(),
            "* LIST () \"/\" inbox".to_owned(),
            "s OK [READ-WRITE] SELECT completed".to_owned(),
        ]
    );
    // IMAP4rev2 has ESEARCH only (RFC 9051 §6.4.4).
    assert_eq!(
        a.imap("f", "SEARCH ALL").await,
        ["* ESEARCH (TAG \"f\") ALL 1", "f OK SEARCH completed"]
    );
    assert_eq!(
        a.imap("g", "FETCH 1 (FLAGS)").await,
        ["* 1 FETCH (FLAGS ())", "g OK FETCH completed"]
    );
    // SELECT closes the previous mailbox with [CLOSED] (RFC 9051 §6.3.2).
    let lines = a.imap("x", "EXAMINE Sent").await;
    assert_eq!(lines[0], "* OK [CLOSED] Previous mailbox closed.");
    assert_eq!(lines.last().unwrap(), "x OK [READ-ONLY] EXAMINE completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticate_plain_and_failed_logins() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        failure_delay: Duration::from_millis(300),
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let mut c = Raw::connect(server.imap).await;
    c.imap_line().await.unwrap();
    // ID before login (RFC 2971), as Dovecot allows.
    assert_eq!(
        c.imap("i", "ID NIL").await,
        [
            "* ID (\"name\" \"mail-server\" \"version\" \"0.1.0\")",
            "i OK ID completed"
        ]
    );
    let started = Instant::now();
    assert_eq!(
        c.imap("w", "LOGIN alice wrong").await,
        ["w NO [AUTHENTICATIONFAILED] Authentication failed."]
    );
    // Dovecot's auth_failure_delay.
    assert!(started.elapsed() >= Duration::from_millis(300));
    // SASL-IR (RFC 4959): `\0alice\0wonderland`.
    let lines = c
        .imap("a", "AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")
        .await;
    assert!(
        lines[0].starts_with("a OK [CAPABILITY IMAP4rev1 "),
        "{lines:?}"
    );
    assert!(lines[0].ends_with("] Logged in"), "{lines:?}");
    // Dovecot's answer to a command it does not implement.
    assert_eq!(
        c.imap("q", "GETQUOTAROOT INBOX").await,
        ["q BAD Error in IMAP command GETQUOTAROOT: Unknown command."]
    );
    assert_eq!(
        c.imap("d", "DELETE INBOX").await,
        ["d NO [CANNOT] INBOX can't be deleted."]
    );
}

/// The Dovecot strings of `crates/imap-proto/tests/mime.rs` for one
/// message: its ENVELOPE, BODYSTRUCTURE and BODY constants.
fn dovecot_strings(name: &str) -> [String; 3] {
    let source = include_str!("../../imap-proto/tests/mime.rs");
    ["ENVELOPE", "BODYSTRUCTURE", "BODY"].map(|kind| {
        let decl = format!("const {name}_{kind}: &str =");
        let at = source.find(&decl).unwrap_or_else(|| panic!("{decl}")) + decl.len();
        let open = at + source[at..].find('"').unwrap() + 1;
        let mut out = String::new();
        let mut chars = source[open..].chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(match chars.next().unwrap() {
                    'r' => '\r',
                    'n' => '\n',
                    c => c,
                }),
                '"' => break,
                c => out.push(c),
            }
        }
        out
    })
}

/// The multipart messages of imap-proto's Dovecot fixtures, APPENDed to a
/// server on the in-memory store and fetched: the same ENVELOPE,
/// BODYSTRUCTURE and BODY Dovecot 2.3 gave, octet for octet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelope_and_bodystructure_as_dovecot_gives_them() {
    let store = MemoryStore::new();
    store.add_user("alice", "wonderland").unwrap();
    let server = MailServer::builder(store.clone(), store)
        .imap("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap();
    let addr = server.local_addr(Protocol::Imap, Security::Plain).unwrap();
    let mut c = Raw::connect(addr).await;
    c.imap_line().await.unwrap();
    c.imap("l", "LOGIN alice wonderland").await;
    let messages: [(&str, &[u8]); 12] = [
        (
            "ALTERNATIVE",
            include_bytes!("../../imap-proto/tests/dovecot/messages/alternative.eml"),
        ),
        (
            "CASE",
            include_bytes!("../../imap-proto/tests/dovecot/messages/case.eml"),
        ),
        (
            "DEEP150",
            include_bytes!("../../imap-proto/tests/dovecot/messages/deep150.eml"),
        ),
        (
            "DEEP_RFC822",
            include_bytes!("../../imap-proto/tests/dovecot/messages/deep_rfc822.eml"),
        ),
        (
            "DSN",
            include_bytes!("../../imap-proto/tests/dovecot/messages/dsn.eml"),
        ),
        (
            "ENCODED_WORDS",
            include_bytes!("../../imap-proto/tests/dovecot/messages/encoded_words.eml"),
        ),
        (
            "MIXED_ATTACHMENTS",
            include_bytes!("../../imap-proto/tests/dovecot/messages/mixed_attachments.eml"),
        ),
        (
            "NESTED_RFC822",
            include_bytes!("../../imap-proto/tests/dovecot/messages/nested_rfc822.eml"),
        ),
        (
            "NO_CONTENT_TYPE",
            include_bytes!("../../imap-proto/tests/dovecot/messages/no_content_type.eml"),
        ),
        (
            "NOT_MIME",
            include_bytes!("../../imap-proto/tests/dovecot/messages/not_mime.eml"),
        ),
        (
            "RELATED",
            include_bytes!("../../imap-proto/tests/dovecot/messages/related.eml"),
        ),
        (
            "RFC2231",
            include_bytes!("../../imap-proto/tests/dovecot/messages/rfc2231.eml"),
        ),
    ];
    for (i, (name, raw)) in messages.iter().enumerate() {
        let mut command = format!("a{i} APPEND INBOX {{{}+}}\r\n", raw.len()).into_bytes();
        command.extend_from_slice(raw);
        command.extend_from_slice(b"\r\n");
        c.send(&command).await;
        let done = c.imap_response(&format!("a{i}")).await;
        assert!(done[0].contains("Append completed."), "{name}: {done:?}");
    }
    c.imap("s", "EXAMINE INBOX").await;
    for (i, (name, _)) in messages.iter().enumerate() {
        let uid = i + 1;
        let lines = c
            .imap(
                "f",
                &format!("UID FETCH {uid} (ENVELOPE BODYSTRUCTURE BODY)"),
            )
            .await;
        let [envelope, bodystructure, body] = dovecot_strings(name);
        assert_eq!(
            lines[0],
            format!(
                "* {uid} FETCH (UID {uid} ENVELOPE {envelope} BODYSTRUCTURE {bodystructure} BODY {body})"
            ),
            "{name}"
        );
    }
    c.imap("z", "LOGOUT").await;
    server.shutdown().await;
}

/// RFC 2180 §3.3: a session whose selected mailbox another session deletes
/// cannot be told in any other way, so it ends with Dovecot's BYE, in IDLE
/// at once, and at the next command otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_selected_mailbox_elsewhere_ends_the_session_with_bye() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let bye = "* BYE Selected mailbox was deleted, have to disconnect.";
    let mut b = alice(&server).await;
    for name in ["Work", "Play"] {
        assert_eq!(
            b.imap("c", &format!("CREATE {name}")).await,
            ["c OK Create completed."]
        );
    }

    // In IDLE: the BYE comes without the client asking.
    let mut a = alice(&server).await;
    a.imap("s", "SELECT Work").await;
    a.send(b"i IDLE\r\n").await;
    assert_eq!(a.imap_line().await.unwrap(), "+ idling");
    assert_eq!(b.imap("d", "DELETE Work").await, ["d OK Delete completed."]);
    let line = a.line_within(Duration::from_secs(2)).await.unwrap();
    assert_eq!(line.as_deref(), Some(bye));
    assert_eq!(a.line_within(Duration::from_secs(2)).await, Ok(None));

    // Between commands: at the next one, which gets no tagged answer.
    let mut a = alice(&server).await;
    a.imap("s", "SELECT Play").await;
    assert_eq!(b.imap("d", "DELETE Play").await, ["d OK Delete completed."]);
    a.send(b"n NOOP\r\n").await;
    let line = a.line_within(Duration::from_secs(2)).await.unwrap();
    assert_eq!(line.as_deref(), Some(bye));
    assert_eq!(a.line_within(Duration::from_secs(2)).await, Ok(None));
    // The other session goes on.
    assert_eq!(b.imap("n", "NOOP").await, ["n OK NOOP completed"]);
}
