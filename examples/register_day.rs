//! A register's whole day through the Rust API (`smartx::api`), the calls the C functions are glue over:
//! a basket with the customer's card, create, update, a cash sale with its receipt printed, a card sale the
//! terminal declines, a reversal, an abort, a sale whose answer is lost and settled by `check`, and the end of
//! day.
//!
//!     cargo run --example register_day -- http://127.0.0.1:8080
//!
//! The base URL comes from the first argument, else `SX_BASE_URL`; the client credentials from `SX_CLIENT_ID`
//! and `SX_CLIENT_SECRET` (default: the sandbox's `sandbox-client` / `sandbox-secret`). Against the sandbox
//! (`cargo run -p smartx-sandbox`) every sale is paid unless its rules say otherwise; tests/docs/register_day.rs
//! makes it decline the card and lose an answer, and checks what this prints.

use std::process::ExitCode;
use std::thread::sleep;
use std::time::Duration;

use smartx::api::{self, Answer, NewBasket, NewProduct, PaymentMethod, Verdict};
use smartx::auth::ClientId;
use smartx::http::{BaseUrl, Error, ErrorKind, TransactionId};
use smartx::model::Transaction;
use smartx::receipt::{self, Line, Options};

fn main() -> ExitCode {
    match day() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("the day stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

fn day() -> Result<(), Error> {
    let base = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("SX_BASE_URL").ok())
        .ok_or_else(|| Error::invalid("give the API's base URL as the first argument or in SX_BASE_URL"))?;
    let client = api::Client::new(BaseUrl::parse(&base)?);
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    client.use_client_credentials(ClientId {
        id: env("SX_CLIENT_ID", "sandbox-client"),
        secret: env("SX_CLIENT_SECRET", "sandbox-secret"),
    });
    // Connect 5 s, other calls 30 s, the card terminal 3 minutes.
    client.set_timeouts(5_000, 30_000, 180_000);

    // Sale 1: a basket with the customer's card, created, then changed before paying (an update must carry
    // the whole basket), paid in cash.
    let mut basket = NewBasket::new("EUR")?;
    basket.add_product(product("Brötchen", 3, 45, 7))?;
    basket.set_ident(Some("9276004429942845"))?;
    basket.set_refs(Some("till-7"), Some("Beleg 1001"))?;
    let created = api::create(&client, &basket).into_result()?;
    let first = id_of(&created)?;
    println!("sale 1: created {first}, status {}, sum {}", status(&created), sum(&created));
    basket.add_product(product("Kaffee", 1, 250, 19))?;
    let updated = api::update(&client, TransactionId::parse(&first)?, &basket).into_result()?;
    println!("sale 1: updated, sum {}", sum(&updated));
    let paid = api::start(&client, TransactionId::parse(&first)?, PaymentMethod::parse("cash")?).into_result()?;
    println!("sale 1: {}", status(&paid));
    print_receipt(&paid);
    let found = api::list(&client, &api::RefQuery::transaction_ref("Beleg 1001")?, 10, 0).into_result()?;
    println!("sale 1: found by its reference: {} transaction(s)", found.count.unwrap_or(0));

    // Sale 2: a card at the terminal. Declined or not, the receipt is printed.
    let second = create_sale(&client, "Beleg 1002", product("Zeitung", 1, 320, 7))?;
    match settle(api::start(&client, TransactionId::parse(&second)?, PaymentMethod::parse("cashless")?)) {
        Ok(tx) => {
            println!("sale 2: card paid: {}", status(&tx));
            print_receipt(&tx);
        }
        Err(Failed { error, transaction: Some(tx) }) if error.kind == ErrorKind::NotOk => {
            println!("sale 2: card declined: {}", status(&tx));
            print_receipt(&tx);
        }
        Err(Failed { error, .. }) => println!("sale 2: not paid: {error}"),
    }

    // Sale 1 is taken back: the customer returns everything.
    let cancelled = api::cancel(&client, TransactionId::parse(&first)?).into_result()?;
    println!("sale 1: reversed, {}", status(&cancelled));

    // Sale 3: the customer leaves before paying.
    let third = create_sale(&client, "Beleg 1003", product("Kuchen", 2, 180, 7))?;
    let aborted = api::abort(&client, TransactionId::parse(&third)?).into_result()?;
    println!("sale 3: aborted, {}", status(&aborted));

    // Sale 4: the answer to the start is lost. Never start again blindly: check.
    let fourth = create_sale(&client, "Beleg 1004", product("Brot", 1, 390, 7))?;
    let id = TransactionId::parse(&fourth)?;
    match settle(api::start(&client, id, PaymentMethod::parse("cash")?)) {
        Ok(tx) => println!("sale 4: {}", status(&tx)),
        Err(Failed { error, .. }) if error.kind == ErrorKind::OutcomeUnknown => {
            println!("sale 4: the answer was lost ({error}); checking");
            settle_lost_answer(&client, id)?;
        }
        Err(Failed { error, .. }) => println!("sale 4: not paid: {error}"),
    }

    // The end of the day at the card terminal: its report is printed.
    match settle(api::end_of_day(&client)) {
        Ok(report) => {
            println!("end of day: {}", status(&report));
            print_receipt(&report);
        }
        Err(Failed { error, .. }) => println!("end of day failed: {error}"),
    }
    Ok(())
}

/// The loop after a lost answer: check; in progress: wait and check again; start again only when the start
/// never ran (`created`).
fn settle_lost_answer(client: &api::Client, id: TransactionId) -> Result<(), Error> {
    let mut started_again = false;
    for _ in 0..30 {
        let (verdict, tx) = match api::check(client, id).into_result() {
            Ok(checked) => checked,
            Err(e) => {
                println!("sale 4: the check failed too ({e}); checking again");
                sleep(Duration::from_secs(1));
                continue;
            }
        };
        println!("sale 4: verdict {verdict:?} ({})", status(&tx));
        match verdict {
            Verdict::Paid => {
                print_receipt(&tx);
                return Ok(());
            }
            Verdict::InProgress => sleep(Duration::from_secs(1)),
            Verdict::NotPaid if status(&tx) == "created" && !started_again => {
                started_again = true;
                match settle(api::start(client, id, PaymentMethod::parse("cash")?)) {
                    Ok(paid) => {
                        println!("sale 4: started again: {}", status(&paid));
                        print_receipt(&paid);
                        return Ok(());
                    }
                    Err(Failed { error, .. }) => println!("sale 4: the second start: {error}; checking"),
                }
            }
            Verdict::NotPaid | Verdict::Unknown => {
                println!("sale 4: not paid; the cashier decides");
                return Ok(());
            }
        }
    }
    println!("sale 4: still unknown; the cashier decides");
    Ok(())
}

fn product(desc: &str, quantity: i32, unit_price_cents: i64, vat_percent: u32) -> NewProduct {
    NewProduct { desc: desc.into(), article_number: None, ean: None, quantity, unit_price_cents, vat_percent }
}

fn create_sale(client: &api::Client, reference: &str, item: NewProduct) -> Result<String, Error> {
    let mut basket = NewBasket::new("EUR")?;
    basket.add_product(item)?;
    basket.set_refs(Some("till-7"), Some(reference))?;
    id_of(&api::create(client, &basket).into_result()?)
}

/// The answer's transaction on success; on failure the error, with the transaction where one came back (a
/// declined card's, whose receipt must be printed too).
fn settle(answer: Answer) -> Result<Transaction, Failed> {
    match answer.result {
        Ok(()) => answer
            .transaction
            .ok_or_else(|| Failed { error: Error::new(ErrorKind::BadResponse, "no transaction"), transaction: None }),
        Err(error) => Err(Failed { error, transaction: answer.transaction.map(Box::new) }),
    }
}

/// A call that did not succeed, with the transaction that came back, if any.
struct Failed {
    error: Error,
    transaction: Option<Box<Transaction>>,
}

fn id_of(tx: &Transaction) -> Result<String, Error> {
    tx.text(tx.id).map(str::to_owned).ok_or_else(|| Error::new(ErrorKind::BadResponse, "the transaction has no id"))
}

fn status(tx: &Transaction) -> &str {
    tx.text(tx.status).unwrap_or("")
}

fn sum(tx: &Transaction) -> String {
    let cents = tx.basket_info.as_ref().and_then(|info| info.sum).unwrap_or(0);
    format!("{},{:02} EUR", cents / 100, cents % 100)
}

/// The customer receipt as 42 columns of text, between rules, as the printer would show it.
fn print_receipt(tx: &Transaction) {
    let text = receipt::render(tx.receipt.iter().map(|line| Line::of(line, &tx.texts)), &Options::default())
        .unwrap_or_default();
    println!("+------------------------------------------+");
    for line in String::from_utf8_lossy(&text).lines() {
        println!("|{line:<42}|");
    }
    println!("+------------------------------------------+");
}
