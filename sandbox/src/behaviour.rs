//! Misbehaviours the API's calls can be given, so clients can be tested against lost, late, broken and
//! unexpected answers. Set with the control API as JSON (`{"mode": "...", ...}`): per transaction (every call
//! naming its id but the read), or as a rule for the next calls of a method and path prefix.

use std::sync::Arc;

use axum::http::HeaderValue;
use serde_json::{Map, Value};
use tokio::sync::Notify;

/// How the `reset` behaviour reaches the connection: put into every request's extensions by the connection task
/// (serve.rs), fired by the handler, it makes that task reset the connection.
#[derive(Clone, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn fire(&self) {
        // notify_one keeps a permit, so the signal is not lost if the task is not waiting yet.
        self.0.notify_one();
    }

    /// Resolves once the handler has fired it.
    pub async fn fired(&self) {
        self.0.notified().await;
    }
}

/// Longest `late` delay and largest `huge` body accepted, so a typo cannot wedge a test run.
const MAX_DELAY_MS: u64 = 600_000;
const MAX_HUGE_MIB: u64 = 4096;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Behaviour {
    /// Start executes, the answer is the ordinary one.
    #[default]
    Normal,
    /// Start executes, the answer is sent after `delay_ms`.
    Late { delay_ms: u64 },
    /// The call executes, then the TCP connection is reset without an answer (lost answer after executing).
    Reset,
    /// The TCP connection is reset before the call executes (lost answer, nothing done).
    ResetBefore,
    /// Calls that wait for the card terminal take `delay_ms` there, and a start is declined if `decline`.
    Terminal { delay_ms: u64, decline: bool },
    /// Start executes, the answer declares its full length but only half of the body is sent.
    Truncate,
    /// Not executed; an HTML page with this status.
    Html { status: u16 },
    /// Start executes; 200 with a body of `mib` MiB, with Content-Length (`declared`) or chunked.
    Huge { mib: u64, declared: bool },
    /// Not executed; this status with a Location header.
    Redirect { location: String, status: u16 },
    /// A start executes but the transaction ends up "failed" (a declined card, with a receipt); 200 with it.
    Failed,
    /// Start executes; 200 with truncated JSON in a complete HTTP message.
    Malformed,
    /// Not executed; this status with an empty body.
    Empty { status: u16 },
    /// Not executed; this status with an API error body.
    Error { status: u16, code: Value, error: String, details: String },
}

impl Behaviour {
    /// Parses a behaviour document; the error text says what is wrong with it.
    pub fn from_json(value: &Value) -> Result<Behaviour, String> {
        let fields = value.as_object().ok_or("a behaviour must be a JSON object")?;
        let mode =
            fields.get("mode").ok_or("a behaviour needs \"mode\"")?.as_str().ok_or("\"mode\" must be a string")?;
        let f = Fields(fields);
        Ok(match mode {
            "normal" => Behaviour::Normal,
            "late" => Behaviour::Late { delay_ms: f.number("delay_ms", 1000, 0, MAX_DELAY_MS)? },
            "reset" => Behaviour::Reset,
            "reset_before" => Behaviour::ResetBefore,
            "terminal" => Behaviour::Terminal {
                delay_ms: f.number("delay_ms", 0, 0, MAX_DELAY_MS)?,
                decline: f.boolean("decline", false)?,
            },
            "truncate" => Behaviour::Truncate,
            "html" => Behaviour::Html { status: f.status("status", 500, 200..=599)? },
            "huge" => {
                Behaviour::Huge { mib: f.number("mib", 16, 1, MAX_HUGE_MIB)?, declared: f.boolean("declared", false)? }
            }
            "redirect" => Behaviour::Redirect { location: f.location()?, status: f.status("status", 307, 300..=399)? },
            "failed" => Behaviour::Failed,
            "malformed" => Behaviour::Malformed,
            "empty" => Behaviour::Empty { status: f.status("status", 200, 200..=599)? },
            "error" => Behaviour::Error {
                status: f.status("status", 500, 200..=599)?,
                code: f.code()?,
                error: f.text("error", "ProductInternalException")?,
                details: f.text("details", "Internal error")?,
            },
            other => return Err(format!("unknown mode {other:?}")),
        })
    }
}

/// A behaviour for the next calls whose method and path match, whatever transaction they name (create, list,
/// end of day and the token endpoint have no id of their own).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// None: any method.
    pub method: Option<String>,
    pub path_prefix: String,
    pub behaviour: Behaviour,
    /// How many calls it still applies to; None: until the rules are cleared.
    pub times: Option<u64>,
}

impl Rule {
    /// `{"method"?: "POST", "path"?: "/api/v2/Smart/Transactions", "times"?: 1, "behaviour": {...}}`;
    /// `path` is a prefix (default "/": every call), `times` 0 means until cleared (default 1).
    pub fn from_json(value: &Value) -> Result<Rule, String> {
        let fields = value.as_object().ok_or("a rule must be a JSON object")?;
        let behaviour = Behaviour::from_json(fields.get("behaviour").ok_or("a rule needs \"behaviour\"")?)?;
        let f = Fields(fields);
        let method = match fields.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) if !m.is_empty() => Some(m.to_ascii_uppercase()),
            Some(_) => return Err("\"method\" must be a method name".into()),
        };
        let path_prefix = f.text("path", "/")?;
        if !path_prefix.starts_with('/') {
            return Err("\"path\" must start with /".into());
        }
        let times = match f.number("times", 1, 0, u64::MAX)? {
            0 => None,
            n => Some(n),
        };
        Ok(Rule { method, path_prefix, behaviour, times })
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method) && path.starts_with(&self.path_prefix)
    }
}

/// The behaviour of the first rule matching this call, which is used up by it.
pub fn take_rule(rules: &mut Vec<Rule>, method: &str, path: &str) -> Option<Behaviour> {
    let index = rules.iter().position(|rule| rule.matches(method, path))?;
    let rule = &mut rules[index];
    let behaviour = rule.behaviour.clone();
    if let Some(times) = &mut rule.times {
        *times -= 1;
        if *times == 0 {
            rules.remove(index);
        }
    }
    Some(behaviour)
}

/// Typed access to the optional fields of a behaviour object, with defaults and limits.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn number(&self, key: &str, default: u64, min: u64, max: u64) -> Result<u64, String> {
        match self.0.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("{key:?} must be an integer {min}..={max}")),
        }
    }

    fn status(&self, key: &str, default: u16, range: std::ops::RangeInclusive<u16>) -> Result<u16, String> {
        let n = self.number(key, u64::from(default), u64::from(*range.start()), u64::from(*range.end()))?;
        Ok(n as u16)
    }

    fn boolean(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.0.get(key) {
            None => Ok(default),
            Some(v) => v.as_bool().ok_or_else(|| format!("{key:?} must be true or false")),
        }
    }

    fn text(&self, key: &str, default: &str) -> Result<String, String> {
        match self.0.get(key) {
            None => Ok(default.to_owned()),
            Some(v) => v.as_str().map(str::to_owned).ok_or_else(|| format!("{key:?} must be a string")),
        }
    }

    /// The API sends error codes as integers or strings; keep whichever was given.
    fn code(&self) -> Result<Value, String> {
        match self.0.get("code") {
            None => Ok(Value::from(1000)),
            Some(v @ (Value::Number(_) | Value::String(_))) => Ok(v.clone()),
            Some(_) => Err("\"code\" must be a number or a string".into()),
        }
    }

    fn location(&self) -> Result<String, String> {
        let location = self
            .0
            .get("location")
            .and_then(Value::as_str)
            .filter(|l| !l.is_empty())
            .ok_or("redirect needs \"location\" (a non-empty string)")?;
        HeaderValue::from_str(location).map_err(|_| "\"location\" is not a valid header value")?;
        Ok(location.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<Behaviour, String> {
        Behaviour::from_json(&value)
    }

    #[test]
    fn every_mode_with_explicit_fields() {
        assert_eq!(parse(json!({"mode":"normal"})), Ok(Behaviour::Normal));
        assert_eq!(parse(json!({"mode":"late","delay_ms":250})), Ok(Behaviour::Late { delay_ms: 250 }));
        assert_eq!(parse(json!({"mode":"reset"})), Ok(Behaviour::Reset));
        assert_eq!(parse(json!({"mode":"reset_before"})), Ok(Behaviour::ResetBefore));
        assert_eq!(
            parse(json!({"mode":"terminal","delay_ms":50,"decline":true})),
            Ok(Behaviour::Terminal { delay_ms: 50, decline: true })
        );
        assert_eq!(parse(json!({"mode":"truncate"})), Ok(Behaviour::Truncate));
        assert_eq!(parse(json!({"mode":"html","status":502})), Ok(Behaviour::Html { status: 502 }));
        assert_eq!(
            parse(json!({"mode":"huge","mib":3,"declared":true})),
            Ok(Behaviour::Huge { mib: 3, declared: true })
        );
        assert_eq!(
            parse(json!({"mode":"redirect","location":"http://127.0.0.1:1/x","status":302})),
            Ok(Behaviour::Redirect { location: "http://127.0.0.1:1/x".into(), status: 302 })
        );
        assert_eq!(parse(json!({"mode":"failed"})), Ok(Behaviour::Failed));
        assert_eq!(parse(json!({"mode":"malformed"})), Ok(Behaviour::Malformed));
        assert_eq!(parse(json!({"mode":"empty","status":204})), Ok(Behaviour::Empty { status: 204 }));
        assert_eq!(
            parse(json!({"mode":"error","status":403,"code":"2003","error":"E","details":"D"})),
            Ok(Behaviour::Error { status: 403, code: json!("2003"), error: "E".into(), details: "D".into() })
        );
    }

    #[test]
    fn rules_match_method_and_prefix_and_are_used_up() {
        let rule = |v: Value| Rule::from_json(&v).unwrap();
        let mut rules = vec![
            rule(json!({"method":"post","path":"/api/v2/Smart/Transactions/me/endOfDay","behaviour":{"mode":"reset"}})),
            rule(json!({"path":"/api/","times":2,"behaviour":{"mode":"html"}})),
            rule(json!({"path":"/oauth/token","times":0,"behaviour":{"mode":"empty"}})),
        ];
        assert_eq!(
            take_rule(&mut rules, "GET", "/api/v2/Smart/Transactions/me/endOfDay"),
            Some(Behaviour::Html { status: 500 })
        );
        assert_eq!(take_rule(&mut rules, "POST", "/api/v2/Smart/Transactions/me/endOfDay"), Some(Behaviour::Reset));
        assert_eq!(
            take_rule(&mut rules, "POST", "/api/v2/Smart/Transactions/me/endOfDay"),
            Some(Behaviour::Html { status: 500 })
        );
        assert_eq!(take_rule(&mut rules, "POST", "/api/v2/Smart/Transactions"), None);
        for _ in 0..3 {
            assert_eq!(take_rule(&mut rules, "POST", "/oauth/token"), Some(Behaviour::Empty { status: 200 }));
        }
        assert!(Rule::from_json(&json!({"behaviour":{"mode":"nope"}})).is_err());
        assert!(Rule::from_json(&json!({"path":"api","behaviour":{"mode":"reset"}})).is_err());
        assert!(Rule::from_json(&json!({"path":"/"})).is_err());
    }

    #[test]
    fn defaults() {
        assert_eq!(parse(json!({"mode":"late"})), Ok(Behaviour::Late { delay_ms: 1000 }));
        assert_eq!(parse(json!({"mode":"html"})), Ok(Behaviour::Html { status: 500 }));
        assert_eq!(parse(json!({"mode":"huge"})), Ok(Behaviour::Huge { mib: 16, declared: false }));
        assert_eq!(
            parse(json!({"mode":"redirect","location":"/elsewhere"})),
            Ok(Behaviour::Redirect { location: "/elsewhere".into(), status: 307 })
        );
        assert_eq!(parse(json!({"mode":"empty"})), Ok(Behaviour::Empty { status: 200 }));
        assert_eq!(
            parse(json!({"mode":"error"})),
            Ok(Behaviour::Error {
                status: 500,
                code: json!(1000),
                error: "ProductInternalException".into(),
                details: "Internal error".into()
            })
        );
    }

    #[test]
    fn malformed_documents_are_refused() {
        for bad in [
            json!([]),
            json!("late"),
            json!({}),
            json!({"mode": 1}),
            json!({"mode":"sometimes"}),
            json!({"mode":"late","delay_ms":-1}),
            json!({"mode":"late","delay_ms":"10"}),
            json!({"mode":"late","delay_ms":600_001}),
            json!({"mode":"html","status":99}),
            json!({"mode":"html","status":600}),
            json!({"mode":"huge","mib":0}),
            json!({"mode":"huge","declared":"yes"}),
            json!({"mode":"redirect"}),
            json!({"mode":"redirect","location":""}),
            json!({"mode":"redirect","location":"/x\r\nSet-Cookie: a=b"}),
            json!({"mode":"redirect","location":"/x","status":200}),
            json!({"mode":"error","code":[1]}),
            json!({"mode":"error","details":5}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad} accepted");
        }
    }
}
