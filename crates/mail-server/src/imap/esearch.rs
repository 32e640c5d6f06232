//! What a SEARCH found, and the data of its answer: the `SEARCH` numbers
//! (RFC 3501 §7.2.5), ESEARCH's MIN, MAX, ALL, COUNT and MODSEQ (RFC 4731
//! §3.1, RFC 9051 §6.4.4, RFC 7162 §3.1.5), and what SAVE keeps for `$`
//! (RFC 5182, RFC 9051 §6.4.4.1).

use imap_proto::types::{ESearchItem, SearchReturn, SeqNumber, Sequence, SequenceSet};
use mailbox_traits::Uid;

use super::search::View;

/// The messages that matched, as indexes into [`View::messages`],
/// ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) indexes: Vec<usize>,
}

impl Found {
    /// The matches with their metadata (indexes past the view, from
    /// another view, are left out).
    fn metas<'v>(
        &'v self,
        view: &View<'v>,
    ) -> impl Iterator<Item = (usize, &'v mailbox_traits::MessageMeta)> + 'v {
        let messages = view.messages;
        self.indexes
            .iter()
            .filter_map(move |&i| Some((i, messages.get(i)?)))
    }

    /// The sequence numbers, or the UIDs (UID SEARCH), ascending: the
    /// `SEARCH` response (RFC 3501 §7.2.5).
    pub(crate) fn ids(&self, view: &View<'_>, uid: bool) -> Vec<u32> {
        self.metas(view)
            .map(|(i, m)| if uid { m.uid.get() } else { i as u32 + 1 })
            .collect()
    }

    /// The highest mod-sequence of the matches, for `SEARCH ... (MODSEQ n)`
    /// and ESEARCH `MODSEQ` (RFC 7162 §3.1.5); `None` if nothing matched.
    pub(crate) fn highest_modseq(&self, view: &View<'_>) -> Option<u64> {
        self.metas(view).map(|(_, m)| m.modseq.get()).max()
    }

    /// The data of an ESEARCH response for the return options `returns`
    /// (RFC 4731 §3.1, RFC 9051 §6.4.4): MIN, MAX and ALL only when
    /// something matched, COUNT always; no option (or only SAVE, which
    /// then suppresses ALL) as RFC 9051 says. `modseq` adds the
    /// highest mod-sequence of the matches (RFC 7162 §3.1.5: when the
    /// search had a MODSEQ key and something matched).
    pub(crate) fn esearch(
        &self,
        view: &View<'_>,
        uid: bool,
        returns: &[SearchReturn],
        modseq: bool,
    ) -> Vec<ESearchItem<'static>> {
        let ids = self.ids(view, uid);
        let wants = |r: SearchReturn| returns.contains(&r);
        let all = returns.is_empty() || wants(SearchReturn::All);
        let mut out = Vec::new();
        if let (Some(&min), Some(&max)) = (ids.first(), ids.last()) {
            if wants(SearchReturn::Min) {
                out.push(ESearchItem::Min(min));
            }
            if wants(SearchReturn::Max) {
                out.push(ESearchItem::Max(max));
            }
            if all && let Some(set) = sequence_set(&ids) {
                out.push(ESearchItem::All(set));
            }
        }
        if wants(SearchReturn::Count) {
            out.push(ESearchItem::Count(ids.len() as u32));
        }
        if modseq && let Some(m) = self.highest_modseq(view) {
            out.push(ESearchItem::ModSeq(m));
        }
        out
    }

    /// What `RETURN (... SAVE)` keeps for `$`, as UIDs (RFC 5182 §2.1, RFC
    /// 9051 §6.4.4.1): the MIN and/or MAX match when those are asked
    /// without ALL or COUNT, else every match.
    pub(crate) fn saved(&self, view: &View<'_>, returns: &[SearchReturn]) -> Vec<Uid> {
        let wants = |r: SearchReturn| returns.contains(&r);
        let uids = self.metas(view).map(|(_, m)| m.uid);
        let only_ends = (wants(SearchReturn::Min) || wants(SearchReturn::Max))
            && !wants(SearchReturn::All)
            && !wants(SearchReturn::Count);
        if !only_ends {
            return uids.collect();
        }
        let mut v = Vec::new();
        let all: Vec<Uid> = uids.collect();
        if let (Some(&first), Some(&last)) = (all.first(), all.last()) {
            if wants(SearchReturn::Min) {
                v.push(first);
            }
            if wants(SearchReturn::Max) && (v.last() != Some(&last)) {
                v.push(last);
            }
        }
        v
    }
}

/// Ascending numbers as a sequence set of ranges: `2,10:15,21`.
pub(crate) fn sequence_set(ids: &[u32]) -> Option<SequenceSet> {
    let mut v: Vec<Sequence> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = start;
        while i + 1 < ids.len() && ids[i + 1] == end.wrapping_add(1) {
            i += 1;
            end = ids[i];
        }
        v.push(if start == end {
            Sequence::Single(SeqNumber::Value(start))
        } else {
            Sequence::Range(SeqNumber::Value(start), SeqNumber::Value(end))
        });
        i += 1;
    }
    SequenceSet::new(v).ok()
}
