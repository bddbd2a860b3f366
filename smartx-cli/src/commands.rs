//! The commands other than the doctor: pair, tx, receipt, pay cash, journal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use smartx::api::{self, PaymentMethod, RefQuery};
use smartx::http::{Answer, ErrorKind, TransactionId};
use smartx::journal::{Entry, Journal};
use smartx::model::{Transaction, Verdict};
use smartx::receipt::{self, CodePage, EscPos, Format, Line, Options};

use crate::out::{self, waiting, Failure, Report, EXIT_FAILED, EXIT_USAGE};
use crate::session::{self, Session};
use crate::Global;

#[derive(Args)]
pub struct PairArgs {
    /// The device's UUID, as the vendor registered it
    #[arg(long, value_name = "UUID")]
    device_uuid: String,
    /// Replace an existing --token-file
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
pub struct PayCashArgs {
    id: String,
    /// Do not ask (needed without a terminal)
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Args)]
pub struct ReceiptArgs {
    /// The transaction to read
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    id: Option<String>,
    /// A saved answer (a transaction's JSON) instead of reading one
    #[arg(long, value_name = "ANSWER.json")]
    file: Option<PathBuf>,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Args)]
pub struct JournalArgs {
    /// The journal file of the register
    #[arg(long, value_name = "FILE")]
    journal: PathBuf,
}

#[derive(Args)]
pub struct ReprintArgs {
    /// The entry's number (`smartx journal pending` lists them)
    seq: i64,
    #[arg(long, value_name = "FILE")]
    journal: PathBuf,
    /// The copy marker printed at the top and the bottom
    #[arg(long, default_value = "*** COPY ***")]
    marker: String,
    #[command(flatten)]
    render: RenderArgs,
}

/// How a receipt is rendered and where it goes: the fields of `sx_render_options`.
#[derive(Args)]
pub struct RenderArgs {
    /// The merchant copy instead of the customer's receipt
    #[arg(long)]
    merchant: bool,
    /// Characters per row, 20 to 80
    #[arg(long, default_value_t = 42, value_parser = clap::value_parser!(u32).range(20..=80))]
    columns: u32,
    #[arg(long, value_enum, default_value_t = ReceiptFormat::Text)]
    format: ReceiptFormat,
    /// The printer's code page (ESC/POS)
    #[arg(long, value_enum, default_value_t = Codepage::Cp858)]
    codepage: Codepage,
    /// ESC/POS: feed and cut the paper at the end
    #[arg(long)]
    cut: bool,
    /// Write the bytes to this file or printer device (written in place, never replaced)
    #[arg(long, value_name = "FILE|DEVICE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReceiptFormat {
    Text,
    Escpos,
}

#[derive(Clone, Copy, ValueEnum)]
enum Codepage {
    Cp858,
    Cp437,
    #[value(name = "windows-1252")]
    Windows1252,
    #[value(name = "iso-8859-15")]
    Iso8859_15,
}

impl RenderArgs {
    fn options(&self) -> Options {
        let code_page = match self.codepage {
            Codepage::Cp858 => CodePage::Cp858,
            Codepage::Cp437 => CodePage::Cp437,
            Codepage::Windows1252 => CodePage::Windows1252,
            Codepage::Iso8859_15 => CodePage::Iso8859_15,
        };
        let format = match self.format {
            ReceiptFormat::Text => Format::Text,
            ReceiptFormat::Escpos => Format::EscPos(EscPos { code_page, no_init: false, cut: self.cut }),
        };
        Options { columns: self.columns as usize, format }
    }

    /// The receipt of `tx` as `sx_receipt_render` (or, with a marker, `sx_receipt_render_copy`) gives it.
    fn render(&self, tx: &Transaction, marker: Option<&str>) -> Result<Vec<u8>, Failure> {
        let lines = if self.merchant { &tx.receipt_merchant } else { &tx.receipt };
        if self.merchant && lines.is_empty() {
            return Err(Failure::new("no_merchant_copy", "the transaction has no merchant copy (receipt_merchant)")
                .todo("print the customer's receipt (without --merchant) for the merchant too"));
        }
        let lines = receipt::between_markers(lines.iter().map(|line| Line::of(line, &tx.texts)), marker);
        receipt::render(lines, &self.options()).map_err(|e| Failure::usage(e.to_string()))
    }

    /// Writes the bytes where they go: `--out` in place, else stdout (text output) or the JSON document.
    fn emit(&self, bytes: &[u8], report: &mut Report) -> Result<(), Failure> {
        report.field("bytes", json!(bytes.len()));
        if let Some(path) = &self.out {
            // Opened for writing without truncating first: a printer device is written, a file overwritten
            // in place (its extra tail cut after), never replaced by another file.
            let written =
                std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path).and_then(|mut file| {
                    file.write_all(bytes)?;
                    if file.metadata()?.is_file() {
                        file.set_len(bytes.len() as u64)?;
                    }
                    file.flush()
                });
            written.map_err(|e| Failure::new("io", format!("{} cannot be written ({e})", path.display())))?;
            report.field("out", json!(path.display().to_string()));
            return Ok(());
        }
        match self.format {
            ReceiptFormat::Text => report.field("receipt", json!(String::from_utf8_lossy(bytes))),
            ReceiptFormat::Escpos => report.field("receipt_hex", json!(hex(bytes))),
        }
        report.bytes(bytes);
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn transaction_id(id: &str) -> Result<TransactionId<'_>, Failure> {
    TransactionId::parse(id).map_err(|e| Failure::usage(e.message))
}

/// The answer's JSON as it came, for the JSON document.
fn body_json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

fn text(tx: &Transaction, field: Option<smartx::model::TextRef>) -> &str {
    tx.text(field).unwrap_or("-")
}

fn describe(tx: &Transaction, report: &mut Report) {
    report.line(format!("id:              {}", text(tx, tx.id)));
    report.line(format!("status:          {}", text(tx, tx.status)));
    report.line(format!("payment method:  {}", text(tx, tx.payment_method)));
    report.line(format!("transactionRef:  {}", text(tx, tx.transaction_ref)));
    report.line(format!("merchantRef:     {}", text(tx, tx.merchant_ref)));
    report.line(format!("receipt number:  {}", text(tx, tx.receipt_number)));
    report.line(format!("created:         {}", text(tx, tx.created)));
    report.line(format!("receipt lines:   {} (merchant copy: {})", tx.receipt.len(), tx.receipt_merchant.len()));
}

/// Runs a command's calls with a session whose renewed refresh token is saved afterwards.
fn with_session<T>(global: &Global, work: impl FnOnce(&Session) -> Result<T, Failure>) -> Result<T, Failure> {
    let session = Session::open(global)?;
    let result = work(&session);
    session.save_renewed()?;
    result
}

pub fn tx_get(global: &Global, id: &str, report: &mut Report) -> Result<(), Failure> {
    let id = transaction_id(id)?;
    with_session(global, |session| {
        let answer = waiting("reading the transaction", || api::get(&session.client, id));
        let body = body_json(&answer.body);
        let tx = answer.into_result()?;
        report.field("transaction", body);
        describe(&tx, report);
        Ok(())
    })
}

pub fn tx_check(global: &Global, id: &str, report: &mut Report) -> Result<(), Failure> {
    let id = transaction_id(id)?;
    with_session(global, |session| {
        let checked = waiting("reading the transaction", || api::check(&session.client, id));
        let body = body_json(&checked.answer.body);
        let (verdict, tx) = checked.into_result()?;
        report_verdict(verdict, &tx, body, report);
        Ok(())
    })
}

fn report_verdict(verdict: Verdict, tx: &Transaction, body: Value, report: &mut Report) {
    let (name, exit) = out::verdict(verdict);
    report.exit = exit;
    report.field("verdict", json!(name));
    report.field("status", json!(tx.text(tx.status)));
    report.field("transaction", body);
    report.line(format!("{} is {}: {}", text(tx, tx.id), text(tx, tx.status), out::verdict_advice(verdict)));
}

pub fn tx_list(global: &Global, reference: &str, report: &mut Report) -> Result<(), Failure> {
    let query = RefQuery::transaction_ref(reference).map_err(|e| Failure::usage(e.message))?;
    with_session(global, |session| {
        let page = waiting("listing", || api::list(&session.client, &query, 100, 0)).into_result()?;
        let found: Vec<Value> =
            page.data.iter().map(|tx| serde_json::from_str(tx.source.text()).unwrap_or(Value::Null)).collect();
        report.field("count", json!(found.len()));
        report.field("transactions", Value::Array(found));
        for tx in &page.data {
            report.line(format!("{}  {}  {}", text(tx, tx.id), text(tx, tx.status), text(tx, tx.created)));
        }
        if page.data.is_empty() {
            report.line(format!("no transaction has the reference {reference:?}"));
        }
        Ok(())
    })
}

pub fn receipt(global: &Global, args: &ReceiptArgs, report: &mut Report) -> Result<(), Failure> {
    let tx = match (&args.file, &args.id) {
        (Some(file), _) => {
            let json = std::fs::read(file)
                .map_err(|e| Failure::new("io", format!("{} cannot be read ({e})", file.display())))?;
            Transaction::from_json(&json)
                .map_err(|e| Failure::new("bad_response", format!("{} is not a transaction ({e})", file.display())))?
        }
        (None, Some(id)) => {
            let id = transaction_id(id)?;
            with_session(global, |session| {
                Ok(waiting("reading the transaction", || api::get(&session.client, id)).into_result()?)
            })?
        }
        (None, None) => return Err(Failure::usage("name a transaction ID or --file ANSWER.json")),
    };
    let bytes = args.render.render(&tx, None)?;
    args.render.emit(&bytes, report)
}

/// Asks on the terminal (stderr and stdin), never on stdout; `false` without one.
fn confirmed(question: &str) -> Option<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

pub fn pay_cash(global: &Global, args: &PayCashArgs, report: &mut Report) -> Result<(), Failure> {
    let id = transaction_id(&args.id)?;
    let session = Session::open(global)?;
    if !args.yes {
        match confirmed(&format!("Register cash payment for {}?", args.id)) {
            Some(true) => {}
            Some(false) => return Err(Failure::new("not_confirmed", "not confirmed: nothing was sent")),
            None => {
                return Err(Failure::usage("no terminal to ask on: nothing was sent")
                    .todo("pass --yes to register the cash payment without asking"))
            }
        }
    }
    let answer: Answer =
        waiting("registering the cash payment", || api::start(&session.client, id, PaymentMethod::CASH));
    let body = body_json(&answer.body);
    let result = match answer.result {
        Ok(()) | Err(smartx::http::Error { kind: ErrorKind::NotOk, .. }) => {
            let Some(tx) = answer.transaction else {
                return Err(Failure::new("bad_response", "the answer held no transaction"));
            };
            let verdict = Verdict::of(tx.text(tx.status));
            report_verdict(verdict, &tx, body, report);
            print_receipt(&args.render, &tx, report)
        }
        Err(e) if e.kind == ErrorKind::OutcomeUnknown => {
            report.line(format!("the answer was lost ({}); reading the transaction back once", e.message));
            report.field("answer_lost", json!(e.message));
            let checked = waiting("reading the transaction back", || api::check(&session.client, id));
            let body = body_json(&checked.answer.body);
            match checked.into_result() {
                Ok((verdict, tx)) => {
                    report_verdict(verdict, &tx, body, report);
                    if verdict == Verdict::Paid {
                        print_receipt(&args.render, &tx, report)
                    } else {
                        Ok(())
                    }
                }
                Err(read) => Err(Failure::new(
                    "outcome_unknown",
                    format!("the payment may have been registered and the read-back failed too ({})", read.message),
                )
                .todo(format!("run `smartx tx check {}` before paying again; never pay again blindly", args.id))
                .exit(out::EXIT_UNKNOWN)),
            }
        }
        Err(e) => Err(Failure::of(&e)),
    };
    session.save_renewed()?;
    result
}

fn print_receipt(render: &RenderArgs, tx: &Transaction, report: &mut Report) -> Result<(), Failure> {
    if tx.receipt.is_empty() && !render.merchant {
        return Ok(());
    }
    let bytes = render.render(tx, None)?;
    render.emit(&bytes, report)
}

pub fn pair(global: &Global, args: &PairArgs, report: &mut Report) -> Result<(), Failure> {
    let Some(path) = &global.token_file else {
        return Err(Failure::usage("pair saves the refresh token: pass --token-file FILE"));
    };
    if path.exists() && !args.force {
        return Err(Failure::new("exists", format!("{} exists already: nothing was sent", path.display()))
            .todo("pass --force to pair again and replace it, or another --token-file"));
    }
    let client_id = session::client_id()?;
    let (client, _) = session::configure(global)?;
    let client = Arc::new(client);
    let cancel = Arc::clone(&client);
    ctrlc::set_handler(move || cancel.cancel())
        .map_err(|e| Failure::new("io", format!("Ctrl-C cannot be caught ({e})")))?;
    let mut shown = None;
    let paired = client.pair(client_id, &args.device_uuid, &mut |code| {
        eprintln!(
            "Enter the code {} at {} within {} minutes (Ctrl-C cancels).",
            code.user_code,
            code.verification_url,
            code.expires_in.as_secs().div_ceil(60)
        );
        shown = Some((code.user_code.clone(), code.verification_url.clone()));
    });
    if let Some((user_code, url)) = &shown {
        report.field("user_code", json!(user_code));
        report.field("verification_url", json!(url));
    }
    match paired {
        Ok(()) => {}
        Err(e) if e.kind == ErrorKind::Cancelled => {
            return Err(Failure::new("cancelled", "pairing cancelled (Ctrl-C): nothing was saved")
                .todo("run `smartx pair` again when the code can be entered"))
        }
        Err(e) => return Err(Failure::of(&e)),
    }
    let Some(refresh) = client.refresh_token() else {
        return Err(Failure::new("bad_response", "the pairing brought no refresh token: nothing was saved"));
    };
    session::write_token_file(path, &refresh, args.force)?;
    report.field("token_file", json!(path.display().to_string()));
    report.line(format!("paired: the refresh token is saved in {} (mode 0600)", path.display()));
    Ok(())
}

fn open_journal(path: &std::path::Path) -> Result<Journal, Failure> {
    if !path.exists() {
        return Err(Failure::usage(format!("{} does not exist", path.display())).exit(EXIT_FAILED));
    }
    Journal::open(path, Duration::from_secs(5)).map_err(|e| Failure::of(&e))
}

fn entry_json(entry: &Entry) -> Value {
    json!({
        "seq": entry.seq,
        "call": format!("{:?}", entry.call).to_lowercase(),
        "outcome": format!("{:?}", entry.outcome).to_lowercase(),
        "transaction_id": entry.transaction_id,
        "method": entry.method,
        "reference": entry.reference,
        "began_ms": entry.began_ms,
        "http_status": entry.http_status,
    })
}

pub fn journal_pending(_global: &Global, args: &JournalArgs, report: &mut Report) -> Result<(), Failure> {
    let journal = open_journal(&args.journal)?;
    let pending = journal.pending()?;
    report.field("pending", Value::Array(pending.iter().map(entry_json).collect()));
    for entry in &pending {
        report.line(format!(
            "{:>6}  {:<16} {:<34} {:<10} {}",
            entry.seq,
            format!("{:?}", entry.call).to_lowercase(),
            if entry.transaction_id.is_empty() { "-" } else { &entry.transaction_id },
            if entry.method.is_empty() { "-" } else { &entry.method },
            entry.reference
        ));
    }
    if pending.is_empty() {
        report.line("no pending entry: every call's outcome is known");
    }
    Ok(())
}

pub fn journal_reconcile(global: &Global, args: &JournalArgs, report: &mut Report) -> Result<(), Failure> {
    if !args.journal.exists() {
        return Err(Failure::new("journal", format!("{} does not exist", args.journal.display())));
    }
    with_session(global, |session| {
        session.client.open_journal(&args.journal)?;
        let reconciled = waiting("reconciling", || api::reconcile(&session.client));
        report.field("settled", json!(reconciled.settled));
        report.field("still_pending", json!(reconciled.still_pending));
        report.line(format!("settled {}, still pending {}", reconciled.settled, reconciled.still_pending));
        reconciled.result.map_err(|e| Failure::of(&e))
    })
}

pub fn journal_reprint(_global: &Global, args: &ReprintArgs, report: &mut Report) -> Result<(), Failure> {
    let journal = open_journal(&args.journal)?;
    let entry = journal
        .entry(args.seq)?
        .ok_or_else(|| Failure::usage(format!("the journal has no entry {}", args.seq)).exit(EXIT_USAGE))?;
    let answer = entry.answer.as_deref().ok_or_else(|| {
        Failure::new("no_receipt", format!("entry {} kept no transaction: there is no receipt to print", args.seq))
            .todo("reconcile first (`smartx journal reconcile`), or read it with `smartx tx get ID`")
    })?;
    let tx = Transaction::from_json(answer)
        .map_err(|e| Failure::new("journal", format!("entry {} holds no readable transaction ({e})", args.seq)))?;
    let bytes = args.render.render(&tx, Some(&args.marker))?;
    args.render.emit(&bytes, report)
}
