//! Python's imaplib, a client nobody here wrote, against the server on a
//! Maildir store: each command family in sequence-number and UID forms,
//! a 5 MB message whole and in pieces, IDLE woken by mail over SMTP, two
//! sessions seeing each other's changes, STARTTLS, LOGINDISABLED, IMAPS
//! and COMPRESS=DEFLATE. Responses are checked against RFC 9051, RFC 3501
//! and Dovecot's texts.

mod common;

use common::*;
use mail_server::PlaintextAuth;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_family() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let first = message_with_id("first", "The first message.");
    let second = message_with_id("second", "The second one.");
    server.deliver("alice", &first).await;
    server.deliver("alice", &second).await;

    let lines = imaplib(server.imap, "session", ALICE, &[]).await;
    let v = |key| value(&lines, key);

    // From loopback LOGIN is allowed before TLS (Dovecot's rule): no
    // LOGINDISABLED. IMAP4rev1 for mbsync, and IMAP4rev2.
    assert_eq!(
        v("welcome"),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS AUTH=PLAIN SASL-IR ENABLE IDLE \
         LITERAL+ ID] mail-server ready."
    );
    assert_eq!(v("id"), "'OK' | [b'ID completed']");
    assert_eq!(v("id-data"), r#"("name" "mail-server" "version" "0.1.0")"#);
    assert_eq!(
        v("login"),
        "'OK' | [b'[CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+ \
         COMPRESS=DEFLATE ID MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED \
         CONDSTORE QRESYNC ESEARCH SEARCHRES LIST-STATUS BINARY MOVE STATUS=SIZE SPECIAL-USE \
         UTF8=ACCEPT WITHIN] Logged in']"
    );
    // RFC 2342 §5: one personal namespace, no prefix, `/`.
    assert_eq!(v("namespace"), r#"(("" "/")) NIL NIL"#);
    // A new account has the special-use mailboxes (RFC 6154), INBOX first.
    let all = r#"(\HasNoChildren) "/" INBOX | (\HasNoChildren \Archive) "/" Archive | (\HasNoChildren \Drafts) "/" Drafts | (\HasNoChildren \Junk) "/" Junk | (\HasNoChildren \Sent) "/" Sent | (\HasNoChildren \Trash) "/" Trash"#;
    assert_eq!(v("list"), all);
    assert_eq!(v("list-special"), all);
    assert_eq!(v("create"), "'OK' | [b'Create completed.']");
    assert_eq!(
        v("create-again"),
        "'NO' | [b'[ALREADYEXISTS] Mailbox already exists.']"
    );
    assert_eq!(
        v("create-inbox"),
        "'NO' | [b'[ALREADYEXISTS] Mailbox already exists.']"
    );
    assert_eq!(v("lsub"), r#"() "/" Work/2024"#);
    // RFC 3501 §6.3.8: the reference goes in front of the pattern.
    assert_eq!(v("list-work"), r#"(\HasNoChildren) "/" Work/2024"#);
    // CREATE made the parent (RFC 9051 §6.3.4).
    assert_eq!(v("list-children"), r#"(\HasChildren) "/" Work"#);
    assert_eq!(v("rename"), "'OK' | [b'Rename completed.']");
    assert_eq!(
        v("list-renamed"),
        r#"(\HasChildren) "/" Work | (\HasNoChildren) "/" Work/2025"#
    );
    assert_eq!(
        v("status-empty"),
        "Work/2025 (MESSAGES 0 UIDNEXT 1 UNSEEN 0)"
    );
    assert_eq!(
        v("delete-parent"),
        "'NO' | [b'[HASCHILDREN] Mailbox has children, delete them first.']"
    );
    assert_eq!(v("delete"), "'OK' | [b'Delete completed.']");
    assert_eq!(
        v("delete-missing"),
        r#"'NO' | [b"[NONEXISTENT] Mailbox doesn't exist: Nowhere"]"#
    );

    // SELECT: every response RFC 3501 §6.3.1 and RFC 7162 ask for.
    let validity = server.uid_validity("alice", "INBOX").await;
    assert_eq!(v("select"), "'OK' | [b'2']");
    assert_eq!(
        v("select-flags"),
        r"(\Answered \Flagged \Deleted \Seen \Draft)"
    );
    assert_eq!(
        v("select-permanentflags"),
        r"(\Answered \Flagged \Deleted \Seen \Draft \*)"
    );
    assert_eq!(v("select-exists"), "2");
    assert_eq!(v("select-recent"), "2");
    assert_eq!(v("select-uidvalidity"), validity.to_string());
    assert_eq!(v("select-uidnext"), "3");
    assert_eq!(v("select-unseen"), "1");
    assert_eq!(v("select-highestmodseq"), "3");

    // APPEND with flags and a date: APPENDUID (RFC 4315), and the new
    // message announced before the tagged OK.
    assert_eq!(
        v("append"),
        format!("'OK' | [b'[APPENDUID {validity} 3] Append completed.']")
    );
    assert_eq!(v("append-exists"), "3");
    assert_eq!(
        v("append-missing"),
        r#"'NO' | [b"[TRYCREATE] Mailbox doesn't exist: Nowhere"]"#
    );
    assert_eq!(
        v("fetch-flags"),
        r"1 (FLAGS (\Recent)) | 2 (FLAGS (\Recent)) | 3 (FLAGS (\Flagged $Work))"
    );
    let sizes = [first.len(), second.len()];
    assert_eq!(
        v("uid-fetch"),
        format!(
            r#"1 (UID 1 FLAGS (\Recent) INTERNALDATE "14-Nov-2023 22:13:20 +0000" RFC822.SIZE {}) | 2 (UID 2 FLAGS (\Recent) INTERNALDATE "14-Nov-2023 22:13:20 +0000" RFC822.SIZE {}) | 3 (UID 3 FLAGS (\Flagged $Work) INTERNALDATE "14-Nov-2023 22:13:20 +0000" RFC822.SIZE 76)"#,
            sizes[0], sizes[1]
        )
    );
    // A body without PEEK sets \Seen, and the FLAGS come with it (RFC 9051
    // §6.4.5).
    assert_eq!(
        v("fetch-sections"),
        r#"[(b'3 (BODY[HEADER.FIELDS (SUBJECT)] {21}', b'Subject: appended\r\n\r\n'), (b' BODY[TEXT] {22}', b'Appended by imaplib.\r\n'), b' FLAGS (\\Flagged \\Seen $Work))']"#
    );
    assert_eq!(v("fetch-seen"), r"3 (FLAGS (\Flagged \Seen $Work))");
    assert_eq!(v("search-all"), "1 2 3");
    assert_eq!(v("search-flagged"), "3");
    assert_eq!(v("search-subject"), "3");
    assert_eq!(v("search-body"), "3");
    assert_eq!(v("search-or"), "1 3");
    assert_eq!(v("search-charset"), "1 2 3");
    assert_eq!(
        v("search-badcharset"),
        "'NO' | [b'[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset.']"
    );
    assert_eq!(v("uid-search"), "1 2");
    assert_eq!(v("store"), r"1 (FLAGS (\Answered \Recent))");
    assert_eq!(v("store-silent"), "None");
    assert_eq!(v("uid-store"), r"2 (UID 2 FLAGS (\Draft \Recent))");
    assert_eq!(v("keyword"), r"2 (FLAGS (\Draft \Recent $Label1))");

    // COPY and MOVE with COPYUID (RFC 4315 §3, RFC 6851 §4.3).
    let archive = server.uid_validity("alice", "Archive").await;
    let trash = server.uid_validity("alice", "Trash").await;
    let junk = server.uid_validity("alice", "Junk").await;
    assert_eq!(
        v("copy"),
        format!("'OK' | [b'[COPYUID {archive} 1:2 1:2] Copy completed.']")
    );
    assert_eq!(
        v("uid-copy"),
        format!("'OK' | [b'[COPYUID {archive} 3 3] Copy completed.']")
    );
    assert_eq!(
        v("copy-missing"),
        r#"'NO' | [b"[TRYCREATE] Mailbox doesn't exist: Nowhere"]"#
    );
    assert_eq!(v("move"), "'OK' | [b'Move completed.']");
    assert_eq!(
        v("move-untagged"),
        format!("[COPYUID {trash} 1 1] Moved UIDs.")
    );
    assert_eq!(v("move-expunge"), "1");
    assert_eq!(v("uid-move"), "'OK' | [b'Move completed.']");
    assert_eq!(
        v("uid-move-untagged"),
        format!("[COPYUID {junk} 2 1] Moved UIDs.")
    );
    assert_eq!(v("uid-move-expunge"), "1");
    assert_eq!(v("after-move"), "1 (UID 3)");
    let archived = 76 + sizes[0] + sizes[1];
    assert_eq!(
        v("status-archive"),
        format!("Archive (MESSAGES 3 UIDNEXT 4 UNSEEN 2 SIZE {archived})")
    );
    // EXPUNGE: `* 1 EXPUNGE` (imaplib hands the numbers back).
    assert_eq!(v("expunge"), "'OK' | [b'1']");
    assert_eq!(v("check"), "'OK' | [b'CHECK completed']");
    assert_eq!(v("noop"), "'OK' | [b'NOOP completed']");

    // UID EXPUNGE removes only the UIDs named (RFC 4315 §2.1); CLOSE the
    // rest of the \Deleted, silently.
    assert_eq!(
        v("archive-uids"),
        r"1 (UID 1 FLAGS (\Recent)) | 2 (UID 2 FLAGS (\Draft \Recent $Label1)) | 3 (UID 3 FLAGS (\Flagged \Seen \Recent $Work))"
    );
    assert_eq!(v("uid-expunge"), "'OK' | [b'Expunge completed.']");
    assert_eq!(v("uid-expunge-data"), "1");
    assert_eq!(v("close"), "'OK' | [b'CLOSE completed']");
    assert_eq!(v("examine"), "'OK' | [b'1']");
    assert_eq!(v("examine-store"), "'NO' | [b'Mailbox is read-only.']");
    assert_eq!(v("unselect"), "'OK' | [b'UNSELECT completed']");
    assert_eq!(v("status-after-close"), "Archive (MESSAGES 1 DELETED 0)");
    assert_eq!(v("logout"), "'BYE' | [b'Logging out']");

    // The store agrees: the two delivered messages moved out, the appended
    // one expunged.
    assert!(server.inbox("alice").await.messages.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_megabytes_whole_and_in_partial_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = big_message(5 * 1024 * 1024);
    server.deliver("alice", &message).await;
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let lines = imaplib(server.imap, "fetch", ALICE, &[out.to_str().unwrap()]).await;

    let n = message.len();
    assert_eq!(value(&lines, "size"), format!("1 (RFC822.SIZE {n})"));
    assert_eq!(value(&lines, "whole-head"), format!("1 (BODY[] {{{n}}}"));
    assert_eq!(std::fs::read(out.join("whole")).unwrap(), message);
    // RFC 9051 §6.4.5: `BODY[]<origin>`, the octets from origin on, fewer at
    // the end, none past it.
    let partials = values(&lines, "partial-head");
    let expect = [
        (0usize, 1000usize),
        (1_000_000, 65536),
        (5_000_000, 1_000_000),
        (50_000_000, 10),
    ];
    for ((origin, length), head) in expect.iter().zip(&partials) {
        let want = &message[(*origin).min(n)..(origin + length).min(n)];
        assert_eq!(
            *head,
            format!("1 (BODY[]<{origin}> {{{}}}", want.len()),
            "<{origin}.{length}>"
        );
        let got = std::fs::read(out.join(format!("partial-{origin}"))).unwrap();
        assert_eq!(got, want, "<{origin}.{length}>");
    }
    // The text starts after the header's blank line.
    assert_eq!(
        value(&lines, "text-partial"),
        "1 (UID 1 BODY[TEXT]<2> {5} 00000"
    );
    // PEEK and EXAMINE left \Seen alone.
    assert!(!server.inbox("alice").await.messages[0].flags.is_seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_is_woken_by_mail_over_smtp_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", &dotted_message("old")).await;
    let smtp_port = server.smtp.port().to_string();

    let lines = imaplib(
        server.imap,
        "idle_smtp",
        ALICE,
        &[&smtp_port, "alice@example.org"],
    )
    .await;

    assert_eq!(value(&lines, "exists-before"), "1");
    // RFC 2177's continuation.
    assert_eq!(value(&lines, "continuation"), "+ idling");
    let woken: u64 = value(&lines, "woken-ms").parse().unwrap();
    assert!(woken < 1000, "IDLE heard of new mail after {woken} ms");
    // EXISTS, and RECENT in IMAP4rev1 (the message is new to no one).
    assert_eq!(value(&lines, "idle-lines"), "* 2 EXISTS");
    // The first message is \Recent to this session (RFC 3501 §6.3.1).
    assert_eq!(value(&lines, "done"), "* 1 RECENT | TAG OK Idle completed.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sessions_see_each_others_flags_and_expunges() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 1..=4 {
        server
            .deliver("alice", &message_with_id(&format!("m{i}"), "body"))
            .await;
    }

    let lines = imaplib(server.imap, "two_sessions", ALICE, &[]).await;
    let v = |key| value(&lines, key);

    assert_eq!(v("a-select"), "4");
    assert_eq!(v("b-select"), "4");
    // B hears A's flag at its NOOP (RFC 9051 §7.5.2), without \Recent: A
    // claimed them.
    assert_eq!(v("b-noop-fetch"), r"1 (FLAGS (\Flagged))");
    assert_eq!(v("a-expunge"), "2");
    assert_eq!(v("b-noop-expunge"), "2");
    assert_eq!(
        v("b-after"),
        r"1 (UID 1 FLAGS (\Flagged)) | 2 (UID 3 FLAGS ()) | 3 (UID 4 FLAGS ())"
    );
    // In IDLE, at once.
    let ms: u64 = v("idle-flag-ms").parse().unwrap();
    assert!(ms < 1000, "{ms} ms");
    assert_eq!(v("idle-flag"), r"* 1 FETCH (FLAGS (\Flagged \Seen))");
    let ms: u64 = v("idle-expunge-ms").parse().unwrap();
    assert!(ms < 1000, "{ms} ms");
    // The \Deleted flag, then the expunge.
    assert_eq!(
        v("idle-expunge"),
        r"* 1 FETCH (FLAGS (\Flagged \Deleted \Seen)) | * 1 EXPUNGE"
    );
    assert_eq!(v("idle-done"), "TAG OK Idle completed.");
    assert_eq!(v("b-count"), "2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logindisabled_until_starttls() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        plaintext: PlaintextAuth::TlsOnly,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    server.deliver("alice", &dotted_message("tls")).await;
    let cert = server.cert.to_str().unwrap();

    let lines = imaplib(server.imap, "starttls", ALICE, &[cert]).await;

    // RFC 3501 §6.2.3: LOGINDISABLED, and no AUTH=PLAIN either (RFC 9051
    // §6.2.2), before TLS.
    assert_eq!(
        value(&lines, "before"),
        "IMAP4REV1 IMAP4REV2 STARTTLS LOGINDISABLED SASL-IR ENABLE IDLE LITERAL+ ID"
    );
    assert_eq!(
        value(&lines, "plain-login"),
        "b'[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.'"
    );
    assert_eq!(value(&lines, "starttls"), "'OK' | [None]");
    assert_eq!(
        value(&lines, "after"),
        "IMAP4REV1 IMAP4REV2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+ ID"
    );
    assert_eq!(value(&lines, "cipher"), "yes");
    assert!(value(&lines, "login").starts_with("'OK' | [b'[CAPABILITY IMAP4rev1"));
    assert_eq!(value(&lines, "select"), "1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imaps_with_implicit_tls() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        plaintext: PlaintextAuth::TlsOnly,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    server.deliver("alice", &dotted_message("over tls")).await;
    let cert = server.cert.to_str().unwrap();

    let lines = imaplib(server.imaps, "imaps", ALICE, &[cert]).await;

    // Already protected: no STARTTLS, no LOGINDISABLED (RFC 8314 §3.3).
    assert_eq!(
        value(&lines, "capabilities"),
        "IMAP4REV1 IMAP4REV2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+ ID"
    );
    assert_eq!(value(&lines, "select"), "1");
    assert_eq!(value(&lines, "fetch"), r"b'Subject: over tls\r\n\r\n'");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compress_deflate_with_zlib() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = big_message(300_000);
    server.deliver("alice", &message).await;

    let lines = imaplib(server.imap, "compress", ALICE, &[]).await;

    assert_eq!(value(&lines, "login").split(']').nth(1), Some(" Logged in"));
    // RFC 4978 §3's text; everything after it is deflated both ways.
    assert_eq!(value(&lines, "compress"), "b OK DEFLATE active");
    assert_eq!(
        value(&lines, "select"),
        "c OK [READ-WRITE] SELECT completed"
    );
    assert_eq!(
        value(&lines, "fetch-head"),
        format!("* 1 FETCH (BODY[] {{{}}}", message.len())
    );
    assert_eq!(value(&lines, "fetch-octets"), message.len().to_string());
    assert_eq!(value(&lines, "fetch-tail"), ")");
    assert_eq!(value(&lines, "fetch-done"), "d OK FETCH completed");
    // A second COMPRESS is refused (RFC 4978 §3).
    assert_eq!(value(&lines, "again"), "e BAD Compression already active.");
    assert_eq!(value(&lines, "bye"), "* BYE Logging out");
    assert_eq!(value(&lines, "logout"), "f OK Logout completed.");
}
