//! What a command gives back: its exit code, its one JSON document (`--json`) or its text, and the failure that
//! ends it. Nothing else writes to stdout.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use serde_json::{json, Map, Value};
use smartx::http::{Error, ErrorKind};
use smartx::model::Verdict;

/// Done.
pub const EXIT_OK: i32 = 0;
/// The command failed (a call, a read, the configuration).
pub const EXIT_FAILED: i32 = 1;
/// Wrong usage: nothing was sent.
pub const EXIT_USAGE: i32 = 2;
/// `tx check`, `pay`: not paid (declined, aborted, created...).
pub const EXIT_NOT_PAID: i32 = 3;
/// `tx check`, `pay`: still in progress.
pub const EXIT_IN_PROGRESS: i32 = 4;
/// `tx check`, `pay`: a status that says neither.
pub const EXIT_UNKNOWN: i32 = 5;

/// A command that failed: the code name and message of the JSON `error`, what to do, the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub todo: Option<String>,
    pub exit: i32,
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Failure {
        Failure { code: code.to_owned(), message: message.into(), todo: None, exit: EXIT_FAILED }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { exit: EXIT_USAGE, ..Failure::new("usage", message) }
    }

    pub fn todo(mut self, todo: impl Into<String>) -> Failure {
        self.todo = Some(todo.into());
        self
    }

    pub fn exit(mut self, exit: i32) -> Failure {
        self.exit = exit;
        self
    }

    /// A failed call of the library, with what to do about its kind.
    pub fn of(e: &Error) -> Failure {
        Failure::new(code_name(e.kind), e.message.clone()).todo(what_to_do(e.kind))
    }

    pub fn to_json(&self) -> Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(todo) = &self.todo {
            error["what_to_do"] = json!(todo);
        }
        error
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::of(&e)
    }
}

/// The name of a library failure in the JSON `error.code`.
pub fn code_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "invalid_argument",
        ErrorKind::Connect => "connect",
        ErrorKind::OutcomeUnknown => "outcome_unknown",
        ErrorKind::Tls => "tls",
        ErrorKind::Unauthorized => "unauthorized",
        ErrorKind::Api => "api",
        ErrorKind::Http => "http",
        ErrorKind::BadResponse => "bad_response",
        ErrorKind::NotOk => "not_ok",
        ErrorKind::Cancelled => "cancelled",
        ErrorKind::Expired => "expired",
        ErrorKind::Journal => "journal",
    }
}

pub fn what_to_do(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "correct the value named above; nothing was sent",
        ErrorKind::Connect => "nothing was sent and it is safe to try again; run `smartx doctor` to see where the way to the API breaks",
        ErrorKind::OutcomeUnknown => "the call may have been executed: read the transaction back (`smartx tx check ID`) before doing it again",
        ErrorKind::Tls => "nothing was sent; run `smartx doctor`: a CA file (--ca-file) or a TLS-inspecting proxy may be missing",
        ErrorKind::Unauthorized => "the credentials were refused: check SX_CLIENT_ID and SX_CLIENT_SECRET or SX_TOKEN, or pair again (`smartx pair`)",
        ErrorKind::Api => "the API refused the call: read its message above",
        ErrorKind::Http | ErrorKind::BadResponse => "something between the till and the API answered instead of it: run `smartx doctor` and check the base URL and proxy",
        ErrorKind::NotOk => "the transaction is not paid: read its status above",
        ErrorKind::Cancelled => "nothing was saved; run the command again when ready",
        ErrorKind::Expired => "start again: the code or the refresh token expired",
        ErrorKind::Journal => "check the journal file's path and permissions",
    }
}

/// The name of a verdict in the JSON and the exit code that carries it.
pub fn verdict(verdict: Verdict) -> (&'static str, i32) {
    match verdict {
        Verdict::Paid => ("paid", EXIT_OK),
        Verdict::NotPaid => ("not_paid", EXIT_NOT_PAID),
        Verdict::InProgress => ("in_progress", EXIT_IN_PROGRESS),
        Verdict::Unknown => ("unknown", EXIT_UNKNOWN),
    }
}

pub fn verdict_advice(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Paid => "paid: print the receipt",
        Verdict::NotPaid => "not paid: starting the payment again is safe",
        Verdict::InProgress => "in progress: wait and check again (`smartx tx check ID`)",
        Verdict::Unknown => "unknown: ask a person to look at the transaction; never pay again on it",
    }
}

/// What a command says: its text lines (stdout) or its JSON fields, and its exit code.
pub struct Report {
    pub json: bool,
    fields: Map<String, Value>,
    text: Vec<u8>,
    pub exit: i32,
}

impl Report {
    pub fn new(json: bool) -> Report {
        Report { json, fields: Map::new(), text: Vec::new(), exit: EXIT_OK }
    }

    pub fn field(&mut self, name: &str, value: Value) {
        self.fields.insert(name.to_owned(), value);
    }

    /// A line of the text output (ignored with `--json`).
    pub fn line(&mut self, line: impl AsRef<str>) {
        if !self.json {
            self.text.extend_from_slice(line.as_ref().as_bytes());
            self.text.push(b'\n');
            let _ = std::io::stdout().write_all(&std::mem::take(&mut self.text));
        }
    }

    /// Bytes of the text output as they are (a receipt).
    pub fn bytes(&mut self, bytes: &[u8]) {
        if !self.json {
            let _ = std::io::stdout().write_all(bytes);
        }
    }

    /// Ends the command: the JSON document, or the failure on stderr; gives the exit code.
    pub fn finish(mut self, result: Result<(), Failure>) -> i32 {
        let exit = match &result {
            Ok(()) => self.exit,
            Err(failure) => failure.exit,
        };
        if self.json {
            let ok = result.is_ok() && exit == EXIT_OK;
            let mut document = Map::new();
            document.insert("ok".into(), json!(ok));
            document.append(&mut self.fields);
            if let Err(failure) = &result {
                document.insert("error".into(), failure.to_json());
            }
            print_json(&Value::Object(document));
        } else if let Err(failure) = &result {
            eprintln!("smartx: {}", failure.message);
            if let Some(todo) = &failure.todo {
                eprintln!("what to do: {todo}");
            }
        }
        let _ = std::io::stdout().flush();
        exit
    }
}

pub fn print_json(document: &Value) {
    let mut stdout = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut stdout, document);
    let _ = stdout.write_all(b"\n");
}

/// Runs `work` with a spinner on stderr saying `message`, only when stderr is a terminal.
pub fn waiting<T>(message: &str, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    spinner.set_message(message.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(100));
    let result = work();
    spinner.finish_and_clear();
    result
}
