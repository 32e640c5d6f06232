//! The settings table printed at startup, as a hosting provider's help
//! page gives it: what to type into a mail client.

use std::fmt::Write;
use std::net::SocketAddr;

use mail_server::{Listening, Protocol, Security};

use crate::cli::Cli;
use crate::setup::{DEMO_USER, Setup};

/// The table for the running listeners.
pub(crate) fn settings(cli: &Cli, setup: &Setup, listening: &[Listening]) -> String {
    let mut t = String::new();
    let domain = cli.domains.first().map_or("localhost", String::as_str);
    let pop3 = find(listening, Protocol::Pop3, Security::Plain);
    let pop3s = find(listening, Protocol::Pop3, Security::ImplicitTls);
    let smtp = find(listening, Protocol::Smtp, Security::Plain);
    let smtps = find(listening, Protocol::Smtp, Security::ImplicitTls);
    let submission = find(listening, Protocol::Submission, Security::Plain);
    let lmtp = find(listening, Protocol::Lmtp, Security::Plain);
    let imap = find(listening, Protocol::Imap, Security::Plain);
    let imaps = find(listening, Protocol::Imap, Security::ImplicitTls);
    let host = |a: Option<SocketAddr>, b: Option<SocketAddr>| {
        a.or(b)
            .map_or_else(|| "-".to_owned(), |a| a.ip().to_string())
    };

    let _ = writeln!(
        t,
        "\nmail-server is running. Data: {}",
        cli.data_dir.display()
    );
    let _ = writeln!(t, "\nSet up your mail client with these settings");
    let _ = writeln!(t, "{}", "-".repeat(72));
    match &setup.demo {
        Some((password, file)) => {
            row(&mut t, "Email address", &format!("{DEMO_USER}@{domain}"));
            row(
                &mut t,
                "Username",
                &format!("{DEMO_USER}@{domain}  (or just {DEMO_USER})"),
            );
            row(&mut t, "Password", password);
            row(&mut t, "", &format!("(kept in {})", file.display()));
        }
        None => {
            let names: Vec<String> = setup.users.users().iter().map(|u| u.to_string()).collect();
            row(&mut t, "Users", &names.join(", "));
            row(
                &mut t,
                "Username",
                &format!("NAME@{domain}  (or just NAME)"),
            );
            row(&mut t, "Password", "as configured");
        }
    }
    row(&mut t, "Domains", &cli.domains.join(", "));

    let _ = writeln!(
        t,
        "\nIncoming mail: IMAP (kept on the server, synced to every device)"
    );
    row(&mut t, "Server", &host(imaps, imap));
    ports(&mut t, imaps, imap);
    row(&mut t, "Authentication", "normal password");

    let _ = writeln!(
        t,
        "\nIncoming mail: POP3 (download, then delete from the server)"
    );
    row(&mut t, "Server", &host(pop3s, pop3));
    ports(&mut t, pop3s, pop3);
    row(&mut t, "Authentication", "normal password");

    let _ = writeln!(t, "\nOutgoing mail: SMTP");
    row(&mut t, "Server", &host(smtps, smtp));
    ports(&mut t, smtps, smtp);
    row(
        &mut t,
        "Authentication",
        "normal password, as for incoming mail",
    );
    row(
        &mut t,
        "",
        &format!(
            "required to send to other domains; none for mail to {}",
            cli.domains.join(", ")
        ),
    );
    if let Some(a) = submission {
        row(
            &mut t,
            "Submission",
            &format!(
                "{}  submission: STARTTLS, authentication always required",
                a.port()
            ),
        );
    }
    row(
        &mut t,
        "Delivery",
        &format!(
            "queued in {}; see `mail-server queue list`",
            cli.data_dir.join("queue").display()
        ),
    );
    if let Some(a) = lmtp {
        row(
            &mut t,
            "LMTP",
            &format!("{a}  for a mail server on this machine, no authentication"),
        );
    }

    let _ = writeln!(t, "\nSecurity");
    match (&cli.tls_cert, &setup.tls) {
        (Some(cert), _) => row(&mut t, "TLS certificate", &cert.display().to_string()),
        (None, _) => {
            let cert = cli.data_dir.join("tls/cert.pem");
            row(
                &mut t,
                "TLS certificate",
                &format!("self-signed for {}: {}", cli.hostname, cert.display()),
            );
            row(
                &mut t,
                "",
                "clients ask you to accept it once (or import that file)",
            );
        }
    }
    row(
        &mut t,
        "Passwords",
        "only over TLS, or in plain from this machine",
    );
    let _ = writeln!(t, "{}", "-".repeat(72));
    let who = match setup.demo {
        Some(_) => DEMO_USER,
        None => "NAME",
    };
    let mut try_it = "Try it: ";
    if let Some(a) = smtps {
        let domain = cli.domains.first().map_or("localhost", String::as_str);
        let _ = writeln!(
            t,
            "{try_it} curl --insecure --user {who}:PASSWORD --mail-from {who}@{domain} \\\n\
             {:14}--mail-rcpt {who}@{domain} --upload-file message.eml smtps://{}:{}",
            "",
            a.ip(),
            a.port()
        );
        try_it = "        ";
    }
    if let Some(a) = imaps {
        let _ = writeln!(
            t,
            "{try_it} curl --insecure --user {who}:PASSWORD 'imaps://{}:{}/INBOX;UID=1'",
            a.ip(),
            a.port()
        );
        try_it = "        ";
    }
    if let Some(a) = pop3s {
        let _ = writeln!(
            t,
            "{try_it} curl --insecure --user {who}:PASSWORD pop3s://{}:{}/",
            a.ip(),
            a.port()
        );
    }
    let _ = writeln!(t, "Stop:    Ctrl-C (open sessions get 10 s to finish)");
    t
}

fn find(listening: &[Listening], protocol: Protocol, security: Security) -> Option<SocketAddr> {
    listening
        .iter()
        .find(|l| l.protocol == protocol && l.security == security)
        .map(|l| l.addr)
}

fn row(t: &mut String, label: &str, value: &str) {
    let _ = writeln!(t, "  {label:<18} {value}");
}

/// The port rows: implicit TLS first, as RFC 8314 recommends, then the
/// plain port with STARTTLS.
fn ports(t: &mut String, tls: Option<SocketAddr>, plain: Option<SocketAddr>) {
    match tls {
        Some(a) => row(t, "Port", &format!("{}  SSL/TLS (recommended)", a.port())),
        None => row(t, "Port", "SSL/TLS: off"),
    }
    match plain {
        Some(a) => row(
            t,
            "",
            &format!(
                "{}  STARTTLS; plain password also allowed from this machine",
                a.port()
            ),
        ),
        None => row(t, "", "STARTTLS: off"),
    }
}
