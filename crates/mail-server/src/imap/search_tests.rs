//! SEARCH key by key, and the ESEARCH data: the RFC's examples and rules.

use bytes::Bytes;
use imap_proto::types::{
    AString, CommandBody, ESearchItem, IntoStatic, SearchKey, SearchReturn, SeqNumber, Sequence,
    SequenceSet,
};
use imap_proto::{Options, decode};
use mailbox_traits::{Civil, Flag, Flags, InternalDate, MessageMeta, ModSeq, Uid};

use super::search::{Found, Query, SearchError, View};

/// The criteria and charset of `SEARCH <text>`; `{n}` literals allowed.
fn criteria(text: &str) -> (Vec<SearchKey<'static>>, Option<AString<'static>>) {
    let input = Bytes::from(format!("t SEARCH {text}\r\n"));
    let (command, _) = decode::command(&input, &Options::default()).unwrap();
    let CommandBody::Search {
        criteria, charset, ..
    } = command.body
    else {
        panic!("{text}");
    };
    (criteria.into_static(), charset.into_static())
}

fn date(year: i32, month: u8, day: u8, hms: (u8, u8, u8), zone: i16) -> InternalDate {
    let civil = Civil {
        year,
        month,
        day,
        hour: hms.0,
        minute: hms.1,
        second: hms.2,
    };
    InternalDate::from_civil(civil, zone).unwrap()
}

/// Message `uid` with `flags`, received at `received`.
fn meta(uid: u32, flags: &[Flag], received: InternalDate, modseq: u64) -> MessageMeta {
    MessageMeta {
        uid: Uid::new(uid).unwrap(),
        flags: flags.iter().cloned().collect::<Flags>(),
        size: 100 * u64::from(uid),
        internal_date: received,
        modseq: ModSeq::new(modseq).unwrap(),
        recent: uid > 20,
    }
}

/// Runs `text` over the view, with `body(uid)` as each message's bytes;
/// returns the sequence numbers found and the UIDs whose bytes were read.
fn search_with(
    text: &str,
    view: &View<'_>,
    body: impl Fn(Uid) -> Bytes,
) -> Result<(Vec<u32>, Vec<u32>), SearchError> {
    let (keys, charset) = criteria(text);
    let query = Query::new(&keys, charset.as_ref())?;
    let mut run = query.run(view);
    let mut read = Vec::new();
    while let Some(uid) = run.next_needed() {
        read.push(uid.get());
        run.supply(&body(uid));
    }
    Ok((run.finish().ids(view, false), read))
}

fn four() -> Vec<MessageMeta> {
    let day = |d: u8| date(2024, 1, d, (12, 0, 0), 0);
    vec![
        meta(3, &[Flag::Seen], day(1), 5),
        meta(7, &[Flag::Flagged], day(2), 9),
        meta(21, &[], day(3), 2),
        meta(40, &[Flag::Seen, Flag::Deleted], day(4), 30),
    ]
}

fn view(messages: &[MessageMeta]) -> View<'_> {
    View {
        messages,
        saved: &[],
        now: 0,
    }
}

fn ids(text: &str, view: &View<'_>) -> Vec<u32> {
    let (found, read) = search_with(text, view, |_| Bytes::new()).unwrap();
    assert!(read.is_empty(), "{text} read messages");
    found
}

#[test]
fn sets_and_the_last_number() {
    let m = four();
    let v = view(&m);
    // RFC 9051 §9: "*" is the last message, or the largest UID, and a range
    // may be written either way round.
    assert_eq!(ids("*", &v), [4]);
    assert_eq!(ids("*:3", &v), [3, 4]);
    assert_eq!(ids("UID *", &v), [4]);
    assert_eq!(ids("UID 8:*", &v), [3, 4]);
    assert_eq!(ids("UID 41:*", &v), [4]);
    assert_eq!(ids("UID 1:6", &v), [1]);
    assert_eq!(ids("2,4:9", &v), [2, 4]);
}

#[test]
fn the_saved_result_is_dollar() {
    // RFC 5182 / RFC 9051 §6.4.4.1: `$` is the saved result in a sequence
    // set and in UID, and can be combined with OR (Example 4).
    let m = four();
    let saved = [Uid::new(7).unwrap(), Uid::new(40).unwrap()];
    let v = View {
        messages: &m,
        saved: &saved,
        now: 0,
    };
    assert_eq!(ids("$", &v), [2, 4]);
    assert_eq!(ids("UID $", &v), [2, 4]);
    assert_eq!(ids("OR $ 1", &v), [1, 2, 4]);
    assert_eq!(ids("NOT $", &v), [1, 3]);
    // "if the $ marker contains the empty sequence of messages, it must be
    // treated ... as a valid, but non-matching, list of messages".
    assert_eq!(ids("$", &view(&m)), Vec::<u32>::new());
}

#[test]
fn nested_or_not_and_lists() {
    let m = four();
    let v = view(&m);
    assert_eq!(ids("OR SEEN FLAGGED", &v), [1, 2, 4]);
    assert_eq!(ids("NOT (SEEN DELETED)", &v), [1, 2, 3]);
    assert_eq!(
        ids("OR (SEEN NOT DELETED) (NOT SEEN NOT FLAGGED)", &v),
        [1, 3]
    );
    assert_eq!(ids("NOT OR SEEN OR FLAGGED DELETED", &v), [3]);
    assert_eq!(ids("((((SEEN))))", &v), [1, 4]);
    // RFC 3501 §6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
    assert_eq!(ids("NEW", &v), [3]);
    assert_eq!(ids("OLD", &v), [1, 2]);
    assert_eq!(ids("RECENT", &v), [3, 4]);
    // RFC 7162 §3.1.5: "mod-sequence equal to or greater than"; the
    // entry name is ignored.
    assert_eq!(ids("MODSEQ 9", &v), [2, 4]);
    assert_eq!(ids("MODSEQ \"/flags/\\\\draft\" all 30", &v), [4]);
    // LARGER and SMALLER are strict (RFC 9051 §6.4.4).
    assert_eq!(ids("LARGER 700 SMALLER 4000", &v), [3]);
}

#[test]
fn deep_programs_cost_no_stack() {
    // Far deeper than imap-proto's decoder allows (100): the compiler and
    // the evaluator use explicit stacks.
    let mut key = SearchKey::Seen;
    for i in 0..3000 {
        key = if i % 2 == 0 {
            SearchKey::Not(Box::new(key))
        } else {
            SearchKey::And(vec![SearchKey::All, key])
        };
    }
    let m = four();
    let query = Query::new(std::slice::from_ref(&key), None).unwrap();
    // 1500 NOTs around SEEN: the \Seen messages.
    assert_eq!(query.run(&view(&m)).finish().ids(&view(&m), true), [3, 40]);
    // Dropped piece by piece, so the test itself stays within its stack.
    let mut key = key;
    loop {
        key = match key {
            SearchKey::Not(k) => *k,
            SearchKey::And(mut v) => v.pop().unwrap(),
            _ => break,
        };
    }
}

#[test]
fn internal_dates_by_their_own_calendar_day() {
    // "disregarding time and timezone" (RFC 9051 §6.4.4): the day of the
    // INTERNALDATE as the client sees it, in its own zone, at midnight
    // boundaries on both sides.
    let m = [
        // 2024-01-03T22:30Z, but 4 January where it was received.
        meta(1, &[], date(2024, 1, 4, (0, 30, 0), 2 * 60), 1),
        // 2024-01-04T04:59:59Z, but 3 January where it was received.
        meta(2, &[], date(2024, 1, 3, (23, 59, 59), -5 * 60), 1),
        meta(3, &[], date(2024, 1, 4, (0, 0, 0), 0), 1),
        meta(4, &[], date(2024, 1, 3, (23, 59, 59), 0), 1),
    ];
    let v = view(&m);
    assert_eq!(ids("ON 4-Jan-2024", &v), [1, 3]);
    assert_eq!(ids("ON 3-Jan-2024", &v), [2, 4]);
    assert_eq!(ids("BEFORE 4-Jan-2024", &v), [2, 4]);
    assert_eq!(ids("SINCE 4-Jan-2024", &v), [1, 3]);
    assert_eq!(ids("SINCE 5-Jan-2024", &v), Vec::<u32>::new());
}

#[test]
fn sent_dates_by_the_date_field_in_its_own_zone() {
    let bodies = [
        "Date: Thu, 4 Jan 2024 00:00:00 +1400\r\n\r\nx\r\n",
        "Date: Wed, 3 Jan 2024 23:59:59 -1200\r\n\r\nx\r\n",
        // No Date: the epoch, as Dovecot's mail_get_date gives it.
        "Subject: undated\r\n\r\nx\r\n",
        "Date: not a date\r\n\r\nx\r\n",
    ];
    let m: Vec<_> = (1..=4)
        .map(|u| meta(u, &[], date(2024, 6, 1, (0, 0, 0), 0), 1))
        .collect();
    let v = view(&m);
    let body = |uid: Uid| Bytes::from_static(bodies[uid.get() as usize - 1].as_bytes());
    let run = |text: &str| search_with(text, &v, body).unwrap().0;
    assert_eq!(run("SENTON 4-Jan-2024"), [1]);
    assert_eq!(run("SENTON 3-Jan-2024"), [2]);
    assert_eq!(run("SENTBEFORE 4-Jan-2024"), [2, 3, 4]);
    assert_eq!(run("SENTSINCE 4-Jan-2024"), [1]);
    assert_eq!(run("SENTON 1-Jan-1970"), [3, 4]);
}

#[test]
fn cheap_keys_decide_before_any_read() {
    let m = four();
    let v = view(&m);
    let body = |_| Bytes::from_static(b"Subject: lunch\r\n\r\nAt noon.\r\n");
    // Only the two \Seen messages can match: only they are read.
    let (found, read) = search_with("BODY noon SEEN", &v, body).unwrap();
    assert_eq!((found, read), (vec![1, 4], vec![3, 40]));
    // An OR that a flag already decides reads nothing for that message.
    let (found, read) = search_with("OR FLAGGED SUBJECT lunch", &v, body).unwrap();
    assert_eq!((found, read), (vec![1, 2, 3, 4], vec![3, 21, 40]));
    let (found, read) = search_with("UID 7 TEXT noon", &v, body).unwrap();
    assert_eq!((found, read), (vec![2], vec![7]));
}

#[test]
fn header_and_body_text_is_decoded() {
    let raw = Bytes::from_static(
        b"From: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.org>\r\n\
Subject: =?UTF-8?Q?caf=C3=A9?=\r\n =?UTF-8?B?IGNyw6htZQ==?=\r\n\
X-Tag: first\r\nX-Tag: second\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=z\r\n\r\n\
--z\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
Gr=FC=DFe, =\r\nKn=F6del.\r\n\
--z\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
PHA+U2No9mx1bmc8L3A+\r\n--z--\r\n",
    );
    let m = [meta(1, &[], date(2024, 1, 1, (0, 0, 0), 0), 1)];
    let v = view(&m);
    let hit = |text: &str| !search_with(text, &v, |_| raw.clone()).unwrap().0.is_empty();
    // RFC 9051 §6.4.4: "[MIME-IMB] content transfer encodings and
    // [MIME-HDRS] strings ... MUST be decoded before comparing text."
    assert!(hit("FROM {6}\r\nren\u{e9}e"));
    assert!(!hit("FROM \"Renee <renee\""));
    assert!(hit("FROM {14}\r\nREN\u{c9}E <RENEE@"));
    assert!(hit("SUBJECT {12}\r\ncaf\u{e9} cr\u{e8}me"));
    assert!(hit("HEADER X-Tag second"));
    assert!(hit("HEADER x-tag \"\""));
    assert!(!hit("HEADER X-Other \"\""));
    // A quoted-printable ISO-8859-1 body, matched by a UTF-8 string and by
    // the same string in ISO-8859-1 under CHARSET.
    assert!(hit("BODY {16}\r\ngr\u{fc}\u{df}e, kn\u{f6}del"));
    let latin1 = [SearchKey::Body(AString::from_bytes(
        &b"GR\xdc\xdfE"[..],
        imap_proto::Mode::Imap4rev1,
    ))];
    let charset = AString::from_bytes(&b"ISO-8859-1"[..], imap_proto::Mode::Imap4rev1);
    let query = Query::new(&latin1, Some(&charset)).unwrap();
    let mut run = query.run(&v);
    run.supply(&raw);
    assert_eq!(run.finish().ids(&v, true), [1]);
    // The word is split by the soft line break: decoded, it is whole.
    assert!(hit("BODY \"e, Kn\""));
    assert!(hit("TEXT \"x-tag: first\""));
    assert!(!hit("BODY \"x-tag\""));
    assert!(!hit("BODY PHA"));
}

#[test]
fn charsets() {
    // RFC 9051 §6.4.4: US-ASCII and UTF-8 MUST be supported; an unknown
    // one is NO [BADCHARSET], not BAD.
    for ok in ["UTF-8", "us-ascii", "ISO-8859-1", "KOI8-R", "windows-1252"] {
        let (keys, charset) = criteria(&format!("CHARSET {ok} ALL"));
        assert!(Query::new(&keys, charset.as_ref()).is_ok(), "{ok}");
    }
    let (keys, charset) = criteria("CHARSET X-NO-SUCH ALL");
    assert_eq!(
        Query::new(&keys, charset.as_ref()).err(),
        Some(SearchError::BadCharset)
    );
}

#[test]
fn older_and_younger_count_back_from_now() {
    // RFC 5032 §3.
    let m = [
        meta(1, &[], InternalDate::from_unix(1_000).unwrap(), 1),
        meta(2, &[], InternalDate::from_unix(5_000).unwrap(), 1),
    ];
    let v = View {
        messages: &m,
        saved: &[],
        now: 6_000,
    };
    assert_eq!(ids("OLDER 1000", &v), [1, 2]);
    assert_eq!(ids("OLDER 1001", &v), [1]);
    assert_eq!(ids("YOUNGER 1001", &v), [2]);
    assert_eq!(ids("YOUNGER 1000", &v), Vec::<u32>::new());
}

fn found_at(seqs: &[u32]) -> (Found, Vec<MessageMeta>) {
    let max = seqs.iter().copied().max().unwrap_or(0);
    let m: Vec<_> = (1..=max)
        .map(|s| meta(s * 10, &[], date(2024, 1, 1, (0, 0, 0), 0), u64::from(s)))
        .collect();
    let found = Found {
        indexes: seqs.iter().map(|&s| s as usize - 1).collect(),
    };
    (found, m)
}

fn set(text: &str) -> SequenceSet {
    let parts = text
        .split(',')
        .map(|p| match p.split_once(':') {
            Some((a, b)) => Sequence::Range(
                SeqNumber::Value(a.parse().unwrap()),
                SeqNumber::Value(b.parse().unwrap()),
            ),
            None => Sequence::Single(SeqNumber::Value(p.parse().unwrap())),
        })
        .collect();
    SequenceSet::new(parts).unwrap()
}

#[test]
fn esearch_data_as_rfc_9051_shows_it() {
    use SearchReturn::*;
    // RFC 9051 §6.4.4, A283: "* ESEARCH (TAG "A283") ALL 2,10:11".
    let (found, m) = found_at(&[2, 10, 11]);
    let v = view(&m);
    assert_eq!(
        found.esearch(&v, false, &[], false),
        [ESearchItem::All(set("2,10:11"))]
    );
    // A282: "MIN 2 COUNT 3".
    assert_eq!(
        found.esearch(&v, false, &[Min, Count], false),
        [ESearchItem::Min(2), ESearchItem::Count(3)]
    );
    // With UID: the numbers are UIDs (here ten times the position).
    assert_eq!(
        found.esearch(&v, true, &[Min, Max], false),
        [ESearchItem::Min(20), ESearchItem::Max(110)]
    );
    // RFC 7162 §3.1.5: the highest mod-sequence of the matches.
    assert_eq!(
        found.esearch(&v, false, &[Count], true),
        [ESearchItem::Count(3), ESearchItem::ModSeq(11)]
    );
    // A284: no match: no MIN, MAX or ALL, but COUNT, which "MUST always be
    // included"; and no MODSEQ.
    let none = Found::default();
    assert_eq!(none.esearch(&v, false, &[Min, Max, All], true), []);
    assert_eq!(
        none.esearch(&v, false, &[Count], true),
        [ESearchItem::Count(0)]
    );
}

#[test]
fn save_keeps_what_rfc_9051_example_10_says() {
    use SearchReturn::*;
    // RFC 9051 §6.4.4.1 Example 10: results 2,10:15,21.
    let (found, m) = found_at(&[2, 10, 11, 12, 13, 14, 15, 21]);
    let v = view(&m);
    let uids = |seqs: &[u32]| {
        seqs.iter()
            .map(|&s| Uid::new(s * 10).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found.esearch(&v, false, &[All, Save], false),
        [ESearchItem::All(set("2,10:15,21"))]
    );
    // C283 (ALL SAVE): $ is 2,10:15,21.
    assert_eq!(
        found.saved(&v, &[All, Save]),
        uids(&[2, 10, 11, 12, 13, 14, 15, 21])
    );
    // C284 (SAVE MIN): $ is 2.
    assert_eq!(found.saved(&v, &[Save, Min]), uids(&[2]));
    // C285 (MAX SAVE MIN): $ is 2,21.
    assert_eq!(found.saved(&v, &[Max, Save, Min]), uids(&[2, 21]));
    // C286 (MAX SAVE MIN COUNT): $ is 2,10:15,21.
    assert_eq!(found.saved(&v, &[Max, Save, Min, Count]).len(), 8);
    // SAVE alone "suppresses any ESEARCH response that would have been
    // otherwise returned": the session sends none; the data would be ALL.
    assert_eq!(found.saved(&v, &[Save]).len(), 8);
}

/// Rough figures for the report, not a check: `cargo test --release -p
/// mail-server --lib imap::search_tests::figures -- --ignored --nocapture`.
#[test]
#[ignore = "prints timings"]
fn figures() {
    use std::time::Instant;

    use super::fetch::{self, FetchOptions};

    let metas: Vec<MessageMeta> = (1..=10_000)
        .map(|u| {
            let flags: &[Flag] = if u % 3 == 0 { &[Flag::Seen] } else { &[] };
            meta(
                u,
                flags,
                date(2024, 1, 1 + (u % 28) as u8, (12, 0, 0), 0),
                u64::from(u),
            )
        })
        .collect();
    let v = view(&metas);
    let attrs = {
        let input =
            Bytes::from_static(b"t UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE MODSEQ)\r\n");
        let (c, _) = decode::command(&input, &Options::default()).unwrap();
        let CommandBody::Fetch { attrs, .. } = c.body else {
            panic!()
        };
        attrs.expand().into_static()
    };
    let t = Instant::now();
    let mut n = 0;
    for m in &metas {
        n += fetch::fetch(&attrs, m, None, FetchOptions::default())
            .unwrap()
            .answers
            .len();
    }
    println!(
        "FETCH (UID FLAGS RFC822.SIZE INTERNALDATE MODSEQ) x10000: {:?} ({n} items)",
        t.elapsed()
    );

    let t = Instant::now();
    let found = ids("OR SEEN SINCE 20-Jan-2024 NOT DELETED", &v);
    println!(
        "SEARCH flags/dates over 10000: {:?} ({} found)",
        t.elapsed(),
        found.len()
    );

    let raw = Bytes::from_static(include_bytes!(
        "../../tests/dovecot_imap/messages/sections.eml"
    ));
    let few = &metas[..1000];
    let t = Instant::now();
    let (found, read) = search_with("BODY \"4.2.2.2\"", &view(few), |_| raw.clone()).unwrap();
    println!(
        "SEARCH BODY over 1000 x 1.3 kB multiparts: {:?} ({} found, {} read)",
        t.elapsed(),
        found.len(),
        read.len()
    );

    let big = Bytes::from(
        format!(
            "Subject: big\r\n\r\n{}",
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?\r\n".repeat(80_000)
        )
        .into_bytes(),
    );
    let body = {
        let input =
            Bytes::from_static(b"t FETCH 1 (BODY.PEEK[] BODY.PEEK[TEXT]<1000.4000000>)\r\n");
        let (c, _) = decode::command(&input, &Options::default()).unwrap();
        let CommandBody::Fetch { attrs, .. } = c.body else {
            panic!()
        };
        attrs.expand().into_static()
    };
    let t = Instant::now();
    for _ in 0..1000 {
        fetch::fetch(&body, &metas[0], Some(&big), FetchOptions::default()).unwrap();
    }
    println!(
        "FETCH BODY.PEEK[] + partial of a {} MB message x1000: {:?}",
        big.len() / 1_000_000,
        t.elapsed()
    );
}
