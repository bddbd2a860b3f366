//! `sx_basket`: the products of a sale, built by the register before `sx_transaction_create`.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, free_handle, into_handle, try_mut, try_opt_str, try_out, try_str};
use super::result::*;
use crate::api::{NewBasket, NewProduct};

/// A basket: currency, products and the register's references. Opaque: made by `sx_basket_new`, freed by
/// `sx_basket_free`.
///
/// Not thread-safe: build it on one thread. Once built, `sx_transaction_create` only reads it, so several
/// threads may create from the same basket at once if nobody changes it meanwhile.
pub struct sx_basket {
    core: NewBasket,
}

impl sx_basket {
    pub(super) fn core(&self) -> &NewBasket {
        &self.core
    }
}

/// Makes an empty basket for `currency`, three capital letters (ISO 4217, e.g. "EUR").
///
/// On `SX_OK`, `*out` receives a new basket the caller owns and frees with `sx_basket_free`; otherwise
/// `*out` is left as it was (`SX_ERR_NULL_ARGUMENT`, `SX_ERR_INVALID_ARGUMENT` for another currency).
/// Sends nothing. Ownership: `currency` is read during the call only. Threads: any.
///
/// # Safety
/// `currency` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_basket_new(currency: *const c_char, out: *mut *mut sx_basket) -> sx_result {
    ffi_boundary!({
        let currency = try_str!(currency);
        let out = try_out!(out);
        let core = NewBasket::new(currency)?;
        out.write(into_handle(sx_basket { core }));
        Ok(())
    })
}

/// Frees a basket made by `sx_basket_new`. NULL is a no-op; freeing twice is undefined behaviour.
/// A transaction created from the basket does not need it any more. Threads: once no other thread uses it.
///
/// # Safety
/// `basket` is NULL or a basket from `sx_basket_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_basket_free(basket: *mut sx_basket) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a basket from sx_basket_new, freed once.
        unsafe { free_handle(basket) }
    })
}

/// Adds a product: `quantity` × `unit_price_cents` (gross, integer cents), `vat_percent` a whole VAT
/// percentage (0 to 100). `desc` is required (not blank); `article_number` and `ean` may be NULL. Texts are
/// UTF-8, at most 1024 bytes, without control characters. Quantity and price may be negative (a return, a
/// coupon); the basket's total is checked by `sx_transaction_create` (an overflow or a negative total is
/// `SX_ERR_INVALID_ARGUMENT` there, and nothing is sent). A basket holds at most 10000 products (as many as the
/// library reads of a list in an answer): the 10001st is `SX_ERR_INVALID_ARGUMENT`.
///
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT` leave the basket as it was. Ownership: the strings are
/// copied. Threads: not at once on the same basket.
///
/// # Safety
/// `basket` is NULL or a live basket; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_basket_add_product(
    basket: *mut sx_basket,
    desc: *const c_char,
    article_number: *const c_char,
    ean: *const c_char,
    quantity: i32,
    unit_price_cents: i64,
    vat_percent: u32,
) -> sx_result {
    ffi_boundary!({
        let basket = try_mut!(basket);
        let desc = try_str!(desc);
        let article_number = try_opt_str!(article_number);
        let ean = try_opt_str!(ean);
        basket.core.add_product(NewProduct {
            desc: desc.to_owned(),
            article_number: article_number.map(str::to_owned),
            ean: ean.map(str::to_owned),
            quantity,
            unit_price_cents,
            vat_percent,
        })?;
        Ok(())
    })
}

/// Sets the register's own references, sent as `merchantRef` and `transactionRef` (e.g. the till and its
/// receipt number, to find the transaction again). NULL or "" sends none; a call replaces both. Texts as for
/// `sx_basket_add_product`. On failure the basket keeps its earlier references.
/// Ownership: the strings are copied. Threads: not at once on the same basket.
///
/// # Safety
/// `basket` is NULL or a live basket; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_basket_set_refs(
    basket: *mut sx_basket,
    merchant_ref: *const c_char,
    transaction_ref: *const c_char,
) -> sx_result {
    ffi_boundary!({
        let basket = try_mut!(basket);
        let merchant_ref = try_opt_str!(merchant_ref);
        let transaction_ref = try_opt_str!(transaction_ref);
        basket.core.set_refs(merchant_ref, transaction_ref)?;
        Ok(())
    })
}

/// Sets the customer's loyalty card number, sent with `sx_transaction_create` and `sx_transaction_update` as
/// the transaction's ident (`"idents": [{"type": "card", "value": ...}]`), so that the card's balance and
/// points apply. `card_number` is 1 to 64 of `0-9 A-Z a-z` (remove a scanner's spaces and dashes first); NULL
/// clears it. Otherwise `SX_ERR_INVALID_ARGUMENT`, and the basket keeps its earlier card.
///
/// The number never appears in full in a log line or an error message of this library (they show the last
/// four digits at most). Sends nothing. Ownership: the string is copied. Threads: not at once on the same
/// basket.
///
/// # Safety
/// `basket` is NULL or a live basket; `card_number` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_basket_set_ident(basket: *mut sx_basket, card_number: *const c_char) -> sx_result {
    ffi_boundary!({
        let basket = try_mut!(basket);
        let card_number = try_opt_str!(card_number);
        basket.core.set_ident(card_number)?;
        Ok(())
    })
}
