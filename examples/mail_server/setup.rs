//! The data directory, the users and the certificate, from the flags.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use mail_server::{TlsSource, Users};
use mailbox_maildir::MaildirStore;
use mailbox_traits::{InternalDate, LocalDelivery, UserId};

use crate::cli::Cli;

/// The demo user made when no users are given.
pub(crate) const DEMO_USER: &str = "demo";

/// Everything the server is built from.
pub(crate) struct Setup {
    pub(crate) store: MaildirStore,
    pub(crate) users: Users,
    pub(crate) tls: TlsSource,
    /// The demo user's password and where it is kept, when there is one.
    pub(crate) demo: Option<(String, PathBuf)>,
}

impl Setup {
    /// Creates the data directory's parts, the users and their Maildirs.
    ///
    /// ```text
    /// DATA_DIR/mail/NAME/     each user's Maildir++ (cur/ new/ tmp/, .Folders)
    /// DATA_DIR/tls/           the self-signed cert.pem and key.pem
    /// DATA_DIR/demo-password  the demo user's password (owner-only)
    /// ```
    pub(crate) async fn from_cli(cli: &Cli) -> Result<Self, Box<dyn std::error::Error>> {
        fs::create_dir_all(&cli.data_dir)?;
        let store = MaildirStore::open(cli.data_dir.join("mail"))?;
        let mut users = Users::new(&cli.domains);
        if let Some(file) = &cli.users_file {
            users.add_file(file)?;
        }
        for entry in &cli.users {
            let (name, password) = entry
                .split_once(':')
                .ok_or(mail_server::UsersError::MissingPassword)?;
            users.add_password(name, password.as_bytes())?;
        }
        let mut demo = None;
        let mut welcome = false;
        if users.users().is_empty() {
            let file = cli.data_dir.join("demo-password");
            welcome = !file.exists();
            let password = demo_password(&file)?;
            users.add_password(DEMO_USER, password.as_bytes())?;
            demo = Some((password, file));
        }
        for user in users.users() {
            store.create_user(user.as_str()).await?;
        }
        if welcome {
            let domain = cli.domains.first().map_or("localhost", String::as_str);
            let message = welcome_message(domain, &cli.hostname, InternalDate::now());
            store
                .deliver(
                    message.into(),
                    &[UserId::new(DEMO_USER)],
                    InternalDate::now(),
                )
                .await?
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
        }
        let tls = match (&cli.tls_cert, &cli.tls_key) {
            (Some(cert), Some(key)) => TlsSource::pem_files(cert, key),
            _ => TlsSource::self_signed(cli.data_dir.join("tls"), &cli.hostname),
        };
        Ok(Self {
            store,
            users,
            tls,
            demo,
        })
    }
}

/// The message a new demo account finds in its INBOX, so a client has
/// something to download.
fn welcome_message(domain: &str, hostname: &str, date: InternalDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = date.civil();
    let month = MONTHS[usize::from(c.month.clamp(1, 12) - 1)];
    // RFC 5322 §3.3 date-time, in UTC.
    let when = format!(
        "{} {month} {} {:02}:{:02}:{:02} +0000",
        c.day, c.year, c.hour, c.minute, c.second
    );
    format!(
        "Date: {when}\r\n\
         From: mail-server <postmaster@{domain}>\r\n\
         To: {DEMO_USER}@{domain}\r\n\
         Subject: Welcome to your mail server\r\n\
         Message-ID: <welcome.{}@{hostname}>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\
         \r\n\
         This message was delivered when the example server made the demo\r\n\
         account. Your mail client downloaded it over POP3; delete it there\r\n\
         and it is gone from the server at the end of the session.\r\n\
         \r\n\
         The mail itself lives in a Maildir under the data directory,\r\n\
         which mutt and Dovecot can read as well.\r\n",
        date.unix_timestamp()
    )
}

/// The demo password kept in `file`, made on first use: 16 characters
/// from an alphabet without look-alikes (no 0/O, 1/l/I).
fn demo_password(file: &Path) -> io::Result<String> {
    if let Ok(kept) = fs::read_to_string(file) {
        let kept = kept.trim();
        if !kept.is_empty() {
            return Ok(kept.to_owned());
        }
    }
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut password = String::with_capacity(16);
    while password.len() < 16 {
        let mut byte = [0u8; 1];
        OsRng.fill_bytes(&mut byte);
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        if usize::from(byte[0]) < limit {
            password.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut out = options.open(file)?;
    writeln!(out, "{password}")?;
    out.sync_all()?;
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welcome_message_is_crlf_with_an_rfc5322_date() {
        let date = InternalDate::from_unix(1_700_000_000).unwrap();
        let m = welcome_message("example.org", "mail.example.org", date);
        assert!(m.starts_with("Date: 14 Nov 2023 22:13:20 +0000\r\n"), "{m}");
        assert!(m.contains("\r\nMessage-ID: <welcome.1700000000@mail.example.org>\r\n"));
        assert!(m.contains("\r\nTo: demo@example.org\r\n"));
        assert!(!m.replace("\r\n", "").contains('\n'));
        assert!(m.ends_with("\r\n"));
    }

    #[test]
    fn demo_password_is_made_once() {
        let dir = std::env::temp_dir().join(format!("demo-password-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("demo-password");
        let _ = fs::remove_file(&file);
        let first = demo_password(&file).unwrap();
        assert_eq!(first.len(), 16);
        assert!(first.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(demo_password(&file).unwrap(), first);
        fs::remove_dir_all(&dir).unwrap();
    }
}
