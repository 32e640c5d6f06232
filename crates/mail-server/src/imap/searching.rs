//! SEARCH and UID SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4): the engine
//! ([`super::search`]) decides each message, from its metadata where it
//! can; the session reads from the store only the messages the engine asks
//! for. The answer is `* SEARCH` in IMAP4rev1 without RETURN (with RFC 7162
//! §3.1.5's `(MODSEQ n)`), else `* ESEARCH` (RFC 4731, and always in
//! IMAP4rev2); `RETURN (SAVE)` keeps the result for `$` (RFC 5182).

use std::time::{SystemTime, UNIX_EPOCH};

use imap_proto::server::{Completion, Server};
use imap_proto::types::{AString, AtomExt, Code, Data, SearchKey, SearchReturn, Tag};
use mailbox_traits::{Authenticator, MailStore, Mailbox};
use tracing::debug;

use super::search::{CHARSETS, Query, SearchError, View};
use super::session::{Session, log_refusal};

/// A SEARCH, as the client asked.
pub(super) struct Request<'r> {
    pub(super) uid: bool,
    pub(super) returns: Option<&'r [SearchReturn]>,
    pub(super) charset: Option<&'r AString<'static>>,
    pub(super) criteria: &'r [SearchKey<'static>],
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// SEARCH or UID SEARCH.
    pub(super) async fn search(&mut self, m: &mut Server, tag: &Tag<'_>, r: Request<'_>) {
        let rev2 = m.mode().rev2();
        let Some(sel) = &mut self.selected else {
            return;
        };
        let saves = r.returns.is_some_and(|v| v.contains(&SearchReturn::Save));
        let query = match Query::new(r.criteria, r.charset) {
            Ok(q) => q,
            Err(SearchError::BadCharset) => {
                if saves {
                    // RFC 9051 §6.4.4.1: a failed SEARCH (SAVE) empties `$`.
                    sel.saved.clear();
                }
                let charsets = CHARSETS
                    .iter()
                    .filter_map(|c| AtomExt::new(*c).ok().map(AString::Atom))
                    .collect();
                let c =
                    Completion::no("Unsupported charset.").with_code(Code::BadCharset(charsets));
                return log_refusal(m.complete(tag, c));
            }
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let view = View {
            messages: &sel.view.messages,
            saved: &sel.saved,
            now,
        };
        let mut run = query.run(&view);
        debug!(reads_messages = query.reads_messages(), "SEARCH");
        while let Some(uid) = run.next_needed() {
            match sel.mailbox.read(uid).await {
                Ok(raw) => run.supply(&raw),
                // Expunged meanwhile: it does not match.
                Err(_) => run.skip(),
            }
        }
        let found = run.finish();
        let modseq = has_modseq(r.criteria);
        let data = match r.returns {
            None if !rev2 => Some(Data::Search {
                ids: found.ids(&view, r.uid),
                modseq: if modseq {
                    found.highest_modseq(&view)
                } else {
                    None
                },
            }),
            None => Some(esearch(
                tag,
                r.uid,
                found.esearch(&view, r.uid, &[], modseq),
            )),
            Some(returns) => {
                // SAVE alone answers nothing (RFC 9051 §6.4.4).
                let only_save =
                    !returns.is_empty() && returns.iter().all(|r| *r == SearchReturn::Save);
                (!only_save)
                    .then(|| esearch(tag, r.uid, found.esearch(&view, r.uid, returns, modseq)))
            }
        };
        let saved = saves.then(|| found.saved(&view, r.returns.unwrap_or_default()));
        if let Some(data) = data {
            log_refusal(m.data(tag, &data));
        }
        if let Some(saved) = saved {
            sel.saved = saved;
        }
        let name = if r.uid { "UID SEARCH" } else { "SEARCH" };
        self.finish(m, tag, Completion::ok(format!("{name} completed")))
            .await;
    }
}

/// `* ESEARCH (TAG "tag") [UID] items` (RFC 4731 §3.2).
fn esearch(
    tag: &Tag<'_>,
    uid: bool,
    items: Vec<imap_proto::types::ESearchItem<'static>>,
) -> Data<'static> {
    Data::ESearch {
        tag: Some(imap_proto::types::IntoStatic::into_static(tag.clone())),
        uid,
        items,
    }
}

/// Whether the program has a MODSEQ key anywhere: the answer then carries
/// the highest mod-sequence of the matches (RFC 7162 §3.1.5). A loop, not
/// recursion, so deep programs cost no stack.
fn has_modseq(keys: &[SearchKey<'_>]) -> bool {
    let mut stack: Vec<&SearchKey<'_>> = keys.iter().collect();
    while let Some(key) = stack.pop() {
        match key {
            SearchKey::ModSeq { .. } => return true,
            SearchKey::Not(k) => stack.push(k),
            SearchKey::Or(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            SearchKey::And(v) => stack.extend(v),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modseq_keys_are_found_at_any_depth() {
        let deep = SearchKey::Not(Box::new(SearchKey::Or(
            Box::new(SearchKey::Seen),
            Box::new(SearchKey::And(vec![SearchKey::ModSeq {
                entry: None,
                modseq: 7,
            }])),
        )));
        assert!(has_modseq(&[SearchKey::All, deep]));
        assert!(!has_modseq(&[
            SearchKey::Seen,
            SearchKey::Not(Box::new(SearchKey::All))
        ]));
    }
}
