//! `sx_device`: a smart device (`smart.devices`), in practice the card terminal beside the till; and
//! `sx_payment_methods`, the payment methods a contract allows.
//!
//! Common to the calls here: as in `card.rs`, reads that the library never repeats, checked before anything
//! is sent, their body this thread's last response. Threads: any, at once on a shared client; a
//! `const sx_device *` or `const sx_payment_methods *` may be read from several threads at once.
//!
//! Finding the till's terminal, as the SDKs do (each way a guess the API documents only in part):
//! - the `device_destination` of an earlier card payment of this register (`sx_transaction_device_destination`)
//!   is the terminal that took it: `sx_device_get` on it. The most reliable way.
//! - `sx_device_get_routed(client, own_id, "zvt", &dev)`, where `own_id` is the register's own device
//!   (`sx_transaction_device_source` of any transaction it created): the spec says only "Returns the specified
//!   Smart Device if it is assigned to a routing". Whether that is the terminal or the register itself is
//!   not documented: look at `sx_device_type` of what comes back.

use std::ffi::{c_char, CString};

use super::basket::sx_basket;
use super::boundary::{ffi_boundary, free_handle, into_handle, ref_or, try_out, try_ref, try_str, Failure};
use super::card::found;
use super::client::sx_client;
use super::last_call;
use super::result::*;
use super::strings::owned_c_string;
use super::transaction::{item, write_present};
use crate::api;
use crate::http::ObjectId;
use crate::model::card::Device;

/// A smart device. Opaque: made by `sx_device_get` or `sx_device_get_routed`, freed by `sx_device_free`.
/// Read-only. It keeps neither the device's `user_pin` nor its terminal passwords (`products`): they are never
/// read, so they cannot be shown or logged.
pub struct sx_device {
    device: Device,
    id: CString,
    kind: CString,
    description: CString,
    vendor: CString,
    tid: CString,
}

impl sx_device {
    fn new(device: Device) -> sx_device {
        let text = |value: &Option<String>| owned_c_string(value.as_deref().unwrap_or(""));
        sx_device {
            id: owned_c_string(&device.id),
            kind: text(&device.kind),
            description: text(&device.description),
            vendor: text(&device.vendor),
            tid: text(&device.tid),
            device,
        }
    }
}

/// Reads a device: `GET /api/v2/Smart/Devices/{device_id}` ("SDV_..."), e.g. the `device_destination` of a
/// card payment (`sx_transaction_device_destination`): the terminal that took it.
///
/// `SX_OK`: `*out` receives the device. An answer about another device, or a device whose `online` is not true
/// or false, is `SX_ERR_BAD_RESPONSE`; an unknown id is the API's error (`SX_ERR_API`, or `SX_ERR_HTTP` for a
/// bare 404). `device_id`: 1 to 128 of `A-Z a-z 0-9 _ -`, not `me`; else `SX_ERR_INVALID_ARGUMENT`, nothing
/// sent. Blocks for at most the total timeout.
///
/// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_device_free`. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `device_id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_device_get(
    client: *mut sx_client,
    device_id: *const c_char,
    out: *mut *mut sx_device,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = ObjectId::parse(try_str!(device_id), "the device id")?;
        let out = try_out!(out);
        let device = found(api::get_device(&client.core, id))?;
        out.write(into_handle(sx_device::new(device)));
        Ok(())
    })
}

/// The device routed to `device_id` for `routing_type` ("cashier", "zvt", "shopmodule", "webterminal"):
/// `GET /api/v2/Smart/Devices/{device_id}/routing/{routing_type}`. A GUESS at the SDKs' way to find the till's
/// terminal: with the register's own id and "zvt". The spec's only words are "Returns the specified Smart Device
/// if it is assigned to a routing", and no example exists: check `sx_device_type` of the answer. Any device
/// with an id is accepted. `SX_ERR_INVALID_ARGUMENT` for another `routing_type`, nothing sent.
///
/// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_device_free`. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `device_id` and `routing_type` are NULL or NUL-terminated; `out` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn sx_device_get_routed(
    client: *mut sx_client,
    device_id: *const c_char,
    routing_type: *const c_char,
    out: *mut *mut sx_device,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = ObjectId::parse(try_str!(device_id), "the device id")?;
        let routing = try_str!(routing_type);
        let out = try_out!(out);
        let device = found(api::routed_device(&client.core, id, routing))?;
        out.write(into_handle(sx_device::new(device)));
        Ok(())
    })
}

/// Frees a device. NULL is a no-op; freeing twice is undefined behaviour. Threads: any, once no other thread
/// uses `device`.
///
/// # Safety
/// `device` is NULL or a device from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_device_free(device: *mut sx_device) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a device from this library, freed once.
        unsafe { free_handle(device) }
    })
}

/// Whether the API says the device is online, `online`, into `*out` (1 online, 0 offline). The API's only
/// liveness field: it does NOT prove the terminal can pay (nothing says "ready", "busy" or "PIN pad in use").
/// Only a payment or the terminal's diagnosis (`sx_terminal_diagnosis`) does. `SX_ERR_ABSENT` (`*out`
/// untouched) when the answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `device` or `out`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_device_online(device: *const sx_device, out: *mut u32) -> sx_result {
    ffi_boundary!({
        let device = try_ref!(device);
        let out = try_out!(out);
        write_present(device.device.online.map(u32::from), out, "online")
    })
}

/// The device's id, `id` ("SDV_...").
///
/// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
/// `sx_device_free(device)`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device.
#[no_mangle]
pub unsafe extern "C" fn sx_device_id(device: *const sx_device) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(device, c"".as_ptr()).id.as_ptr()
    })
}
/// The device's type, `type`: "cashier" (a register), "zvt" (a card terminal), "shopmodule", "webterminal".
///
/// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
/// `sx_device_free(device)`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device.
#[no_mangle]
pub unsafe extern "C" fn sx_device_type(device: *const sx_device) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(device, c"".as_ptr()).kind.as_ptr()
    })
}
/// The device's description, `description`, as the merchant named it.
///
/// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
/// `sx_device_free(device)`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device.
#[no_mangle]
pub unsafe extern "C" fn sx_device_description(device: *const sx_device) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(device, c"".as_ptr()).description.as_ptr()
    })
}
/// The device's vendor, `vendor` (e.g. "ingenico", "ccv", "android").
///
/// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
/// `sx_device_free(device)`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device.
#[no_mangle]
pub unsafe extern "C" fn sx_device_vendor(device: *const sx_device) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(device, c"".as_ptr()).vendor.as_ptr()
    })
}
/// The terminal id, `tid`.
///
/// UTF-8, never NULL ("" when absent or `device` is NULL), owned by the device and valid until
/// `sx_device_free(device)`. Threads: any.
///
/// # Safety
/// `device` is NULL or a live device.
#[no_mangle]
pub unsafe extern "C" fn sx_device_tid(device: *const sx_device) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        ref_or!(device, c"".as_ptr()).tid.as_ptr()
    })
}

/// `sx_contract_payment_methods` flags: ask as in demo mode (`is_demo: true`).
pub const SX_METHODS_DEMO: u32 = 1;
/// `sx_contract_payment_methods` flags: the flex.API/APIv2 product names (`apiv2_products: true`).
pub const SX_METHODS_APIV2_NAMES: u32 = 2;

/// The payment methods a contract allows, as the API names them. Opaque: made by
/// `sx_contract_payment_methods`, freed by `sx_payment_methods_free`. Read-only.
pub struct sx_payment_methods {
    methods: Vec<CString>,
}

/// The payment methods the contract allows for a basket's currency:
/// `POST /api/v2/General/Contracts/{contract_id}/getAvailablePaymentMethods` with `{"currency": <the basket's>,
/// "is_demo", "apiv2_products"}` (POST, but it changes nothing). `flags`: `SX_METHODS_DEMO`,
/// `SX_METHODS_APIV2_NAMES`; other bits are `SX_ERR_INVALID_ARGUMENT`.
///
/// `SX_OK`: `*out` receives the list: strings the register maps to its buttons. The API enumerates them
/// nowhere; that they match `sx_transaction_start`'s method names is plausible, not documented. An answer that is
/// not a JSON list of strings is `SX_ERR_BAD_RESPONSE`. The contract id ("GCR_...") is needed in e-commerce;
/// a register with a card terminal may not need this call at all. Blocks for at most the total timeout.
///
/// Ownership: on `SX_OK` `*out` is the caller's, freed with `sx_payment_methods_free`; `basket` is read during
/// the call only. Threads: any.
///
/// # Safety
/// `client` and `basket` are NULL or live; `contract_id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_contract_payment_methods(
    client: *mut sx_client,
    contract_id: *const c_char,
    basket: *const sx_basket,
    flags: u32,
    out: *mut *mut sx_payment_methods,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let contract = ObjectId::parse(try_str!(contract_id), "the contract id")?;
        let basket = try_ref!(basket);
        let out = try_out!(out);
        if flags & !(SX_METHODS_DEMO | SX_METHODS_APIV2_NAMES) != 0 {
            return Err(Failure::invalid(format!("unknown flags 0x{flags:x}")));
        }
        let methods = found(api::payment_methods(
            &client.core,
            contract,
            basket.core().currency(),
            flags & SX_METHODS_DEMO != 0,
            flags & SX_METHODS_APIV2_NAMES != 0,
        ))?;
        let methods = methods.iter().map(|m| owned_c_string(m)).collect();
        out.write(into_handle(sx_payment_methods { methods }));
        Ok(())
    })
}

/// The number of methods; 0 for a NULL `methods`. Threads: any.
///
/// # Safety
/// `methods` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_payment_methods_count(methods: *const sx_payment_methods) -> usize {
    ffi_boundary!(fallback = 0; {
        ref_or!(methods, 0).methods.len()
    })
}

/// Method `index` (from 0) into `*out`, e.g. "creditcard": UTF-8, owned by the list and valid until
/// `sx_payment_methods_free(methods)`. `SX_ERR_OUT_OF_RANGE` for `index >= sx_payment_methods_count(methods)`,
/// `SX_ERR_NULL_ARGUMENT` for a NULL `methods` or `out`; `*out` is written only on `SX_OK`. Threads: any.
///
/// # Safety
/// `methods` is NULL or a live list; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_payment_methods_get(
    methods: *const sx_payment_methods,
    index: usize,
    out: *mut *const c_char,
) -> sx_result {
    ffi_boundary!({
        let methods = try_ref!(methods);
        let out = try_out!(out);
        out.write(item(&methods.methods, index, "payment method")?.as_ptr());
        Ok(())
    })
}

/// Frees a list from `sx_contract_payment_methods`, and its strings. NULL is a no-op. Threads: any, once no
/// other thread uses `methods`.
///
/// # Safety
/// `methods` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_payment_methods_free(methods: *mut sx_payment_methods) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a list from this library, freed once.
        unsafe { free_handle(methods) }
    })
}
