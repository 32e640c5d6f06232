//! The maildrop lock: one POP3 session per user at a time (RFC 1939 §8).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use mailbox_traits::UserId;

/// The users whose maildrop a POP3 session of this server holds.
///
/// RFC 1939 §8: "the POP3 server ... acquires an exclusive-access lock on
/// the maildrop", and a second session is refused with `-ERR [IN-USE]`
/// (RFC 2449 §8.1.2). The lock lives in the server, not in the store: IMAP
/// sessions and deliveries go on while a POP3 client downloads.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pop3Locks {
    held: Arc<Mutex<HashSet<UserId>>>,
}

impl Pop3Locks {
    /// Takes `user`'s lock, or `None` if another session holds it.
    pub(crate) fn try_lock(&self, user: &UserId) -> Option<Pop3Lock> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.insert(user.clone()).then(|| Pop3Lock {
            locks: self.clone(),
            user: user.clone(),
        })
    }
}

/// A held maildrop lock; dropping it (the session ended, however) frees it.
#[derive(Debug)]
pub(crate) struct Pop3Lock {
    locks: Pop3Locks,
    user: UserId,
}

impl Drop for Pop3Lock {
    fn drop(&mut self) {
        let mut held = self
            .locks
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        held.remove(&self.user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_per_user_until_dropped() {
        let locks = Pop3Locks::default();
        let alice = UserId::new("alice");
        let first = locks.try_lock(&alice).unwrap();
        assert!(locks.try_lock(&alice).is_none());
        let bob = locks.try_lock(&UserId::new("bob")).unwrap();
        drop(first);
        let again = locks.try_lock(&alice);
        assert!(again.is_some());
        drop(bob);
        assert!(locks.try_lock(&UserId::new("bob")).is_some());
    }
}
