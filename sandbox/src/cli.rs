//! Command line of the sandbox: address, accepted tokens and OAuth clients, lifetimes, delays, TLS, state file.

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use crate::oauth::OAuthOptions;

pub const USAGE: &str = "\
usage: smartx-sandbox [options]

Local stand-in for the secuconnect Smart Transactions API (tests and demos only).
Prints the base URL it bound as its first stdout line; logs go to stderr; stops on SIGTERM/SIGINT.

For developing a register, one line:

  smartx-sandbox --dev      http://127.0.0.1:8080, plain HTTP, any bearer token (e.g. any-token), and the
                            transactions kept in ./smartx-sandbox.state.json, so a restart keeps them

  --dev                     the development preset above; --port, --state and the other flags still apply
                            (e.g. --dev --port 0 for any free port, --dev --state till.json)
  --host H                  loopback address to bind (default 127.0.0.1; localhost means 127.0.0.1)
  --port N                  port to bind (default 0 = any free port; 8080 with --dev)
  --token T                 a fixed bearer token that is always accepted (repeatable)
  --client ID:SECRET        OAuth client accepted by /oauth/token (repeatable;
                            default sandbox-client:sandbox-secret)
  --token-lifetime-ms N     lifetime of issued access tokens (default 1200000; expires_in = N/1000 rounded up)
  --device-interval-ms N    device flow polling interval (default 5000; below 1000 is reported as a fraction)
  --device-expires-ms N     device code lifetime (default 1200000)
  --device-auto-confirm N   confirm every device code by itself at its N-th poll (default: only through
                            POST /_sandbox/oauth/confirm)
  --reject-status S         status for an expired, replaced or unknown token: 401 (default) or 403 (code 2003)
  --terminal-delay-ms N     how long calls that wait for the card terminal take: start/cashless, debit, ccload,
                            canceltrx, endOfDay, diagnosis (default 0)
  --state FILE              load transactions from FILE at start, save them there after each change
                            (default none; smartx-sandbox.state.json in the working directory with --dev)
  --tls                     serve HTTPS with a leaf certificate (127.0.0.1, ::1, localhost) from a fresh CA
  --ca-out FILE             with --tls: write that CA certificate to FILE (PEM) before printing the URL
  --help                    print this text

Without --token and --client any non-empty bearer token is accepted, except tokens /oauth/token issued that
have expired. With either, only fixed and live issued tokens are.

API routes:
  POST /oauth/token                              grant_type client_credentials | refresh_token | device
  POST /api/v2/Smart/Transactions                create (basket, basket_info, idents, merchantRef, ...)
  GET  /api/v2/Smart/Transactions?count=&offset=&q=transactionRef:\"...\"   list
  GET  /api/v2/Smart/Transactions/{id}           read (a transaction's own behaviour never applies)
  PUT  /api/v2/Smart/Transactions/{id}           update, only before start
  POST /api/v2/Smart/Transactions/{id}/start/{method}   cash cashless debit invoice loyalty prepaid
                                                 cashless_direct ccload (demo auto)
  POST /api/v2/Smart/Transactions/{id}/preTransaction | cancel | abort
  POST /api/v2/Smart/Transactions/{receipt_number}/canceltrx
  POST /api/v2/Smart/Transactions/me/endOfDay | me/diagnosis
  GET  /api/v2/Loyalty/MerchantCards?q=card.cardnumber:N   the balance enquiry (count 0: no such card)
  GET  /api/v2/Loyalty/MerchantCards/{MCD_id}
  POST /api/v2/Loyalty/MerchantCards/{MCD_id}/checkCsc | checkPasscode | getCardBalanceReceipt
  GET  /api/v2/Smart/Devices/{SDV_id}   GET .../{SDV_id}/routing/{zvt|cashier}
  POST /api/v2/General/Contracts/{GCR_id}/getAvailablePaymentMethods

Control routes (no token):
  POST   /_sandbox/transactions {id?,count?,prefix?,behaviour?}   copies of the seed
  PUT    /_sandbox/transactions/{id}/behaviour B                   behaviour for calls naming that id
  GET    /_sandbox/transactions/{id}/requests                      what it received (never the token)
  POST   /_sandbox/rules {method?,path?,times?,behaviour}          behaviour for the next matching calls
  DELETE /_sandbox/rules
  PUT    /_sandbox/devices/{id}/online {online}                    the terminal goes offline / online
  GET    /_sandbox/stats                                           {api_requests}
  GET    /_sandbox/oauth/stats                                     token requests by grant
  POST   /_sandbox/oauth/confirm {user_code?,device_code?,deny?}   confirm (or deny) device codes
  POST   /_sandbox/oauth/expire {refresh_tokens?}                  expire issued tokens now
  POST   /_sandbox/oauth/slow_down {polls}                         next polls answer slow_down
  PUT    /_sandbox/oauth/reject_status {status: 401|403}

Behaviours B: {\"mode\": normal | late(delay_ms) | reset | reset_before | truncate | malformed |
  huge(mib,declared) | failed | terminal(delay_ms,decline) | html(status) | redirect(location,status) |
  empty(status) | error(status,code,error,details)}
";

/// What the sandbox was asked to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub host: IpAddr,
    pub port: u16,
    /// Fixed bearer tokens, always accepted.
    pub tokens: Vec<String>,
    /// True when `--token` or `--client` was given: unknown tokens are refused.
    pub strict_tokens: bool,
    pub oauth: OAuthOptions,
    pub reject_status: u16,
    pub terminal_delay: Duration,
    pub state_file: Option<PathBuf>,
    pub tls: bool,
    pub ca_out: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            tokens: Vec::new(),
            strict_tokens: false,
            oauth: OAuthOptions::default(),
            reject_status: 401,
            terminal_delay: Duration::ZERO,
            state_file: None,
            tls: false,
            ca_out: None,
        }
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

/// `--dev`: the port a developer's register points at (`http://127.0.0.1:8080`).
pub const DEV_PORT: u16 = 8080;
/// `--dev`: the state file, relative to the working directory (beside where the sandbox was started).
pub const DEV_STATE_FILE: &str = "smartx-sandbox.state.json";

/// Longest duration any `-ms` flag takes (a day), so a typo cannot overflow an Instant.
const MAX_MS: u64 = 86_400_000;

/// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, UsageError> {
    let mut options = Options::default();
    let mut clients = Vec::new();
    let mut dev = false;
    let mut port = None;
    let mut args = args.into_iter();
    while let Some(raw) = args.next() {
        let arg = raw.into_string().map_err(|raw| UsageError(format!("argument is not UTF-8: {raw:?}")))?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        if matches!(flag.as_str(), "--help" | "-h") {
            return Ok(Command::Help);
        }
        if flag == "--tls" && inline_value.is_none() {
            options.tls = true;
            continue;
        }
        if flag == "--dev" && inline_value.is_none() {
            dev = true;
            continue;
        }
        if !VALUE_FLAGS.contains(&flag.as_str()) {
            return Err(UsageError(format!("unknown argument: {flag}")));
        }
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
            "--port" => port = Some(parse_port(&value)?),
            "--token" => options.tokens.push(parse_token(value)?),
            "--client" => clients.push(parse_client(&value)?),
            "--token-lifetime-ms" => options.oauth.token_lifetime = parse_ms(&flag, &value, 1)?,
            "--device-interval-ms" => options.oauth.device_interval = parse_ms(&flag, &value, 1)?,
            "--device-expires-ms" => options.oauth.device_expires = parse_ms(&flag, &value, 1)?,
            "--device-auto-confirm" => {
                let polls = value.parse::<u32>().ok().filter(|n| *n >= 1);
                options.oauth.device_auto_confirm_polls =
                    Some(polls.ok_or_else(|| UsageError(format!("{flag} must be a poll count >= 1, not {value:?}")))?);
            }
            "--reject-status" => {
                options.reject_status = match value.as_str() {
                    "401" => 401,
                    "403" => 403,
                    _ => return Err(UsageError(format!("{flag} must be 401 or 403, not {value:?}"))),
                }
            }
            "--terminal-delay-ms" => options.terminal_delay = parse_ms(&flag, &value, 0)?,
            "--state" => options.state_file = Some(parse_path(&flag, value)?),
            _ => options.ca_out = Some(parse_path(&flag, value)?),
        }
    }
    // The preset fills in only what was not given, wherever --dev stands on the line.
    options.port = port.unwrap_or(if dev { DEV_PORT } else { 0 });
    if dev && options.state_file.is_none() {
        options.state_file = Some(PathBuf::from(DEV_STATE_FILE));
    }
    if options.ca_out.is_some() && !options.tls {
        return Err(UsageError("--ca-out needs --tls".into()));
    }
    options.strict_tokens = !options.tokens.is_empty() || !clients.is_empty();
    if !clients.is_empty() {
        options.oauth.clients = clients;
    }
    Ok(Command::Run(options))
}

const VALUE_FLAGS: [&str; 12] = [
    "--host",
    "--port",
    "--token",
    "--client",
    "--token-lifetime-ms",
    "--device-interval-ms",
    "--device-expires-ms",
    "--device-auto-confirm",
    "--reject-status",
    "--terminal-delay-ms",
    "--state",
    "--ca-out",
];

fn parse_client(value: &str) -> Result<(String, String), UsageError> {
    match value.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok((id.to_owned(), secret.to_owned())),
        _ => Err(UsageError("--client needs ID:SECRET, both non-empty".into())),
    }
}

fn parse_ms(flag: &str, value: &str, min: u64) -> Result<Duration, UsageError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=MAX_MS).contains(n))
        .map(Duration::from_millis)
        .ok_or_else(|| UsageError(format!("{flag} must be milliseconds {min}..={MAX_MS}, not {value:?}")))
}

fn parse_path(flag: &str, value: String) -> Result<PathBuf, UsageError> {
    if value.is_empty() {
        return Err(UsageError(format!("{flag} needs a file name")));
    }
    Ok(PathBuf::from(value))
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
    fn oauth_tls_and_state_flags() {
        let o = options(&[
            "--client",
            "id:se:cret",
            "--token-lifetime-ms=1500",
            "--device-interval-ms",
            "200",
            "--device-expires-ms",
            "3000",
            "--device-auto-confirm",
            "3",
            "--reject-status",
            "403",
            "--terminal-delay-ms",
            "0",
            "--state",
            "/tmp/s.json",
            "--tls",
            "--ca-out",
            "/tmp/ca.pem",
        ]);
        assert_eq!(o.oauth.clients, vec![("id".to_owned(), "se:cret".to_owned())]);
        assert_eq!(o.oauth.token_lifetime, Duration::from_millis(1500));
        assert_eq!(o.oauth.device_interval, Duration::from_millis(200));
        assert_eq!(o.oauth.device_expires, Duration::from_millis(3000));
        assert_eq!(o.oauth.device_auto_confirm_polls, Some(3));
        assert_eq!(o.reject_status, 403);
        assert_eq!(o.state_file, Some(PathBuf::from("/tmp/s.json")));
        assert_eq!(o.ca_out, Some(PathBuf::from("/tmp/ca.pem")));
        assert!(o.strict_tokens);
        assert!(!options(&[]).strict_tokens);
        assert!(options(&["--token", "t"]).strict_tokens);
        assert_eq!(options(&[]).oauth.clients, OAuthOptions::default().clients);
    }

    #[test]
    fn bad_oauth_flags_are_usage_errors() {
        for bad in [
            &["--client", "nocolon"][..],
            &["--client", ":s"],
            &["--token-lifetime-ms", "0"],
            &["--device-auto-confirm", "0"],
            &["--reject-status", "500"],
            &["--ca-out", "/tmp/x.pem"],
            &["--state", ""],
        ] {
            assert!(run(bad).is_err(), "{bad:?} accepted");
        }
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
    fn dev_is_port_8080_any_token_plain_http_and_a_state_file_beside_it() {
        let dev = options(&["--dev"]);
        assert_eq!(dev.port, 8080);
        assert_eq!(dev.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(!dev.strict_tokens && !dev.tls);
        assert_eq!(dev.state_file, Some(PathBuf::from("smartx-sandbox.state.json")));
        // Explicit flags win, before or after --dev.
        assert_eq!(options(&["--port", "0", "--dev"]).port, 0);
        assert_eq!(options(&["--dev", "--port=9000"]).port, 9000);
        assert_eq!(options(&["--dev", "--state", "till.json"]).state_file, Some(PathBuf::from("till.json")));
        assert!(options(&["--dev", "--token", "t"]).strict_tokens);
        assert!(run(&["--dev=yes"]).is_err());
        assert!(USAGE.contains("smartx-sandbox --dev"));
    }

    #[test]
    fn help_wins() {
        assert_eq!(run(&["--port", "1", "--help"]), Ok(Command::Help));
        assert_eq!(run(&["-h"]), Ok(Command::Help));
    }
}
