//! Serving POP3 for an application's own users from its own store.
//!
//! ```text
//! cargo run --example embed-pop3 [ADDR]        (default 127.0.0.1:2110)
//! curl --user carol:app-token-123 pop3://127.0.0.1:2110/1
//! ```
//!
//! The application here keeps its users in its own table (with API
//! tokens as their POP3 passwords) and its messages in a `MemoryStore`;
//! any type implementing `mailbox_traits::MailStore` would do, such as
//! `mailbox_maildir::MaildirStore` or your database. The server part is the
//! six lines of the builder in `main`.

#![allow(
    clippy::print_stdout,
    reason = "an example shows what happens on standard output"
)]

use std::collections::HashMap;
use std::net::SocketAddr;

use mail_server::{MailServer, TlsSource};
use mailbox_traits::memory::MemoryStore;
use mailbox_traits::{Authenticator, InternalDate, LocalDelivery, Password, StoreError, UserId};

/// The application's users: name to API token.
struct AppUsers(HashMap<&'static str, &'static str>);

impl Authenticator for AppUsers {
    async fn verify_password(
        &self,
        username: &str,
        password: &Password,
    ) -> Result<Option<UserId>, StoreError> {
        let user = self.0.get_key_value(username);
        Ok(user
            .filter(|(_, token)| password.matches(token.as_bytes()))
            .map(|(name, _)| UserId::new(*name)))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("127.0.0.1:2110")
        .parse()?;

    // The application's data: its users, and a notice for carol.
    let users = AppUsers(HashMap::from([("carol", "app-token-123")]));
    let store = MemoryStore::new();
    // The store's own password is unused: AppUsers decides who logs in.
    let carol = store.add_user("carol", "-")?;
    let notice = "From: app@example.org\r\nSubject: Your invoice\r\n\r\nPaid, thanks.\r\n";
    let now = InternalDate::from_unix(1_700_000_000)?;
    store.deliver(notice.into(), &[carol], now).await?;

    // The POP3 endpoint, with STLS on a certificate made once and kept.
    let server = MailServer::builder(store, users)
        .pop3(addr)
        .tls(TlsSource::self_signed(
            std::env::temp_dir().join("embed-pop3-tls"),
            "localhost",
        ))
        .start()
        .await?;
    println!("POP3 on {addr}; try: curl --user carol:app-token-123 pop3://{addr}/1");
    server.run_until_signal().await?;
    Ok(())
}
