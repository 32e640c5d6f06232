//! The command line.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, Subcommand};
use mail_server::queue::Relay;

/// A small, real mail server: Maildir storage, SMTP in (STARTTLS, and
/// SMTPS), IMAP and IMAPS (mail kept on the server, synced to every device),
/// POP3 and POP3S, TLS with a self-signed certificate unless given one.
///
/// With no flags it serves ./mail-data for the domain `localhost`, on
/// 127.0.0.1 only, with a demo user whose password it makes once, keeps in
/// the data directory and prints with the client settings.
///
/// SMTP takes mail for the local domains from anyone; sending to other
/// domains needs authentication, and goes through a durable queue in
/// DATA_DIR/queue to the domain's MX hosts (or a --relay-route, or the
/// --smarthost). Passwords cross only over TLS, or in plain from this
/// machine.
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

    /// The user who gets the mail for postmaster (`<Postmaster>` and
    /// `postmaster@` each domain) when no user has that name. Default: the
    /// first user in name order.
    #[arg(long, value_name = "NAME")]
    pub(crate) postmaster: Option<String>,

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

    /// Message submission listener (RFC 6409; port 587 on a real server),
    /// or `off`: authentication required before MAIL, `Date` and
    /// `Message-ID` added when missing.
    #[arg(long, value_name = "ADDR|off", default_value = "127.0.0.1:1587")]
    pub(crate) submission: Listen,

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

    /// Send mail for DOMAIN to HOST:PORT instead of its MX hosts.
    /// Repeatable.
    #[arg(long = "relay-route", value_name = "DOMAIN=HOST:PORT")]
    pub(crate) relay_routes: Vec<Route>,

    /// Send mail for every other domain to HOST:PORT (Postfix's relayhost).
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_relay)]
    pub(crate) smarthost: Option<Relay>,

    /// Log in to the smarthost (AUTH PLAIN, only over TLS).
    #[arg(long, value_name = "USER:PASSWORD", requires = "smarthost")]
    pub(crate) smarthost_auth: Option<String>,

    /// Require STARTTLS with a verified certificate on every outbound
    /// connection (default: TLS when offered, any certificate).
    #[arg(long)]
    pub(crate) require_tls: bool,

    /// The CA certificates --require-tls verifies against (PEM).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/etc/ssl/certs/ca-certificates.crt"
    )]
    pub(crate) tls_ca: PathBuf,

    /// How long a message is tried before it bounces, in seconds (Postfix's
    /// maximal_queue_lifetime: 5 days).
    #[arg(long, value_name = "SECS", default_value_t = 432_000.0)]
    pub(crate) queue_lifetime: f64,

    /// The first wait after a temporary failure, in seconds; it doubles
    /// each time (Postfix's minimal_backoff_time).
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    pub(crate) min_backoff: f64,

    /// The longest wait between attempts, in seconds (Postfix's
    /// maximal_backoff_time).
    #[arg(long, value_name = "SECS", default_value_t = 4000.0)]
    pub(crate) max_backoff: f64,

    /// Refuse a logged-in user's MAIL FROM address that is not their own
    /// (Postfix's reject_sender_login_mismatch).
    #[arg(long)]
    pub(crate) sender_login_match: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Prints the argon2 hash of a password, for a users file line
    /// `NAME:HASH`. Reads the password from standard input if not given.
    HashPassword {
        /// The password (beware: it stays in the shell's history).
        password: Option<String>,
    },
    /// Shows or flushes the outbound queue in DATA_DIR/queue.
    Queue {
        #[command(subcommand)]
        action: QueueAction,
    },
}

/// What `queue` does.
#[derive(Clone, Copy, Debug, Subcommand)]
pub(crate) enum QueueAction {
    /// Lists the queued messages: id, sender, and each recipient with its
    /// state, attempts, next attempt and last reply.
    List,
    /// Asks the running server to try every pending recipient now.
    Flush,
}

/// `DOMAIN=HOST:PORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Route {
    pub(crate) domain: String,
    pub(crate) relay: Relay,
}

impl FromStr for Route {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (domain, relay) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?}: expected DOMAIN=HOST:PORT"))?;
        Ok(Self {
            domain: domain.to_ascii_lowercase(),
            relay: parse_relay(relay)?,
        })
    }
}

fn parse_relay(s: &str) -> Result<Relay, String> {
    Relay::parse(s).ok_or_else(|| format!("{s:?}: expected HOST:PORT"))
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
        assert_eq!(cli.submission.to_string(), "127.0.0.1:1587");

        let cli = Cli::parse_from([
            "mail-server",
            "--relay-route",
            "B.test=127.0.0.1:2526",
            "--relay-route",
            "c.test=[::1]:25",
            "--smarthost",
            "smtp.example.net:587",
            "--smarthost-auth",
            "me:secret",
            "--min-backoff",
            "0.5",
        ]);
        assert_eq!(cli.relay_routes.len(), 2);
        assert_eq!(cli.relay_routes[0].domain, "b.test");
        assert_eq!(cli.relay_routes[0].relay, Relay::new("127.0.0.1", 2526));
        assert_eq!(cli.relay_routes[1].relay, Relay::new("::1", 25));
        assert_eq!(cli.smarthost, Some(Relay::new("smtp.example.net", 587)));
        assert_eq!(cli.min_backoff, 0.5);
        assert!(Cli::try_parse_from(["mail-server", "--relay-route", "b.test"]).is_err());
        assert!(Cli::try_parse_from(["mail-server", "--smarthost-auth", "a:b"]).is_err());
        assert!(matches!(
            Cli::parse_from(["mail-server", "queue", "list"]).command,
            Some(Command::Queue {
                action: QueueAction::List
            })
        ));
        assert!(Cli::try_parse_from(["mail-server", "--tls-cert", "c.pem"]).is_err());
    }
}
