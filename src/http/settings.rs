//! Everything a client is configured with: where it calls, how long it waits, whom it trusts, which proxy.

use std::time::Duration;

use super::base_url::{is_loopback, BaseUrl};
use super::config::Timeouts;
use super::error::{sanitize, Error};
use super::transport::TrustedRoots;

/// Calls that wait for a card terminal (start cashless, canceltrx, endOfDay, diagnosis) take minutes.
pub const DEFAULT_TERMINAL_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// An HTTP CONNECT proxy, `http://host:port`, set explicitly (never read from the environment). The proxy sees
/// only the host and port of each call: the request itself travels through the tunnel, inside TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: url::Url,
}

impl ProxyUrl {
    pub fn parse(text: &str) -> Result<ProxyUrl, Error> {
        // A user name or password is never echoed: only what follows the last `@` is shown.
        let shown = sanitize(text.rsplit('@').next().unwrap_or(text), 200);
        let invalid = |why: &str| Error::invalid(format!("proxy URL {shown:?} {why}"));
        if text.len() > 2048 {
            return Err(invalid("is too long"));
        }
        let url = url::Url::parse(text).map_err(|e| invalid(&format!("is not a URL ({e})")))?;
        if url.scheme() != "http" {
            return Err(invalid("must start with http:// (an HTTP CONNECT proxy)"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("must not carry a user name or password"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("must be http://host:port and nothing more"));
        }
        if url.host().is_none() || url.port().is_none() {
            return Err(invalid("must name a host and a port"));
        }
        Ok(ProxyUrl { url })
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.url)
    }

    pub(crate) fn url(&self) -> &url::Url {
        &self.url
    }

    pub(crate) fn to_ureq(&self) -> ureq::Proxy {
        // Checked above as http://host:port, which ureq accepts.
        ureq::Proxy::new(self.url.as_str()).expect("a checked http://host:port proxy URL")
    }
}

/// The configuration of one client.
#[derive(Clone)]
pub struct Settings {
    pub base: BaseUrl,
    pub timeouts: Timeouts,
    /// The total timeout of the calls that wait for a card terminal.
    pub terminal: Duration,
    pub roots: TrustedRoots,
    pub proxy: Option<ProxyUrl>,
}

impl Settings {
    pub fn new(base: BaseUrl, timeouts: Timeouts) -> Settings {
        Settings { base, timeouts, terminal: DEFAULT_TERMINAL_TIMEOUT, roots: TrustedRoots::default(), proxy: None }
    }

    /// 0 stands for the default of each.
    pub fn set_timeouts(&mut self, connect_ms: u32, total_ms: u32, terminal_ms: u32) {
        self.timeouts = Timeouts::from_millis(connect_ms, total_ms);
        self.terminal =
            if terminal_ms == 0 { DEFAULT_TERMINAL_TIMEOUT } else { Duration::from_millis(terminal_ms.into()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_are_http_host_port() {
        assert!(ProxyUrl::parse("http://127.0.0.1:3128").unwrap().is_loopback());
        assert!(!ProxyUrl::parse("http://proxy.shop.local:8080/").unwrap().is_loopback());
        for bad in ["https://p:1", "socks5://p:1", "http://u:pw@p:1", "http://p", "http://p:1/x", "p:1", ""] {
            assert!(ProxyUrl::parse(bad).is_err(), "{bad}");
        }
        let e = ProxyUrl::parse("http://user:secret@p:1").unwrap_err();
        assert!(e.message.contains("user name") && !e.message.contains("secret"), "{}", e.message);
    }

    #[test]
    fn terminal_timeout_defaults_to_five_minutes() {
        let mut s = Settings::new(BaseUrl::named("testing").unwrap(), Timeouts::default());
        s.set_timeouts(0, 0, 0);
        assert_eq!(s.terminal, Duration::from_secs(300));
        s.set_timeouts(0, 0, 1500);
        assert_eq!(s.terminal, Duration::from_millis(1500));
    }
}
