//! The command line.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, Subcommand};

/// A small, real mail server: Maildir storage, SMTP in (STARTTLS, and
/// SMTPS), IMAP and IMAPS (mail kept on the server, synced to every device),
/// POP3 and POP3S, TLS with a self-signed certificate unless given one.
///
/// With no flags it serves ./mail-data for the domain `localhost`, on
/// 127.0.0.1 only, with a demo user whose password it makes once, keeps in
/// the data directory and prints with the client settings.
///
/// SMTP takes mail for the local domains from anyone; sending to other
/// domains needs authentication, and is refused even then for now (outbound
/// delivery is not enabled). Passwords cross only over TLS, or in plain from
/// this machine.
#[derive(Debug, Parser)]
#[command(name = "mail-server", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Where mail, the TLS certificate and the demo password are kept.
    #[arg(long, value_name = "DIR", default_value = "./mail-data")]
    pub(crate) data_dir: PathBuf,

    /// A local domain: users log in as NAME or NAME@DOMAIN. Repeatable.
    #[arg(long = "domain", value_name = "DOMAIN", default_values_t = ["localhost".to_owned()])]
    pub(crate) domains: Vec<String>,

    /// The server's host name: in the SMTP greeting, the Received: fields
    /// and the self-signed certificate.
    #[arg(long, value_name = "NAME", default_value = "localhost")]
    pub(crate) hostname: String,

    /// A user and password. Repeatable. With no --user and no --users-file,
    /// a demo user is made instead.
    #[arg(long = "user", value_name = "NAME:PASSWORD")]
    pub(crate) users: Vec<String>,

    /// A file of users, one `NAME:$argon2id$...` per line (make the hashes
    /// with the hash-password subcommand).
    #[arg(long, value_name = "FILE")]
    pub(crate) users_file: Option<PathBuf>,

    /// SMTP listener (STARTTLS offered), or `off`: mail for the local
    /// domains from anyone; authentication required to send to other
    /// domains (port 25 or 587 on a real server).
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:2525")]
    pub(crate) smtp: Listen,

    /// POP3 listener (STLS offered), or `off`.
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1110")]
    pub(crate) pop3: Listen,

    /// IMAP listener (STARTTLS offered), or `off` (port 143 on a real
    /// server).
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1143")]
    pub(crate) imap: Listen,

    /// SMTP with implicit TLS (submissions, RFC 8314; port 465 on a real
    /// server), or `off`.
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1465")]
    pub(crate) smtps: Listen,

    /// LMTP listener (RFC 2033), or `off`: local delivery for another mail
    /// server on this machine (a Postfix `lmtp:` transport), with no
    /// authentication; keep it on loopback.
    #[arg(long, value_name = "ADDR|off", default_value = "off")]
    pub(crate) lmtp: Listen,

    /// POP3 with implicit TLS (POP3S, RFC 8314), or `off`.
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1995")]
    pub(crate) pop3s: Listen,

    /// IMAP with implicit TLS (IMAPS, RFC 8314; port 993 on a real server),
    /// or `off`.
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1993")]
    pub(crate) imaps: Listen,

    /// The TLS certificate chain (PEM). Without it, a self-signed one is
    /// made once in DATA_DIR/tls.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub(crate) tls_cert: Option<PathBuf>,

    /// The TLS private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub(crate) tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Prints the argon2 hash of a password, for a users file line
    /// `NAME:HASH`. Reads the password from standard input if not given.
    HashPassword {
        /// The password (beware: it stays in the shell's history).
        password: Option<String>,
    },
}

/// A listener address, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Listen(pub(crate) Option<SocketAddr>);

impl FromStr for Listen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(Self(None));
        }
        s.parse()
            .map(|addr| Self(Some(addr)))
            .map_err(|_| format!("{s:?} is neither an address like 127.0.0.1:1110 nor `off`"))
    }
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(addr) => addr.fmt(f),
            None => f.write_str("off"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_off() {
        let cli = Cli::parse_from(["mail-server"]);
        assert_eq!(cli.data_dir, PathBuf::from("./mail-data"));
        assert_eq!(cli.domains, ["localhost"]);
        assert_eq!(cli.pop3.to_string(), "127.0.0.1:1110");
        assert_eq!(cli.pop3s.to_string(), "127.0.0.1:1995");
        assert_eq!(cli.smtp.to_string(), "127.0.0.1:2525");
        assert_eq!(cli.smtps.to_string(), "127.0.0.1:1465");
        assert_eq!(cli.lmtp, Listen(None));
        assert_eq!(cli.imap.to_string(), "127.0.0.1:1143");
        assert_eq!(cli.imaps.to_string(), "127.0.0.1:1993");

        let cli = Cli::parse_from([
            "mail-server",
            "--pop3",
            "off",
            "--domain",
            "a.test",
            "--domain",
            "b.test",
            "--user",
            "x:y",
        ]);
        assert_eq!(cli.pop3, Listen(None));
        assert_eq!(cli.domains, ["a.test", "b.test"]);
        assert_eq!(cli.users, ["x:y"]);
        assert!(Cli::try_parse_from(["mail-server", "--pop3", "nowhere"]).is_err());
        assert!(Cli::try_parse_from(["mail-server", "--tls-cert", "c.pem"]).is_err());
    }
}
