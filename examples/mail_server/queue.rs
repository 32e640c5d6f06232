//! The outbound queue: its settings from the flags, and the `queue list`
//! and `queue flush` subcommands.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

use mail_server::queue::{self, OutboundTls, QueueSettings, QueuedMessage, RecipientState};

use crate::cli::{Cli, QueueAction};

/// The queue directory in the data directory.
pub(crate) fn dir(cli: &Cli) -> PathBuf {
    cli.data_dir.join("queue")
}

/// The queue's settings from the flags.
pub(crate) fn settings(cli: &Cli) -> Result<QueueSettings, Box<dyn std::error::Error>> {
    let seconds = |name: &str, secs: f64| {
        Duration::try_from_secs_f64(secs).map_err(|_| format!("--{name}: {secs} is not a duration"))
    };
    let mut q = QueueSettings::new(dir(cli));
    q.lifetime = seconds("queue-lifetime", cli.queue_lifetime)?;
    q.minimal_backoff = seconds("min-backoff", cli.min_backoff)?;
    q.maximal_backoff = seconds("max-backoff", cli.max_backoff)?;
    q.routes = cli
        .relay_routes
        .iter()
        .map(|r| (r.domain.clone(), r.relay.clone()))
        .collect();
    q.smarthost = cli.smarthost.clone();
    if let (Some(relay), Some(auth)) = (&mut q.smarthost, &cli.smarthost_auth) {
        let (user, password) = auth
            .split_once(':')
            .ok_or("--smarthost-auth: expected USER:PASSWORD")?;
        *relay = relay.clone().with_auth(user, password);
    }
    if cli.require_tls {
        q.tls = OutboundTls::required_from_pem(&cli.tls_ca)?;
    }
    Ok(q)
}

/// `queue list` and `queue flush`: returns what to print.
pub(crate) fn run(cli: &Cli, action: QueueAction) -> Result<String, Box<dyn std::error::Error>> {
    let dir = dir(cli);
    match action {
        QueueAction::List => Ok(list(&queue::list_queue(&dir)?, now_ms())),
        QueueAction::Flush => {
            queue::request_flush(&dir)?;
            Ok(format!(
                "flush requested: a server running on {} tries every pending recipient within a second\n",
                cli.data_dir.display()
            ))
        }
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Postfix's `mailq`, in words: one block per message.
fn list(messages: &[QueuedMessage], now: u64) -> String {
    if messages.is_empty() {
        return "Mail queue is empty\n".to_owned();
    }
    let mut t = String::new();
    for m in messages {
        let age = now.saturating_sub(m.arrival) / 1000;
        let _ = writeln!(t, "{}  from {}  queued {age}s ago", m.id, m.from);
        for r in &m.recipients {
            let state = match r.state {
                RecipientState::Pending if r.next_attempt <= now => "pending, due now".to_owned(),
                RecipientState::Pending => format!(
                    "pending, next attempt in {}s",
                    (r.next_attempt - now).div_ceil(1000)
                ),
                RecipientState::Delivered => "delivered".to_owned(),
                RecipientState::Failed => "failed (returned to sender)".to_owned(),
                RecipientState::Bouncing => "failed, the bounce not sent yet".to_owned(),
            };
            let _ = writeln!(t, "  {}  {state}, attempts {}", r.path, r.attempts);
            if let Some(last) = &r.last {
                let _ = writeln!(t, "    last: {} {}", last.status, last.text);
            }
        }
    }
    let _ = writeln!(t, "-- {} message(s)", messages.len());
    t
}

#[cfg(test)]
mod tests {
    use mail_server::queue::{Attempt, QueuedRecipient};

    use super::*;

    #[test]
    fn lists_like_mailq() {
        assert_eq!(list(&[], 0), "Mail queue is empty\n");
        let m = QueuedMessage {
            id: "6553F10000001".into(),
            from: "<alice@a.test>".into(),
            arrival: 1_000_000,
            recipients: vec![
                QueuedRecipient {
                    path: "<bob@b.test>".into(),
                    state: RecipientState::Pending,
                    attempts: 2,
                    next_attempt: 1_090_500,
                    last: Some(Attempt {
                        status: "4.4.1".into(),
                        smtp: false,
                        remote: None,
                        text: "connect to b.test[192.0.2.1]:25: Connection refused".into(),
                    }),
                },
                QueuedRecipient {
                    path: "<carol@b.test>".into(),
                    state: RecipientState::Delivered,
                    attempts: 1,
                    next_attempt: 0,
                    last: None,
                },
            ],
        };
        assert_eq!(
            list(&[m], 1_030_000),
            "6553F10000001  from <alice@a.test>  queued 30s ago\n\
             \x20 <bob@b.test>  pending, next attempt in 61s, attempts 2\n\
             \x20   last: 4.4.1 connect to b.test[192.0.2.1]:25: Connection refused\n\
             \x20 <carol@b.test>  delivered, attempts 1\n\
             -- 1 message(s)\n"
        );
    }
}
