//! Message file names: `<unique base>[:2,<info letters>]` (the Maildir spec,
//! cr.yp.to/proto/maildir.html, with Dovecot's `,S=<size>` in the base).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mailbox_traits::{Flag, Flags, Keyword, StoreError};

/// The separator between a file's unique base and its info.
const INFO: &str = ":2,";

/// A message file name split into its unique base and its info letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileName<'a> {
    /// Everything before `:2,`: unique and never changed by a rename.
    pub(crate) base: &'a str,
    /// The flag letters after `:2,`, empty without them.
    pub(crate) info: &'a str,
}

impl<'a> FileName<'a> {
    /// Splits a directory entry's name. Names with an info of another
    /// version than 2 keep it in the base, as the spec asks.
    pub(crate) fn parse(name: &'a str) -> Self {
        match name.rfind(INFO) {
            Some(at) => Self {
                base: &name[..at],
                info: &name[at + INFO.len()..],
            },
            None => Self {
                base: name,
                info: "",
            },
        }
    }
}

/// The full file name of `base` with `info` letters (none: no `:2,` part,
/// as in `new/`).
pub(crate) fn with_info(base: &str, info: &str) -> String {
    format!("{base}{INFO}{info}")
}

/// A base no other delivery on any host will produce:
/// `<seconds>.M<microseconds>P<pid>Q<counter>.<host>,S=<size>`.
pub(crate) fn unique_base(host: &str, size: u64) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let q = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{q}.{},S={size}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        sanitize_host(host)
    )
}

/// The Maildir spec's escaping of `/` and `:` in the host part.
fn sanitize_host(host: &str) -> String {
    host.replace('/', "\\057").replace(':', "\\072")
}

/// The system flags' info letters, in ASCII order (the spec's order).
const SYSTEM: [(char, Flag); 5] = [
    ('D', Flag::Draft),
    ('F', Flag::Flagged),
    ('R', Flag::Answered),
    ('S', Flag::Seen),
    ('T', Flag::Deleted),
];

/// The keywords of one folder, named by the letters `a` to `z` in file
/// names, as Dovecot's `dovecot-keywords` file maps them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeywordTable {
    names: Vec<Keyword>,
}

impl KeywordTable {
    /// Maildir has 26 letters for keywords.
    pub(crate) const MAX: usize = 26;

    /// Defines keyword `index`, as a journal or `dovecot-keywords` says.
    pub(crate) fn define(&mut self, index: usize, keyword: Keyword) -> Result<(), String> {
        if index >= Self::MAX || index != self.names.len() {
            return Err(format!("keyword index {index} out of order"));
        }
        self.names.push(keyword);
        Ok(())
    }

    /// The keywords in letter order.
    pub(crate) fn names(&self) -> &[Keyword] {
        &self.names
    }

    /// The keywords of `flags` this table does not know yet.
    pub(crate) fn missing<'f>(&self, flags: &'f Flags) -> impl Iterator<Item = &'f Keyword> {
        flags.keywords().iter().filter(|k| !self.names.contains(k))
    }

    /// Adds a keyword, giving it the next letter.
    pub(crate) fn add(&mut self, keyword: Keyword) -> Result<usize, StoreError> {
        if self.names.len() >= Self::MAX {
            return Err(StoreError::Limit(
                "a Maildir folder holds at most 26 keywords",
            ));
        }
        self.names.push(keyword);
        Ok(self.names.len() - 1)
    }

    /// The info letters of `flags`: system flags then keywords, ASCII order.
    /// Every keyword must be in the table.
    pub(crate) fn info(&self, flags: &Flags) -> String {
        let mut info: String = SYSTEM
            .iter()
            .filter(|(_, f)| flags.contains(f))
            .map(|(c, _)| *c)
            .collect();
        let mut letters: Vec<char> = flags
            .keywords()
            .iter()
            .filter_map(|k| self.names.iter().position(|n| n == k))
            .map(|i| char::from(b'a' + i as u8))
            .collect();
        letters.sort_unstable();
        info.extend(letters);
        info
    }

    /// The flags an info string names. Letters this table does not know
    /// (`P`, an undefined keyword) are ignored.
    pub(crate) fn flags(&self, info: &str) -> Flags {
        let mut flags = Flags::new();
        for c in info.chars() {
            if let Some((_, f)) = SYSTEM.iter().find(|(l, _)| *l == c) {
                flags.insert(f.clone());
            } else if c.is_ascii_lowercase()
                && let Some(k) = self.names.get(usize::from(c as u8 - b'a'))
            {
                flags.insert(Flag::Keyword(k.clone()));
            }
        }
        flags
    }
}

/// The letters of `info` that no flag of ours stands for, kept across a
/// rename so another program's marks (`P`, passed) survive.
pub(crate) fn foreign_letters(info: &str, table: &KeywordTable) -> String {
    info.chars()
        .filter(|c| {
            let ours = SYSTEM.iter().any(|(l, _)| l == c)
                || (c.is_ascii_lowercase() && usize::from(*c as u8 - b'a') < table.names.len());
            c.is_ascii_alphabetic() && !ours
        })
        .collect()
}

/// `ours` and `foreign` letters merged into one ASCII-ordered info string.
pub(crate) fn merge_info(ours: &str, foreign: &str) -> String {
    let mut all: Vec<char> = ours.chars().chain(foreign.chars()).collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(s: &str) -> Keyword {
        Keyword::new(s).expect("keyword")
    }

    #[test]
    fn parses_names() {
        let n = FileName::parse("1700000000.M5P7Q1.host,S=120:2,FS");
        assert_eq!((n.base, n.info), ("1700000000.M5P7Q1.host,S=120", "FS"));
        let n = FileName::parse("1700000000.M5P7Q1.host,S=120");
        assert_eq!((n.base, n.info), ("1700000000.M5P7Q1.host,S=120", ""));
        let n = FileName::parse("x:1,odd");
        assert_eq!((n.base, n.info), ("x:1,odd", ""));
        assert_eq!(with_info("b", "RS"), "b:2,RS");
    }

    #[test]
    fn unique_bases_differ_and_escape_the_host() {
        let a = unique_base("mail/ex:ample", 10);
        let b = unique_base("mail/ex:ample", 10);
        assert_ne!(a, b);
        assert!(a.ends_with(".mail\\057ex\\072ample,S=10"), "{a}");
        assert!(!a.contains(':'));
    }

    #[test]
    fn info_letters_round_trip() {
        let mut t = KeywordTable::default();
        t.add(kw("$Forwarded")).expect("room");
        t.add(kw("Work")).expect("room");
        let flags = Flags::from([
            Flag::Seen,
            Flag::Draft,
            Flag::Deleted,
            Flag::Keyword(kw("work")),
        ]);
        assert_eq!(t.info(&flags), "DSTb");
        assert_eq!(t.flags("DSTb"), flags);
        assert_eq!(t.flags("PRSz"), Flags::from([Flag::Answered, Flag::Seen]));
        assert_eq!(foreign_letters("PRSbz", &t), "Pz");
        assert_eq!(merge_info("RS", "P"), "PRS");
    }

    #[test]
    fn at_most_26_keywords() {
        let mut t = KeywordTable::default();
        for i in 0..26 {
            assert_eq!(t.add(kw(&format!("k{i}"))).expect("room"), i);
        }
        assert!(matches!(
            t.add(kw("one-too-many")),
            Err(StoreError::Limit(_))
        ));
        assert_eq!(t.info(&Flags::from([Flag::Keyword(kw("k25"))])), "z");
    }
}
