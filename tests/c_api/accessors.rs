//! The typed accessors of `sx_transaction` and the preTransaction object through the C ABI (tests/data/c/accessors.c).
//!
//! The expected values are read from the same JSON with serde_json here, field by field, never typed in: the
//! seed's answer and the other fixtures give every field they show, through the typed getters and through
//! JSON pointers to every leaf. Variants of the seed with numbers sent as strings and strings sent as numbers
//! read the same. preTransaction runs against the sandbox, with its fault modes.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{c_build_dir, c_program, fixture, run, Sandbox, Values};

const RUN_LIMIT: Duration = Duration::from_secs(60);
const TOKEN: &str = "any-token";

const SX_OK: u64 = 0;
const SX_ERR_INVALID_ARGUMENT: u64 = 2;
const SX_ERR_BUFFER_TOO_SMALL: u64 = 3;
const SX_ERR_OUT_OF_RANGE: u64 = 4;
const SX_ERR_ABSENT: u64 = 5;
const SX_ERR_OUTCOME_UNKNOWN: u64 = 11;
const SX_ERR_API: u64 = 21;
const SX_ERR_HTTP: u64 = 22;
const SX_ERR_BAD_RESPONSE: u64 = 30;

/// The fixtures that hold a transaction.
const TRANSACTIONS: [&str; 2] = ["start-cash-response.json", "start-cashless-response.json"];

/// Runs `accessors file <path> <pointers>` and returns its lines.
fn dump(path: &Path, pointers: &[String]) -> Values {
    let done = run(Command::new(c_program("accessors")).arg("file").arg(path).args(pointers), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let values = done.values();
    assert_eq!(values.num("parse"), SX_OK, "{}", values.output);
    assert!(!values.output.contains("NULL!"), "a getter returned NULL:\n{}", values.output);
    values
}

/// A JSON file under the build directory, for variants of the fixtures.
fn write_json(name: &str, value: &Value) -> PathBuf {
    let path = c_build_dir().join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path
}

fn read_fixture(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

/// What a string getter gives for a JSON value: a string as it is, a number as its digits, absent or null "".
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// What an integer getter prints: the number (also from a string of digits), else "absent".
fn as_integer(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_i64() => n.to_string(),
        Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse::<i64>().unwrap().to_string(),
        _ => "absent".to_owned(),
    }
}

/// What a flag prints: 1 or 0, else "absent".
fn as_flag(value: &Value) -> String {
    match value {
        Value::Bool(b) => u8::from(*b).to_string(),
        _ => "absent".to_owned(),
    }
}

/// Every typed getter against the JSON the transaction was parsed from.
fn assert_typed_getters(v: &Values, json: &Value) {
    let texts = [
        ("tx.id", "/id"),
        ("tx.status", "/status"),
        ("tx.payment_method", "/payment_method"),
        ("tx.trans_id", "/trans_id"),
        ("tx.receipt_number", "/receipt_number"),
        ("tx.currency", "/basket_info/currency"),
        ("tx.merchant_id", "/merchant/id"),
        ("tx.merchant_name", "/merchant/companyname"),
        ("tx.created", "/created"),
        ("tx.updated", "/updated"),
        ("tx.merchant_ref", "/merchantRef"),
        ("tx.transaction_ref", "/transactionRef"),
        ("tx.intent", "/intent"),
        ("tx.device_source", "/device_source/id"),
        ("tx.device_destination", "/device_destination/id"),
    ];
    let at = |pointer: &str| json.pointer(pointer).cloned().unwrap_or(Value::Null);
    for (key, pointer) in texts {
        assert_eq!(v.text(key), as_text(&at(pointer)), "{key} ({pointer})\n{}", v.output);
    }
    let sum = as_integer(&at("/basket_info/sum"));
    assert_eq!(v.raw("tx.sum"), if sum == "absent" { "0" } else { &sum }, "the contract: 0 when absent");
    assert_eq!(v.raw("tx.missing_sum"), as_integer(&at("/basket_info/missing_sum")));
    assert_eq!(v.raw("tx.gratuity"), as_integer(&at("/basket_info/gratuity")));
    assert_eq!(v.raw("tx.is_demo"), as_flag(&at("/is_demo")));
    assert_eq!(v.raw("tx.receipt_merchant_print"), as_flag(&at("/receipt_merchant_print")));

    let products = at("/basket/products").as_array().cloned().unwrap_or_default();
    assert_eq!(v.num("tx.products"), products.len() as u64);
    for (i, product) in products.iter().enumerate() {
        let field = |name: &str| product.get(name).cloned().unwrap_or(Value::Null);
        for (key, name) in
            [("desc", "desc"), ("article_number", "articleNumber"), ("ean", "ean"), ("item_type", "item_type")]
        {
            assert_eq!(v.text(&format!("product.{i}.{key}")), as_text(&field(name)), "product {i} {name}");
        }
        for (key, name) in [
            ("id", "id"),
            ("parent", "parent"),
            ("quantity", "quantity"),
            ("unit_price_cents", "priceOne"),
            ("vat_percent", "tax"),
        ] {
            assert_eq!(v.raw(&format!("product.{i}.{key}")), as_integer(&field(name)), "product {i} {name}");
        }
        assert!(!v.has(&format!("product.{i}.absent_not_zero")), "{}", v.output);
    }
    assert_eq!(v.num("tx.product_past_end"), SX_ERR_OUT_OF_RANGE);
    assert_eq!(v.num("tx.product_past_end_untouched"), 1, "out is written only on SX_OK");

    let idents = at("/idents").as_array().cloned().unwrap_or_default();
    assert_eq!(v.num("tx.idents"), idents.len() as u64);
    for (i, ident) in idents.iter().enumerate() {
        let field = |pointer: &str| ident.pointer(pointer).cloned().unwrap_or(Value::Null);
        let card_number = match field("/value") {
            Value::Null => field("/merchantcard/card/cardnumber"),
            value => value,
        };
        let texts = [
            ("id", field("/id")),
            ("prefix", field("/prefix")),
            ("name", field("/name")),
            ("type", field("/type")),
            ("card_number", card_number),
            ("card_group_name", field("/merchantcard/cardgroup/display_name")),
            ("lock_status", field("/merchantcard/lock_status")),
            ("stock_status", field("/merchantcard/stock_status")),
        ];
        for (key, value) in texts {
            assert_eq!(v.text(&format!("ident.{i}.{key}")), as_text(&value), "ident {i} {key}");
        }
        assert_eq!(v.raw(&format!("ident.{i}.valid")), as_flag(&field("/valid")));
        for key in ["points", "cash_balance", "bonus_balance", "balance"] {
            let value = field(&format!("/merchantcard/{key}"));
            assert_eq!(v.raw(&format!("ident.{i}.{key}")), as_integer(&value), "ident {i} {key}");
        }
    }
    assert_eq!(v.num("tx.ident_past_end"), SX_ERR_OUT_OF_RANGE);

    let references = at("/transactions").as_array().cloned().unwrap_or_default();
    assert_eq!(v.num("tx.references"), references.len() as u64);
    for (i, reference) in references.iter().enumerate() {
        for key in ["object", "id"] {
            let value = reference.get(key).cloned().unwrap_or(Value::Null);
            assert_eq!(v.text(&format!("reference.{i}.{key}")), as_text(&value), "reference {i} {key}");
        }
    }
    assert_eq!(v.num("tx.reference_past_end"), SX_ERR_OUT_OF_RANGE);
}

/// The RFC 6901 pointer of every value in `value`, containers included.
fn pointers(value: &Value, at: String, out: &mut Vec<(String, Value)>) {
    out.push((at.clone(), value.clone()));
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => map.iter().for_each(|(key, v)| pointers(v, format!("{at}/{}", escape(key)), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn the_seed_answer_and_the_other_fixtures_give_every_field_they_show() {
    for name in TRANSACTIONS {
        let json = read_fixture(name);
        let mut all = Vec::new();
        pointers(&json, String::new(), &mut all);
        let asked: Vec<String> = all.iter().map(|(pointer, _)| pointer.clone()).collect();
        let v = dump(&fixture(name), &asked);
        assert_typed_getters(&v, &json);
        // Every value by JSON pointer: strings unquoted, numbers and booleans as written, objects and arrays as
        // compact JSON (the same value, no whitespace), null as absent.
        for (k, (pointer, value)) in all.iter().enumerate() {
            if value.is_null() {
                assert_eq!(v.num(&format!("json.{k}.result")), SX_ERR_ABSENT, "{name} {pointer}");
                continue;
            }
            assert_eq!(v.num(&format!("json.{k}.result")), SX_OK, "{name} {pointer}\n{}", v.output);
            let got = v.text(&format!("json.{k}.value"));
            assert_eq!(v.num(&format!("json.{k}.len")), got.len() as u64, "{name} {pointer}");
            match value {
                Value::String(s) => assert_eq!(&got, s, "{name} {pointer}"),
                Value::Object(_) | Value::Array(_) => {
                    assert_eq!(&serde_json::from_str::<Value>(&got).unwrap(), value, "{name} {pointer}");
                    assert!(!got.contains(": ") && !got.contains(",\n"), "compact: {got}");
                }
                other => assert_eq!(got, other.to_string(), "{name} {pointer}"),
            }
        }
    }
}

#[test]
fn the_seed_shows_what_a_register_prints() {
    // The fields the seed's answer shows, by name, so that a reading that loses one fails here as well.
    let seed = read_fixture("start-cash-response.json");
    let v = dump(&fixture("start-cash-response.json"), &[]);
    assert_eq!(v.num("tx.status_code"), 5, "SX_STATUS_OK");
    assert_eq!(v.text("tx.merchant_name"), seed["merchant"]["companyname"].as_str().unwrap());
    assert_eq!(v.text("tx.trans_id"), seed["trans_id"].as_str().unwrap());
    assert_eq!(v.raw("tx.is_demo"), "1");
    assert_eq!(v.raw("tx.receipt_merchant_print"), "absent");
    assert_eq!(v.raw("tx.missing_sum"), "absent", "the seed has no missing_sum: absent, not 0");
    assert_eq!(v.text("tx.merchant_ref"), "", "null is absent: \"\"");
    assert_eq!(v.text("product.0.article_number"), seed["basket"]["products"][0]["articleNumber"].to_string());
    assert_eq!(v.raw("product.0.parent"), "absent");
    assert_eq!(v.text("ident.0.card_group_name"), seed["idents"][0]["merchantcard"]["cardgroup"]["display_name"]);
    assert_eq!(v.text("ident.0.card_number"), seed["idents"][0]["value"].as_str().unwrap());
    assert_eq!(v.raw("ident.0.balance"), "0", "a balance of 0 is present, not absent");
}

/// The seed with `changes` applied at JSON pointers.
fn seed_with(changes: &[(&str, Value)]) -> Value {
    let mut json = read_fixture("start-cash-response.json");
    for (pointer, value) in changes {
        *json.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer} is in the seed")) = value.clone();
    }
    json
}

/// The getter lines of a dump (without the JSON pointer lines).
fn getters(v: &Values) -> Vec<String> {
    let mut lines: Vec<String> =
        v.output.lines().filter(|l| l.contains('=') && !l.starts_with("json.")).map(String::from).collect();
    lines.sort();
    lines
}

#[test]
fn a_value_sent_as_a_number_or_as_a_string_reads_the_same() {
    let numbers = seed_with(&[
        ("/trans_id", json!(29008411)),
        ("/basket/products/0/articleNumber", json!(30037)),
        ("/basket/products/2/ean", json!(4999012345678u64)),
        ("/basket/products/2/quantity", json!(2)),
        ("/basket/products/2/priceOne", json!(99)),
        ("/basket/products/2/tax", json!(19)),
        ("/basket_info/sum", json!(796)),
        ("/idents/0/merchantcard/points", json!(12)),
        ("/idents/0/merchantcard/balance", json!(1500)),
        ("/is_demo", json!(true)),
        ("/idents/0/valid", json!(true)),
    ]);
    let mut numbers = numbers;
    numbers["receipt_number"] = json!(3);
    numbers["basket_info"]["missing_sum"] = json!(0);
    numbers["basket_info"]["gratuity"] = json!(50);
    let strings = seed_with(&[
        ("/trans_id", json!("29008411")),
        ("/basket/products/0/articleNumber", json!("30037")),
        ("/basket/products/2/ean", json!("4999012345678")),
        ("/basket/products/2/quantity", json!("2")),
        ("/basket/products/2/priceOne", json!("99")),
        ("/basket/products/2/tax", json!(" 19 ")),
        ("/basket_info/sum", json!("796")),
        ("/idents/0/merchantcard/points", json!("12")),
        ("/idents/0/merchantcard/balance", json!(1500.0)),
        ("/is_demo", json!("true")),
        ("/idents/0/valid", json!(1)),
    ]);
    let mut strings = strings;
    strings["receipt_number"] = json!("3");
    strings["basket_info"]["missing_sum"] = json!("0");
    strings["basket_info"]["gratuity"] = json!("50");

    let as_numbers = dump(&write_json("variant-numbers.json", &numbers), &[]);
    let as_strings = dump(&write_json("variant-strings.json", &strings), &[]);
    assert_eq!(getters(&as_numbers), getters(&as_strings));
    // And they are the values, not the same absence twice.
    assert_eq!(as_strings.text("tx.trans_id"), "29008411");
    assert_eq!(as_strings.text("tx.receipt_number"), "3");
    assert_eq!(as_numbers.text("product.0.article_number"), "30037");
    assert_eq!(as_numbers.text("product.2.ean"), "4999012345678");
    assert_eq!(as_strings.raw("product.2.unit_price_cents"), "99");
    assert_eq!(as_strings.raw("product.2.vat_percent"), "19");
    assert_eq!(as_strings.raw("tx.sum"), "796");
    assert_eq!(as_strings.raw("tx.missing_sum"), "0", "0 is present");
    assert_eq!(as_strings.raw("tx.gratuity"), "50");
    assert_eq!(as_strings.raw("tx.is_demo"), "1");
    assert_eq!(as_strings.raw("ident.0.valid"), "1");
    assert_eq!(as_strings.raw("ident.0.points"), "12");
    assert_eq!(as_strings.raw("ident.0.balance"), "1500");
}

#[test]
fn wrong_shapes_read_as_absent_and_money_is_never_rounded() {
    let json = seed_with(&[
        ("/basket/products/0/priceOne", json!(3.49)),
        ("/basket/products/1/quantity", json!("zwei")),
        ("/basket/products/2/desc", json!({"de": "Wasser"})),
        ("/basket_info/sum", json!([796])),
        ("/is_demo", json!("maybe")),
        ("/merchant", json!("John's Bakery")),
        ("/idents/0/merchantcard/cardgroup", json!(null)),
    ]);
    let v = dump(&write_json("variant-wrong-shapes.json", &json), &[]);
    assert_eq!(v.raw("product.0.unit_price_cents"), "absent");
    assert_eq!(v.raw("product.1.quantity"), "absent");
    assert_eq!(v.text("product.2.desc"), "");
    assert_eq!(v.raw("tx.sum"), "0");
    assert_eq!(v.raw("tx.is_demo"), "absent");
    assert_eq!((v.text("tx.merchant_name"), v.text("tx.merchant_id")), (String::new(), String::new()));
    assert_eq!(v.text("ident.0.card_group_name"), "");
    assert_eq!(v.text("tx.status"), "ok", "the rest of the answer is read as before");
    assert_eq!(v.num("tx.products"), 3);
}

#[test]
fn status_codes_for_every_known_value_and_both_spellings_of_cancelled() {
    let table = [
        ("created", 1),
        ("processing", 2),
        ("approved", 3),
        ("pending", 4),
        ("ok", 5),
        ("received", 6),
        ("shipped", 7),
        ("collection", 8),
        ("collected", 9),
        ("failed", 10),
        ("aborted", 11),
        ("timeout", 12),
        ("finished", 13),
        ("deleted", 14),
        ("cancelled", 15),
        ("canceled", 15),
        ("OK", 0),
        ("something new", 0),
        ("", 0),
    ];
    for (status, code) in table {
        let path = write_json("variant-status.json", &json!({ "status": status }));
        let v = dump(&path, &[]);
        assert_eq!(v.num("tx.status_code"), code, "{status:?}");
        assert_eq!(v.text("tx.status"), status, "the string stays as the API wrote it");
    }
    let v = dump(&write_json("variant-no-status.json", &json!({})), &[]);
    assert_eq!(v.num("tx.status_code"), 0);
}

#[test]
fn json_pointers_follow_rfc_6901_and_the_buffer_rule() {
    // Written by hand: a duplicate key, whitespace, and numbers as the API might write them.
    let text = r#"{ "a/b": {"m~n": [10, "zwölf", {"x": null}]}, "text": "with \u0000 inside", "dup": 1,
        "empty": "", "float": 1.50, "big": 12345678901234567890, "dup": 2, "order": {"z": 1, "a": [ 2 , 3 ]} }"#;
    let path = c_build_dir().join("variant-pointers.json");
    std::fs::write(&path, text).unwrap();
    let asked = [
        "/a~1b/m~0n/1",
        "/a~1b/m~0n/0",
        "/a~1b/m~0n/2/x",
        "/a~1b/m~0n/3",
        "/a~1b/m~0n/01",
        "/text",
        "/dup",
        "/empty",
        "/float",
        "/big",
        "nope",
        "/a~1b/m~0n",
        "/order",
    ];
    let v = dump(&path, &asked.map(String::from));
    let value = |k: usize| {
        (
            v.num(&format!("json.{k}.result")),
            v.has(&format!("json.{k}.value")).then(|| v.text(&format!("json.{k}.value"))),
        )
    };
    assert_eq!(value(0), (SX_OK, Some("zwölf".into())));
    assert_eq!(value(1), (SX_OK, Some("10".into())));
    assert_eq!(value(2), (SX_ERR_ABSENT, None), "null is absent");
    assert_eq!(value(3), (SX_ERR_ABSENT, None), "past the end");
    assert_eq!(value(4), (SX_ERR_ABSENT, None), "no leading zeros");
    assert_eq!(value(5), (SX_OK, Some("with \0 inside".into())), "out_len tells the length past a NUL");
    assert_eq!(v.num("json.5.len"), 13);
    assert_eq!(value(6), (SX_OK, Some("2".into())), "the last duplicate counts, as for the typed getters");
    // An empty string: the size query says 0, and the call with room for the NUL succeeds.
    assert_eq!(value(7), (SX_OK, Some(String::new())));
    assert_eq!(value(8), (SX_OK, Some("1.50".into())), "a number as the answer wrote it");
    assert_eq!(value(9), (SX_OK, Some("12345678901234567890".into())));
    assert_eq!(value(10), (SX_ERR_INVALID_ARGUMENT, None));
    assert_eq!(value(11), (SX_OK, Some(r#"[10,"zwölf",{"x":null}]"#.into())));
    assert_eq!(value(12), (SX_OK, Some(r#"{"z":1,"a":[2,3]}"#.into())), "compact, in the answer's order");
    // Every present value first answered the size query with SX_ERR_BUFFER_TOO_SMALL: the C program prints
    // json.K.result twice, the last line wins, so check the query separately on one value.
    assert!(v.output.contains(&format!("json.0.result={SX_ERR_BUFFER_TOO_SMALL}")), "{}", v.output);
}

/// Runs `accessors pre` against the sandbox.
fn pre_checks(sandbox: &Sandbox, ids: &[&str]) -> Values {
    let done =
        run(Command::new(c_program("accessors")).arg("pre").arg(&sandbox.base_url).arg(TOKEN).args(ids), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let values = done.values();
    assert_eq!((values.num("new"), values.num("token")), (SX_OK, SX_OK), "{}", values.output);
    values
}

fn pre_transactions(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/preTransaction"))).count()
}

#[test]
fn pre_check_gives_missing_sum_and_bonus_products_as_the_sandbox_answers_them() {
    let sandbox = Sandbox::start(&[]);
    // A copy of the seed: created, with a customer card, so a bonus comes back.
    let with_card = sandbox.create_one();
    // One created through the API with a basket and no card: no bonus, the whole sum missing.
    let (status, created) = sandbox.http(
        "POST",
        "/api/v2/Smart/Transactions",
        Some(&json!({
            "intent": "sale",
            "basket": {"products": [{"id": 1, "desc": "Brot", "quantity": 2, "priceOne": 150, "tax": 7}]},
            "basket_info": {"sum": 300, "currency": "EUR"},
        })),
        Some(TOKEN),
    );
    assert_eq!(status, 200, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    let without_card = created["id"].as_str().unwrap().to_owned();

    let v = pre_checks(&sandbox, &[&with_card, &without_card]);
    // What the sandbox answers to the same call, read independently (it changes nothing, so asking twice is fine).
    for (k, id) in [&with_card, &without_card].into_iter().enumerate() {
        let path = format!("/api/v2/Smart/Transactions/{id}/preTransaction");
        let (status, body) = sandbox.http("POST", &path, None, Some(TOKEN));
        assert_eq!(status, 200, "{body}");
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v.num(&format!("pre.{k}.result")), SX_OK, "{}", v.output);
        assert_eq!(v.num(&format!("pre.{k}.written")), 1);
        assert_eq!(v.num(&format!("pre.{k}.http")), 200);
        assert_eq!(v.raw(&format!("pre.{k}.missing_sum")), as_integer(&answer["missing_sum"]));
        let bonus = answer["bonus_products"].as_array().unwrap();
        assert_eq!(v.num(&format!("pre.{k}.bonus")), bonus.len() as u64);
        for (i, product) in bonus.iter().enumerate() {
            let key = |name: &str| format!("pre.{k}.bonus.{i}.{name}");
            assert_eq!(v.text(&key("desc")), as_text(&product["desc"]));
            assert_eq!(v.text(&key("item_type")), as_text(&product["item_type"]));
            assert_eq!(v.raw(&key("unit_price_cents")), as_integer(&product["priceOne"]));
            assert_eq!(v.raw(&key("quantity")), as_integer(&product["quantity"]));
            assert_eq!(v.raw(&key("parent")), "absent");
        }
        assert_eq!(v.num(&format!("pre.{k}.bonus_past_end")), SX_ERR_OUT_OF_RANGE);
    }
    // The card brings a bonus, a negative price, and the missing sum is the total less it.
    assert_eq!(v.num("pre.0.bonus"), 1);
    let bonus = v.int("pre.0.bonus.0.unit_price_cents");
    assert!(bonus < 0, "{bonus}");
    assert_eq!(v.int("pre.0.missing_sum"), 796 + bonus, "the seed's sum less the bonus");
    assert_eq!((v.num("pre.1.bonus"), v.int("pre.1.missing_sum")), (0, 300));
    // One request each from the C program, one from the test: never repeated by the library.
    assert_eq!(pre_transactions(&sandbox, &with_card), 2);
    // preTransaction changes nothing: the transaction can still be started.
    assert_eq!(sandbox.status_after(&with_card, TOKEN), "created");
}

#[test]
fn pre_check_refusals_unknown_ids_and_lost_answers() {
    let sandbox = Sandbox::start(&[]);
    let started = sandbox.create_one();
    let path = format!("/api/v2/Smart/Transactions/{started}/start/cash");
    assert_eq!(sandbox.http("POST", &path, None, Some(TOKEN)).0, 200);
    let lost_after = sandbox.create_one();
    sandbox.set_behaviour(&lost_after, json!({"mode": "reset"}));
    let lost_before = sandbox.create_one();
    sandbox.set_behaviour(&lost_before, json!({"mode": "reset_before"}));
    let truncated = sandbox.create_one();
    sandbox.set_behaviour(&truncated, json!({"mode": "truncate"}));
    let html = sandbox.create_one();
    sandbox.set_behaviour(&html, json!({"mode": "html", "status": 502}));
    let malformed = sandbox.create_one();
    sandbox.set_behaviour(&malformed, json!({"mode": "malformed"}));

    let v = pre_checks(
        &sandbox,
        &[&started, "STX_NOT_THERE_AT_ALL", &lost_after, &lost_before, &truncated, &html, &malformed, "bad id"],
    );
    let outcome = |k: usize| (v.num(&format!("pre.{k}.result")), v.num(&format!("pre.{k}.written")));
    assert_eq!(outcome(0), (SX_ERR_API, 0), "only before start:\n{}", v.output);
    assert_eq!(outcome(1), (SX_ERR_API, 0), "an unknown id");
    assert_eq!(v.num("pre.1.http"), 404);
    assert_eq!(outcome(2), (SX_ERR_OUTCOME_UNKNOWN, 0), "the answer lost after executing");
    assert_eq!(outcome(3), (SX_ERR_OUTCOME_UNKNOWN, 0), "the connection reset before executing");
    assert_eq!(outcome(4), (SX_ERR_OUTCOME_UNKNOWN, 0), "a truncated body");
    assert_eq!(outcome(5), (SX_ERR_HTTP, 0), "an HTML page");
    assert_eq!(outcome(6), (SX_ERR_BAD_RESPONSE, 0), "a 2xx that is not JSON");
    assert_eq!(outcome(7), (SX_ERR_INVALID_ARGUMENT, 0), "a malformed id: nothing sent");
    for id in [&lost_after, &lost_before] {
        assert_eq!(pre_transactions(&sandbox, id), 1, "never repeated by the library");
    }
}
