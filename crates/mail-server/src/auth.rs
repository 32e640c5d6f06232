//! Who may log in: users with argon2 password hashes, and when a password
//! may cross the wire.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use mailbox_traits::{Authenticator, Password, StoreError, UserId};

use crate::{Error, UsersError};

/// When a password may be sent in the clear (USER/PASS, AUTH PLAIN, SMTP
/// AUTH LOGIN, IMAP LOGIN): Dovecot's `disable_plaintext_auth`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlaintextAuth {
    /// Over TLS, or from a loopback address, which Dovecot counts as secure:
    /// the password never leaves the machine. The default.
    #[default]
    TlsOrLoopback,
    /// Over TLS only (Dovecot's `disable_plaintext_auth = yes` with no
    /// trusted networks).
    TlsOnly,
    /// Always, TLS or not. For tests and private networks only: RFC 8314
    /// §3 and RFC 5034 §4 want TLS.
    Always,
}

impl PlaintextAuth {
    /// Whether a connection from `peer` may send passwords before TLS.
    pub fn allows_without_tls(self, peer: IpAddr) -> bool {
        match self {
            Self::TlsOrLoopback => peer.to_canonical().is_loopback(),
            Self::TlsOnly => false,
            Self::Always => true,
        }
    }
}

/// Hashes a password for a users file: argon2id with a random salt and the
/// argon2 crate's default cost (19 MiB, 2 passes, the OWASP minimum), as a
/// PHC string `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
///
/// ```
/// let hash = mail_server::hash_password(b"correct horse")?;
/// assert!(hash.starts_with("$argon2id$v=19$"));
/// # Ok::<(), mail_server::UsersError>(())
/// ```
pub fn hash_password(password: &[u8]) -> Result<String, UsersError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password, &salt)
        .map(|h| h.to_string())
        .map_err(|e| UsersError::Hash(e.to_string()))
}

/// An [`Authenticator`] over a fixed set of users with argon2 password
/// hashes, as a users file lists them (one `name:$argon2id$...` per line).
///
/// Users log in as `name` or as `name@domain` for any of the local domains,
/// in any letter case; either way the account is the lower-case `name`, as
/// Maildir stores keep it. Each check runs argon2 on tokio's blocking
/// threads; an unknown user costs the same as a wrong password, so timing
/// does not tell which users exist.
///
/// ```
/// use mail_server::Users;
/// use mailbox_traits::{Authenticator, Password};
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut users = Users::new(["example.org"]);
/// users.add_password("alice", b"wonderland")?;
/// let ok = users.verify_password("Alice@Example.org", &Password::from("wonderland")).await?;
/// assert_eq!(ok.unwrap().as_str(), "alice");
/// let wrong = users.verify_password("alice@elsewhere.net", &Password::from("wonderland")).await?;
/// assert!(wrong.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Default)]
pub struct Users {
    entries: HashMap<String, Entry>,
    domains: Vec<String>,
}

#[derive(Clone)]
struct Entry {
    id: UserId,
    hash: Arc<str>,
}

/// A hash checked for unknown users, so they take as long as known ones.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let salt = SaltString::encode_b64(b"mail-server-dummy-salt").ok()?;
    Argon2::default()
        .hash_password(b"no such user", &salt)
        .ok()
        .map(|h| h.to_string())
});

impl Users {
    /// No users yet; `domains` are the local domains users may log in
    /// with.
    pub fn new<D: AsRef<str>>(domains: impl IntoIterator<Item = D>) -> Self {
        Self {
            entries: HashMap::new(),
            domains: domains
                .into_iter()
                .map(|d| d.as_ref().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Adds a user by the PHC string of an argon2 hash.
    pub fn add_hash(&mut self, name: &str, hash: &str) -> Result<UserId, UsersError> {
        let key = canonical_name(name).ok_or_else(|| UsersError::InvalidName(name.to_owned()))?;
        let parsed = PasswordHash::new(hash).map_err(|e| UsersError::InvalidHash {
            name: key.clone(),
            reason: e.to_string(),
        })?;
        if !parsed.algorithm.as_str().starts_with("argon2") {
            return Err(UsersError::InvalidHash {
                name: key,
                reason: format!("algorithm {} is not argon2", parsed.algorithm),
            });
        }
        Params::try_from(&parsed).map_err(|e| UsersError::InvalidHash {
            name: key.clone(),
            reason: e.to_string(),
        })?;
        if self.entries.contains_key(&key) {
            return Err(UsersError::Duplicate(key));
        }
        let id = UserId::new(key.as_str());
        self.entries.insert(
            key,
            Entry {
                id: id.clone(),
                hash: hash.into(),
            },
        );
        Ok(id)
    }

    /// Adds a user with a password, which is hashed here.
    pub fn add_password(&mut self, name: &str, password: &[u8]) -> Result<UserId, UsersError> {
        if canonical_name(name).is_none() {
            return Err(UsersError::InvalidName(name.to_owned()));
        }
        self.add_hash(name, &hash_password(password)?)
    }

    /// Adds every user of a users file's text: `name:hash` lines, blank
    /// lines and `#` comments ignored.
    pub fn add_file_text(&mut self, text: &str) -> Result<Vec<UserId>, UsersError> {
        let mut added = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, hash) = line
                .split_once(':')
                .ok_or(UsersError::Syntax { line: i + 1 })?;
            added.push(self.add_hash(name.trim(), hash.trim())?);
        }
        Ok(added)
    }

    /// Adds every user of a users file.
    pub fn add_file(&mut self, path: &Path) -> Result<Vec<UserId>, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(self.add_file_text(&text)?)
    }

    /// The users, in name order.
    pub fn users(&self) -> Vec<UserId> {
        let mut ids: Vec<UserId> = self.entries.values().map(|e| e.id.clone()).collect();
        ids.sort();
        ids
    }

    /// The local domains.
    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    /// The account a login name means: `name`, or `name@domain` for a
    /// local domain.
    fn entry(&self, login: &str) -> Option<&Entry> {
        let name = match login.rsplit_once('@') {
            Some((name, domain)) => {
                let domain = domain.to_ascii_lowercase();
                if !self.domains.contains(&domain) {
                    return None;
                }
                name
            }
            None => login,
        };
        self.entries.get(&canonical_name(name)?)
    }
}

impl fmt::Debug for Users {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Users")
            .field("users", &self.users())
            .field("domains", &self.domains)
            .finish_non_exhaustive()
    }
}

impl Authenticator for Users {
    async fn verify_password(
        &self,
        username: &str,
        password: &Password,
    ) -> Result<Option<UserId>, StoreError> {
        let entry = self.entry(username).cloned();
        let hash: Option<Arc<str>> = match &entry {
            Some(e) => Some(e.hash.clone()),
            None => DUMMY_HASH.as_deref().map(Arc::from),
        };
        let password = password.clone();
        let matched = tokio::task::spawn_blocking(move || {
            hash.as_deref()
                .and_then(|h| PasswordHash::new(h).ok())
                .is_some_and(|h| {
                    Argon2::default()
                        .verify_password(password.expose(), &h)
                        .is_ok()
                })
        })
        .await
        .map_err(|e| StoreError::Backend(e.into()))?;
        Ok(entry.filter(|_| matched).map(|e| e.id))
    }
}

/// The lower-case form of a user name, if it is one: ASCII letters,
/// digits, `.`, `_`, `+` and `-`, at most 64, not starting with `.` (the
/// names a Maildir store accepts).
fn canonical_name(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'));
    ok.then(|| name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn plaintext_policy_counts_loopback_as_secure() {
        let lo4: IpAddr = "127.0.0.1".parse().unwrap();
        let lo8: IpAddr = "127.8.9.10".parse().unwrap();
        let lo6: IpAddr = "::1".parse().unwrap();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let remote: IpAddr = "192.0.2.7".parse().unwrap();
        let remote6: IpAddr = "2001:db8::1".parse().unwrap();
        for ip in [lo4, lo8, lo6, mapped] {
            assert!(PlaintextAuth::TlsOrLoopback.allows_without_tls(ip), "{ip}");
            assert!(!PlaintextAuth::TlsOnly.allows_without_tls(ip), "{ip}");
        }
        for ip in [remote, remote6] {
            assert!(!PlaintextAuth::TlsOrLoopback.allows_without_tls(ip), "{ip}");
            assert!(PlaintextAuth::Always.allows_without_tls(ip), "{ip}");
        }
    }

    #[test]
    fn login_names_with_and_without_local_domains() {
        let mut users = Users::new(["Example.org", "mail.test"]);
        let alice = users.add_password("Alice", b"pw one").unwrap();
        assert_eq!(alice.as_str(), "alice");
        let pw = Password::from("pw one");
        for login in ["alice", "ALICE", "alice@example.org", "Alice@MAIL.TEST"] {
            let got = block_on(users.verify_password(login, &pw)).unwrap();
            assert_eq!(got, Some(alice.clone()), "{login}");
        }
        for login in ["alice@other.org", "alice@", "bob", "@example.org", "al ice"] {
            assert_eq!(
                block_on(users.verify_password(login, &pw)).unwrap(),
                None,
                "{login}"
            );
        }
        assert_eq!(
            block_on(users.verify_password("alice", &Password::from("pw one "))).unwrap(),
            None
        );
        assert_eq!(users.domains(), ["example.org", "mail.test"]);
    }

    #[test]
    fn users_file_lines() {
        let hash = hash_password(b"secret").unwrap();
        let text = format!("# users\n\nbob:{hash}\n  carol : {hash}  \n");
        let mut users = Users::new(["localhost"]);
        let added = users.add_file_text(&text).unwrap();
        assert_eq!(added, [UserId::new("bob"), UserId::new("carol")]);
        assert_eq!(users.users(), added);
        let ok = block_on(users.verify_password("carol@localhost", &Password::from("secret")));
        assert_eq!(ok.unwrap(), Some(UserId::new("carol")));

        let mut again = users.clone();
        assert!(matches!(
            again.add_file_text(&format!("BOB:{hash}")),
            Err(UsersError::Duplicate(name)) if name == "bob"
        ));
        assert!(matches!(
            again.add_file_text("\n\ndave $argon2id$"),
            Err(UsersError::Syntax { line: 3 })
        ));
        assert!(matches!(
            again.add_file_text("dave:plaintext"),
            Err(UsersError::InvalidHash { .. })
        ));
        assert!(matches!(
            again.add_file_text("dave:$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA"),
            Err(UsersError::InvalidHash { .. })
        ));
        assert!(matches!(
            again.add_file_text(&format!("../etc:{hash}")),
            Err(UsersError::InvalidName(_))
        ));
        assert!(matches!(
            again.add_file_text(&format!(".hidden:{hash}")),
            Err(UsersError::InvalidName(_))
        ));
    }

    #[test]
    fn hashes_are_salted_argon2id_phc_strings() {
        let a = hash_password(b"same").unwrap();
        let b = hash_password(b"same").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        let parsed = PasswordHash::new(&a).unwrap();
        assert!(Argon2::default().verify_password(b"same", &parsed).is_ok());
        assert!(Argon2::default().verify_password(b"Same", &parsed).is_err());
    }

    #[test]
    fn debug_shows_no_hash() {
        let mut users = Users::new(["localhost"]);
        users.add_password("alice", b"pw").unwrap();
        let shown = format!("{users:?}");
        assert!(shown.contains("alice"), "{shown}");
        assert!(!shown.contains("argon2"), "{shown}");
    }
}
