//! Local delivery: handing an SMTP transaction's message to local users.

use std::future::Future;

use bytes::Bytes;

use crate::{
    Account, Appended, Flags, InternalDate, MailStore, Mailbox, MailboxName, StoreError, UserId,
};

/// Delivers messages that arrived over SMTP or LMTP to local users' INBOXes.
///
/// The SMTP server asks [`resolve_recipient`](Self::resolve_recipient) at
/// `RCPT TO` time and calls [`deliver`](Self::deliver) once the body is in.
/// It replies `250` only when `deliver` returns `Ok` with success for every
/// recipient (RFC 5321 §4.1.1.4 and §6.1: once the server accepts
/// responsibility for a message, it must not lose it).
pub trait LocalDelivery: Send + Sync + 'static {
    /// The local user an address (`local@domain`, as given in `RCPT TO`)
    /// delivers to, or `None` if there is none. Domain policy (which domains
    /// are local, relaying) is the server's; this only maps names to users.
    fn resolve_recipient(
        &self,
        address: &str,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send;

    /// Delivers one message to each of `recipients`, with `received` as its
    /// internal date. The result has one entry per recipient, in order; an
    /// `Ok` entry means the message is durable in that user's INBOX.
    fn deliver(
        &self,
        message: Bytes,
        recipients: &[UserId],
        received: InternalDate,
    ) -> impl Future<Output = Result<Vec<Result<Appended, StoreError>>, StoreError>> + Send;
}

/// Delivers by appending to each recipient's INBOX through a [`MailStore`]: the
/// [`LocalDelivery::deliver`] of a store whose append is already durable.
/// A recipient named twice gets the message twice; the server removes
/// duplicates from an envelope before it asks.
pub async fn deliver_to_inboxes<S: MailStore>(
    store: &S,
    message: Bytes,
    recipients: &[UserId],
    received: InternalDate,
) -> Vec<Result<Appended, StoreError>> {
    let inbox = MailboxName::inbox();
    let mut results = Vec::with_capacity(recipients.len());
    for user in recipients {
        let result = async {
            let account = store.account(user).await?;
            let mailbox = account.open_mailbox(&inbox).await?;
            mailbox
                .append(message.clone(), &Flags::new(), received)
                .await
        };
        results.push(result.await);
    }
    results
}
