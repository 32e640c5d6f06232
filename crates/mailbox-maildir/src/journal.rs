//! The folder journal: an append-only log of what happened to a folder.
//!
//! ```text
//! mail-proto-index 1 V<uidvalidity>          the first line
//! H <uidnext> <highestmodseq> <unclaimed>    counters, at the end of a compaction
//! K <index> <keyword>                        keyword letter 'a' + index
//! A <uid> <modseq> <date> <size> <info> <base>   a message was added
//! F <uid> <modseq> <info>                    its flags changed
//! X <modseq> <uid> [<uid> ...]               messages were expunged
//! C <uid>                                    recent claimed below this UID
//! ```
//!
//! `<info>` is the message's Maildir info letters, or `-` for none;
//! `<date>` is Unix seconds with the zone appended, `1700000000+0100`;
//! `<base>` is the rest of the line, the file name before `:2,`.
//!
//! Every line ends in `\n`, is written with one `write` under the folder's
//! lock and made durable with `fdatasync` before the operation returns. A
//! line cut short by a crash has no `\n`: readers ignore it and the next
//! writer cuts it off. Replaying the lines in order gives the folder's
//! state; a compaction rewrites the file to its state (the `K` lines, one
//! `A` line per message, an `H` line) and renames it into place.

use std::fmt::{self, Write as _};

use mailbox_traits::{InternalDate, Keyword, ModSeq, Uid, UidValidity};

/// The first line's fixed part.
pub(crate) const MAGIC: &str = "mail-proto-index 1";

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Record {
    /// The folder's state as of a compaction.
    State {
        uid_next: Uid,
        highest_modseq: ModSeq,
        first_unclaimed: Uid,
    },
    /// Keyword `index` (letter `'a' + index`) is defined.
    Keyword { index: usize, keyword: Keyword },
    /// A message was added.
    Append {
        uid: Uid,
        modseq: ModSeq,
        date: InternalDate,
        size: u64,
        info: String,
        base: String,
    },
    /// A message's flags changed.
    Flags {
        uid: Uid,
        modseq: ModSeq,
        info: String,
    },
    /// Messages were expunged.
    Expunge { modseq: ModSeq, uids: Vec<Uid> },
    /// Every message below this UID has been claimed as recent.
    Claim { first_unclaimed: Uid },
}

/// The header line of a journal.
pub(crate) fn header(validity: UidValidity) -> String {
    format!("{MAGIC} V{validity}\n")
}

/// The UIDVALIDITY of a journal's header line.
pub(crate) fn parse_header(line: &str) -> Option<UidValidity> {
    let v = line.strip_prefix(MAGIC)?.strip_prefix(" V")?;
    UidValidity::new(v.parse().ok()?)
}

impl Record {
    /// Parses one line, without its `\n`.
    pub(crate) fn parse(line: &str) -> Result<Self, String> {
        let bad = || format!("bad journal line {line:?}");
        let (tag, rest) = line.split_once(' ').ok_or_else(bad)?;
        let mut words = rest.splitn(6, ' ');
        let mut next = || words.next().ok_or_else(bad);
        let uid = |s: &str| s.parse().ok().and_then(Uid::new).ok_or_else(bad);
        let modseq = |s: &str| s.parse().ok().and_then(ModSeq::new).ok_or_else(bad);
        let info = |s: &str| {
            if s == "-" {
                String::new()
            } else {
                s.to_owned()
            }
        };
        Ok(match tag {
            "H" => Self::State {
                uid_next: uid(next()?)?,
                highest_modseq: modseq(next()?)?,
                first_unclaimed: uid(next()?)?,
            },
            "K" => {
                let index = next()?.parse().map_err(|_| bad())?;
                let keyword =
                    Keyword::new(rest.split_once(' ').ok_or_else(bad)?.1).map_err(|_| bad())?;
                Self::Keyword { index, keyword }
            }
            "A" => Self::Append {
                uid: uid(next()?)?,
                modseq: modseq(next()?)?,
                date: parse_date(next()?).ok_or_else(bad)?,
                size: next()?.parse().map_err(|_| bad())?,
                info: info(next()?),
                base: next()?.to_owned(),
            },
            "F" => Self::Flags {
                uid: uid(next()?)?,
                modseq: modseq(next()?)?,
                info: info(next()?),
            },
            "X" => {
                let mut parts = rest.split(' ');
                let m = modseq(parts.next().ok_or_else(bad)?)?;
                let uids = parts.map(uid).collect::<Result<Vec<_>, _>>()?;
                Self::Expunge { modseq: m, uids }
            }
            "C" => Self::Claim {
                first_unclaimed: uid(next()?)?,
            },
            _ => return Err(bad()),
        })
    }
}

/// Writes the record as one line, with its `\n`.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = |s: &str| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.to_owned()
            }
        };
        match self {
            Self::State {
                uid_next,
                highest_modseq,
                first_unclaimed,
            } => {
                writeln!(f, "H {uid_next} {highest_modseq} {first_unclaimed}")
            }
            Self::Keyword { index, keyword } => writeln!(f, "K {index} {keyword}"),
            Self::Append {
                uid,
                modseq,
                date,
                size,
                info: i,
                base,
            } => {
                writeln!(
                    f,
                    "A {uid} {modseq} {} {size} {} {base}",
                    format_date(*date),
                    info(i)
                )
            }
            Self::Flags {
                uid,
                modseq,
                info: i,
            } => writeln!(f, "F {uid} {modseq} {}", info(i)),
            Self::Expunge { modseq, uids } => {
                let mut line = format!("X {modseq}");
                for uid in uids {
                    let _ = write!(line, " {uid}");
                }
                writeln!(f, "{line}")
            }
            Self::Claim { first_unclaimed } => writeln!(f, "C {first_unclaimed}"),
        }
    }
}

/// `1700000000+0100`: Unix seconds, then the zone as `±HHMM`.
fn format_date(d: InternalDate) -> String {
    let off = d.offset_minutes();
    let sign = if off < 0 { '-' } else { '+' };
    let abs = off.unsigned_abs();
    format!("{}{sign}{:02}{:02}", d.unix_timestamp(), abs / 60, abs % 60)
}

fn parse_date(s: &str) -> Option<InternalDate> {
    let split = s.len().checked_sub(5)?;
    let (unix, zone) = (s.get(..split)?, s.get(split..)?);
    let sign = match zone.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i16 = zone.get(1..3)?.parse().ok()?;
    let minutes: i16 = zone.get(3..5)?.parse().ok()?;
    InternalDate::new(unix.parse().ok()?, sign * (hours * 60 + minutes)).ok()
}

/// Splits journal bytes into complete lines; returns them and the length of
/// the complete part (a torn last line is not included).
pub(crate) fn complete_lines(bytes: &[u8]) -> (Vec<&[u8]>, usize) {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let lines = bytes[..end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    (lines, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid(n: u32) -> Uid {
        Uid::new(n).expect("uid")
    }

    fn modseq(n: u64) -> ModSeq {
        ModSeq::new(n).expect("modseq")
    }

    #[test]
    fn records_round_trip_byte_for_byte() {
        let date = InternalDate::new(837_596_665, -420).expect("date");
        let cases = [
            (
                Record::State {
                    uid_next: uid(8),
                    highest_modseq: modseq(31),
                    first_unclaimed: uid(5),
                },
                "H 8 31 5\n",
            ),
            (
                Record::Keyword {
                    index: 1,
                    keyword: Keyword::new("$Junk").expect("kw"),
                },
                "K 1 $Junk\n",
            ),
            (
                Record::Append {
                    uid: uid(7),
                    modseq: modseq(30),
                    date,
                    size: 3421,
                    info: "FS".into(),
                    base: "1700000000.M1P2Q3.host name,S=3421".into(),
                },
                "A 7 30 837596665-0700 3421 FS 1700000000.M1P2Q3.host name,S=3421\n",
            ),
            (
                Record::Flags {
                    uid: uid(7),
                    modseq: modseq(31),
                    info: String::new(),
                },
                "F 7 31 -\n",
            ),
            (
                Record::Expunge {
                    modseq: modseq(32),
                    uids: vec![uid(2), uid(7)],
                },
                "X 32 2 7\n",
            ),
            (
                Record::Claim {
                    first_unclaimed: uid(8),
                },
                "C 8\n",
            ),
        ];
        for (record, line) in cases {
            assert_eq!(record.to_string(), line);
            assert_eq!(Record::parse(line.trim_end_matches('\n')), Ok(record));
        }
    }

    #[test]
    fn rejects_damage() {
        for bad in [
            "",
            "A",
            "A 0 1 0+0000 1 - b",
            "F 3 x -",
            "X 0 1",
            "Z 1",
            "A 1 1 17+000 1 - b",
            "H 1 2",
        ] {
            assert!(Record::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn header_and_torn_lines() {
        let v = UidValidity::new(1_700_000_000).expect("v");
        assert_eq!(parse_header(header(v).trim_end()), Some(v));
        assert_eq!(parse_header("mail-proto-index 2 V1"), None);
        let (lines, end) = complete_lines(b"C 1\nC 2\nA 3 4 5");
        assert_eq!(lines, [&b"C 1"[..], b"C 2"]);
        assert_eq!(end, 8);
        assert_eq!(complete_lines(b"partial").1, 0);
    }
}
