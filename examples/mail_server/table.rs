//! The settings table printed at startup, as a hosting provider's help
//! page gives it: what to type into a mail client.

use std::fmt::Write;
use std::net::SocketAddr;

use mail_server::{Listening, Protocol, Security};

use crate::cli::{Cli, Listen};
use crate::setup::{DEMO_USER, Setup};

/// The table for the running listeners.
pub(crate) fn settings(cli: &Cli, setup: &Setup, listening: &[Listening]) -> String {
    let mut t = String::new();
    let domain = cli.domains.first().map_or("localhost", String::as_str);
    let pop3 = find(listening, Protocol::Pop3, Security::Plain);
    let pop3s = find(listening, Protocol::Pop3, Security::ImplicitTls);
    let host = pop3s
        .or(pop3)
        .map_or_else(|| "-".to_owned(), |a| a.ip().to_string());

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
        "\nIncoming mail: POP3 (download, then delete from the server)"
    );
    row(&mut t, "Server", &host);
    match pop3s {
        Some(a) => row(
            &mut t,
            "Port",
            &format!("{}  SSL/TLS (recommended)", a.port()),
        ),
        None => row(&mut t, "Port", "SSL/TLS: off"),
    }
    match pop3 {
        Some(a) => row(
            &mut t,
            "",
            &format!(
                "{}  STARTTLS; plain password also allowed from this machine",
                a.port()
            ),
        ),
        None => row(&mut t, "", "STARTTLS: off"),
    }
    row(&mut t, "Authentication", "normal password");

    let _ = writeln!(t, "\nOutgoing mail: SMTP");
    not_served(
        &mut t,
        "SMTP",
        cli.smtp,
        "the SMTP driver comes with smtp-proto",
    );
    not_served(&mut t, "SMTPS", cli.smtps, "likewise");
    let _ = writeln!(
        t,
        "\nIMAP (mail kept on the server, synced to every device)"
    );
    not_served(&mut t, "IMAP", cli.imap, "the IMAP driver comes later");
    not_served(&mut t, "IMAPS", cli.imaps, "likewise");

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
    if let Some(a) = pop3s {
        let who = match setup.demo {
            Some(_) => DEMO_USER,
            None => "NAME",
        };
        let _ = writeln!(
            t,
            "Try it:  curl --insecure --user {who}:PASSWORD pop3s://{}:{}/",
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

fn not_served(t: &mut String, label: &str, listen: Listen, why: &str) {
    match listen.0 {
        Some(addr) => row(t, label, &format!("{addr}: not served yet ({why})")),
        None => row(t, label, "off"),
    }
}
