//! Sequence sets against the view: which messages a set names (RFC 9051
//! §9 `sequence-set`, §6.4.9 for UIDs), and sets made of UIDs for
//! COPYUID, APPENDUID and VANISHED.

use imap_proto::types::{SeqNumber, Sequence, SequenceSet};
use mailbox_traits::{MessageMeta, Uid};

/// A message set names a number no message has (RFC 9051 §9: "a number
/// ... that does not exist is an error"): Dovecot's `BAD Error in IMAP
/// command ...: Invalid messageset`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct InvalidSet;

/// The indexes (message number - 1) a message-number set names, ascending,
/// each once. `*` is the last message; a set with `*` in an empty mailbox
/// names nothing (`1:*` is not an error), but a plain number past the last
/// message is.
pub(super) fn by_number(set: &SequenceSet, count: usize) -> Result<Vec<usize>, InvalidSet> {
    let SequenceSet::Set(elements) = set else {
        return Ok(Vec::new());
    };
    let last = u32::try_from(count).unwrap_or(u32::MAX);
    let mut ranges = Vec::with_capacity(elements.len());
    for e in elements {
        let (a, b) = ends(*e, last);
        let explicit_max = match *e {
            Sequence::Single(SeqNumber::Value(n)) => n,
            Sequence::Range(SeqNumber::Value(x), SeqNumber::Value(y)) => x.max(y),
            _ => 0,
        };
        if explicit_max > last {
            return Err(InvalidSet);
        }
        if a == 0 {
            continue;
        }
        ranges.push((a, b.min(last)));
    }
    Ok(expand(ranges))
}

/// The indexes of the messages whose UIDs a UID set names, ascending.
/// `*` is the largest UID in the view; UIDs that match no message are no
/// error (RFC 9051 §6.4.9).
pub(super) fn by_uid(set: &SequenceSet, messages: &[MessageMeta]) -> Vec<usize> {
    let SequenceSet::Set(elements) = set else {
        return Vec::new();
    };
    let Some(last) = messages.last().map(|m| m.uid.get()) else {
        return Vec::new();
    };
    let mut ranges = Vec::with_capacity(elements.len());
    for e in elements {
        let (a, b) = ends(*e, last);
        let start = messages.partition_point(|m| m.uid.get() < a);
        let end = messages.partition_point(|m| m.uid.get() <= b);
        if start < end {
            // As numbers from 1, for `expand`.
            ranges.push((start as u32 + 1, end as u32));
        }
    }
    expand(ranges)
}

/// The indexes of `uids` (ascending or not) that the view numbers.
pub(super) fn of_uids(uids: &[Uid], messages: &[MessageMeta]) -> Vec<usize> {
    let mut v: Vec<usize> = uids
        .iter()
        .filter_map(|u| messages.binary_search_by_key(u, |m| m.uid).ok())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A set of `uids` as ranges of consecutive UIDs, in the order given:
/// `3:5,9`. Not sorted, so COPYUID's source and destination sets pair up
/// one for one (RFC 4315 §3). `None` for no UIDs.
pub(super) fn uid_set(uids: &[Uid]) -> Option<SequenceSet> {
    ranges_set(runs(uids.iter().map(|u| u.get())))
}

/// The UIDs at most `max` that `set` names and no message in `present`
/// (ascending) has, as ranges: what VANISHED (EARLIER) reports (RFC 7162
/// §3.2.5.1, §3.2.6). Without a history of expunges this includes UIDs
/// that were never used, which RFC 7162 §5.1 allows a server that keeps
/// no such state.
pub(super) fn missing(set: &SequenceSet, present: &[MessageMeta], max: u32) -> Vec<(u32, u32)> {
    let SequenceSet::Set(elements) = set else {
        return Vec::new();
    };
    let mut wanted: Vec<(u32, u32)> = elements
        .iter()
        .map(|e| ends(*e, max))
        .filter(|&(a, b)| a > 0 && a <= max && a <= b)
        .map(|(a, b)| (a, b.min(max)))
        .collect();
    wanted.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (a, b) in merge(wanted) {
        let mut next = a;
        let start = present.partition_point(|m| m.uid.get() < a);
        for m in &present[start..] {
            let u = m.uid.get();
            if u > b {
                break;
            }
            if u > next {
                out.push((next, u - 1));
            }
            next = u + 1;
        }
        if next <= b {
            out.push((next, b));
        }
    }
    out
}

/// A set of ranges `(first, last)`; `None` for none.
pub(super) fn ranges_set(ranges: Vec<(u32, u32)>) -> Option<SequenceSet> {
    let v: Vec<Sequence> = ranges
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                Sequence::Single(SeqNumber::Value(a))
            } else {
                Sequence::Range(SeqNumber::Value(a), SeqNumber::Value(b))
            }
        })
        .collect();
    SequenceSet::new(v).ok()
}

/// Consecutive runs of the numbers as they come.
pub(super) fn runs(numbers: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for n in numbers {
        match out.last_mut() {
            Some((_, b)) if b.checked_add(1) == Some(n) => *b = n,
            _ => out.push((n, n)),
        }
    }
    out
}

/// The two ends of an element, low first, `*` as `last`.
fn ends(e: Sequence, last: u32) -> (u32, u32) {
    match e {
        Sequence::Single(n) => {
            let n = n.resolve(last);
            (n, n)
        }
        Sequence::Range(a, b) => {
            let (a, b) = (a.resolve(last), b.resolve(last));
            (a.min(b), a.max(b))
        }
    }
}

/// Sorted, merged ranges.
fn merge(ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some((_, end)) if a <= end.saturating_add(1) => *end = (*end).max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Ranges of numbers from 1 as ascending indexes.
fn expand(mut ranges: Vec<(u32, u32)>) -> Vec<usize> {
    ranges.sort_unstable();
    let merged = merge(ranges);
    let total: usize = merged.iter().map(|&(a, b)| (b - a + 1) as usize).sum();
    let mut out = Vec::with_capacity(total);
    for (a, b) in merged {
        out.extend((a as usize - 1)..(b as usize));
    }
    out
}

#[cfg(test)]
mod tests {
    use mailbox_traits::{Flags, InternalDate, ModSeq};

    use super::*;

    fn set(elements: &[(u32, u32)]) -> SequenceSet {
        ranges_set(elements.to_vec()).unwrap()
    }

    fn metas(uids: &[u32]) -> Vec<MessageMeta> {
        uids.iter()
            .map(|&u| MessageMeta {
                uid: Uid::new(u).unwrap(),
                flags: Flags::new(),
                size: 1,
                internal_date: InternalDate::from_unix(0).unwrap(),
                modseq: ModSeq::MIN,
                recent: false,
            })
            .collect()
    }

    #[test]
    fn numbers_star_and_reversed_ranges() {
        // RFC 9051 §9: `2,4:7,9,12:*` in a mailbox of 15.
        let s = SequenceSet::new(vec![
            Sequence::Single(SeqNumber::Value(2)),
            Sequence::Range(SeqNumber::Value(4), SeqNumber::Value(7)),
            Sequence::Single(SeqNumber::Value(9)),
            Sequence::Range(SeqNumber::Value(12), SeqNumber::Last),
        ])
        .unwrap();
        let got: Vec<usize> = by_number(&s, 15).unwrap().iter().map(|i| i + 1).collect();
        assert_eq!(got, [2, 4, 5, 6, 7, 9, 12, 13, 14, 15]);
        // `*:4` is `4:*`; overlaps are named once.
        let s = SequenceSet::new(vec![
            Sequence::Range(SeqNumber::Last, SeqNumber::Value(4)),
            Sequence::Single(SeqNumber::Value(5)),
        ])
        .unwrap();
        assert_eq!(by_number(&s, 6).unwrap(), [3, 4, 5]);
        assert_eq!(by_number(&set(&[(7, 7)]), 6), Err(InvalidSet));
        assert_eq!(
            by_number(&SequenceSet::all(), 0).unwrap(),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn uids_skip_gaps_and_star_is_the_last() {
        let m = metas(&[3, 7, 8, 20]);
        assert_eq!(by_uid(&set(&[(1, 7)]), &m), [0, 1]);
        // RFC 9051 §6.4.9: `UID FETCH 25:*` names the last message even
        // though 25 is past it.
        let s =
            SequenceSet::new(vec![Sequence::Range(SeqNumber::Value(25), SeqNumber::Last)]).unwrap();
        assert_eq!(by_uid(&s, &m), [3]);
        assert!(by_uid(&set(&[(9, 19)]), &m).is_empty());
        assert!(by_uid(&SequenceSet::all(), &[]).is_empty());
    }

    #[test]
    fn uid_sets_and_what_is_missing() {
        let uids: Vec<Uid> = [1, 2, 3, 5, 8, 9].map(|u| Uid::new(u).unwrap()).to_vec();
        assert_eq!(uid_set(&uids), Some(set(&[(1, 3), (5, 5), (8, 9)])));
        let order: Vec<Uid> = [9, 3, 4].map(|u| Uid::new(u).unwrap()).to_vec();
        assert_eq!(uid_set(&order), Some(set(&[(9, 9), (3, 4)])));
        let m = metas(&[2, 5, 6, 10]);
        assert_eq!(
            missing(&SequenceSet::all(), &m, 10),
            [(1, 1), (3, 4), (7, 9)]
        );
        assert_eq!(
            missing(&set(&[(4, 12)]), &m, 11),
            [(4, 4), (7, 9), (11, 11)]
        );
    }
}
