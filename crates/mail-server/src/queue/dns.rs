//! [`MxResolver`] over hickory-resolver with the system's DNS
//! configuration (`/etc/resolv.conf`).

use std::net::IpAddr;

use futures::future::BoxFuture;
use hickory_resolver::TokioResolver;
use hickory_resolver::net::{DnsError, NetError, NoRecords};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::RData;

use super::route::{MxResolver, ResolveError};

/// DNS through hickory-resolver.
#[derive(Debug)]
pub struct SystemResolver {
    resolver: TokioResolver,
}

impl SystemResolver {
    /// A resolver with the system's configuration. Must be called within a
    /// tokio runtime.
    pub fn new() -> Result<Self, ResolveError> {
        let resolver = TokioResolver::builder_tokio()
            .and_then(|b| b.build())
            .map_err(|e| ResolveError::Temporary(e.to_string()))?;
        Ok(Self { resolver })
    }
}

/// Fully qualified, so the search list is not tried.
fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}

/// NXDOMAIN is permanent; "no records of this type" is an empty answer;
/// anything else is for now.
fn classify<T>(result: Result<Vec<T>, NetError>) -> Result<Vec<T>, ResolveError> {
    match result {
        Ok(v) => Ok(v),
        Err(NetError::Dns(DnsError::NoRecordsFound(NoRecords { response_code, .. }))) => {
            if response_code == ResponseCode::NXDomain {
                Err(ResolveError::NotFound)
            } else {
                Ok(Vec::new())
            }
        }
        Err(e) => Err(ResolveError::Temporary(e.to_string())),
    }
}

impl MxResolver for SystemResolver {
    fn mx<'a>(
        &'a self,
        domain: &'a str,
    ) -> BoxFuture<'a, Result<Vec<(u16, String)>, ResolveError>> {
        Box::pin(async move {
            let lookup = self.resolver.mx_lookup(fqdn(domain)).await.map(|l| {
                l.answers()
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::MX(mx) => {
                            let exchange = mx.exchange.to_ascii();
                            let exchange = if exchange == "." {
                                exchange
                            } else {
                                exchange.trim_end_matches('.').to_owned()
                            };
                            Some((mx.preference, exchange))
                        }
                        _ => None,
                    })
                    .collect()
            });
            classify(lookup)
        })
    }

    fn addresses<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, ResolveError>> {
        Box::pin(async move {
            let lookup = self
                .resolver
                .lookup_ip(fqdn(host))
                .await
                .map(|l| l.iter().collect());
            classify(lookup)
        })
    }
}
