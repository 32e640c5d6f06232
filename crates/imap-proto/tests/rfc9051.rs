//! RFC 9051: the §8 transcript, replayed in the modes the session goes
//! through (IMAP4rev1 until `ENABLE IMAP4rev2`, then IMAP4rev2), and the
//! rev2-only responses and rules.

mod common;

use bytes::{Bytes, BytesMut};
use imap_proto::types::*;
use imap_proto::{DecodeError, EncodeError, ErrorKind, Mode, Options, decode, encode};

const HEADER_342: &str = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev2 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n";

#[test]
fn section_8_transcript() {
    let rev1 = Options::default();
    let rev2 = Options::with_mode(Mode::Imap4rev2);
    common::replay(
        &[
            (
                "S",
                "* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED IMAP4rev2] IMAP4rev2 Service Ready",
                None,
            ),
            ("C", "a000 starttls", Some("a000 STARTTLS")),
            ("S", "a000 OK Proceed with TLS negotiation", None),
            (
                "C",
                "A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=",
                None,
            ),
            (
                "S",
                "+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=",
                None,
            ),
        ],
        &rev1,
    );
    // The client's SASL lines, and the empty one that ends the exchange.
    let client = b"Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==\r\n";
    let (data, used) = decode::authenticate_data(client).unwrap();
    assert_eq!(used, client.len());
    let AuthenticateData::Response(r) = &data else {
        panic!()
    };
    assert!(
        r.expose()
            .starts_with(b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=")
    );
    let mut out = BytesMut::new();
    encode::authenticate_data(&data, &mut out);
    assert_eq!(&out[..], client);
    let (empty, _) = decode::authenticate_data(b"\r\n").unwrap();
    assert_eq!(empty, AuthenticateData::Response(Secret::new(Vec::new())));
    let r = common::response(
        b"+ dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\r\n",
        b"+ dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\r\n",
        &rev1,
    );
    let Response::Continuation(c) = r else {
        panic!()
    };
    assert_eq!(
        c.decode_challenge().unwrap(),
        b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    );
    common::replay(
        &[
            ("S", "A001 OK SCRAM-SHA-256 authentication successful", None),
            ("C", "babc ENABLE IMAP4rev2", None),
            ("S", "* ENABLED IMAP4rev2", None),
            ("S", "babc OK Some capabilities enabled", None),
        ],
        &rev1,
    );
    // From here on the session is IMAP4rev2.
    common::replay(
        &[
            ("C", "a002 select inbox", Some("a002 SELECT inbox")),
            ("S", "* 18 EXISTS", None),
            (
                "S",
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                None,
            ),
            ("S", "* OK [UIDVALIDITY 3857529045] UIDs valid", None),
            ("S", "* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))", None),
            ("S", "a002 OK [READ-WRITE] SELECT completed", None),
            ("C", "a003 fetch 12 full", Some("a003 FETCH 12 FULL")),
            (
                "S",
                "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 \
ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev2 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.ed>\") BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))",
                None,
            ),
            ("S", "a003 OK FETCH completed", None),
            (
                "C",
                "a004 fetch 12 body[header]",
                Some("a004 FETCH 12 BODY[HEADER]"),
            ),
        ],
        &rev2,
    );
    let fetch_header = format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{HEADER_342})\r\n");
    common::response(fetch_header.as_bytes(), fetch_header.as_bytes(), &rev2);
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
            ("S", "* BYE IMAP4rev2 server terminating connection", None),
            ("S", "a006 OK LOGOUT completed", None),
        ],
        &rev2,
    );
}

#[test]
fn rev2_answers_with_esearch_and_utf8_names() {
    let rev2 = Options::with_mode(Mode::Imap4rev2);
    // RFC 9051 §6.4.4.4 and §7.3.4's examples.
    common::replay(
        &[
            (
                "C",
                "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("S", "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3", None),
            ("S", "A282 OK SEARCH completed", None),
            (
                "C",
                "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
                None,
            ),
            ("S", "* ESEARCH (TAG \"A283\") ALL 2,10:11", None),
            ("C", "A301 UID SEARCH UID 22:*", None),
            ("S", "* ESEARCH (TAG \"A301\") UID ALL 22:25", None),
            ("S", "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800", None),
            ("S", "* ESEARCH (TAG \"A284\")", None),
            (
                "C",
                "A003 STATUS blurdybloop (MESSAGES UIDNEXT DELETED SIZE)",
                None,
            ),
            (
                "S",
                "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 DELETED 4 SIZE 1048576)",
                None,
            ),
            ("S", "* OK [HASCHILDREN] x", None),
            ("S", "a NO [NOTSAVED] x", None),
            ("S", "a NO [UNKNOWN-CTE] x", None),
            ("C", "A001 CREATE \"\u{65e5}\u{672c}\u{8a9e}\"", None),
            ("S", "* LIST () \"/\" \"\u{65e5}\u{672c}\u{8a9e}\"", None),
        ],
        &rev2,
    );
    let b = Bytes::from("A001 CREATE \"\u{65e5}\u{672c}\u{8a9e}\"\r\n");
    let (c, _) = decode::command(&b, &rev2).unwrap();
    let CommandBody::Create { mailbox, .. } = &c.body else {
        panic!()
    };
    assert_eq!(
        mailbox.name(Mode::Imap4rev2).unwrap(),
        "\u{65e5}\u{672c}\u{8a9e}"
    );
    // In IMAP4rev1 the same name is modified UTF-7 and the quoted UTF-8 is refused.
    assert_eq!(
        decode::command(&b, &Options::default()).unwrap_err(),
        DecodeError::Invalid {
            offset: 13,
            kind: ErrorKind::EightBit
        }
    );
    let c = Command::new(
        Tag::new("A001").unwrap(),
        CommandBody::Create {
            mailbox: Mailbox::from_name("\u{65e5}\u{672c}\u{8a9e}", Mode::Imap4rev1),
            special_use: None,
        },
    );
    let mut out = BytesMut::new();
    encode::command(&c, &mut out, &Options::default()).unwrap();
    assert_eq!(&out[..], b"A001 CREATE &ZeVnLIqe-\r\n");
}

#[test]
fn rev2_encoder_refuses_what_rev2_removed() {
    let rev2 = Options::with_mode(Mode::Imap4rev2);
    // RFC 9051 §9 has no LSUB, no UNSEEN code, no STATUS RECENT and no
    // NEW/OLD/RECENT search keys.
    let lsub = Response::Data(Data::Lsub(ListItem {
        attrs: vec![],
        delimiter: Some('/'),
        mailbox: Mailbox::inbox(),
        extended: None,
    }));
    let unseen = Response::Data(Data::Status {
        kind: StatusKind::Ok,
        text: RespText {
            code: Some(Code::Unseen(3)),
            text: Text::new("x").unwrap(),
        },
    });
    for (r, what) in [(lsub, "LSUB"), (unseen, "UNSEEN response code")] {
        let mut out = BytesMut::new();
        assert_eq!(
            encode::response(&r, &mut out, &rev2),
            Err(EncodeError::NotInRev2(what))
        );
        assert!(encode::response(&r, &mut out, &Options::default()).is_ok());
    }
    // Its obsolete productions are grammar in both directions:
    // obsolete-recent-response, obsolete-search-response, obsolete-flag-recent.
    for (r, wire) in [
        (Response::Data(Data::Recent(1)), &b"* 1 RECENT\r\n"[..]),
        (
            Response::Data(Data::Search {
                ids: vec![1],
                modseq: None,
            }),
            b"* SEARCH 1\r\n",
        ),
        (
            Response::Data(Data::Fetch {
                seq: 1,
                items: vec![FetchItem::Flags(vec![Flag::Recent])],
            }),
            b"* 1 FETCH (FLAGS (\\Recent))\r\n",
        ),
    ] {
        let mut out = BytesMut::new();
        encode::response(&r, &mut out, &rev2).unwrap();
        assert_eq!(&out[..], wire);
        let b = Bytes::copy_from_slice(wire);
        assert_eq!(decode::response(&b, &rev2).unwrap().0, r);
    }
    let check = Command::new(Tag::new("a").unwrap(), CommandBody::Check);
    assert_eq!(
        encode::command(&check, &mut BytesMut::new(), &rev2),
        Err(EncodeError::NotInRev2("CHECK"))
    );
    let b = Bytes::from_static(b"a CHECK\r\n");
    assert_eq!(
        decode::command(&b, &rev2).unwrap_err(),
        DecodeError::Invalid {
            offset: 2,
            kind: ErrorKind::Mode
        }
    );
}
