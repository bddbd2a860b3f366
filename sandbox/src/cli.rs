//! Command line of the sandbox: which loopback address and port to bind, which tokens to accept, TLS or not.

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};

pub const USAGE: &str = "\
usage: smartx-sandbox [--host 127.0.0.1|::1|localhost] [--port N] [--token T]... [--tls]

Local stand-in for the secuconnect Smart Transactions API (tests and demos only).
Prints the base URL it bound as its first stdout line; logs go to stderr; stops on SIGTERM/SIGINT.

  --host H    loopback address to bind (default 127.0.0.1; localhost means 127.0.0.1)
  --port N    port to bind (default 0 = any free port)
  --token T   accept only this bearer token (repeatable; default: any non-empty token)
  --tls       serve HTTPS with a fresh self-signed certificate
  --help      print this text
";

/// What the sandbox was asked to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub host: IpAddr,
    pub port: u16,
    /// Accepted bearer tokens; empty means "any non-empty token".
    pub tokens: Vec<String>,
    pub tls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { host: IpAddr::V4(Ipv4Addr::LOCALHOST), port: 0, tokens: Vec::new(), tls: false }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Options),
    Help,
}

/// A command line the sandbox refuses; the text says why (exit code 2).
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, UsageError> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(raw) = args.next() {
        let arg = raw.into_string().map_err(|raw| UsageError(format!("argument is not UTF-8: {raw:?}")))?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--tls" if inline_value.is_none() => options.tls = true,
            "--host" | "--port" | "--token" => {
                let value = match inline_value {
                    Some(value) => value,
                    None => args
                        .next()
                        .ok_or_else(|| UsageError(format!("{flag} needs a value")))?
                        .into_string()
                        .map_err(|raw| UsageError(format!("{flag} value is not UTF-8: {raw:?}")))?,
                };
                match flag.as_str() {
                    "--host" => options.host = parse_host(&value)?,
                    "--port" => options.port = parse_port(&value)?,
                    _ => options.tokens.push(parse_token(value)?),
                }
            }
            _ => return Err(UsageError(format!("unknown argument: {flag}"))),
        }
    }
    Ok(Command::Run(options))
}

/// Only loopback addresses: the sandbox has no auth worth the name and must never be reachable from outside.
pub fn parse_host(value: &str) -> Result<IpAddr, UsageError> {
    if value.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let bare = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(value);
    match bare.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => Ok(ip),
        _ => Err(UsageError(format!("--host must be a loopback address (127.0.0.1, ::1 or localhost), not {value:?}"))),
    }
}

fn parse_port(value: &str) -> Result<u16, UsageError> {
    value.parse::<u16>().map_err(|_| UsageError(format!("--port must be a number 0..65535, not {value:?}")))
}

fn parse_token(value: String) -> Result<String, UsageError> {
    if value.trim().is_empty() {
        return Err(UsageError("--token needs a non-empty value".into()));
    }
    Ok(value.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn run(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    fn options(args: &[&str]) -> Options {
        match run(args) {
            Ok(Command::Run(options)) => options,
            other => panic!("expected options for {args:?}, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_ipv4_loopback_any_port_any_token_plain_http() {
        assert_eq!(options(&[]), Options::default());
        assert_eq!(Options::default().host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(Options::default().port, 0);
    }

    #[test]
    fn all_flags_in_both_spellings() {
        let o = options(&["--host", "::1", "--port=8080", "--token", "a", "--token=b", "--tls"]);
        assert_eq!(o.host, IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(o.port, 8080);
        assert_eq!(o.tokens, vec!["a".to_owned(), "b".to_owned()]);
        assert!(o.tls);
    }

    #[test]
    fn localhost_and_bracketed_ipv6_are_loopback() {
        assert_eq!(options(&["--host", "localhost"]).host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(options(&["--host=[::1]"]).host, IpAddr::V6(Ipv6Addr::LOCALHOST));
    }

    #[test]
    fn non_loopback_hosts_are_refused() {
        for host in ["0.0.0.0", "192.168.1.10", "::", "example.com", ""] {
            assert!(run(&["--host", host]).is_err(), "{host} accepted");
        }
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        assert!(run(&["--port", "70000"]).is_err());
        assert!(run(&["--port", "x"]).is_err());
        assert!(run(&["--port"]).is_err());
        assert!(run(&["--token", ""]).is_err());
        assert!(run(&["--verbose"]).is_err());
        assert!(run(&["--tls=yes"]).is_err());
        assert!(run(&["extra"]).is_err());
    }

    #[test]
    fn help_wins() {
        assert_eq!(run(&["--port", "1", "--help"]), Ok(Command::Help));
        assert_eq!(run(&["-h"]), Ok(Command::Help));
    }
}
