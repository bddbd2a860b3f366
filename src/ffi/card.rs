//! `sx_card`: the customer's loyalty merchant card, found by its number (the balance enquiry), with its
//! balances, lock and expiry; the checks of its security code and passcode; its balance slip.
//!
//! Common to the calls here: arguments are checked before anything is sent (`SX_ERR_NULL_ARGUMENT`,
//! `SX_ERR_INVALID_ARGUMENT`). They are reads: nothing here moves money, the library never repeats them, and
//! asking again after `SX_ERR_OUTCOME_UNKNOWN` is safe. Whenever an answer arrives its body is this thread's
//! last response (`sx_last_response`). Money is integer cents (`int64_t`) end to end: an answer that sends an
//! amount as a float (`3.5`) or a string (`"350"`) is `SX_ERR_BAD_RESPONSE`, never rounded. The card number is
//! masked (`************1652`) in every log line and error message. Threads: any, at once on a shared client;
//! a `const sx_card *` may be read from several threads at once.

use std::ffi::{c_char, CString};

use super::boundary::{ffi_boundary, free_handle, into_handle, ref_or, try_out, try_ref, try_str, Failure};
use super::client::sx_client;
use super::last_call;
use super::result::*;
use super::strings::owned_c_string;
use super::transaction::{sx_transaction, write_present};
use crate::api::{self, CardNumber, Found};
use crate::model::card::MerchantCard;
use crate::model::Transaction;

/// A loyalty merchant card (`loyalty.merchantcards`). Opaque: made by `sx_card_find`, freed by `sx_card_free`.
/// Read-only, so a `const sx_card *` may be read from several threads at once.
pub struct sx_card {
    card: MerchantCard,
    id: CString,
    number: CString,
    number_masked: CString,
    group_name: CString,
    expiry: CString,
    lock_status: CString,
}

impl sx_card {
    fn new(card: MerchantCard) -> sx_card {
        let masked = CardNumber::parse(&card.number).map_or_else(|_| "*".repeat(card.number.len()), |n| n.masked());
        sx_card {
            id: owned_c_string(&card.id),
            number: owned_c_string(&card.number),
            number_masked: owned_c_string(&masked),
            group_name: owned_c_string(card.group_name.as_deref().unwrap_or("")),
            expiry: owned_c_string(card.expiry.as_deref().unwrap_or("")),
            lock_status: owned_c_string(card.lock_status.as_deref().unwrap_or("")),
            card,
        }
    }
}

/// Keeps the answer as this thread's last response and hands over its value, or the failure.
pub(super) fn found<T>(mut found: Found<T>) -> Result<T, Failure> {
    let body = std::mem::take(&mut found.answer.body);
    // Not a transaction: nothing for sx_transaction_parse to take over.
    last_call::record_exchange(found.answer.http_status, body, None);
    Ok(found.into_result()?)
}

/// Finds the loyalty card with `card_number` (the balance enquiry):
/// `GET /api/v2/Loyalty/MerchantCards?q=card.cardnumber:{card_number}`.
///
/// `SX_OK`: `*out` receives the card. `SX_ERR_ABSENT`: no card has this number (the API answers 200 with
/// `count: 0`); `*out` untouched. Nothing else means "unknown card". `SX_ERR_BAD_RESPONSE`: the answer found
/// several cards, a card with another number (the answer to another request), or a card whose amounts are not
/// whole cents. `card_number` is 1 to 64 of `0-9 A-Z a-z` (a scanner's spaces or dashes removed), else
/// `SX_ERR_INVALID_ARGUMENT` and nothing sent. Blocks for at most the total timeout.
///
/// Whether the card can pay is `sx_card_locked`, not its stock status (the API's own example card is
/// "inactive" and usable).
///
/// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_card_free`; `card_number` is read during the
/// call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `card_number` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_find(
    client: *mut sx_client,
    card_number: *const c_char,
    out: *mut *mut sx_card,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let number = CardNumber::parse(try_str!(card_number))?;
        let out = try_out!(out);
        match found(api::find_card(&client.core, &number))? {
            Some(card) => {
                out.write(into_handle(sx_card::new(card)));
                Ok(())
            }
            None => Err(Failure::new(SX_ERR_ABSENT, format!("no loyalty card has the number {}", number.masked()))),
        }
    })
}

/// Frees a card from `sx_card_find`, and with it every string it handed out. NULL is a no-op; freeing twice is
/// undefined behaviour. Threads: any, once no other thread uses `card`.
///
/// # Safety
/// `card` is NULL or a card from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_card_free(card: *mut sx_card) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a card from this library, freed once.
        unsafe { free_handle(card) }
    })
}

/// The card's id, `id` ("MCD_..."): what the API's per-card calls name.
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_id(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).id.as_ptr()
    })
}
/// The card number in full, `card.cardnumber`, as the API sent it (equal to the number searched for). For
/// the register's own use: show and log `sx_card_number_masked`.
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_number(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).number.as_ptr()
    })
}
/// The card number masked to its last four digits, e.g. "************1652": what a screen, a log or a
/// message may show.
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_number_masked(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).number_masked.as_ptr()
    })
}
/// The card group's display name, `cardgroup.display_name` (the programme, e.g. "Geschenkgutschein").
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_group_name(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).group_name.as_ptr()
    })
}
/// The card's expiry, `expiry_date`, as the API wrote it (its format is documented nowhere); "" when the
/// card has none (absent or null).
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_expiry(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).expiry.as_ptr()
    })
}
/// `lock_status` as the API wrote it ("locked", "unlocked"); `sx_card_locked` reads it.
///
/// UTF-8, never NULL ("" when absent or `card` is NULL), owned by the card and valid until `sx_card_free(card)`.
/// Threads: any.
///
/// # Safety
/// `card` is NULL or a live card.
#[no_mangle]
pub unsafe extern "C" fn sx_card_lock_status(card: *const sx_card) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(card, c"".as_ptr()).lock_status.as_ptr()
    })
}

/// The total money balance in cents, `balance`, into `*out` (in the API's example, cash 300 + bonus 52 =
/// 352; the sum rule is shown by example only, so the register shows `balance` as the API sent it).
///
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
/// NULL `card` or `out`. Threads: any.
///
/// # Safety
/// `card` is NULL or a live card; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_balance(card: *const sx_card, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let card = try_ref!(card);
        let out = try_out!(out);
        write_present(card.card.balance, out, "balance")
    })
}
/// The money loaded onto the card, in cents, `cash_balance`, into `*out`.
///
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
/// NULL `card` or `out`. Threads: any.
///
/// # Safety
/// `card` is NULL or a live card; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_cash_balance(card: *const sx_card, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let card = try_ref!(card);
        let out = try_out!(out);
        write_present(card.card.cash_balance, out, "cash_balance")
    })
}
/// The money collected as bonus, in cents, `bonus_balance`, into `*out`.
///
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
/// NULL `card` or `out`. Threads: any.
///
/// # Safety
/// `card` is NULL or a live card; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_bonus_balance(card: *const sx_card, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let card = try_ref!(card);
        let out = try_out!(out);
        write_present(card.card.bonus_balance, out, "bonus_balance")
    })
}
/// The points balance, `points`, into `*out`.
///
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer left it out or sent null; `SX_ERR_NULL_ARGUMENT` for a
/// NULL `card` or `out`. Threads: any.
///
/// # Safety
/// `card` is NULL or a live card; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_points(card: *const sx_card, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let card = try_ref!(card);
        let out = try_out!(out);
        write_present(card.card.points, out, "points")
    })
}

/// Whether the card is locked, into `*out`: 1 locked ("If true, you cannot use the card to pay"), 0 not
/// (`lock_status` "unlocked"). `SX_ERR_ABSENT` (`*out` untouched) when the answer does not say (no
/// `lock_status`, or a value the library does not know: see `sx_card_lock_status`). The stock status is no part
/// of it. `SX_ERR_NULL_ARGUMENT` for a NULL `card` or `out`. Threads: any.
///
/// # Safety
/// `card` is NULL or a live card; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_locked(card: *const sx_card, out: *mut u32) -> sx_result {
    ffi_boundary!({
        let card = try_ref!(card);
        let out = try_out!(out);
        write_present(card.card.locked().map(u32::from), out, "lock_status locked or unlocked")
    })
}

/// Checks a card security code: `POST /api/v2/Loyalty/MerchantCards/{id}/checkCsc` with
/// `{"cardnumber", "csc"}`. `csc`: 1 to 8 digits, sent as a string (leading zeros kept).
///
/// `SX_OK` with `*out_valid` 1 (right) or 0 (wrong): a "no" is a result, not an error. An answer without a
/// boolean `result` is `SX_ERR_BAD_RESPONSE` (never read as a yes); an API error is `SX_ERR_API`. `*out_valid`
/// is written on `SX_OK` only. Blocks for at most the total timeout. The code is never logged.
///
/// Ownership: `card` and `csc` are read during the call only. Threads: any, at once on a shared client.
///
/// # Safety
/// `client` and `card` are NULL or live; `csc` is NULL or NUL-terminated; `out_valid` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_check_csc(
    client: *mut sx_client,
    card: *const sx_card,
    csc: *const c_char,
    out_valid: *mut u32,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let card = try_ref!(card);
        let csc = try_str!(csc);
        let out_valid = try_out!(out_valid);
        let valid = found(api::check_csc(&client.core, &card.card, csc))?;
        out_valid.write(u32::from(valid));
        Ok(())
    })
}

/// Checks the card's passcode (PIN): `POST /api/v2/Loyalty/MerchantCards/{id}/checkPasscode` with
/// `{"cardnumber", "pin"}`. `passcode`: 1 to 9 digits. The API's spec sends `pin` as an integer, which loses a
/// leading zero: a passcode starting with 0 is `SX_ERR_INVALID_ARGUMENT` and nothing is sent.
///
/// `SX_OK` with `*out_valid` 1 (right) or 0 (wrong); otherwise as `sx_card_check_csc`. Whether a card needs a
/// passcode at the till is not the register's to decide from the card's `passcode` field (its meanings
/// disagree between the SDKs). Threads: any.
///
/// # Safety
/// `client` and `card` are NULL or live; `passcode` is NULL or NUL-terminated; `out_valid` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_check_passcode(
    client: *mut sx_client,
    card: *const sx_card,
    passcode: *const c_char,
    out_valid: *mut u32,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let card = try_ref!(card);
        let passcode = try_str!(passcode);
        let out_valid = try_out!(out_valid);
        let valid = found(api::check_passcode(&client.core, &card.card, passcode))?;
        out_valid.write(u32::from(valid));
        Ok(())
    })
}

/// The card's balance slip: `POST /api/v2/Loyalty/MerchantCards/{id}/getCardBalanceReceipt` with
/// `{"cardnumber", "terminal_id"}`. `terminal_id` may be NULL (not sent); what it must hold is documented
/// nowhere (1 to 64 visible ASCII characters when given).
///
/// `SX_OK`: `*out` receives a receipt document: its customer receipt (`SX_RECEIPT_CUSTOMER`) holds the
/// answer's `receipt_header[]` lines then its `receipt[]` lines, so that `sx_receipt_render` prints the slip in
/// one more call, exactly as a transaction's; `sx_transaction_get_json` reads `/balance`, `/cash_balance`,
/// `/bonus_balance`, `/points`. It is no transaction: its id and status are "". `SX_ERR_NOT_OK`: the API
/// answered `valid: false` (the card cannot be used); `*out` untouched. `SX_ERR_BAD_RESPONSE`: an amount that
/// is not whole cents, or lines that are not a list. Blocks for at most the total timeout.
///
/// Ownership: `*out` (on `SX_OK`) is the caller's, freed with `sx_transaction_free`. Threads: any.
///
/// # Safety
/// `client` and `card` are NULL or live; `terminal_id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_card_balance_receipt(
    client: *mut sx_client,
    card: *const sx_card,
    terminal_id: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let card = try_ref!(card);
        let terminal_id = super::boundary::try_opt_str!(terminal_id);
        let out = try_out!(out);
        let slip = found(api::balance_receipt(&client.core, &card.card, terminal_id))?;
        let receipt = Transaction::from_json(&slip.as_receipt_json())
            .map_err(|e| Failure::new(SX_ERR_BAD_RESPONSE, format!("the slip's lines cannot be read: {e}")))?;
        out.write(into_handle(sx_transaction::new(receipt)));
        Ok(())
    })
}
