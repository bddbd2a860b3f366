//! Any transaction JSON rendered with any options, through the C ABI: never a panic; options out of range are
//! refused; text rows are UTF-8 and ESC/POS output holds no byte below 0x20 but its own commands and "\n".
#![no_main]

use std::ptr;

use libfuzzer_sys::fuzz_target;
use smartx::*;

fuzz_target!(|input: &[u8]| {
    if input.len() < 6 {
        return;
    }
    let (head, json) = input.split_at(6);
    let options = sx_render_options {
        columns: u32::from(head[0]),
        format: u32::from(head[1] % 3),
        codepage: u32::from(head[2] % 5),
        flags: u32::from(head[3] % 5),
    };
    let which = u32::from(head[4] % 3);
    let mut tx = ptr::null_mut();
    // SAFETY: json is readable for its length; tx is a valid out-pointer.
    if unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) } != SX_OK {
        return;
    }
    let mut len = 0usize;
    // SAFETY: a size query on a live transaction.
    let query = unsafe { sx_receipt_render(tx, which, &options, ptr::null_mut(), 0, &mut len) };
    let valid = (options.columns == 0 || (20..=80).contains(&options.columns))
        && options.format < 2
        && options.codepage < 4
        && options.flags < 4
        && which < 2;
    if !valid {
        assert_eq!(query, SX_ERR_INVALID_ARGUMENT);
    } else {
        assert_eq!(query, SX_ERR_BUFFER_TOO_SMALL);
        let mut buf = vec![0u8; len + 1];
        // SAFETY: buf holds len + 1 bytes.
        let result = unsafe { sx_receipt_render(tx, which, &options, buf.as_mut_ptr().cast(), buf.len(), &mut len) };
        assert_eq!(result, SX_OK);
        let out = &buf[..len];
        if options.format == SX_FORMAT_TEXT {
            let text = std::str::from_utf8(out).expect("text output is UTF-8");
            assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a control character in {text:?}");
        } else {
            // ESC @, ESC t n, ESC E n, ESC d n, GS V 66 0 and "\n": every other byte is printable.
            let mut i = 0;
            while i < out.len() {
                match out[i] {
                    0x1b => i += 3 - usize::from(out.get(i + 1) == Some(&b'@')),
                    0x1d => i += 4,
                    b'\n' => i += 1,
                    b => {
                        assert!(b >= 0x20 && b != 0x7f, "byte {b:#04x} at {i}");
                        i += 1;
                    }
                }
            }
        }
    }
    // SAFETY: made by sx_transaction_parse, freed once.
    unsafe { sx_transaction_free(tx) };
});
