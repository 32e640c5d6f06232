//! proptest: any `Command` and any `Response` encodes and decodes back to
//! itself, and re-encodes to the same bytes, in each of the three modes
//! (IMAP4rev1, UTF8=ACCEPT, IMAP4rev2; in IMAP4rev2 what RFC 9051 removed is
//! refused, and nothing else); 8-bit UTF-8 strings, mailbox names and text
//! where UTF8=ACCEPT and IMAP4rev2 allow them.
#![allow(
    clippy::unwrap_used,
    reason = "a failed unwrap here is a failed test or bench"
)]

use bytes::BytesMut;
use imap_proto::types::*;
use imap_proto::{EncodeError, Mode, Options, decode, encode};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use proptest::test_runner::TestCaseError;

fn atom() -> impl Strategy<Value = Atom<'static>> {
    "[A-Za-z0-9$._=-]{1,10}".prop_map(|s| Atom::new(s).unwrap())
}

fn tag() -> impl Strategy<Value = Tag<'static>> {
    "[A-Za-z0-9.]{1,6}".prop_map(|s| Tag::new(s).unwrap())
}

fn literal(non_sync: bool) -> impl Strategy<Value = Literal> {
    (vec(1u8..=255, 0..24), any::<bool>()).prop_map(move |(d, ns)| {
        let l = Literal::new(d).unwrap();
        if ns && non_sync { l.non_sync() } else { l }
    })
}

fn quoted() -> impl Strategy<Value = Quoted<'static>> {
    vec(
        prop_oneof![0x01u8..=0x09, 0x0bu8..=0x0c, 0x0eu8..=0x7f],
        0..24,
    )
    .prop_map(|d| Quoted::new(d).unwrap())
}

fn istring(non_sync: bool) -> impl Strategy<Value = IString<'static>> {
    prop_oneof![4 => quoted().prop_map(IString::Quoted), 1 => literal(non_sync).prop_map(IString::from)]
}

fn astring(non_sync: bool) -> impl Strategy<Value = AString<'static>> {
    prop_oneof![
        "[A-Za-z0-9$._\\]-]{1,10}".prop_map(|s| AString::Atom(AtomExt::new(s).unwrap())),
        istring(non_sync).prop_map(AString::String),
    ]
}

/// IMAP4rev1 mailbox names are 7-bit (modified UTF-7), literals included.
fn mailbox(non_sync: bool) -> impl Strategy<Value = Mailbox<'static>> {
    prop_oneof![
        "[A-Za-z0-9$._\\]-]{1,10}".prop_map(|s| AString::Atom(AtomExt::new(s).unwrap())),
        quoted().prop_map(|q| AString::String(IString::Quoted(q))),
        (vec(1u8..=127, 0..16), any::<bool>()).prop_map(move |(d, ns)| {
            let l = Literal::new(d).unwrap();
            AString::String(if ns && non_sync { l.non_sync() } else { l }.into())
        }),
    ]
    .prop_map(Mailbox::from_wire)
}

fn nz() -> impl Strategy<Value = u32> {
    1u32..=u32::MAX
}

fn seq_set(star: bool) -> impl Strategy<Value = SequenceSet> {
    let n = move || prop_oneof![4 => nz().prop_map(SeqNumber::Value), (if star { 1 } else { 0 }) => Just(SeqNumber::Last)];
    vec(
        prop_oneof![
            n().prop_map(Sequence::Single),
            (n(), n()).prop_map(|(a, b)| Sequence::Range(a, b))
        ],
        1..4,
    )
    .prop_map(SequenceSet::Set)
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        atom().prop_map(Flag::Keyword),
        "X[A-Za-z]{1,6}".prop_map(|s| Flag::Extension(Atom::new(s).unwrap())),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (1u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn date_time() -> impl Strategy<Value = DateTime> {
    (date(), 0u8..24, 0u8..60, 0u8..=60, -5999i16..=5999)
        .prop_map(|(d, h, m, s, z)| DateTime::new(d, h, m, s, z).unwrap())
}

fn search_key() -> impl Strategy<Value = SearchKey<'static>> {
    let a = || astring(true);
    let leaf = prop_oneof![
        prop_oneof![
            Just(SearchKey::All),
            Just(SearchKey::Answered),
            Just(SearchKey::Deleted),
            Just(SearchKey::Draft),
            Just(SearchKey::Flagged),
            Just(SearchKey::New),
            Just(SearchKey::Old),
            Just(SearchKey::Recent),
            Just(SearchKey::Seen),
            Just(SearchKey::Unanswered),
            Just(SearchKey::Undeleted),
            Just(SearchKey::Undraft),
            Just(SearchKey::Unflagged),
            Just(SearchKey::Unseen),
        ],
        prop_oneof![
            a().prop_map(SearchKey::Bcc),
            a().prop_map(SearchKey::Body),
            a().prop_map(SearchKey::Cc),
            a().prop_map(SearchKey::From),
            a().prop_map(SearchKey::Subject),
            a().prop_map(SearchKey::Text),
            a().prop_map(SearchKey::To),
            (a(), a()).prop_map(|(n, v)| SearchKey::Header(n, v)),
            atom().prop_map(SearchKey::Keyword),
            atom().prop_map(SearchKey::Unkeyword),
        ],
        prop_oneof![
            date().prop_map(SearchKey::Before),
            date().prop_map(SearchKey::On),
            date().prop_map(SearchKey::Since),
            date().prop_map(SearchKey::SentBefore),
            date().prop_map(SearchKey::SentOn),
            date().prop_map(SearchKey::SentSince),
        ],
        prop_oneof![
            (0u64..1 << 62).prop_map(SearchKey::Larger),
            (0u64..1 << 62).prop_map(SearchKey::Smaller),
            nz().prop_map(SearchKey::Older),
            nz().prop_map(SearchKey::Younger),
            seq_set(true).prop_map(SearchKey::Uid),
            Just(SearchKey::Uid(SequenceSet::Saved)),
            seq_set(true).prop_map(SearchKey::SequenceSet),
            Just(SearchKey::SequenceSet(SequenceSet::Saved)),
            (
                option::of((
                    "/flags/[a-z$]{1,6}".prop_map(|f| AString::String(IString::Quoted(
                        Quoted::new(f.into_bytes()).unwrap()
                    ))),
                    prop_oneof![
                        Just(EntryType::Private),
                        Just(EntryType::Shared),
                        Just(EntryType::All)
                    ]
                )),
                0u64..1 << 62
            )
                .prop_map(|(entry, modseq)| SearchKey::ModSeq { entry, modseq }),
        ],
    ];
    leaf.prop_recursive(4, 16, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| SearchKey::Not(Box::new(k))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
            vec(inner, 1..3).prop_map(SearchKey::And),
        ]
    })
}

fn section(non_sync: bool) -> impl Strategy<Value = Section<'static>> {
    (
        vec(nz(), 0..3),
        option::of(prop_oneof![
            Just(SectionText::Header),
            Just(SectionText::Text),
            Just(SectionText::Mime),
            vec(astring(non_sync), 1..3).prop_map(SectionText::HeaderFields),
            vec(astring(non_sync), 1..3).prop_map(SectionText::HeaderFieldsNot),
        ]),
    )
        .prop_map(|(mut part, text)| {
            // MIME names a part's header: only after a part number.
            if text == Some(SectionText::Mime) && part.is_empty() {
                part.push(1);
            }
            Section { part, text }
        })
}

fn fetch_attr() -> impl Strategy<Value = FetchAttr<'static>> {
    let partial = option::of(
        (0u64..1 << 40, 1u64..1 << 40).prop_map(|(origin, length)| Partial { origin, length }),
    );
    prop_oneof![
        Just(FetchAttr::Envelope),
        Just(FetchAttr::Flags),
        Just(FetchAttr::InternalDate),
        Just(FetchAttr::Rfc822Size),
        Just(FetchAttr::Rfc822),
        Just(FetchAttr::Rfc822Header),
        Just(FetchAttr::Rfc822Text),
        Just(FetchAttr::Body),
        Just(FetchAttr::BodyStructure),
        Just(FetchAttr::Uid),
        Just(FetchAttr::ModSeq),
        (any::<bool>(), section(true), partial.clone()).prop_map(|(peek, section, partial)| {
            FetchAttr::BodySection {
                peek,
                section,
                partial,
            }
        }),
        (any::<bool>(), vec(nz(), 0..3), partial).prop_map(|(peek, part, partial)| {
            FetchAttr::Binary {
                peek,
                part,
                partial,
            }
        }),
        vec(nz(), 0..3).prop_map(|part| FetchAttr::BinarySize { part }),
    ]
}

fn command_body() -> impl Strategy<Value = CommandBody<'static>> {
    prop_oneof![
        Just(CommandBody::Capability),
        Just(CommandBody::Noop),
        Just(CommandBody::Logout),
        Just(CommandBody::StartTls),
        Just(CommandBody::Namespace),
        Just(CommandBody::Idle),
        Just(CommandBody::Check),
        Just(CommandBody::Close),
        Just(CommandBody::Unselect),
        Just(CommandBody::Expunge),
        (atom(), option::of(vec(any::<u8>(), 0..16))).prop_map(|(mechanism, ir)| {
            CommandBody::Authenticate {
                mechanism,
                initial_response: ir.map(Secret::new),
            }
        }),
        (astring(true), astring(true)).prop_map(|(username, p)| CommandBody::Login {
            username,
            password: Secret::new(p)
        }),
        vec(atom(), 1..4).prop_map(CommandBody::Enable),
        (
            mailbox(true),
            vec(
                prop_oneof![
                    Just(SelectParam::CondStore),
                    (
                        nz(),
                        1u64..1 << 62,
                        option::of(seq_set(false)),
                        option::of((seq_set(false), seq_set(false)))
                    )
                        .prop_map(
                            |(uid_validity, modseq, known_uids, seq_match)| SelectParam::QResync {
                                uid_validity,
                                modseq,
                                known_uids,
                                seq_match
                            }
                        ),
                ],
                0..2
            )
        )
            .prop_map(|(mailbox, params)| CommandBody::Select { mailbox, params }),
        (
            mailbox(true),
            option::of(vec(
                "[A-Z][a-z]{1,6}".prop_map(|s| MailboxAttr::new(Atom::new(s).unwrap())),
                0..3
            ))
        )
            .prop_map(|(mailbox, special_use)| CommandBody::Create {
                mailbox,
                special_use
            }),
        mailbox(true).prop_map(CommandBody::Delete),
        (mailbox(true), mailbox(true)).prop_map(|(from, to)| CommandBody::Rename { from, to }),
        (
            option::of(vec(
                prop_oneof![
                    Just(ListSelect::Subscribed),
                    Just(ListSelect::Remote),
                    Just(ListSelect::RecursiveMatch),
                    Just(ListSelect::SpecialUse),
                    "X-[A-Z]{1,6}".prop_map(|a| ListSelect::Other(Atom::new(a).unwrap())),
                ],
                0..3
            )),
            mailbox(true),
            prop_oneof![
                list_mailbox().prop_map(ListPatterns::Single),
                vec(list_mailbox(), 1..3).prop_map(ListPatterns::Multiple),
            ],
            option::of(vec(
                prop_oneof![
                    Just(ListReturn::Subscribed),
                    Just(ListReturn::Children),
                    Just(ListReturn::SpecialUse),
                    vec(status_attr(), 1..3).prop_map(ListReturn::Status),
                    "X-[A-Z]{1,6}".prop_map(|a| ListReturn::Other(Atom::new(a).unwrap())),
                ],
                0..3
            )),
        )
            .prop_map(
                |(selection, reference, patterns, returns)| CommandBody::List {
                    selection,
                    reference,
                    patterns,
                    returns
                }
            ),
        (mailbox(true), list_mailbox())
            .prop_map(|(reference, pattern)| CommandBody::Lsub { reference, pattern }),
        (mailbox(true), vec(status_attr(), 1..4))
            .prop_map(|(mailbox, attrs)| CommandBody::Status { mailbox, attrs }),
        (
            mailbox(true),
            vec(
                (
                    option::of(vec(flag(), 0..3)),
                    option::of(date_time()),
                    literal(true),
                    any::<bool>(),
                    any::<bool>()
                ),
                1..3
            )
        )
            .prop_map(|(mailbox, m)| CommandBody::Append {
                mailbox,
                messages: m
                    .into_iter()
                    .map(|(flags, date, data, binary, utf8)| {
                        let data = if binary || utf8 {
                            Literal::binary(data.data().clone())
                        } else {
                            data
                        };
                        AppendMessage {
                            flags,
                            date,
                            data,
                            utf8,
                        }
                    })
                    .collect(),
            }),
        // uid-expunge takes a sequence-set: `*` and `$` too.
        seq_set(true).prop_map(CommandBody::UidExpunge),
        Just(CommandBody::UidExpunge(SequenceSet::Saved)),
        (
            any::<bool>(),
            option::of(vec(
                prop_oneof![
                    Just(SearchReturn::Min),
                    Just(SearchReturn::Max),
                    Just(SearchReturn::All),
                    Just(SearchReturn::Count),
                    Just(SearchReturn::Save)
                ],
                0..3
            )),
            option::of(charset()),
            vec(search_key(), 1..3)
        )
            .prop_map(|(uid, returns, charset, criteria)| CommandBody::Search {
                uid,
                returns,
                charset,
                criteria
            }),
        (
            any::<bool>(),
            seq_set(true),
            prop_oneof![
                Just(FetchAttrs::All),
                Just(FetchAttrs::Fast),
                Just(FetchAttrs::Full),
                fetch_attr().prop_map(FetchAttrs::Single),
                vec(fetch_attr(), 1..5).prop_map(FetchAttrs::List),
            ],
            vec(
                prop_oneof![
                    (1u64..1 << 62).prop_map(FetchModifier::ChangedSince),
                    Just(FetchModifier::Vanished)
                ],
                0..2
            )
        )
            .prop_map(|(uid, set, attrs, modifiers)| CommandBody::Fetch {
                uid,
                set,
                attrs,
                modifiers
            }),
        (
            any::<bool>(),
            seq_set(true),
            option::of(0u64..1 << 62),
            prop_oneof![
                Just(StoreKind::Replace),
                Just(StoreKind::Add),
                Just(StoreKind::Remove)
            ],
            any::<bool>(),
            vec(flag(), 0..4)
        )
            .prop_map(|(uid, set, unchanged_since, kind, silent, flags)| {
                CommandBody::Store {
                    uid,
                    set,
                    unchanged_since,
                    kind,
                    silent,
                    flags,
                }
            }),
        (any::<bool>(), seq_set(true), mailbox(true))
            .prop_map(|(uid, set, mailbox)| CommandBody::Copy { uid, set, mailbox }),
        (any::<bool>(), seq_set(true), mailbox(true))
            .prop_map(|(uid, set, mailbox)| CommandBody::Move { uid, set, mailbox }),
        option::of(vec((istring(true), option::of(istring(true))), 0..3)).prop_map(CommandBody::Id),
        astring(true).prop_map(CommandBody::GetQuota),
        mailbox(true).prop_map(CommandBody::GetQuotaRoot),
        (astring(true), vec((atom(), 0u64..1 << 62), 0..3))
            .prop_map(|(root, limits)| CommandBody::SetQuota { root, limits }),
        atom().prop_map(CommandBody::Compress),
    ]
}

/// `charset = atom / quoted`.
fn charset() -> impl Strategy<Value = AString<'static>> {
    prop_oneof![
        atom().prop_map(|a| AString::Atom(AtomExt::new(a.as_str().to_owned()).unwrap())),
        quoted().prop_map(|q| AString::String(IString::Quoted(q))),
    ]
}

fn list_mailbox() -> impl Strategy<Value = ListMailbox<'static>> {
    prop_oneof![
        "[A-Za-z0-9%*/.\\]]{1,8}".prop_map(|s| ListMailbox::Token(ListToken::new(s).unwrap())),
        istring(true).prop_map(ListMailbox::String)
    ]
}

fn status_attr() -> impl Strategy<Value = StatusAttr> {
    prop_oneof![
        Just(StatusAttr::Messages),
        Just(StatusAttr::Recent),
        Just(StatusAttr::UidNext),
        Just(StatusAttr::UidValidity),
        Just(StatusAttr::Unseen),
        Just(StatusAttr::Deleted),
        Just(StatusAttr::Size),
        Just(StatusAttr::HighestModSeq),
    ]
}

fn text() -> impl Strategy<Value = Text<'static>> {
    "[A-Za-z0-9 ,.!?:;()\\[\\]-]{0,20}".prop_filter_map("text", |s| Text::new(s).ok())
}

fn code() -> impl Strategy<Value = Code<'static>> {
    prop_oneof![
        Just(Code::Alert),
        Just(Code::Parse),
        Just(Code::ReadOnly),
        Just(Code::TryCreate),
        Just(Code::AuthenticationFailed),
        Just(Code::Closed),
        Just(Code::UnknownCte),
        vec(charset(), 0..2).prop_map(Code::BadCharset),
        vec(atom(), 1..3).prop_map(Code::Capability),
        vec(prop_oneof![flag(), Just(Flag::Wildcard)], 0..3).prop_map(Code::PermanentFlags),
        nz().prop_map(Code::UidNext),
        nz().prop_map(Code::Unseen),
        (nz(), seq_set(false))
            .prop_map(|(uid_validity, uids)| Code::AppendUid { uid_validity, uids }),
        (nz(), seq_set(false), seq_set(false)).prop_map(|(uid_validity, source, destination)| {
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            }
        }),
        (1u64..1 << 62).prop_map(Code::HighestModSeq),
        seq_set(false).prop_map(Code::Modified),
        ("X-[A-Z]{1,6}", option::of("[a-z]{1,5}( [a-z]{1,5})?")).prop_map(|(a, t)| Code::Other(
            Atom::new(a).unwrap(),
            t.map(|t| Text::new(t).unwrap())
        )),
    ]
}

fn address() -> impl Strategy<Value = Address<'static>> {
    (
        option::of(istring(false)),
        option::of(istring(false)),
        option::of(istring(false)),
        option::of(istring(false)),
    )
        .prop_map(|(name, adl, mailbox, host)| Address {
            name,
            adl,
            mailbox,
            host,
        })
}

fn envelope() -> impl Strategy<Value = Envelope<'static>> {
    (
        (option::of(istring(false)), option::of(istring(false))),
        (
            vec(address(), 0..3),
            vec(address(), 0..2),
            vec(address(), 0..2),
            vec(address(), 0..3),
            vec(address(), 0..2),
            vec(address(), 0..2),
        ),
        (option::of(istring(false)), option::of(istring(false))),
    )
        .prop_map(
            |(
                (date, subject),
                (from, sender, reply_to, to, cc, bcc),
                (in_reply_to, message_id),
            )| {
                Envelope::new(
                    date,
                    subject,
                    [from, sender, reply_to, to, cc, bcc],
                    in_reply_to,
                    message_id,
                )
            },
        )
}

fn q(s: &str) -> IString<'static> {
    IString::Quoted(Quoted::new(s.as_bytes().to_vec()).unwrap())
}

fn ext_tail() -> impl Strategy<Value = Option<ExtTail<'static>>> {
    let params = || vec((istring(false), istring(false)), 0..2);
    option::of(
        (
            option::of(
                (istring(false), params()).prop_map(|(kind, params)| Disposition { kind, params }),
            ),
            option::of(
                (
                    prop_oneof![
                        option::of(istring(false)).prop_map(Language::Single),
                        vec(istring(false), 1..3).prop_map(Language::List)
                    ],
                    option::of(
                        (
                            option::of(istring(false)),
                            vec(
                                prop_oneof![
                                    (0u64..1000).prop_map(BodyExtension::Number),
                                    option::of(istring(false)).prop_map(BodyExtension::NString)
                                ],
                                0..2,
                            ),
                        )
                            .prop_map(|(location, extensions)| {
                                LocationTail {
                                    location,
                                    extensions,
                                }
                            }),
                    ),
                )
                    .prop_map(|(language, location)| LanguageTail { language, location }),
            ),
        )
            .prop_map(|(disposition, language)| ExtTail {
                disposition,
                language,
            }),
    )
}

fn body() -> impl Strategy<Value = BodyStructure<'static>> {
    let fields = (
        vec((istring(false), istring(false)), 0..2),
        option::of(istring(false)),
        option::of(istring(false)),
        istring(false),
        any::<u32>(),
    );
    let leaf = (
        prop_oneof![Just("TEXT"), Just("IMAGE"), Just("APPLICATION")],
        "[A-Z]{1,6}",
        fields,
        0u64..1000,
        option::of((option::of(istring(false)), ext_tail())),
    )
        .prop_map(
            |(t, sub, (params, id, description, encoding, octets), lines, ext)| {
                BodyStructure::Single {
                    part: Box::new(SinglePart {
                        media_type: q(t),
                        subtype: q(&sub),
                        params,
                        id,
                        description,
                        encoding,
                        octets,
                        specific: if t == "TEXT" {
                            Specific::Text { lines }
                        } else {
                            Specific::Basic
                        },
                    }),
                    ext: ext.map(|(md5, tail)| Box::new(SinglePartExt { md5, tail })),
                }
            },
        );
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                vec(inner.clone(), 1..3),
                "[A-Z]{1,8}",
                option::of((vec((istring(false), istring(false)), 0..2), ext_tail()))
            )
                .prop_map(|(parts, sub, ext)| BodyStructure::Multi {
                    parts,
                    subtype: q(&sub),
                    ext: ext.map(|(params, tail)| Box::new(MultipartExt { params, tail }))
                }),
            (envelope(), inner, 0u64..100, any::<u32>()).prop_map(|(e, b, lines, octets)| {
                BodyStructure::Single {
                    part: Box::new(SinglePart {
                        media_type: q("MESSAGE"),
                        subtype: q("RFC822"),
                        params: vec![],
                        id: None,
                        description: None,
                        encoding: q("7BIT"),
                        octets,
                        specific: Specific::Message {
                            envelope: Box::new(e),
                            body: Box::new(b),
                            lines,
                        },
                    }),
                    ext: None,
                }
            }),
        ]
    })
}

fn has_ext(b: &BodyStructure<'_>) -> bool {
    match b {
        BodyStructure::Single { part, ext } => {
            ext.is_some()
                || matches!(&part.specific, Specific::Message { body, .. } if has_ext(body))
        }
        BodyStructure::Multi { parts, ext, .. } => ext.is_some() || parts.iter().any(has_ext),
        _ => true,
    }
}

fn fetch_item() -> impl Strategy<Value = FetchItem<'static>> {
    prop_oneof![
        vec(prop_oneof![flag(), Just(Flag::Recent)], 0..4).prop_map(FetchItem::Flags),
        envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
        date_time().prop_map(FetchItem::InternalDate),
        (0u64..1 << 40).prop_map(FetchItem::Rfc822Size),
        option::of(istring(false)).prop_map(FetchItem::Rfc822),
        option::of(istring(false)).prop_map(FetchItem::Rfc822Header),
        option::of(istring(false)).prop_map(FetchItem::Rfc822Text),
        body()
            .prop_filter("BODY has no extension data", |b| !has_ext(b))
            .prop_map(FetchItem::Body),
        body().prop_map(FetchItem::BodyStructure),
        (
            section(false),
            option::of(0u64..1 << 30),
            option::of(istring(false))
        )
            .prop_map(|(section, origin, data)| FetchItem::BodySection {
                section,
                origin,
                data
            }),
        (
            vec(nz(), 0..3),
            option::of(prop_oneof![
                istring(false),
                vec(any::<u8>(), 0..20).prop_map(|d| Literal::binary(d).into())
            ])
        )
            .prop_map(|(part, data)| FetchItem::Binary { part, data }),
        (vec(nz(), 0..3), any::<u32>())
            .prop_map(|(part, size)| FetchItem::BinarySize { part, size }),
        nz().prop_map(FetchItem::Uid),
        (0u64..1 << 62).prop_map(FetchItem::ModSeq),
    ]
}

fn list_item() -> impl Strategy<Value = ListItem<'static>> {
    (
        vec(
            "[A-Z][a-z]{1,8}".prop_map(|s| MailboxAttr::new(Atom::new(s).unwrap())),
            0..3,
        ),
        option::of(prop_oneof![Just('/'), Just('.'), Just('\\'), Just('"')]),
        mailbox(false),
        option::of(vec(
            (
                astring(false),
                prop_oneof![
                    astring(false).prop_map(ExtValue::Value),
                    vec(astring(false).prop_map(ExtValue::Value), 0..2).prop_map(ExtValue::List)
                ],
            ),
            0..2,
        )),
    )
        .prop_map(|(attrs, delimiter, mailbox, extended)| ListItem {
            attrs,
            delimiter,
            mailbox,
            extended,
        })
}

fn data() -> impl Strategy<Value = Data<'static>> {
    let kind = prop_oneof![
        Just(StatusKind::Ok),
        Just(StatusKind::No),
        Just(StatusKind::Bad),
        Just(StatusKind::PreAuth),
        Just(StatusKind::Bye)
    ];
    prop_oneof![
        (kind, option::of(code()), text())
            .prop_filter_map("text", |(kind, code, text)| resp_text(code, text)
                .map(|text| Data::Status { kind, text })),
        vec(atom(), 1..4).prop_map(Data::Capability),
        vec(atom(), 0..3).prop_map(Data::Enabled),
        vec(prop_oneof![flag(), Just(Flag::Recent)], 0..4).prop_map(Data::Flags),
        list_item().prop_map(Data::List),
        list_item().prop_map(Data::Lsub),
        (mailbox(false), vec((status_attr(), 0u64..1 << 40), 0..4))
            .prop_map(|(mailbox, items)| Data::MailboxStatus { mailbox, items }),
        (vec(nz(), 0..5), option::of(1u64..1 << 62))
            .prop_map(|(ids, modseq)| Data::Search { ids, modseq }),
        (
            option::of(tag()),
            any::<bool>(),
            vec(
                prop_oneof![
                    nz().prop_map(ESearchItem::Min),
                    nz().prop_map(ESearchItem::Max),
                    seq_set(false).prop_map(ESearchItem::All),
                    any::<u32>().prop_map(ESearchItem::Count),
                    (1u64..1 << 62).prop_map(ESearchItem::ModSeq),
                ],
                0..3
            )
        )
            .prop_map(|(tag, uid, items)| Data::ESearch { tag, uid, items }),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        nz().prop_map(Data::Expunge),
        (nz(), vec(fetch_item(), 1..4)).prop_map(|(seq, items)| Data::Fetch { seq, items }),
        (namespace(), namespace(), namespace()).prop_map(|(personal, other, shared)| {
            Data::Namespace {
                personal,
                other,
                shared,
            }
        }),
        option::of(vec((istring(false), option::of(istring(false))), 0..3)).prop_map(Data::Id),
        (
            astring(false),
            vec(
                (atom(), 0u64..1 << 40, 0u64..1 << 40)
                    .prop_map(|(name, usage, limit)| QuotaResource { name, usage, limit }),
                0..3
            )
        )
            .prop_map(|(root, resources)| Data::Quota { root, resources }),
        (mailbox(false), vec(astring(false), 0..3))
            .prop_map(|(mailbox, roots)| Data::QuotaRoot { mailbox, roots }),
        (any::<bool>(), seq_set(false))
            .prop_map(|(earlier, uids)| Data::Vanished { earlier, uids }),
    ]
}

fn namespace() -> impl Strategy<Value = Vec<NamespaceDescr<'static>>> {
    vec(
        (
            istring(false),
            option::of(prop_oneof![Just('/'), Just('.')]),
            vec((istring(false), vec(istring(false), 1..3)), 0..2),
        )
            .prop_map(|(prefix, delimiter, extensions)| NamespaceDescr {
                prefix,
                delimiter,
                extensions,
            }),
        0..3,
    )
}

/// IMAP4rev1's `resp-text` has a text (RFC 3501 §9).
fn resp_text(code: Option<Code<'static>>, text: Text<'static>) -> Option<RespText<'static>> {
    if text.as_str().is_empty() {
        return None;
    }
    Some(RespText { code, text })
}

fn response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        data().prop_map(Response::Data),
        (
            tag(),
            prop_oneof![
                Just(StatusKind::Ok),
                Just(StatusKind::No),
                Just(StatusKind::Bad)
            ],
            option::of(code()),
            text()
        )
            .prop_filter_map("text", |(tag, kind, code, text)| resp_text(code, text)
                .map(|text| Response::Tagged(Tagged { tag, kind, text }))),
        (option::of(code()), text())
            .prop_filter("a code needs a text in IMAP4rev1", |(code, text)| code
                .is_none()
                || !text.as_str().is_empty())
            .prop_map(|(code, text)| Response::Continuation(Continuation { code, text })),
    ]
}

const MODES: [Mode; 3] = [Mode::Imap4rev1, Mode::Utf8Accept, Mode::Imap4rev2];

/// What IMAP4rev2 removed (RFC 9051 appendix E) is the only thing that may
/// not encode in a mode; whatever encodes decodes to the same value and
/// re-encodes to the same bytes.
fn command_round_trips(command: &Command<'_>, mode: Mode) -> Result<(), TestCaseError> {
    let opts = Options::with_mode(mode);
    let mut out = BytesMut::new();
    match encode::command(command, &mut out, &opts) {
        Ok(_) => {}
        Err(EncodeError::NotInRev2(_)) if mode == Mode::Imap4rev2 => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("{mode:?}: {e}"))),
    }
    let wire = out.freeze();
    let (decoded, used) = decode::command(&wire, &opts)
        .unwrap_or_else(|e| panic!("{mode:?} {e}: {:?}", String::from_utf8_lossy(&wire)));
    prop_assert_eq!(used, wire.len());
    prop_assert_eq!(&decoded, command);
    let mut again = BytesMut::new();
    encode::command(&decoded, &mut again, &opts).unwrap();
    prop_assert_eq!(&again[..], &wire[..]);
    Ok(())
}

fn response_round_trips(response: &Response<'_>, mode: Mode) -> Result<(), TestCaseError> {
    let opts = Options::with_mode(mode);
    let mut out = BytesMut::new();
    match encode::response(response, &mut out, &opts) {
        Ok(()) => {}
        Err(EncodeError::NotInRev2(_)) if mode == Mode::Imap4rev2 => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("{mode:?}: {e}"))),
    }
    let wire = out.freeze();
    let (decoded, used) = decode::response(&wire, &opts)
        .unwrap_or_else(|e| panic!("{mode:?} {e}: {:?}", String::from_utf8_lossy(&wire)));
    prop_assert_eq!(used, wire.len());
    prop_assert_eq!(&decoded, response);
    let mut again = BytesMut::new();
    encode::response(&decoded, &mut again, &opts).unwrap();
    prop_assert_eq!(&again[..], &wire[..]);
    Ok(())
}

/// UTF-8 where UTF8=ACCEPT and IMAP4rev2 allow it: quoted strings,
/// mailbox names, text.
fn utf8_str() -> impl Strategy<Value = String> {
    "[a-z\u{e0}-\u{ff}\u{4e00}-\u{4e10}\u{1f600}-\u{1f602} ]{1,8}"
}

fn utf8_command() -> impl Strategy<Value = CommandBody<'static>> {
    let mailbox = || {
        utf8_str().prop_map(|s| {
            Mailbox::from_wire(AString::String(IString::Quoted(
                Quoted::new(s.into_bytes()).unwrap(),
            )))
        })
    };
    let quoted = || {
        utf8_str()
            .prop_map(|s| AString::String(IString::Quoted(Quoted::new(s.into_bytes()).unwrap())))
    };
    prop_oneof![
        mailbox().prop_map(|mailbox| CommandBody::Select {
            mailbox,
            params: vec![]
        }),
        (mailbox(), mailbox()).prop_map(|(from, to)| CommandBody::Rename { from, to }),
        (quoted(), quoted()).prop_map(|(username, p)| CommandBody::Login {
            username,
            password: Secret::new(p)
        }),
        vec(quoted().prop_map(SearchKey::Subject), 1..3).prop_map(|criteria| {
            CommandBody::Search {
                uid: true,
                returns: None,
                charset: None,
                criteria,
            }
        }),
    ]
}

fn utf8_response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        utf8_str().prop_map(|s| Response::Data(Data::Status {
            kind: StatusKind::Ok,
            text: RespText {
                code: None,
                text: Text::new(format!("x{s}")).unwrap()
            }
        })),
        utf8_str().prop_map(|s| Response::Data(Data::List(ListItem {
            attrs: vec![],
            delimiter: Some('/'),
            mailbox: Mailbox::from_wire(AString::String(IString::Quoted(
                Quoted::new(s.into_bytes()).unwrap()
            ))),
            extended: None,
        }))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/roundtrip.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_command_round_trips(tag in tag(), body in command_body()) {
        let command = Command::new(tag, body);
        for mode in MODES {
            command_round_trips(&command, mode)?;
        }
    }

    #[test]
    fn any_response_round_trips(response in response()) {
        for mode in MODES {
            response_round_trips(&response, mode)?;
        }
    }

    #[test]
    fn utf8_round_trips_where_the_mode_allows_it(body in utf8_command(), response in utf8_response()) {
        let command = Command::new(Tag::new("u").unwrap(), body);
        for mode in [Mode::Utf8Accept, Mode::Imap4rev2] {
            command_round_trips(&command, mode)?;
            response_round_trips(&response, mode)?;
        }
        // IMAP4rev1 has no 8-bit mailbox names: the encoder refuses them.
        let mut out = BytesMut::new();
        if let CommandBody::Select { mailbox, .. } | CommandBody::Rename { from: mailbox, .. } = &command.body
            && !mailbox.as_bytes().is_ascii()
        {
            prop_assert_eq!(
                encode::command(&command, &mut out, &Options::default()),
                Err(EncodeError::Utf8Name)
            );
        }
    }
}
