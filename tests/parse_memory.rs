//! Parsing memory stays within a small multiple of the answer's size, counted by a global allocator of this
//! test binary (its own process, so no other test's allocations are counted). Bytes, not time.
//!
//! Why a target of its own, outside the grouped ones (tests/c_api/, tests/hostile/...): `#[global_allocator]`
//! replaces the allocator of the whole test binary, and the counts are only this file's while no other test of
//! the process allocates at the same time.
//!
//! A transaction keeps one copy of its answer (for `sx_transaction_get_json`): that copy is counted apart, and the
//! rest must stay below the answer's size as before. A JSON pointer walks that copy without building a tree.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr came from alloc with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes allocated at once while `f` ran, above what was allocated before.
fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = f();
    (result, PEAK.load(Ordering::SeqCst) - before)
}

/// A 16 MiB answer of millions of tiny receipt entries (`element` repeated).
fn huge_answer(element: &str) -> Vec<u8> {
    let size = 16 << 20;
    let head = r#"{"status":"ok","receipt":["#;
    let count = (size - head.len() - 2) / (element.len() + 1);
    let mut json = String::with_capacity(size);
    json.push_str(head);
    for i in 0..count {
        if i > 0 {
            json.push(',');
        }
        json.push_str(element);
    }
    json.push_str("]}");
    json.into_bytes()
}

#[test]
fn a_16_mib_answer_of_tiny_entries_parses_in_a_small_multiple_of_its_size() {
    for element in ["1", "{}", r#"{"type":"x"}"#] {
        let json = huge_answer(element);
        let (tx, peak) = peak_during(|| smartx::model::Transaction::from_json(&json).unwrap());
        assert_eq!(tx.receipt.len(), smartx::model::lenient::MAX_LIST_LEN);
        drop(tx);
        // The kept copy of the answer is the answer's size; what parsing needs besides stays below it.
        let kept = json.len();
        assert!(
            peak < kept + json.len(),
            "parsing {} bytes of {element:?} took {peak} bytes at the peak, {kept} of them the kept answer",
            json.len()
        );

        // The C path keeps the lines in its own compact form too.
        let (parsed, peak) = peak_during(|| {
            let mut tx = std::ptr::null_mut();
            // SAFETY: a readable buffer of json.len() bytes and a writable out-pointer.
            let r = unsafe { smartx::sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
            // SAFETY: tx came from sx_transaction_parse (or is NULL).
            unsafe { smartx::sx_transaction_free(tx) };
            r
        });
        assert_eq!(parsed, smartx::SX_OK);
        assert!(peak < kept + json.len(), "sx_transaction_parse of {element:?} took {peak} bytes at the peak");

        // A pointer into the millions of entries walks the kept answer: no tree, next to no memory.
        let mut tx = std::ptr::null_mut();
        // SAFETY: a readable buffer of json.len() bytes and a writable out-pointer.
        assert_eq!(unsafe { smartx::sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) }, smartx::SX_OK);
        let (found, lookup_peak) = peak_during(|| {
            let mut len = 0usize;
            // SAFETY: tx is live, the pointer is a C string, a size query with a valid out_len.
            unsafe {
                smartx::sx_transaction_get_json(tx, c"/receipt/999999".as_ptr(), std::ptr::null_mut(), 0, &mut len)
            }
        });
        // SAFETY: tx came from sx_transaction_parse.
        unsafe { smartx::sx_transaction_free(tx) };
        assert_eq!(found, smartx::SX_ERR_BUFFER_TOO_SMALL, "the element is there");
        assert!(lookup_peak < 64 << 10, "a JSON pointer into {element:?} took {lookup_peak} bytes at the peak");
        println!("{element}: {} bytes of answer, {peak} bytes at the peak of sx_transaction_parse", json.len());
    }
}
