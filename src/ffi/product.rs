//! `sx_product`: one basket position, as a transaction's products (`sx_transaction_product_get`) and a
//! preTransaction's bonus products (`sx_pre_transaction_bonus_get`) hand it out.

use std::ffi::c_char;

use super::strings::c_str;
use crate::model::{Product, Texts};

/// `sx_product.present`: `id` was in the answer.
pub const SX_PRODUCT_HAS_ID: u32 = 1;
/// `sx_product.present`: `parent` was in the answer.
pub const SX_PRODUCT_HAS_PARENT: u32 = 2;
/// `sx_product.present`: `quantity` was in the answer.
pub const SX_PRODUCT_HAS_QUANTITY: u32 = 4;
/// `sx_product.present`: `unit_price_cents` (`priceOne`) was in the answer.
pub const SX_PRODUCT_HAS_UNIT_PRICE: u32 = 8;
/// `sx_product.present`: `vat_percent` (`tax`) was in the answer.
pub const SX_PRODUCT_HAS_VAT: u32 = 16;

/// One basket position. Filled by `sx_transaction_product_get` and `sx_pre_transaction_bonus_get`.
///
/// The four strings are UTF-8, never NULL ("" when absent), owned by the object they came from and valid until
/// it is freed (`sx_transaction_free`, `sx_pre_transaction_free`); do not free them. A number given as a
/// string in the answer (`"priceOne": "349"`) reads the same as the number; `articleNumber` and `ean` given as
/// numbers read as their digits. An integer that was absent (or null, or not a whole number) is 0 with its bit
/// clear in `present`: test the bit where 0 would mean something.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_product {
    /// `desc`: the product's text.
    pub desc: *const c_char,
    /// `articleNumber`.
    pub article_number: *const c_char,
    /// `ean`.
    pub ean: *const c_char,
    /// `item_type`: "article" (the API's default), "coupon", ...
    pub item_type: *const c_char,
    /// `id`: the position's number in the basket.
    pub id: i64,
    /// `parent`: the `id` of the position this one belongs to.
    pub parent: i64,
    /// `quantity`.
    pub quantity: i64,
    /// `priceOne`: the gross unit price in cents; negative for a bonus or coupon.
    pub unit_price_cents: i64,
    /// `tax`: the VAT rate in whole percent (7, 19, 0).
    pub vat_percent: i64,
    /// A bit set of `SX_PRODUCT_HAS_` values: which of the integers the answer had.
    pub present: u32,
}

/// The C view of `product`, its strings pointing into `texts` (those of the reading it came from).
pub(super) fn product_to_c(product: &Product, texts: &Texts) -> sx_product {
    let [desc, article_number, ean, item_type] =
        [product.desc, product.article_number, product.ean, product.item_type].map(|text| c_str(texts, text));
    let numbers = [product.id, product.parent, product.quantity, product.price_one, product.tax];
    let [id, parent, quantity, unit_price_cents, vat_percent] = numbers.map(|n| n.unwrap_or(0));
    let bits = [
        SX_PRODUCT_HAS_ID,
        SX_PRODUCT_HAS_PARENT,
        SX_PRODUCT_HAS_QUANTITY,
        SX_PRODUCT_HAS_UNIT_PRICE,
        SX_PRODUCT_HAS_VAT,
    ];
    let present = bits.iter().zip(&numbers).filter(|(_, n)| n.is_some()).fold(0, |set, (bit, _)| set | bit);
    sx_product { desc, article_number, ean, item_type, id, parent, quantity, unit_price_cents, vat_percent, present }
}
