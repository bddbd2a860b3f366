//! Name resolution without a thread or a look-up where none is needed.
//!
//! With a timeout set, ureq's default resolver starts a thread for every call so that `getaddrinfo` can be
//! abandoned, even for `127.0.0.1`, and even when a pooled connection is about to be reused. Here an IP
//! literal or `localhost` needs no look-up at all, and a host name is looked up (by the default resolver,
//! within the time limit) at most once a minute: a payment neither waits for DNS nor fails on a DNS outage
//! while the connection to the API is open, and a moved host is found again within a minute.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are reused.
const LOOKUP_TTL: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct CachingResolver {
    lookup: DefaultResolver,
    /// One entry: a register talks to one API host.
    last: Mutex<Option<Lookup>>,
}

#[derive(Debug)]
struct Lookup {
    host: String,
    port: u16,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

impl Lookup {
    fn answers(&self, host: &str, port: u16, now: Instant) -> bool {
        self.host == host && self.port == port && now.saturating_duration_since(self.at) < LOOKUP_TTL
    }
}

impl Resolver for CachingResolver {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let port = uri.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        let (Some(host), Some(port)) = (uri.host(), port) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        if let Some(ips) = literal_addresses(host) {
            let mut addrs = self.empty();
            for ip in ips.into_iter().flatten() {
                addrs.push(SocketAddr::new(ip, port));
            }
            return Ok(addrs);
        }
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = last.as_ref().filter(|l| l.answers(host, port, now)) {
            return Ok(hit.addrs.clone());
        }
        // Looked up under the lock: threads paying at once wait for one look-up instead of each making one.
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        *last = Some(Lookup { host: host.to_owned(), port, at: now, addrs: addrs.clone() });
        Ok(addrs)
    }
}

/// The addresses of a host that needs no look-up: an IP literal (IPv6 in brackets, as in a URI), or
/// `localhost`, which RFC 6761 reserves for loopback.
fn literal_addresses(host: &str) -> Option<[Option<IpAddr>; 2]> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some([Some(Ipv4Addr::LOCALHOST.into()), Some(Ipv6Addr::LOCALHOST.into())]);
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    bare.parse::<IpAddr>().ok().map(|ip| [Some(ip), None])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_localhost_need_no_lookup() {
        assert_eq!(literal_addresses("127.0.0.1"), Some([Some("127.0.0.1".parse().unwrap()), None]));
        assert_eq!(literal_addresses("[::1]"), Some([Some("::1".parse().unwrap()), None]));
        assert_eq!(literal_addresses("LocalHost").unwrap()[0], Some(Ipv4Addr::LOCALHOST.into()));
        assert_eq!(literal_addresses("connect-testing.secuconnect.com"), None);
    }

    #[test]
    fn a_literal_resolves_with_its_port() {
        let config = Config::default();
        let resolver = CachingResolver::default();
        let timeout = NextTimeout::default();
        let addrs = resolver.resolve(&"http://127.0.0.1:8080/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"127.0.0.1:8080".parse::<SocketAddr>().unwrap()]);
        let addrs = resolver.resolve(&"https://[::1]/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"[::1]:443".parse::<SocketAddr>().unwrap()]);
        assert!(resolver.last.lock().unwrap().is_none(), "literals are not cached: nothing was looked up");
    }

    #[test]
    fn a_lookup_answers_the_same_host_and_port_for_a_minute() {
        let at = Instant::now();
        let lookup = Lookup { host: "api.example".into(), port: 443, at, addrs: CachingResolver::default().empty() };
        assert!(lookup.answers("api.example", 443, at + Duration::from_secs(59)));
        assert!(!lookup.answers("api.example", 443, at + LOOKUP_TTL));
        assert!(!lookup.answers("api.example", 8443, at));
        assert!(!lookup.answers("other.example", 443, at));
    }
}
