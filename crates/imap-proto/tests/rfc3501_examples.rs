//! Every `C:` and `S:` line of RFC 3501 §6 and §7, verbatim (a line the
//! RFC wraps is joined with one space), replayed in IMAP4rev1 mode: each
//! decodes as a command (`C:`) or a response (`S:`) and encodes back to the
//! same bytes. Where the RFC writes a keyword in lower case the encoder
//! writes the upper case, the same to the grammar (RFC 3501 §9: keywords
//! are case-insensitive), so those lines re-encode equal up to ASCII case.
//! A command with literals is put together from its `C:` lines (the `+`
//! between them are continuation requests). The lines that are not a
//! whole command or response are in `SPECIAL`, each with what it is and
//! what is checked instead.
#![allow(
    clippy::unwrap_used,
    reason = "a failed unwrap here is a failed test or bench"
)]

use bytes::{Bytes, BytesMut};
use imap_proto::{DecodeError, ErrorKind, Mode, Options, decode, encode};

/// (line in rfc3501.txt, section, direction, text).
const LINES: &[(u32, &str, &str, &str)] = &[
    (1351, "6.1.1", "C", "abcd CAPABILITY"),
    (
        1352,
        "6.1.1",
        "S",
        "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI",
    ),
    (1354, "6.1.1", "S", "abcd OK CAPABILITY completed"),
    (1355, "6.1.1", "C", "efgh STARTTLS"),
    (1356, "6.1.1", "S", "efgh OK STARTLS completed"),
    (1358, "6.1.1", "C", "ijkl CAPABILITY"),
    (
        1359,
        "6.1.1",
        "S",
        "* CAPABILITY IMAP4rev1 AUTH=GSSAPI AUTH=PLAIN",
    ),
    (1360, "6.1.1", "S", "ijkl OK CAPABILITY completed"),
    (1380, "6.1.2", "C", "a002 NOOP"),
    (1381, "6.1.2", "S", "a002 OK NOOP completed . . ."),
    (1383, "6.1.2", "C", "a047 NOOP"),
    (1384, "6.1.2", "S", "* 22 EXPUNGE"),
    (1385, "6.1.2", "S", "* 23 EXISTS"),
    (1386, "6.1.2", "S", "* 3 RECENT"),
    (1387, "6.1.2", "S", "* 14 FETCH (FLAGS (\\Seen \\Deleted))"),
    (1388, "6.1.2", "S", "a047 OK NOOP completed"),
    (1421, "6.1.3", "C", "A023 LOGOUT"),
    (1422, "6.1.3", "S", "* BYE IMAP4rev1 Server logging out"),
    (1423, "6.1.3", "S", "A023 OK LOGOUT completed"),
    (1495, "6.2.1", "C", "a001 CAPABILITY"),
    (
        1496,
        "6.2.1",
        "S",
        "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED",
    ),
    (1497, "6.2.1", "S", "a001 OK CAPABILITY completed"),
    (1498, "6.2.1", "C", "a002 STARTTLS"),
    (1499, "6.2.1", "S", "a002 OK Begin TLS negotiation now"),
    (1501, "6.2.1", "C", "a003 CAPABILITY"),
    (1502, "6.2.1", "S", "* CAPABILITY IMAP4rev1 AUTH=PLAIN"),
    (1503, "6.2.1", "S", "a003 OK CAPABILITY completed"),
    (1504, "6.2.1", "C", "a004 LOGIN joe password"),
    (1505, "6.2.1", "S", "a004 OK LOGIN completed"),
    (1631, "6.2.2", "S", "* OK IMAP4rev1 Server"),
    (1632, "6.2.2", "C", "A001 AUTHENTICATE GSSAPI"),
    (1633, "6.2.2", "S", "+"),
    (
        1634,
        "6.2.2",
        "C",
        "YIIB+wYJKoZIhvcSAQICAQBuggHqMIIB5qADAgEFoQMCAQ6iBw MFACAAAACjggEmYYIBIjCCAR6gAwIBBaESGxB1Lndhc2hpbmd0 b24uZWR1oi0wK6ADAgEDoSQwIhsEaW1hcBsac2hpdmFtcy5jYW Mud2FzaGluZ3Rvbi5lZHWjgdMwgdCgAwIBAaEDAgEDooHDBIHA cS1GSa5b+fXnPZNmXB9SjL8Ollj2SKyb+3S0iXMljen/jNkpJX AleKTz6BQPzj8duz8EtoOuNfKgweViyn/9B9bccy1uuAE2HI0y C/PHXNNU9ZrBziJ8Lm0tTNc98kUpjXnHZhsMcz5Mx2GR6dGknb I0iaGcRerMUsWOuBmKKKRmVMMdR9T3EZdpqsBd7jZCNMWotjhi vd5zovQlFqQ2Wjc2+y46vKP/iXxWIuQJuDiisyXF0Y8+5GTpAL pHDc1/pIGmMIGjoAMCAQGigZsEgZg2on5mSuxoDHEA1w9bcW9n FdFxDKpdrQhVGVRDIzcCMCTzvUboqb5KjY1NJKJsfjRQiBYBdE NKfzK+g5DlV8nrw81uOcP8NOQCLR5XkoMHC0Dr/80ziQzbNqhx O6652Npft0LQwJvenwDI13YxpwOdMXzkWZN/XrEqOWp6GCgXTB vCyLWLlWnbaUkZdEYbKHBPjd8t/1x5Yg==",
    ),
    (
        1648,
        "6.2.2",
        "S",
        "+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ+iSzBJoAMC AQGiQgRAtHTEuOP2BXb9sBYFR4SJlDZxmg39IxmRBOhXRKdDA0 uHTCOT9Bq3OsUTXUlk0CsFLoa8j+gvGDlgHuqzWHPSQg==",
    ),
    (1651, "6.2.2", "C", ""),
    (
        1652,
        "6.2.2",
        "S",
        "+ YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHe ceP2CWY0SR0fAQAgAAQEBAQ=",
    ),
    (
        1654,
        "6.2.2",
        "C",
        "YDMGCSqGSIb3EgECAgIBAAD/////3LQBHXTpFfZgrejpLlLImP wkhbfa2QteAQAgAG1yYwE=",
    ),
    (
        1656,
        "6.2.2",
        "S",
        "A001 OK GSSAPI authentication successful",
    ),
    (1693, "6.2.3", "C", "a001 LOGIN SMITH SESAME"),
    (1694, "6.2.3", "S", "a001 OK LOGIN completed"),
    (1826, "6.3.1", "C", "A142 SELECT INBOX"),
    (1827, "6.3.1", "S", "* 172 EXISTS"),
    (1828, "6.3.1", "S", "* 1 RECENT"),
    (
        1829,
        "6.3.1",
        "S",
        "* OK [UNSEEN 12] Message 12 is first unseen",
    ),
    (
        1830,
        "6.3.1",
        "S",
        "* OK [UIDVALIDITY 3857529045] UIDs valid",
    ),
    (1831, "6.3.1", "S", "* OK [UIDNEXT 4392] Predicted next UID"),
    (
        1832,
        "6.3.1",
        "S",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    ),
    (
        1833,
        "6.3.1",
        "S",
        "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
    ),
    (1834, "6.3.1", "S", "A142 OK [READ-WRITE] SELECT completed"),
    (1877, "6.3.2", "C", "A932 EXAMINE blurdybloop"),
    (1878, "6.3.2", "S", "* 17 EXISTS"),
    (1879, "6.3.2", "S", "* 2 RECENT"),
    (
        1880,
        "6.3.2",
        "S",
        "* OK [UNSEEN 8] Message 8 is first unseen",
    ),
    (
        1881,
        "6.3.2",
        "S",
        "* OK [UIDVALIDITY 3857529045] UIDs valid",
    ),
    (1882, "6.3.2", "S", "* OK [UIDNEXT 4392] Predicted next UID"),
    (
        1883,
        "6.3.2",
        "S",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    ),
    (
        1884,
        "6.3.2",
        "S",
        "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
    ),
    (1885, "6.3.2", "S", "A932 OK [READ-ONLY] EXAMINE completed"),
    (1933, "6.3.3", "C", "A003 CREATE owatagusiam/"),
    (1934, "6.3.3", "S", "A003 OK CREATE completed"),
    (1935, "6.3.3", "C", "A004 CREATE owatagusiam/blurdybloop"),
    (1936, "6.3.3", "S", "A004 OK CREATE completed"),
    (1993, "6.3.4", "S", "* LIST () \"/\" blurdybloop"),
    (1994, "6.3.4", "S", "* LIST (\\Noselect) \"/\" foo"),
    (1995, "6.3.4", "S", "* LIST () \"/\" foo/bar"),
    (1996, "6.3.4", "S", "A682 OK LIST completed"),
    (1997, "6.3.4", "C", "A683 DELETE blurdybloop"),
    (1998, "6.3.4", "S", "A683 OK DELETE completed"),
    (1999, "6.3.4", "C", "A684 DELETE foo"),
    (
        2000,
        "6.3.4",
        "S",
        "A684 NO Name \"foo\" has inferior hierarchical names",
    ),
    (2001, "6.3.4", "C", "A685 DELETE foo/bar"),
    (2002, "6.3.4", "S", "A685 OK DELETE Completed"),
    (2003, "6.3.4", "C", "A686 LIST \"\" *"),
    (2004, "6.3.4", "S", "* LIST (\\Noselect) \"/\" foo"),
    (2005, "6.3.4", "S", "A686 OK LIST completed"),
    (2006, "6.3.4", "C", "A687 DELETE foo"),
    (2007, "6.3.4", "S", "A687 OK DELETE Completed"),
    (2023, "6.3.4", "C", "A82 LIST \"\" *"),
    (2024, "6.3.4", "S", "* LIST () \".\" blurdybloop"),
    (2025, "6.3.4", "S", "* LIST () \".\" foo"),
    (2026, "6.3.4", "S", "* LIST () \".\" foo.bar"),
    (2027, "6.3.4", "S", "A82 OK LIST completed"),
    (2028, "6.3.4", "C", "A83 DELETE blurdybloop"),
    (2029, "6.3.4", "S", "A83 OK DELETE completed"),
    (2030, "6.3.4", "C", "A84 DELETE foo"),
    (2031, "6.3.4", "S", "A84 OK DELETE Completed"),
    (2032, "6.3.4", "C", "A85 LIST \"\" *"),
    (2033, "6.3.4", "S", "* LIST () \".\" foo.bar"),
    (2034, "6.3.4", "S", "A85 OK LIST completed"),
    (2035, "6.3.4", "C", "A86 LIST \"\" %"),
    (2036, "6.3.4", "S", "* LIST (\\Noselect) \".\" foo"),
    (2037, "6.3.4", "S", "A86 OK LIST completed"),
    (2093, "6.3.5", "S", "* LIST () \"/\" blurdybloop"),
    (2094, "6.3.5", "S", "* LIST (\\Noselect) \"/\" foo"),
    (2095, "6.3.5", "S", "* LIST () \"/\" foo/bar"),
    (2096, "6.3.5", "S", "A682 OK LIST completed"),
    (2097, "6.3.5", "C", "A683 RENAME blurdybloop sarasoop"),
    (2098, "6.3.5", "S", "A683 OK RENAME completed"),
    (2099, "6.3.5", "C", "A684 RENAME foo zowie"),
    (2100, "6.3.5", "S", "A684 OK RENAME Completed"),
    (2101, "6.3.5", "C", "A685 LIST \"\" *"),
    (2102, "6.3.5", "S", "* LIST () \"/\" sarasoop"),
    (2103, "6.3.5", "S", "* LIST (\\Noselect) \"/\" zowie"),
    (2104, "6.3.5", "S", "* LIST () \"/\" zowie/bar"),
    (2105, "6.3.5", "S", "A685 OK LIST completed"),
    (2107, "6.3.5", "C", "Z432 LIST \"\" *"),
    (2108, "6.3.5", "S", "* LIST () \".\" INBOX"),
    (2109, "6.3.5", "S", "* LIST () \".\" INBOX.bar"),
    (2110, "6.3.5", "S", "Z432 OK LIST completed"),
    (2111, "6.3.5", "C", "Z433 RENAME INBOX old-mail"),
    (2112, "6.3.5", "S", "Z433 OK RENAME completed"),
    (2113, "6.3.5", "C", "Z434 LIST \"\" *"),
    (2114, "6.3.5", "S", "* LIST () \".\" INBOX"),
    (2115, "6.3.5", "S", "* LIST () \".\" INBOX.bar"),
    (2116, "6.3.5", "S", "* LIST () \".\" old-mail"),
    (2117, "6.3.5", "S", "Z434 OK LIST completed"),
    (2162, "6.3.6", "C", "A002 SUBSCRIBE #news.comp.mail.mime"),
    (2163, "6.3.6", "S", "A002 OK SUBSCRIBE completed"),
    (2181, "6.3.7", "C", "A002 UNSUBSCRIBE #news.comp.mail.mime"),
    (2182, "6.3.7", "S", "A002 OK UNSUBSCRIBE completed"),
    (2359, "6.3.8", "C", "A101 LIST \"\" \"\""),
    (2360, "6.3.8", "S", "* LIST (\\Noselect) \"/\" \"\""),
    (2361, "6.3.8", "S", "A101 OK LIST Completed"),
    (2362, "6.3.8", "C", "A102 LIST #news.comp.mail.misc \"\""),
    (2363, "6.3.8", "S", "* LIST (\\Noselect) \".\" #news."),
    (2364, "6.3.8", "S", "A102 OK LIST Completed"),
    (2365, "6.3.8", "C", "A103 LIST /usr/staff/jones \"\""),
    (2366, "6.3.8", "S", "* LIST (\\Noselect) \"/\" /"),
    (2367, "6.3.8", "S", "A103 OK LIST Completed"),
    (2368, "6.3.8", "C", "A202 LIST ~/Mail/ %"),
    (2369, "6.3.8", "S", "* LIST (\\Noselect) \"/\" ~/Mail/foo"),
    (2370, "6.3.8", "S", "* LIST () \"/\" ~/Mail/meetings"),
    (2371, "6.3.8", "S", "A202 OK LIST completed"),
    (2415, "6.3.9", "C", "A002 LSUB \"#news.\" \"comp.mail.*\""),
    (2416, "6.3.9", "S", "* LSUB () \".\" #news.comp.mail.mime"),
    (2417, "6.3.9", "S", "* LSUB () \".\" #news.comp.mail.misc"),
    (2418, "6.3.9", "S", "A002 OK LSUB completed"),
    (2419, "6.3.9", "C", "A003 LSUB \"#news.\" \"comp.%\""),
    (
        2420,
        "6.3.9",
        "S",
        "* LSUB (\\NoSelect) \".\" #news.comp.mail",
    ),
    (2421, "6.3.9", "S", "A003 OK LSUB completed"),
    (
        2501,
        "6.3.10",
        "C",
        "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
    ),
    (
        2502,
        "6.3.10",
        "S",
        "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
    ),
    (2503, "6.3.10", "S", "A042 OK STATUS completed"),
    (
        2589,
        "6.3.11",
        "C",
        "A003 APPEND saved-messages (\\Seen) {310}",
    ),
    (2590, "6.3.11", "S", "+ Ready for literal data"),
    (
        2591,
        "6.3.11",
        "C",
        "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
    ),
    (
        2592,
        "6.3.11",
        "C",
        "From: Fred Foobar <foobar@Blurdybloop.COM>",
    ),
    (2593, "6.3.11", "C", "Subject: afternoon meeting"),
    (2594, "6.3.11", "C", "To: mooch@owatagu.siam.edu"),
    (
        2595,
        "6.3.11",
        "C",
        "Message-Id: <B27397-0100000@Blurdybloop.COM>",
    ),
    (2596, "6.3.11", "C", "MIME-Version: 1.0"),
    (
        2597,
        "6.3.11",
        "C",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
    ),
    (2598, "6.3.11", "C", ""),
    (
        2599,
        "6.3.11",
        "C",
        "Hello Joe, do you think we can meet at 3:30 tomorrow?",
    ),
    (2600, "6.3.11", "C", ""),
    (2601, "6.3.11", "S", "A003 OK APPEND completed"),
    (2648, "6.4.1", "C", "FXXZ CHECK"),
    (2649, "6.4.1", "S", "FXXZ OK CHECK Completed"),
    (2678, "6.4.2", "C", "A341 CLOSE"),
    (2679, "6.4.2", "S", "A341 OK CLOSE completed"),
    (2711, "6.4.3", "C", "A202 EXPUNGE"),
    (2712, "6.4.3", "S", "* 3 EXPUNGE"),
    (2713, "6.4.3", "S", "* 3 EXPUNGE"),
    (2714, "6.4.3", "S", "* 5 EXPUNGE"),
    (2715, "6.4.3", "S", "* 8 EXPUNGE"),
    (2716, "6.4.3", "S", "A202 OK EXPUNGE completed"),
    (
        2975,
        "6.4.4",
        "C",
        "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
    ),
    (2976, "6.4.4", "S", "* SEARCH 2 84 882"),
    (2977, "6.4.4", "S", "A282 OK SEARCH completed"),
    (
        2978,
        "6.4.4",
        "C",
        "A283 SEARCH TEXT \"string not in mailbox\"",
    ),
    (2979, "6.4.4", "S", "* SEARCH"),
    (2980, "6.4.4", "S", "A283 OK SEARCH completed"),
    (2981, "6.4.4", "C", "A284 SEARCH CHARSET UTF-8 TEXT {6}"),
    (2982, "6.4.4", "C", "XXXXXX"),
    (2983, "6.4.4", "S", "* SEARCH 43"),
    (2984, "6.4.4", "S", "A284 OK SEARCH completed"),
    (
        3207,
        "6.4.5",
        "C",
        "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
    ),
    (3208, "6.4.5", "S", "* 2 FETCH ...."),
    (3209, "6.4.5", "S", "* 3 FETCH ...."),
    (3210, "6.4.5", "S", "* 4 FETCH ...."),
    (3211, "6.4.5", "S", "A654 OK FETCH completed"),
    (3281, "6.4.6", "C", "A003 STORE 2:4 +FLAGS (\\Deleted)"),
    (3282, "6.4.6", "S", "* 2 FETCH (FLAGS (\\Deleted \\Seen))"),
    (3283, "6.4.6", "S", "* 3 FETCH (FLAGS (\\Deleted))"),
    (
        3284,
        "6.4.6",
        "S",
        "* 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))",
    ),
    (3285, "6.4.6", "S", "A003 OK STORE completed"),
    (3328, "6.4.7", "C", "A003 COPY 2:4 MEETING"),
    (3329, "6.4.7", "S", "A003 OK COPY completed"),
    (3403, "6.4.8", "C", "A999 UID FETCH 4827313:4828442 FLAGS"),
    (
        3404,
        "6.4.8",
        "S",
        "* 23 FETCH (FLAGS (\\Seen) UID 4827313)",
    ),
    (
        3405,
        "6.4.8",
        "S",
        "* 24 FETCH (FLAGS (\\Seen) UID 4827943)",
    ),
    (
        3406,
        "6.4.8",
        "S",
        "* 25 FETCH (FLAGS (\\Seen) UID 4828442)",
    ),
    (3407, "6.4.8", "S", "A999 OK UID FETCH completed"),
    (3446, "6.5.1", "C", "a441 CAPABILITY"),
    (3447, "6.5.1", "S", "* CAPABILITY IMAP4rev1 XPIG-LATIN"),
    (3448, "6.5.1", "S", "a441 OK CAPABILITY completed"),
    (3449, "6.5.1", "C", "A442 XPIG-LATIN"),
    (
        3450,
        "6.5.1",
        "S",
        "* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay",
    ),
    (3451, "6.5.1", "S", "A442 OK XPIG-LATIN ompleted-cay"),
    (3654, "7.1.1", "S", "* OK IMAP4rev1 server ready"),
    (3655, "7.1.1", "C", "A001 LOGIN fred blurdybloop"),
    (
        3656,
        "7.1.1",
        "S",
        "* OK [ALERT] System shutdown in 10 minutes",
    ),
    (3657, "7.1.1", "S", "A001 OK LOGIN Completed"),
    (3671, "7.1.2", "C", "A222 COPY 1:2 owatagusiam"),
    (
        3672,
        "7.1.2",
        "S",
        "* NO Disk is 98% full, please delete unnecessary data",
    ),
    (3673, "7.1.2", "S", "A222 OK COPY completed"),
    (3674, "7.1.2", "C", "A223 COPY 3:200 blurdybloop"),
    (
        3675,
        "7.1.2",
        "S",
        "* NO Disk is 98% full, please delete unnecessary data",
    ),
    (
        3676,
        "7.1.2",
        "S",
        "* NO Disk is 99% full, please delete unnecessary data",
    ),
    (3677, "7.1.2", "S", "A223 NO COPY failed: disk is full"),
    (3703, "7.1.3", "C", "...very long command line..."),
    (3704, "7.1.3", "S", "* BAD Command line too long"),
    (3705, "7.1.3", "C", "...empty line..."),
    (3706, "7.1.3", "S", "* BAD Empty command line"),
    (3707, "7.1.3", "C", "A443 EXPUNGE"),
    (
        3708,
        "7.1.3",
        "S",
        "* BAD Disk crash, attempting salvage to a new disk!",
    ),
    (3709, "7.1.3", "S", "* OK Salvage successful, no data lost"),
    (3710, "7.1.3", "S", "A443 OK Expunge completed"),
    (
        3723,
        "7.1.4",
        "S",
        "* PREAUTH IMAP4rev1 server logged in as Smith",
    ),
    (3767, "7.1.5", "S", "* BYE Autologout; idle for too long"),
    (
        3829,
        "7.2.1",
        "S",
        "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN",
    ),
    (3887, "7.2.2", "S", "* LIST (\\Noselect) \"/\" ~/Mail/foo"),
    (3901, "7.2.3", "S", "* LSUB () \".\" #news.comp.mail.misc"),
    (
        3913,
        "7.2.4",
        "S",
        "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
    ),
    (3937, "7.2.5", "S", "* SEARCH 2 3 6"),
    (
        3952,
        "7.2.6",
        "S",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    ),
    (3973, "7.3.1", "S", "* 23 EXISTS"),
    (4009, "7.3.2", "S", "* 5 RECENT"),
    (4068, "7.4.1", "S", "* 44 EXPUNGE"),
    (
        4382,
        "7.4.2",
        "S",
        "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)",
    ),
    (4404, "7.5", "C", "A001 LOGIN {11}"),
    (4405, "7.5", "S", "+ Ready for additional command text"),
    (4406, "7.5", "C", "FRED FOOBAR {7}"),
    (4407, "7.5", "S", "+ Ready for additional command text"),
    (4408, "7.5", "C", "fat man"),
    (4409, "7.5", "S", "A001 OK LOGIN completed"),
    (4410, "7.5", "C", "A044 BLURDYBLOOP {102856}"),
    (
        4411,
        "7.5",
        "S",
        "A044 BAD No such command as \"BLURDYBLOOP\"",
    ),
];

/// What a line that is not a whole command or response is.
#[derive(Clone, Copy, Debug)]
#[allow(
    dead_code,
    reason = "the same kinds as the RFC 9051 replay; RFC 3501 needs fewer"
)]
enum Special {
    /// A client's SASL response during AUTHENTICATE (base64; empty is an
    /// empty response).
    Sasl,
    /// The `DONE` that ends IDLE.
    Done,
    /// `+` alone, which the example shows as the empty challenge; the
    /// grammar wants `"+" SP`: the opt-in `bare_continuation` quirk.
    BarePlus,
    /// Elided by the RFC (`...`): not protocol text.
    Elided,
    /// A command or response this crate does not know (§6.5's experimental
    /// `XPIG-LATIN`, §7.6's `BLURDYBLOOP`): refused as unknown.
    Unknown,
    /// A code with no text after it: RFC 9051's `"[" code "]" SP [text]`
    /// re-encodes it with the space.
    NoText,
    /// An editorial slip in the RFC (two spaces where the grammar has one):
    /// refused at that offset; the line as the grammar has it replays.
    Typo(usize, &'static str),
}

const SPECIAL: &[(u32, Special)] = &[
    (1633, Special::BarePlus),
    (1634, Special::Sasl),
    (1651, Special::Sasl),
    (1654, Special::Sasl),
    (3208, Special::Elided),
    (3209, Special::Elided),
    (3210, Special::Elided),
    (3449, Special::Unknown),
    (3450, Special::Unknown),
    (3703, Special::Elided),
    (3705, Special::Elided),
    (4410, Special::Unknown),
];

fn rev1() -> Options {
    Options::with_mode(Mode::Imap4rev1)
}

/// Decodes and re-encodes one whole command or response.
fn replay(command: bool, wire: &[u8], o: &Options) -> Result<Vec<u8>, DecodeError> {
    let input = Bytes::copy_from_slice(wire);
    let mut out = BytesMut::new();
    if command {
        let (c, used) = decode::command(&input, o)?;
        assert_eq!(used, input.len());
        encode::command(&c, &mut out, o).unwrap();
    } else {
        let (r, used) = decode::response(&input, o)?;
        assert_eq!(used, input.len());
        encode::response(&r, &mut out, o).unwrap();
    }
    Ok(out.to_vec())
}

/// `{n}` or `{n+}` at the end of a line: n.
fn literal_at_end(line: &str) -> Option<usize> {
    let rest = line.strip_suffix('}')?;
    let rest = rest.strip_suffix('+').unwrap_or(rest);
    let open = rest.rfind('{')?;
    rest[open + 1..].parse().ok()
}

#[test]
fn every_example_line_of_sections_6_and_7() {
    let o = rev1();
    let mut checked = 0;
    let mut i = 0;
    while i < LINES.len() {
        let (n, sec, dir, text) = LINES[i];
        i += 1;
        let what = format!("RFC 3501 line {n} (§{sec}) {dir}: {text}");
        let wire = format!("{text}\r\n");
        if let Some(&(_, special)) = SPECIAL.iter().find(|s| s.0 == n) {
            match special {
                Special::Sasl => {
                    // The RFC wraps long base64 lines: the spaces are its.
                    let wire = wire.replace(' ', "");
                    let (_, used) = decode::authenticate_data(wire.as_bytes())
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert_eq!(used, wire.len(), "{what}");
                }
                Special::Done => assert_eq!(decode::idle_done(wire.as_bytes()), Ok(6), "{what}"),
                Special::BarePlus => {
                    assert!(replay(false, wire.as_bytes(), &o).is_err(), "{what}");
                    let mut quirk = o;
                    quirk.quirks.bare_continuation = true;
                    replay(false, wire.as_bytes(), &quirk).unwrap();
                }
                Special::Elided => assert!(text.contains("..."), "{what}"),
                Special::Unknown => {
                    let kind = match replay(dir == "C", wire.as_bytes(), &o) {
                        Err(DecodeError::Invalid { kind, .. }) => kind,
                        other => panic!("{what}: {other:?}"),
                    };
                    assert!(
                        matches!(kind, ErrorKind::UnknownCommand | ErrorKind::UnknownResponse),
                        "{what}"
                    );
                }
                Special::NoText => {
                    let out = replay(dir == "C", wire.as_bytes(), &o).unwrap();
                    assert_eq!(out, format!("{text} \r\n").into_bytes(), "{what}");
                }
                Special::Typo(at, fixed) => {
                    assert_eq!(
                        replay(dir == "C", wire.as_bytes(), &o)
                            .unwrap_err()
                            .offset(),
                        Some(at),
                        "{what}"
                    );
                    let fixed = format!("{fixed}\r\n");
                    let out = replay(dir == "C", fixed.as_bytes(), &o).unwrap();
                    assert_eq!(out, fixed.into_bytes(), "{what}");
                }
            }
            checked += 1;
            continue;
        }
        // A command with literals: its octets are the next C: lines, joined
        // with CRLF, skipping the server's continuation requests.
        let mut wire = wire.into_bytes();
        let mut line = text.to_owned();
        while dir == "C"
            && let Some(len) = literal_at_end(&line)
        {
            let mut data = Vec::new();
            let mut rest = String::new();
            while data.len() < len {
                let (_, _, d, t) = LINES[i];
                i += 1;
                if d == "S" {
                    assert!(t.starts_with('+'), "{what}: {t}");
                    continue;
                }
                if !data.is_empty() {
                    data.extend_from_slice(b"\r\n");
                }
                data.extend_from_slice(t.as_bytes());
                if data.len() > len {
                    rest = String::from_utf8(data.split_off(len)).unwrap();
                }
            }
            wire.truncate(wire.len() - 2);
            wire.extend_from_slice(b"\r\n");
            wire.extend_from_slice(&data);
            wire.extend_from_slice(rest.as_bytes());
            wire.extend_from_slice(b"\r\n");
            line = rest;
        }
        let out = replay(dir == "C", &wire, &o).unwrap_or_else(|e| panic!("{what}: {e}"));
        if out != wire {
            assert!(
                out.eq_ignore_ascii_case(&wire),
                "{what}: {:?}",
                String::from_utf8_lossy(&out)
            );
        }
        checked += 1;
    }
    assert!(checked > 200, "{checked}");
}
