//! Name resolution without a thread where none is needed.
//!
//! With a timeout set, ureq's default resolver starts a thread for every call so that `getaddrinfo` can be
//! abandoned; it does so even for `127.0.0.1`. A register calls its API host by name (that look-up keeps
//! the default resolver and its time limit), but an IP literal or `localhost` needs no look-up at all: no thread
//! per call, nothing left running when the library is unloaded.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

#[derive(Debug, Default)]
pub struct LiteralFirstResolver {
    lookup: DefaultResolver,
}

impl Resolver for LiteralFirstResolver {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let port = uri.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        match (uri.host().map(literal_addresses), port) {
            (Some(Some(ips)), Some(port)) => {
                let mut addrs = self.empty();
                for ip in ips.into_iter().flatten() {
                    addrs.push(SocketAddr::new(ip, port));
                }
                Ok(addrs)
            }
            _ => self.lookup.resolve(uri, config, timeout),
        }
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
        let resolver = LiteralFirstResolver::default();
        let timeout = NextTimeout::default();
        let addrs = resolver.resolve(&"http://127.0.0.1:8080/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"127.0.0.1:8080".parse::<SocketAddr>().unwrap()]);
        let addrs = resolver.resolve(&"https://[::1]/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"[::1]:443".parse::<SocketAddr>().unwrap()]);
    }
}
