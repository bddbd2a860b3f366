//! `sx_result_advice` through the C ABI: every result code the header defines has its own advice for the
//! cashier in German and English, unknown languages and NULL fall back to English, an unknown code gets a
//! generic text, and the buffer rule holds. No network: the texts are static.

use std::collections::BTreeMap;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

use smartx::*;

/// Every `#define SX_OK` / `SX_ERR_...` of the committed header, by name: new codes are checked without
/// anybody remembering to add them here.
fn header_result_codes() -> BTreeMap<String, u32> {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/smartx.h")).expect("header");
    let codes: BTreeMap<String, u32> = header
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("#define ")?.split_whitespace();
            let name = words.next()?;
            let value = words.next()?.parse().ok()?;
            (name == "SX_OK" || name.starts_with("SX_ERR_")).then(|| (name.to_owned(), value))
        })
        .collect();
    assert!(codes.len() >= 16, "the header's result codes were not found: {codes:?}");
    codes
}

/// The advice for `code` in `language` (NULL for `None`), read with the size query and then the text.
fn advice(code: sx_result, language: Option<&str>) -> String {
    let language = language.map(|l| CString::new(l).unwrap());
    let language_ptr = language.as_ref().map_or(ptr::null(), |l| l.as_ptr());
    let mut len = usize::MAX;
    // SAFETY: a size query: NULL buffer with capacity 0; language is NULL or a NUL-terminated string.
    let sized = unsafe { sx_result_advice(code, language_ptr, ptr::null_mut(), 0, &mut len) };
    assert_eq!(sized, SX_ERR_BUFFER_TOO_SMALL, "size query for {code}");
    let mut buf = vec![0x55 as c_char; len + 1];
    let mut written = 0usize;
    // SAFETY: buf holds len + 1 bytes.
    let result = unsafe { sx_result_advice(code, language_ptr, buf.as_mut_ptr(), buf.len(), &mut written) };
    assert_eq!(result, SX_OK, "advice for {code}");
    assert_eq!(written, len);
    // SAFETY: on SX_OK the call wrote a NUL-terminated string into buf.
    let text = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8 advice").to_owned();
    assert_eq!(text.len(), len, "the NUL is right after the text");
    text
}

#[test]
fn every_result_code_of_the_header_has_its_own_advice_in_german_and_english() {
    let codes = header_result_codes();
    for language in ["de", "en"] {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (name, code) in &codes {
            let text = advice(*code, Some(language));
            assert!(text.trim().len() >= 20, "{name} in {language}: {text:?} says too little");
            assert!(!text.contains("SX_"), "{name} in {language}: a cashier cannot read a code name: {text:?}");
            if let Some(other) = seen.insert(text.clone(), name) {
                panic!("{name} and {other} have the same {language} advice: {text:?}");
            }
        }
        let generic = advice(12345, Some(language));
        assert!(!seen.contains_key(&generic), "the generic {language} text is one code's: {generic:?}");
        assert!(!generic.is_empty());
    }
    for (name, code) in &codes {
        assert_ne!(advice(*code, Some("de")), advice(*code, Some("en")), "{name}: German is English");
    }
}

#[test]
fn the_advice_says_what_the_cashier_does() {
    let en = |code| advice(code, Some("en")).to_lowercase();
    let de = |code| advice(code, Some("de")).to_lowercase();
    // The dangerous cases: the payment may have gone through, so never take the money again.
    for code in [SX_ERR_OUTCOME_UNKNOWN, SX_ERR_BAD_RESPONSE] {
        assert!(en(code).contains("do not take the payment again"), "{code}: {}", en(code));
        assert!(de(code).contains("nicht noch einmal kassieren"), "{code}: {}", de(code));
    }
    assert!(en(SX_OK).contains("print the receipt"), "{}", en(SX_OK));
    assert!(de(SX_OK).contains("beleg drucken"), "{}", de(SX_OK));
    assert!(en(SX_ERR_NOT_OK).contains("print the receipt"), "a declined card's receipt is printed too");
    assert!(en(SX_ERR_CONNECT).contains("try again"), "{}", en(SX_ERR_CONNECT));
    assert!(de(SX_ERR_CONNECT).contains("noch einmal versuchen"), "{}", de(SX_ERR_CONNECT));
    assert!(en(SX_ERR_API).contains("support id"), "{}", en(SX_ERR_API));
    assert!(de(SX_ERR_API).contains("support-id"), "{}", de(SX_ERR_API));
}

#[test]
fn null_unknown_and_regional_languages() {
    for code in [SX_OK, SX_ERR_CONNECT, SX_ERR_OUTCOME_UNKNOWN, 777] {
        let english = advice(code, Some("en"));
        assert_eq!(advice(code, None), english, "NULL language");
        for other in ["fr", "", "english", "d", "xx-YY"] {
            assert_eq!(advice(code, Some(other)), english, "{other:?} falls back to English");
        }
        let german = advice(code, Some("de"));
        for spelling in ["DE", "de-DE", "de_AT", "de-CH"] {
            assert_eq!(advice(code, Some(spelling)), german, "{spelling:?} is German");
        }
    }
}

#[test]
fn the_buffer_rule_holds() {
    let text = advice(SX_ERR_OUTCOME_UNKNOWN, Some("de"));
    let language = c"de";
    let len = text.len();
    for cap in [1, len / 2, len] {
        let mut buf = vec![0x55 as c_char; cap];
        let mut out_len = 0usize;
        // SAFETY: buf holds cap bytes.
        let result =
            unsafe { sx_result_advice(SX_ERR_OUTCOME_UNKNOWN, language.as_ptr(), buf.as_mut_ptr(), cap, &mut out_len) };
        assert_eq!(result, SX_ERR_BUFFER_TOO_SMALL, "cap {cap}");
        assert_eq!(out_len, len, "cap {cap}: the needed length without the NUL");
        assert!(buf.iter().all(|b| *b == 0x55), "cap {cap}: nothing is written");
    }
    let mut buf = vec![0x55 as c_char; len + 10];
    let mut out_len = 0usize;
    // SAFETY: buf holds len + 10 bytes.
    let result = unsafe {
        sx_result_advice(SX_ERR_OUTCOME_UNKNOWN, language.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut out_len)
    };
    assert_eq!(result, SX_OK);
    assert_eq!(out_len, len);
    assert_eq!(buf[len], 0, "NUL after the text");
    assert_eq!(buf[len + 1], 0x55, "nothing past the NUL");

    // NULL out_len, and a NULL buffer that claims room: refused.
    // SAFETY: NULL pointers are what is tested; the function checks them.
    assert_eq!(
        unsafe { sx_result_advice(SX_OK, ptr::null(), buf.as_mut_ptr(), buf.len(), ptr::null_mut()) },
        SX_ERR_NULL_ARGUMENT
    );
    // SAFETY: as above.
    assert_eq!(
        unsafe { sx_result_advice(SX_OK, ptr::null(), ptr::null_mut(), 10, &mut out_len) },
        SX_ERR_NULL_ARGUMENT
    );
}

/// Reading the advice after a failed call leaves that call's message for `sx_last_error_message`, also when
/// the buffer was too small: a register shows both.
#[test]
fn reading_the_advice_keeps_the_last_error() {
    let mut tx = ptr::null_mut();
    // SAFETY: a NULL json is what is tested; tx is a valid out-pointer.
    assert_eq!(unsafe { sx_transaction_parse(ptr::null(), 0, &mut tx) }, SX_ERR_NULL_ARGUMENT);
    let before = last_error();
    assert!(!before.is_empty());
    let mut len = 0usize;
    // SAFETY: a size query.
    assert_eq!(
        unsafe { sx_result_advice(SX_ERR_NULL_ARGUMENT, ptr::null(), ptr::null_mut(), 0, &mut len) },
        SX_ERR_BUFFER_TOO_SMALL
    );
    let _ = advice(SX_ERR_NULL_ARGUMENT, Some("de"));
    assert_eq!(last_error(), before);
}

fn last_error() -> String {
    let mut len = 0usize;
    // SAFETY: a size query.
    unsafe { sx_last_error_message(ptr::null_mut(), 0, &mut len) };
    let mut buf = vec![0 as c_char; len + 1];
    // SAFETY: buf holds len + 1 bytes.
    assert_eq!(unsafe { sx_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) }, SX_OK);
    // SAFETY: written and NUL-terminated on SX_OK.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned()
}
