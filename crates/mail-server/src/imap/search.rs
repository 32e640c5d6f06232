//! SEARCH: which messages of a mailbox view match a program of search keys
//! (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 §3.1.5 MODSEQ, RFC 5182
//! `$`, RFC 5032 OLDER/YOUNGER), and the ESEARCH data of the result
//! (RFC 4731, RFC 9051 §7.3.4).
//!
//! A [`Query`] is compiled once per command: the strings are converted
//! from the command's CHARSET to UTF-8 and case-folded, and every
//! parenthesised list is ordered cheapest key first. [`Query::run`] then
//! decides each message from its [`MessageMeta`] alone wherever it can
//! (flags, sizes, dates, sets and mod-sequences): a list with a key that
//! fails there is decided without reading the message. The messages left
//! undecided are listed by [`Run::next_needed`]; the session reads each
//! one from the store and hands its bytes to [`Run::supply`]. A query of
//! flags, sizes, dates and sets reads no message at all.
//!
//! ```text
//! let query = Query::new(&criteria, charset.as_ref())?;   // NO [BADCHARSET]
//! let mut run = query.run(&view);
//! while let Some(uid) = run.next_needed() {
//!     match mailbox.read(uid).await { Ok(raw) => run.supply(&raw), Err(_) => run.skip() }
//! }
//! let found = run.finish();                              // found.ids(&view, uid)
//! ```
//!
//! The keys are matched as Dovecot 2.3 matches them, recorded in
//! `tests/dovecot_imap/transcript.bin` and replayed in `dovecot_tests.rs`
//! (see `search_text.rs` for the text keys). A deep program costs no
//! stack: it is walked with an explicit stack, not by recursion.

use imap_proto::types::{AString, SearchKey, SequenceSet};
use mailbox_traits::{Flag, Keyword, MessageMeta, Uid};

pub(crate) use super::esearch::Found;
use super::search_text::{Needle, TextKey, TextSource};

/// The charsets a search string may be in without conversion, for the
/// `BADCHARSET` response code (RFC 9051 §6.4.4: servers "MUST support
/// US-ASCII and UTF-8").
pub(crate) const CHARSETS: [&str; 2] = ["UTF-8", "US-ASCII"];

/// Why a SEARCH cannot run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SearchError {
    /// The CHARSET is not one this server can convert: answer
    /// `NO [BADCHARSET (UTF-8 US-ASCII)]` (RFC 9051 §6.4.4, "MUST return a
    /// tagged NO response (not a BAD)").
    #[error("unknown charset")]
    BadCharset,
}

/// The mailbox as the session sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    /// The messages in sequence-number order: message `n` is
    /// `messages[n - 1]` (RFC 9051 §2.3.1.2), so UIDs ascend.
    pub(crate) messages: &'a [MessageMeta],
    /// The result saved by the last `SEARCH RETURN (SAVE)`, as UIDs in
    /// ascending order: what `$` stands for (RFC 5182).
    pub(crate) saved: &'a [Uid],
    /// Now, in seconds since the Unix epoch, for OLDER and YOUNGER.
    pub(crate) now: i64,
}

/// How sure an evaluation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tri {
    No,
    Unknown,
    Yes,
}

/// A compiled search program.
#[derive(Clone, Debug)]
pub(crate) struct Query {
    nodes: Vec<Node>,
    root: usize,
    reads: bool,
}

#[derive(Clone, Debug)]
enum Node {
    Leaf(Leaf),
    /// All of them, cheapest first.
    And(Vec<usize>),
    /// Either, the cheaper first.
    Or(usize, usize),
    Not(usize),
}

#[derive(Clone, Debug)]
enum Leaf {
    All,
    /// A system flag set (`true`) or not.
    Flag(Flag, bool),
    /// A keyword set or not; a keyword that cannot exist is on no message.
    Keyword(Option<Keyword>, bool),
    New,
    Old,
    Recent,
    /// Internal date (`sent: false`) or Date: header, by calendar day.
    Date {
        sent: bool,
        cmp: DateCmp,
        day: (i32, u8, u8),
    },
    Larger(u64),
    Smaller(u64),
    Sequence(SequenceSet),
    Uid(SequenceSet),
    ModSeq(u64),
    Older(u32),
    Younger(u32),
    Text(TextKey, Needle),
}

#[derive(Clone, Copy, Debug)]
enum DateCmp {
    Before,
    On,
    Since,
}

impl Leaf {
    /// 0: metadata; 1: the header; 2: the whole message.
    fn cost(&self) -> u8 {
        match self {
            Self::Date { sent: true, .. } => 1,
            Self::Text(key, _) => key.cost(),
            _ => 0,
        }
    }
}

impl Query {
    /// Compiles the keys of a SEARCH (all must match) in `charset`
    /// (absent: UTF-8, RFC 9051 §6.4.4). Any charset `mail-parser` can
    /// decode is accepted, as Dovecot accepts any its iconv knows.
    pub(crate) fn new(
        criteria: &[SearchKey<'_>],
        charset: Option<&AString<'_>>,
    ) -> Result<Self, SearchError> {
        let decode = super::search_text::charset(charset.map(AString::as_bytes))
            .ok_or(SearchError::BadCharset)?;
        let mut q = Self {
            nodes: Vec::new(),
            root: 0,
            reads: false,
        };
        // Keys are compiled with an explicit stack of (key, parent slot).
        let root = q.push(Node::And(Vec::new()));
        let mut todo: Vec<(&SearchKey<'_>, usize)> =
            criteria.iter().rev().map(|k| (k, root)).collect();
        while let Some((key, parent)) = todo.pop() {
            let node = match key {
                SearchKey::And(keys) => {
                    let id = q.push(Node::And(Vec::new()));
                    todo.extend(keys.iter().rev().map(|k| (k, id)));
                    id
                }
                SearchKey::Or(a, b) => {
                    let id = q.push(Node::Or(usize::MAX, usize::MAX));
                    todo.push((b, id));
                    todo.push((a, id));
                    id
                }
                SearchKey::Not(k) => {
                    let id = q.push(Node::Not(usize::MAX));
                    todo.push((k, id));
                    id
                }
                key => {
                    let leaf = leaf(key, &decode);
                    q.reads |= leaf.cost() > 0;
                    q.push(Node::Leaf(leaf))
                }
            };
            q.attach(parent, node);
        }
        q.root = root;
        q.order();
        Ok(q)
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn attach(&mut self, parent: usize, child: usize) {
        match &mut self.nodes[parent] {
            Node::And(v) => v.push(child),
            Node::Or(a, b) => {
                if *a == usize::MAX {
                    *a = child;
                } else {
                    *b = child;
                }
            }
            Node::Not(a) => *a = child,
            Node::Leaf(_) => {}
        }
    }

    /// Puts the cheapest operand first in every list and OR. Children are
    /// always pushed after their parent, so one pass from the last node
    /// back sees every child's cost before its parent's.
    fn order(&mut self) {
        let mut cost = vec![0u8; self.nodes.len()];
        for id in (0..self.nodes.len()).rev() {
            cost[id] = match &mut self.nodes[id] {
                Node::Leaf(l) => l.cost(),
                Node::Not(a) => cost[*a],
                Node::Or(a, b) => {
                    if cost[*b] < cost[*a] {
                        std::mem::swap(a, b);
                    }
                    cost[*a].max(cost[*b])
                }
                Node::And(v) => {
                    v.sort_by_key(|&c| cost[c]);
                    v.iter().map(|&c| cost[c]).max().unwrap_or(0)
                }
            };
        }
    }

    /// Whether any key reads message bytes (headers or bodies); if not,
    /// [`run`](Self::run) decides every message from its metadata.
    pub(crate) fn reads_messages(&self) -> bool {
        self.reads
    }

    /// Evaluates the program on every message of `view` from metadata;
    /// the messages that need their bytes wait in the returned [`Run`].
    pub(crate) fn run<'q, 'v>(&'q self, view: &View<'v>) -> Run<'q, 'v> {
        let mut run = Run {
            query: self,
            view: *view,
            matched: Vec::new(),
            pending: Vec::new(),
            next: 0,
        };
        for (i, meta) in view.messages.iter().enumerate() {
            match self.eval(|leaf| cheap(leaf, i, meta, view)) {
                Tri::Yes => run.matched.push(i),
                Tri::Unknown => run.pending.push(i),
                Tri::No => {}
            }
        }
        run
    }

    /// Walks the program with an explicit stack, stopping a list at its
    /// first failure and an OR at its first success.
    fn eval(&self, mut leaf: impl FnMut(&Leaf) -> Tri) -> Tri {
        // (node, operands taken, result so far)
        let mut stack: Vec<(usize, usize, Tri)> = vec![(self.root, 0, Tri::Yes)];
        let mut ret: Option<Tri> = None;
        while let Some(top) = stack.last_mut() {
            let (id, taken, acc) = top;
            match &self.nodes[*id] {
                Node::Leaf(l) => {
                    ret = Some(leaf(l));
                    stack.pop();
                }
                Node::Not(a) => match ret.take() {
                    Some(r) => {
                        ret = Some(match r {
                            Tri::Yes => Tri::No,
                            Tri::No => Tri::Yes,
                            Tri::Unknown => Tri::Unknown,
                        });
                        stack.pop();
                    }
                    None => {
                        let a = *a;
                        stack.push((a, 0, Tri::Yes));
                    }
                },
                Node::And(children) => {
                    if let Some(r) = ret.take() {
                        *acc = match (*acc, r) {
                            (Tri::No, _) | (_, Tri::No) => Tri::No,
                            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                            _ => Tri::Yes,
                        };
                    }
                    if *acc == Tri::No || *taken == children.len() {
                        ret = Some(*acc);
                        stack.pop();
                    } else {
                        let c = children[*taken];
                        *taken += 1;
                        stack.push((c, 0, Tri::Yes));
                    }
                }
                Node::Or(a, b) => {
                    if let Some(r) = ret.take() {
                        *acc = match (*taken, *acc, r) {
                            (1, _, r) => r,
                            (_, Tri::Yes, _) | (_, _, Tri::Yes) => Tri::Yes,
                            (_, Tri::Unknown, _) | (_, _, Tri::Unknown) => Tri::Unknown,
                            _ => Tri::No,
                        };
                    }
                    if *acc == Tri::Yes && *taken > 0 || *taken == 2 {
                        ret = Some(*acc);
                        stack.pop();
                    } else {
                        let c = if *taken == 0 { *a } else { *b };
                        *taken += 1;
                        stack.push((c, 0, Tri::Yes));
                    }
                }
            }
        }
        ret.unwrap_or(Tri::No)
    }
}

/// A key that is not a list, OR or NOT.
fn leaf(key: &SearchKey<'_>, decode: &super::search_text::Decode) -> Leaf {
    use SearchKey as K;
    let day = |d: &imap_proto::types::Date| (i32::from(d.year()), d.month(), d.day());
    let needle = |s: &AString<'_>| Needle::new(decode(s.as_bytes()));
    let keyword = |a: &imap_proto::types::Atom<'_>| Keyword::new(a.as_str()).ok();
    match key {
        K::Answered => Leaf::Flag(Flag::Answered, true),
        K::Unanswered => Leaf::Flag(Flag::Answered, false),
        K::Deleted => Leaf::Flag(Flag::Deleted, true),
        K::Undeleted => Leaf::Flag(Flag::Deleted, false),
        K::Draft => Leaf::Flag(Flag::Draft, true),
        K::Undraft => Leaf::Flag(Flag::Draft, false),
        K::Flagged => Leaf::Flag(Flag::Flagged, true),
        K::Unflagged => Leaf::Flag(Flag::Flagged, false),
        K::Seen => Leaf::Flag(Flag::Seen, true),
        K::Unseen => Leaf::Flag(Flag::Seen, false),
        K::Keyword(a) => Leaf::Keyword(keyword(a), true),
        K::Unkeyword(a) => Leaf::Keyword(keyword(a), false),
        K::New => Leaf::New,
        K::Old => Leaf::Old,
        K::Recent => Leaf::Recent,
        K::Before(d) => Leaf::Date {
            sent: false,
            cmp: DateCmp::Before,
            day: day(d),
        },
        K::On(d) => Leaf::Date {
            sent: false,
            cmp: DateCmp::On,
            day: day(d),
        },
        K::Since(d) => Leaf::Date {
            sent: false,
            cmp: DateCmp::Since,
            day: day(d),
        },
        K::SentBefore(d) => Leaf::Date {
            sent: true,
            cmp: DateCmp::Before,
            day: day(d),
        },
        K::SentOn(d) => Leaf::Date {
            sent: true,
            cmp: DateCmp::On,
            day: day(d),
        },
        K::SentSince(d) => Leaf::Date {
            sent: true,
            cmp: DateCmp::Since,
            day: day(d),
        },
        K::Larger(n) => Leaf::Larger(*n),
        K::Smaller(n) => Leaf::Smaller(*n),
        K::SequenceSet(s) => Leaf::Sequence(s.clone()),
        K::Uid(s) => Leaf::Uid(s.clone()),
        // RFC 7162 §3.1.5; the metadata entry is ignored, as Dovecot does
        // for a store without per-flag mod-sequences.
        K::ModSeq { modseq, .. } => Leaf::ModSeq(*modseq),
        K::Older(n) => Leaf::Older(*n),
        K::Younger(n) => Leaf::Younger(*n),
        K::From(s) => Leaf::Text(TextKey::From, needle(s)),
        K::To(s) => Leaf::Text(TextKey::To, needle(s)),
        K::Cc(s) => Leaf::Text(TextKey::Cc, needle(s)),
        K::Bcc(s) => Leaf::Text(TextKey::Bcc, needle(s)),
        K::Subject(s) => Leaf::Text(TextKey::Subject, needle(s)),
        K::Header(name, s) => {
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            Leaf::Text(TextKey::Header(name), needle(s))
        }
        K::Body(s) => Leaf::Text(TextKey::Body, needle(s)),
        K::Text(s) => Leaf::Text(TextKey::Text, needle(s)),
        // ALL, and any key a later imap-proto adds (matched by all, as an
        // unknown key would be refused by the decoder before this).
        _ => Leaf::All,
    }
}

/// A key decided from metadata; `Unknown` for those that read the message.
fn cheap(leaf: &Leaf, index: usize, meta: &MessageMeta, view: &View<'_>) -> Tri {
    let yes = |b: bool| if b { Tri::Yes } else { Tri::No };
    let saved = |uid: Uid| view.saved.binary_search(&uid).is_ok();
    match leaf {
        Leaf::All => Tri::Yes,
        Leaf::Flag(f, set) => yes(meta.flags.contains(f) == *set),
        Leaf::Keyword(k, set) => yes(k
            .as_ref()
            .is_some_and(|k| meta.flags.contains(&Flag::Keyword(k.clone())))
            == *set),
        // RFC 3501 §6.4.4: NEW is "RECENT UNSEEN", OLD is "NOT RECENT".
        Leaf::New => yes(meta.recent && !meta.flags.is_seen()),
        Leaf::Old => yes(!meta.recent),
        Leaf::Recent => yes(meta.recent),
        Leaf::Date {
            sent: false,
            cmp,
            day,
        } => {
            // "disregarding time and timezone": the calendar day of the
            // internal date in its own zone (Dovecot: in the server's zone,
            // which is the zone it gives every internal date).
            let c = meta.internal_date.civil();
            yes(compare(*cmp, (c.year, c.month, c.day), *day))
        }
        Leaf::Larger(n) => yes(meta.size > *n),
        Leaf::Smaller(n) => yes(meta.size < *n),
        Leaf::Sequence(SequenceSet::Saved) | Leaf::Uid(SequenceSet::Saved) => yes(saved(meta.uid)),
        Leaf::Sequence(set) => {
            // Sequence numbers fit u32: a mailbox has at most u32::MAX UIDs.
            yes(set.contains(index as u32 + 1, view.messages.len() as u32))
        }
        Leaf::Uid(set) => {
            // `*` is the largest UID in the mailbox (RFC 9051 §9).
            let last = view.messages.last().map_or(0, |m| m.uid.get());
            yes(set.contains(meta.uid.get(), last))
        }
        Leaf::ModSeq(n) => yes(meta.modseq.get() >= *n),
        // RFC 5032 §3: the interval is counted back from now.
        Leaf::Older(n) => yes(meta.internal_date.unix_timestamp() <= view.now - i64::from(*n)),
        Leaf::Younger(n) => yes(meta.internal_date.unix_timestamp() > view.now - i64::from(*n)),
        Leaf::Date { sent: true, .. } | Leaf::Text(..) => Tri::Unknown,
    }
}

fn compare(cmp: DateCmp, day: (i32, u8, u8), key: (i32, u8, u8)) -> bool {
    match cmp {
        DateCmp::Before => day < key,
        DateCmp::On => day == key,
        DateCmp::Since => day >= key,
    }
}

/// A search under way: the messages decided, and those waiting for their
/// bytes.
#[derive(Debug)]
pub(crate) struct Run<'q, 'v> {
    query: &'q Query,
    view: View<'v>,
    matched: Vec<usize>,
    /// Indexes of undecided messages, ascending.
    pending: Vec<usize>,
    next: usize,
}

impl Run<'_, '_> {
    /// The UID of the next message whose bytes are needed, or `None` when
    /// every message is decided.
    pub(crate) fn next_needed(&self) -> Option<Uid> {
        let &i = self.pending.get(self.next)?;
        Some(self.view.messages[i].uid)
    }

    /// The bytes of the message [`next_needed`](Self::next_needed) named.
    pub(crate) fn supply(&mut self, raw: &bytes::Bytes) {
        let Some(&i) = self.pending.get(self.next) else {
            return;
        };
        self.next += 1;
        let meta = &self.view.messages[i];
        let view = self.view;
        let mut source = TextSource::new(raw);
        let result = self.query.eval(|leaf| match leaf {
            Leaf::Date {
                sent: true,
                cmp,
                day,
            } => {
                if compare(*cmp, source.sent_day(), *day) {
                    Tri::Yes
                } else {
                    Tri::No
                }
            }
            Leaf::Text(key, needle) => {
                if source.matches(key, needle) {
                    Tri::Yes
                } else {
                    Tri::No
                }
            }
            leaf => cheap(leaf, i, meta, &view),
        });
        if result == Tri::Yes {
            self.matched.push(i);
        }
    }

    /// The message [`next_needed`](Self::next_needed) named cannot be read
    /// (expunged meanwhile): it does not match.
    pub(crate) fn skip(&mut self) {
        self.next += 1;
    }

    /// The result; messages never supplied do not match.
    pub(crate) fn finish(mut self) -> Found {
        self.matched.sort_unstable();
        Found {
            indexes: self.matched,
        }
    }
}
