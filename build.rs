//! Writes include/smartx.h from the C layer with cbindgen. The header is committed; the test suite fails when
//! this changes it, so a change of the C API is always a visible diff.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=include/smartx.h");
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let config =
        cbindgen::Config::from_file(Path::new(&crate_dir).join("cbindgen.toml")).expect("cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        // Only the C layer: the core's public items are Rust API, not C API.
        .with_src(Path::new(&crate_dir).join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen can read the C layer");
    // write_to_file leaves the file alone when nothing changed, so builds do not dirty the tree.
    bindings.write_to_file(Path::new(&crate_dir).join("include/smartx.h"));
}
