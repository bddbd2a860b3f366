//! Any bytes through sx_transaction_parse, as C calls it, then every line of both receipts walked and every
//! string read: no panic (it would be SX_ERR_PANIC, which is a bug here too), no out-of-bounds read.
#![no_main]

use std::ffi::CStr;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use smartx::*;

fuzz_target!(|json: &[u8]| {
    let mut tx = ptr::null_mut();
    // SAFETY: json is readable for its length; tx is a valid out-pointer.
    let result = unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
    assert_ne!(result, SX_ERR_PANIC);
    if result != SX_OK {
        assert!(tx.is_null(), "*out is written only on success");
        return;
    }
    for which in [SX_RECEIPT_CUSTOMER, SX_RECEIPT_MERCHANT] {
        // SAFETY: tx is live until freed below.
        let count = unsafe { sx_receipt_count(tx, which) };
        for index in 0..count {
            let mut line = std::mem::MaybeUninit::<sx_receipt_line>::uninit();
            // SAFETY: tx is live; line is writable.
            assert_eq!(unsafe { sx_receipt_line_get(tx, which, index, line.as_mut_ptr()) }, SX_OK);
            // SAFETY: written on SX_OK.
            let line = unsafe { line.assume_init() };
            for text in [line.r#type, line.caption, line.text, line.name, line.value] {
                // SAFETY: the contract: never NULL, NUL-terminated UTF-8, valid until sx_transaction_free.
                let text = unsafe { CStr::from_ptr(text) };
                assert!(text.to_str().is_ok(), "strings out are UTF-8");
            }
        }
    }
    // SAFETY: made by sx_transaction_parse, freed once.
    unsafe { sx_transaction_free(tx) };
});
