//! `sx_transaction_ident_`: the idents of a transaction (`idents[]`: loyalty cards and the like), one by one.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, ref_or, try_out, try_ref};
use super::result::*;
use super::transaction::{item, sx_transaction};

/// `sx_ident.present`: `valid` was in the answer.
pub const SX_IDENT_HAS_VALID: u32 = 1;
/// `sx_ident.present`: `merchantcard.points` was in the answer.
pub const SX_IDENT_HAS_POINTS: u32 = 2;
/// `sx_ident.present`: `merchantcard.cash_balance` was in the answer.
pub const SX_IDENT_HAS_CASH_BALANCE: u32 = 4;
/// `sx_ident.present`: `merchantcard.bonus_balance` was in the answer.
pub const SX_IDENT_HAS_BONUS_BALANCE: u32 = 8;
/// `sx_ident.present`: `merchantcard.balance` was in the answer.
pub const SX_IDENT_HAS_BALANCE: u32 = 16;

/// A card or other identification presented for the transaction (`idents[]`). Filled by
/// `sx_transaction_ident_get`.
///
/// The strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
/// `sx_transaction_free`; do not free them. `card_number` is a full card number: a register shows it, but never
/// writes it to a log. An integer or flag that was absent (or null) is 0 with its bit clear in `present`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_ident {
    /// `id`, e.g. "smi_1".
    pub id: *const c_char,
    /// `prefix`: the first digits of the card number.
    pub prefix: *const c_char,
    /// `name`, e.g. "secucard Kundenkarte".
    pub name: *const c_char,
    /// `type`: "card" or "create_card".
    pub r#type: *const c_char,
    /// The card number: `value`, else `merchantcard.card.cardnumber`.
    pub card_number: *const c_char,
    /// `merchantcard.cardgroup.display_name`, e.g. "Geschenkgutschein".
    pub card_group_name: *const c_char,
    /// `merchantcard.lock_status`, e.g. "unlocked".
    pub lock_status: *const c_char,
    /// `merchantcard.stock_status`, e.g. "active".
    pub stock_status: *const c_char,
    /// `merchantcard.points`.
    pub points: i64,
    /// `merchantcard.cash_balance` in cents.
    pub cash_balance: i64,
    /// `merchantcard.bonus_balance` in cents.
    pub bonus_balance: i64,
    /// `merchantcard.balance` in cents.
    pub balance: i64,
    /// `valid`: 1 when the API accepted the card, else 0.
    pub valid: u32,
    /// A bit set of `SX_IDENT_HAS_` values: which of the integers and `valid` the answer had.
    pub present: u32,
}

/// The number of idents (`idents[]`: loyalty cards and the like); 0 for a NULL `tx` or none. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_ident_count(tx: *const sx_transaction) -> usize {
    ffi_boundary!(fallback = 0; {
        let tx = ref_or!(tx, 0);
        tx.transaction.idents.len()
    })
}

/// Fills `*out` with ident `index` (from 0).
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
/// `index >= sx_transaction_ident_count(tx)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_ident_get(
    tx: *const sx_transaction,
    index: usize,
    out: *mut sx_ident,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        let ident = item(&tx.transaction.idents, index, "ident")?;
        let card = ident.merchantcard.as_ref();
        let [id, prefix, name, r#type, card_number, card_group_name, lock_status, stock_status] = [
            ident.id,
            ident.prefix,
            ident.name,
            ident.kind,
            ident.card_number(),
            ident.card_group_name(),
            card.and_then(|c| c.lock_status),
            card.and_then(|c| c.stock_status),
        ]
        .map(|text| tx.c_string(text));
        let numbers = [
            card.and_then(|c| c.points),
            card.and_then(|c| c.cash_balance),
            card.and_then(|c| c.bonus_balance),
            card.and_then(|c| c.balance),
        ];
        let [points, cash_balance, bonus_balance, balance] = numbers.map(|n| n.unwrap_or(0));
        let bits = [SX_IDENT_HAS_POINTS, SX_IDENT_HAS_CASH_BALANCE, SX_IDENT_HAS_BONUS_BALANCE, SX_IDENT_HAS_BALANCE];
        let present = bits.iter().zip(&numbers).filter(|(_, n)| n.is_some()).fold(0, |set, (bit, _)| set | bit)
            | if ident.valid.is_some() { SX_IDENT_HAS_VALID } else { 0 };
        out.write(sx_ident {
            id,
            prefix,
            name,
            r#type,
            card_number,
            card_group_name,
            lock_status,
            stock_status,
            points,
            cash_balance,
            bonus_balance,
            balance,
            valid: u32::from(ident.valid == Some(true)),
            present,
        });
        Ok(())
    })
}
