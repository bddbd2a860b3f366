//! Where calls go: the API's base URL, checked once, from the caller, the environment or a name.

use std::net::IpAddr;

use super::error::{sanitize, Error};

/// The API host of the testing environment (the default) and of the live one.
pub const TESTING_BASE_URL: &str = "https://connect-testing.secuconnect.com";
pub const LIVE_BASE_URL: &str = "https://connect.secucard.com";

/// The API host of every current SDK and of the seed.
pub const DEFAULT_BASE_URL: &str = TESTING_BASE_URL;

pub const ENV_BASE_URL: &str = "SX_BASE_URL";

/// A checked API base URL without a trailing slash: `https://` anywhere, `http://` only on loopback, so a
/// token never travels in clear text. Checked by parsing alone: no DNS look-up, no connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    const MAX_LEN: usize = 2048;

    pub fn parse(text: &str) -> Result<BaseUrl, Error> {
        let invalid = |why: &str| Error::invalid(format!("base URL {:?} {why}", sanitize(text, 200)));
        if text.len() > Self::MAX_LEN {
            return Err(invalid("is too long"));
        }
        let url = url::Url::parse(text).map_err(|e| invalid(url_error_words(e)))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("must not carry a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("must not have a query or fragment"));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(invalid(
                    "uses http:// for a host that is not loopback; only https:// may leave this machine",
                ))
            }
            _ => return Err(invalid("must start with https:// (or http:// for a loopback host)")),
        }
        if url.host().is_none() {
            return Err(invalid("has no host"));
        }
        Ok(BaseUrl(url.as_str().trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host (and port, if one is given), for messages.
    pub fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, rest)| rest);
        rest.split('/').next().unwrap_or(rest)
    }
}

/// What is wrong with a URL, in words for a support line rather than the URL parser's.
fn url_error_words(e: url::ParseError) -> &'static str {
    use url::ParseError as P;
    match e {
        P::RelativeUrlWithoutBase => {
            "is not a full URL: it must start with https:// (for example https://connect.secucard.com)"
        }
        P::EmptyHost => "has no host name",
        P::InvalidPort => "has a port that is not a number from 1 to 65535",
        P::InvalidIpv4Address | P::InvalidIpv6Address => "has an IP address that is not valid",
        P::InvalidDomainCharacter | P::IdnaError => "has a character that is not allowed in a host name",
        _ => "is not a valid URL",
    }
}

/// 127.0.0.0/8, ::1 and the name `localhost` (RFC 6761), decided without resolving anything.
pub(super) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl BaseUrl {
    /// `"testing"` and `"live"` name the two hosts; anything else is a URL, checked as by [`BaseUrl::parse`].
    pub fn named(text: &str) -> Result<BaseUrl, Error> {
        match text {
            "testing" => BaseUrl::parse(TESTING_BASE_URL),
            "live" => BaseUrl::parse(LIVE_BASE_URL),
            url => BaseUrl::parse(url),
        }
    }
}

impl BaseUrl {
    /// Reads `SX_BASE_URL`, else the default. An invalid value is an error, never a silent fall-back to the
    /// default host: a register configured for one host must not send its token to another.
    pub fn from_env() -> Result<BaseUrl, Error> {
        match std::env::var(ENV_BASE_URL) {
            Err(std::env::VarError::NotPresent) => BaseUrl::parse(DEFAULT_BASE_URL),
            Ok(v) => BaseUrl::parse(&v).map_err(|e| Error::invalid(format!("{ENV_BASE_URL}: {}", e.message))),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid(format!("{ENV_BASE_URL} is not valid UTF-8"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://connect-testing.secuconnect.com",
            "https://connect.secucard.com/",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000/",
            "http://LOCALHOST:1",
            "https://proxy.example/prefix/",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "http://127.0.0.1.nip.io",
            "http://[::ffff:127.0.0.1]",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "https://user:pw@host",
            "https://host/?q=1",
            "127.0.0.1:80",
            "",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn url_errors_are_plain_words() {
        let e = BaseUrl::parse("127.0.0.1:80").unwrap_err();
        assert!(e.message.contains("must start with https://") && !e.message.contains("relative URL"), "{}", e.message);
        assert!(BaseUrl::parse("https://h:99999").unwrap_err().message.contains("port"));
        assert_eq!(BaseUrl::parse("https://api.example:8443/x").unwrap().host(), "api.example:8443");
    }

    #[test]
    fn trailing_slash_is_dropped() {
        assert_eq!(BaseUrl::parse("http://127.0.0.1:80/").unwrap().as_str(), "http://127.0.0.1");
        assert_eq!(BaseUrl::parse("https://h/p/").unwrap().as_str(), "https://h/p");
    }

    #[test]
    fn names_and_urls() {
        assert_eq!(BaseUrl::named("testing").unwrap().as_str(), TESTING_BASE_URL);
        assert_eq!(BaseUrl::named("live").unwrap().as_str(), LIVE_BASE_URL);
        assert_eq!(BaseUrl::named("http://127.0.0.1:9/").unwrap().as_str(), "http://127.0.0.1:9");
        assert!(BaseUrl::named("Live").is_err());
    }
}
