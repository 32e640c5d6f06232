//! Where mail for a domain goes: a static route, the smarthost, or the
//! domain's MX hosts by preference (RFC 5321 §5.1), its address records
//! when it has no MX, and nowhere when it has a null MX (RFC 7505).

use std::fmt;
use std::net::IpAddr;

use futures::future::BoxFuture;

use super::QueueSettings;
use super::files::Attempt;

/// A host mail is handed to instead of the MX hosts: a static route's or
/// the smarthost.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Relay {
    /// Its name or IP address.
    pub host: String,
    /// Its port (25 for MTAs, 587 for submission).
    pub port: u16,
    /// AUTH PLAIN (or LOGIN) as this user with this password, over TLS
    /// (Postfix's `smtp_sasl_password_maps`).
    pub auth: Option<(String, String)>,
}

impl Relay {
    /// A relay at `host` and `port`, without authentication.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            auth: None,
        }
    }

    /// The same relay, logging in as `user` with `password`.
    pub fn with_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Some((user.into(), password.into()));
        self
    }

    /// `HOST:PORT`, as the `--relay-route` and `--smarthost` flags take it
    /// (`[::1]:25` for an IPv6 address).
    pub fn parse(s: &str) -> Option<Self> {
        let (host, port) = s.rsplit_once(':')?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return None;
        }
        Some(Self::new(host, port.parse().ok()?))
    }
}

/// The password stays out of logs.
impl fmt::Debug for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field(
                "auth",
                &self.auth.as_ref().map(|(user, _)| (user, "<redacted>")),
            )
            .finish()
    }
}

/// Why a DNS lookup gave no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The name does not exist (NXDOMAIN): a permanent failure.
    #[error("Host not found")]
    NotFound,
    /// The lookup failed for now (SERVFAIL, a timeout): try again later.
    #[error("{0}")]
    Temporary(String),
}

/// The DNS lookups the queue needs, behind a trait so tests need no DNS.
pub trait MxResolver: Send + Sync + fmt::Debug {
    /// The MX records of `domain` as (preference, exchange); empty when the
    /// domain exists without MX records. A null MX is `[(0, ".")]`.
    fn mx<'a>(&'a self, domain: &'a str)
    -> BoxFuture<'a, Result<Vec<(u16, String)>, ResolveError>>;

    /// The A and AAAA addresses of `host`.
    fn addresses<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, ResolveError>>;
}

/// No DNS at all (the system resolver could not be set up): every lookup
/// is a temporary failure, so mail waits rather than bounces.
#[derive(Debug)]
pub(crate) struct Unavailable(pub(crate) String);

impl MxResolver for Unavailable {
    fn mx<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Vec<(u16, String)>, ResolveError>> {
        Box::pin(async move { Err(ResolveError::Temporary(self.0.clone())) })
    }

    fn addresses<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, ResolveError>> {
        Box::pin(async move { Err(ResolveError::Temporary(self.0.clone())) })
    }
}

/// The most MX host addresses one delivery tries: Postfix's
/// `smtp_mx_address_limit`.
const MX_ADDRESS_LIMIT: usize = 5;

/// One host to try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hop {
    /// Its name (or address), for TLS and the logs.
    pub(crate) host: String,
    pub(crate) port: u16,
    /// Its addresses when DNS gave them; `None`: resolve `host` when
    /// connecting (a relay).
    pub(crate) addrs: Option<Vec<IpAddr>>,
    /// Credentials for AUTH.
    pub(crate) auth: Option<(String, String)>,
}

/// Where a domain's mail goes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// These hosts, in order: the next is tried when one cannot be reached
    /// or refuses the session, or (once) when a server defers recipients;
    /// the last one's failure is the outcome.
    Hosts(Vec<Hop>),
    /// Nowhere: every recipient gets this outcome.
    Fail(Attempt),
}

/// Finds where mail for `domain` goes.
pub(crate) async fn destination(
    settings: &QueueSettings,
    resolver: &dyn MxResolver,
    domain: &str,
) -> Destination {
    let relay = settings
        .routes
        .iter()
        .find(|(d, _)| d.eq_ignore_ascii_case(domain))
        .map(|(_, relay)| relay)
        .or(settings.smarthost.as_ref());
    if let Some(relay) = relay {
        return Destination::Hosts(vec![Hop {
            host: relay.host.clone(),
            port: relay.port,
            addrs: None,
            auth: relay.auth.clone(),
        }]);
    }
    // An address literal (RFC 5321 §4.1.3) is the host itself.
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        let ip = literal.strip_prefix("ipv6:").unwrap_or(literal);
        return match ip.parse::<IpAddr>() {
            Ok(ip) => Destination::Hosts(vec![Hop {
                host: ip.to_string(),
                port: settings.smtp_port,
                addrs: Some(vec![ip]),
                auth: None,
            }]),
            Err(_) => Destination::Fail(Attempt {
                status: "5.1.2".into(),
                smtp: false,
                remote: None,
                text: format!("bad address literal {domain}"),
            }),
        };
    }
    mx_hosts(resolver, domain, settings.smtp_port).await
}

/// RFC 5321 §5.1: MX hosts by preference (the order DNS gave for equal
/// ones), the domain itself as an implicit MX when it has none, and RFC
/// 7505's null MX as a permanent failure.
async fn mx_hosts(resolver: &dyn MxResolver, domain: &str, port: u16) -> Destination {
    let mut records = match resolver.mx(domain).await {
        Ok(records) => records,
        Err(e) => return Destination::Fail(dns_failure(domain, "MX", &e)),
    };
    // RFC 7505 §3: a single MX record with the root as its exchange.
    if records
        .iter()
        .any(|(_, host)| host == "." || host.is_empty())
    {
        return Destination::Fail(Attempt {
            status: "5.1.10".into(),
            smtp: false,
            remote: None,
            text: format!("556 5.1.10 Domain {domain} does not accept mail (nullMX)"),
        });
    }
    if records.is_empty() {
        records.push((0, domain.to_owned()));
    }
    records.sort_by_key(|(preference, _)| *preference);
    let mut hops = Vec::with_capacity(records.len());
    // With no usable host, a temporary lookup failure on any of them wins
    // over a name not found on another: once soft, it stays soft (Postfix),
    // so a DNS hiccup never bounces.
    let mut temporary = None;
    let mut permanent = None;
    // At most MX_ADDRESS_LIMIT addresses in all, in preference order, so a
    // hostile zone with many dead hosts cannot hold a delivery for long.
    let mut room = MX_ADDRESS_LIMIT;
    // An address that an earlier host already has is left out: two MX names
    // for one server are one server, tried once.
    let mut seen: Vec<IpAddr> = Vec::new();
    for (_, host) in records {
        if room == 0 {
            break;
        }
        let host = host.trim_end_matches('.').to_owned();
        match resolver.addresses(&host).await {
            Ok(mut addrs) if !addrs.is_empty() => {
                addrs.retain(|a| !seen.contains(a));
                addrs.truncate(room);
                if addrs.is_empty() {
                    continue;
                }
                room -= addrs.len();
                seen.extend_from_slice(&addrs);
                hops.push(Hop {
                    host,
                    port,
                    addrs: Some(addrs),
                    auth: None,
                });
            }
            Ok(_) | Err(ResolveError::NotFound) => {
                permanent = Some(dns_failure(&host, "A", &ResolveError::NotFound));
            }
            Err(e) => {
                temporary.get_or_insert_with(|| dns_failure(&host, "A", &e));
            }
        }
    }
    match temporary.or(permanent) {
        Some(failure) if hops.is_empty() => Destination::Fail(failure),
        _ => Destination::Hosts(hops),
    }
}

/// Postfix's words for a failed lookup: permanent for a name that does not
/// exist, temporary otherwise.
fn dns_failure(name: &str, kind: &str, e: &ResolveError) -> Attempt {
    let (status, text) = match e {
        ResolveError::NotFound => (
            "5.1.2",
            format!(
                "Host or domain name not found. Name service error for name={name} type={kind}: Host not found"
            ),
        ),
        ResolveError::Temporary(why) => (
            "4.4.3",
            format!(
                "Host or domain name not found. Name service error for name={name} type={kind}: {why}"
            ),
        ),
    };
    Attempt {
        status: status.into(),
        smtp: false,
        remote: None,
        text,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// DNS from a table.
    #[derive(Debug, Default)]
    pub(crate) struct FakeDns {
        pub(crate) mx: HashMap<String, Result<Vec<(u16, String)>, ResolveError>>,
        pub(crate) a: HashMap<String, Vec<IpAddr>>,
        /// Hosts whose address lookup fails temporarily.
        pub(crate) a_timeout: Vec<String>,
    }

    impl MxResolver for FakeDns {
        fn mx<'a>(
            &'a self,
            domain: &'a str,
        ) -> BoxFuture<'a, Result<Vec<(u16, String)>, ResolveError>> {
            let answer = self
                .mx
                .get(domain)
                .cloned()
                .unwrap_or(Err(ResolveError::NotFound));
            Box::pin(async move { answer })
        }

        fn addresses<'a>(
            &'a self,
            host: &'a str,
        ) -> BoxFuture<'a, Result<Vec<IpAddr>, ResolveError>> {
            let answer = if self.a_timeout.iter().any(|h| h == host) {
                Err(ResolveError::Temporary("timeout".into()))
            } else {
                self.a.get(host).cloned().ok_or(ResolveError::NotFound)
            };
            Box::pin(async move { answer })
        }
    }

    fn block_on<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn dns() -> FakeDns {
        let mut dns = FakeDns::default();
        dns.mx.insert(
            "b.test".into(),
            Ok(vec![
                (20, "mx2.b.test.".into()),
                (10, "mx1.b.test.".into()),
                (20, "mx3.b.test.".into()),
            ]),
        );
        dns.mx.insert("bare.test".into(), Ok(vec![]));
        dns.mx.insert("null.test".into(), Ok(vec![(0, ".".into())]));
        dns.mx.insert(
            "flaky.test".into(),
            Err(ResolveError::Temporary("timeout".into())),
        );
        dns.a.insert("mx1.b.test".into(), vec![ip("192.0.2.1")]);
        dns.a.insert(
            "mx2.b.test".into(),
            vec![ip("192.0.2.2"), ip("2001:db8::2")],
        );
        dns.a.insert("mx3.b.test".into(), vec![ip("192.0.2.3")]);
        dns.a.insert("bare.test".into(), vec![ip("192.0.2.9")]);
        dns
    }

    fn hosts(d: Destination) -> Vec<(String, u16)> {
        match d {
            Destination::Hosts(h) => h.into_iter().map(|h| (h.host, h.port)).collect(),
            Destination::Fail(a) => panic!("failed: {a:?}"),
        }
    }

    fn failure(d: Destination) -> Attempt {
        match d {
            Destination::Fail(a) => a,
            Destination::Hosts(h) => panic!("hosts: {h:?}"),
        }
    }

    #[test]
    fn mx_by_preference_then_address_fallback() {
        let dns = dns();
        let s = QueueSettings::new("q");
        let d = block_on(destination(&s, &dns, "b.test"));
        assert_eq!(
            hosts(d),
            [
                ("mx1.b.test".to_owned(), 25),
                ("mx2.b.test".to_owned(), 25),
                ("mx3.b.test".to_owned(), 25)
            ]
        );
        // No MX: the domain is its own MX (RFC 5321 §5.1).
        let Destination::Hosts(h) = block_on(destination(&s, &dns, "bare.test")) else {
            panic!()
        };
        assert_eq!(h[0].host, "bare.test");
        assert_eq!(h[0].addrs, Some(vec![ip("192.0.2.9")]));
    }

    #[test]
    fn an_address_two_mx_names_share_is_one_host() {
        let mut dns = dns();
        dns.mx.insert(
            "twice.test".into(),
            Ok(vec![
                (10, "a.twice.test.".into()),
                (20, "b.twice.test.".into()),
                (30, "c.twice.test.".into()),
            ]),
        );
        dns.a.insert("a.twice.test".into(), vec![ip("192.0.2.7")]);
        dns.a.insert(
            "b.twice.test".into(),
            vec![ip("192.0.2.7"), ip("192.0.2.8")],
        );
        dns.a.insert("c.twice.test".into(), vec![ip("192.0.2.8")]);
        let s = QueueSettings::new("q");
        let Destination::Hosts(h) = block_on(destination(&s, &dns, "twice.test")) else {
            panic!()
        };
        let addrs: Vec<_> = h
            .iter()
            .map(|h| (h.host.as_str(), h.addrs.clone()))
            .collect();
        assert_eq!(
            addrs,
            [
                ("a.twice.test", Some(vec![ip("192.0.2.7")])),
                ("b.twice.test", Some(vec![ip("192.0.2.8")])),
            ]
        );
    }

    #[test]
    fn null_mx_and_dns_failures() {
        let dns = dns();
        let s = QueueSettings::new("q");
        let a = failure(block_on(destination(&s, &dns, "null.test")));
        assert_eq!(a.status, "5.1.10");
        assert_eq!(
            a.text,
            "556 5.1.10 Domain null.test does not accept mail (nullMX)"
        );
        let a = failure(block_on(destination(&s, &dns, "nowhere.test")));
        assert_eq!(a.status, "5.1.2");
        assert_eq!(
            a.text,
            "Host or domain name not found. Name service error for name=nowhere.test type=MX: \
             Host not found"
        );
        assert_eq!(
            failure(block_on(destination(&s, &dns, "flaky.test"))).status,
            "4.4.3"
        );
        let Destination::Hosts(h) = block_on(destination(&s, &dns, "[ipv6:2001:db8::1]")) else {
            panic!()
        };
        assert_eq!(h[0].addrs, Some(vec![ip("2001:db8::1")]));
    }

    /// A zone with many hosts and addresses: five addresses in all, in
    /// preference order (Postfix's `smtp_mx_address_limit`).
    #[test]
    fn mx_addresses_are_capped() {
        let mut dns = FakeDns::default();
        let names: Vec<(u16, String)> = (0..10).map(|i| (i, format!("mx{i}.many.test"))).collect();
        for i in 0..10u8 {
            dns.a.insert(
                format!("mx{i}.many.test"),
                vec![ip(&format!("192.0.2.{i}")), ip(&format!("198.51.100.{i}"))],
            );
        }
        dns.mx.insert("many.test".into(), Ok(names));
        let s = QueueSettings::new("q");
        let Destination::Hosts(h) = block_on(destination(&s, &dns, "many.test")) else {
            panic!()
        };
        let addrs: Vec<IpAddr> = h.iter().flat_map(|h| h.addrs.clone().unwrap()).collect();
        assert_eq!(
            addrs,
            [
                ip("192.0.2.0"),
                ip("198.51.100.0"),
                ip("192.0.2.1"),
                ip("198.51.100.1"),
                ip("192.0.2.2")
            ]
        );
        assert_eq!(h.len(), 3);
    }

    /// A temporary failure on one MX host's lookup and a name not found on
    /// the next: temporary (4.4.3), whichever order they came in; a host
    /// that resolves is used whatever failed.
    #[test]
    fn a_soft_lookup_failure_stays_soft() {
        let mut dns = dns();
        dns.mx.insert(
            "mixed.test".into(),
            Ok(vec![
                (10, "slow.mixed.test.".into()),
                (20, "gone.mixed.test.".into()),
            ]),
        );
        dns.mx.insert(
            "mixed2.test".into(),
            Ok(vec![
                (10, "gone.mixed.test.".into()),
                (20, "slow.mixed.test.".into()),
            ]),
        );
        dns.mx.insert(
            "partly.test".into(),
            Ok(vec![
                (10, "slow.mixed.test.".into()),
                (20, "mx1.b.test.".into()),
            ]),
        );
        dns.a_timeout.push("slow.mixed.test".into());
        let s = QueueSettings::new("q");
        for domain in ["mixed.test", "mixed2.test"] {
            let a = failure(block_on(destination(&s, &dns, domain)));
            assert_eq!(a.status, "4.4.3", "{domain}");
            assert_eq!(
                a.text,
                "Host or domain name not found. Name service error for \
                 name=slow.mixed.test type=A: timeout"
            );
        }
        assert_eq!(
            hosts(block_on(destination(&s, &dns, "partly.test"))),
            [("mx1.b.test".to_owned(), 25)]
        );
        // Only names not found: permanent.
        dns.mx.insert(
            "gone.test".into(),
            Ok(vec![(10, "gone.mixed.test.".into())]),
        );
        assert_eq!(
            failure(block_on(destination(&s, &dns, "gone.test"))).status,
            "5.1.2"
        );
    }

    #[test]
    fn static_routes_and_smarthost_come_before_dns() {
        let dns = dns();
        let mut s = QueueSettings::new("q");
        s.routes
            .push(("B.test".into(), Relay::parse("127.0.0.1:2526").unwrap()));
        assert_eq!(
            hosts(block_on(destination(&s, &dns, "b.test"))),
            [("127.0.0.1".to_owned(), 2526)]
        );
        assert_eq!(
            hosts(block_on(destination(&s, &dns, "bare.test")))[0].0,
            "bare.test"
        );
        s.smarthost = Some(Relay::parse("[::1]:587").unwrap().with_auth("u", "secret"));
        let Destination::Hosts(h) = block_on(destination(&s, &dns, "null.test")) else {
            panic!()
        };
        assert_eq!((h[0].host.as_str(), h[0].port), ("::1", 587));
        assert_eq!(h[0].auth, Some(("u".into(), "secret".into())));
        assert!(!format!("{:?}", s.smarthost).contains("secret"));
        assert_eq!(Relay::parse("nohost"), None);
        assert_eq!(Relay::parse(":25"), None);
    }
}
