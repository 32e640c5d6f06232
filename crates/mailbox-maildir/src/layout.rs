//! Where things live on disk: Maildir++ folder directories and user homes.
//!
//! ```text
//! <root>/<user>/                 the user's Maildir, and their INBOX
//!     cur/ new/ tmp/             INBOX's messages
//!     .Sent/                     the folder "Sent"
//!     .Work.2024/                the folder "Work/2024": levels joined by '.'
//!     .v1%2e2/                   the folder "v1.2": '.' in a level escaped
//!     subscriptions              subscribed names, one per line
//!     mail-proto-uidvalidity     the last UIDVALIDITY given in this account
//!     mail-proto-account.lock    serializes changes to the hierarchy
//! <folder>/
//!     mail-proto-index           the journal: UIDs, flags, mod-sequences
//!     mail-proto-index.lock      serializes changes to the folder
//!     dovecot-keywords           keyword letters, as Dovecot reads them
//!     mail-proto-special-use     the folder's special use, if it has one
//! ```
//!
//! Folder names are UTF-8 on disk (Dovecot reads them with `:UTF-8` in its
//! `mail_location`). `%` cannot occur in a mailbox name (it is an IMAP list
//! wildcard), so it escapes: `%2e` is a `.` within a level.

use std::path::{Path, PathBuf};

use mailbox_traits::{MailboxName, NameError, StoreError, UserId};

/// The journal of a folder.
pub(crate) const INDEX: &str = "mail-proto-index";
/// The lock file of a folder.
pub(crate) const INDEX_LOCK: &str = "mail-proto-index.lock";
/// Dovecot's keyword file, written for Dovecot's benefit.
pub(crate) const KEYWORDS: &str = "dovecot-keywords";
/// The special use of a folder.
pub(crate) const SPECIAL_USE: &str = "mail-proto-special-use";
/// The account's subscriptions.
pub(crate) const SUBSCRIPTIONS: &str = "subscriptions";
/// The account's last UIDVALIDITY.
pub(crate) const UIDVALIDITY: &str = "mail-proto-uidvalidity";
/// The account's lock file.
pub(crate) const ACCOUNT_LOCK: &str = "mail-proto-account.lock";

/// The longest directory name most file systems allow.
const NAME_MAX: usize = 255;

/// The directory of a folder within a user's Maildir.
pub(crate) fn folder_dir(home: &Path, name: &MailboxName) -> Result<PathBuf, StoreError> {
    if name.is_inbox() {
        return Ok(home.to_path_buf());
    }
    let mut dir = String::with_capacity(name.as_str().len() + 8);
    for level in name.levels() {
        dir.push('.');
        for c in level.chars() {
            match c {
                '.' => dir.push_str("%2e"),
                c => dir.push(c),
            }
        }
    }
    if dir.len() > NAME_MAX {
        return Err(StoreError::InvalidName(NameError::TooLong));
    }
    Ok(home.join(dir))
}

/// The mailbox a directory entry of a user's Maildir holds, if it is a
/// folder directory: `.Work.2024` is `Work/2024`.
pub(crate) fn folder_name(entry: &str) -> Option<MailboxName> {
    let rest = entry.strip_prefix('.')?;
    if rest.is_empty() || rest == "." {
        return None;
    }
    let mut name = String::with_capacity(rest.len());
    for (i, level) in rest.split('.').enumerate() {
        if i > 0 {
            name.push(MailboxName::DELIMITER);
        }
        name.push_str(&unescape(level)?);
    }
    MailboxName::new(&name).ok()
}

fn unescape(level: &str) -> Option<String> {
    let mut out = Vec::with_capacity(level.len());
    let mut bytes = level.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// The home directory of a user: `<root>/<name>`. User names are
/// case-insensitive and stored in lower case; they may hold ASCII letters,
/// digits, `.`, `_`, `+` and `-`, not start with `.`, and be at most 64
/// octets, so they are always one safe path component.
pub(crate) fn user_home(root: &Path, user: &str) -> Result<PathBuf, StoreError> {
    Ok(root.join(user_dir_name(user).ok_or(StoreError::NoSuchUser)?))
}

/// The directory name of a user, or `None` if the name is not allowed.
pub(crate) fn user_dir_name(user: &str) -> Option<String> {
    let ok = !user.is_empty()
        && user.len() <= 64
        && !user.starts_with('.')
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'));
    ok.then(|| user.to_ascii_lowercase())
}

/// The user id of a home directory name.
pub(crate) fn user_id(dir_name: &str) -> UserId {
    UserId::new(dir_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> MailboxName {
        MailboxName::new(s).expect("valid")
    }

    #[test]
    fn folder_directories_round_trip() {
        let home = Path::new("/m/alice");
        let cases = [
            ("INBOX", "/m/alice"),
            ("Sent", "/m/alice/.Sent"),
            ("Work/2024", "/m/alice/.Work.2024"),
            ("v1.2/x", "/m/alice/.v1%2e2.x"),
            ("INBOX/Lists", "/m/alice/.INBOX.Lists"),
            ("Entw\u{fc}rfe", "/m/alice/.Entw\u{fc}rfe"),
        ];
        for (mailbox, dir) in cases {
            let path = folder_dir(home, &name(mailbox)).expect("fits");
            assert_eq!(path, Path::new(dir), "{mailbox}");
            if mailbox != "INBOX" {
                let entry = path.file_name().and_then(|n| n.to_str()).expect("utf-8");
                assert_eq!(folder_name(entry), Some(name(mailbox)));
            }
        }
    }

    #[test]
    fn not_every_entry_is_a_folder() {
        for entry in [
            "cur",
            "new",
            ".",
            "..",
            ".a..b",
            ".bad%zz",
            ".x%2",
            "subscriptions",
        ] {
            assert_eq!(folder_name(entry), None, "{entry}");
        }
    }

    #[test]
    fn long_names_do_not_fit_one_directory() {
        let long = name(&["level"; 50].join("/"));
        assert!(matches!(
            folder_dir(Path::new("/m"), &long),
            Err(StoreError::InvalidName(NameError::TooLong))
        ));
    }

    #[test]
    fn user_names_are_one_safe_component() {
        assert_eq!(user_dir_name("Alice"), Some("alice".into()));
        assert_eq!(user_dir_name("bob.smith+x_1"), Some("bob.smith+x_1".into()));
        for bad in [
            "",
            ".hidden",
            "../etc",
            "a/b",
            "a b",
            "alice@example.org",
            &"x".repeat(65),
        ] {
            assert_eq!(user_dir_name(bad), None, "{bad}");
        }
    }
}
