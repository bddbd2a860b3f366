//! Generates the C header from the C layer with cbindgen into `OUT_DIR/smartx.h` (build scripts write nowhere
//! else). The committed `include/smartx.h` is compared with it by `tests/docs/header.rs`, which rewrites it only when
//! `SMARTX_UPDATE_HEADER=1` is set: a change of the C API is always a reviewed, visible diff.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        // Only the C layer: the core's public items are Rust API, not C API.
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen can read the C layer");
    let mut header = Vec::new();
    bindings.write(&mut header);
    let header = String::from_utf8(header).expect("cbindgen writes UTF-8");
    let header_path = out_dir.join("smartx.h");
    std::fs::write(&header_path, c89_comments(&header)).expect("OUT_DIR is writable");
    println!("cargo:rustc-env=SMARTX_GENERATED_HEADER={}", header_path.display());
    windows_version_resource();
}

/// cbindgen closes its C++ guards with `//` comments, which C89 compilers reject under `-pedantic`; registers
/// built with C89 compilers exist.
fn c89_comments(header: &str) -> String {
    header
        .lines()
        .map(|line| match line.split_once("//") {
            Some((code, comment)) if !code.trim_start().starts_with('*') && !code.contains('"') => {
                format!("{code}/* {} */", comment.trim())
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// smartx.dll carries a version resource (File version, Product name, ...), which Windows shows in the file's
/// properties and installers compare; written from Cargo.toml so it cannot drift from the crate's version.
fn windows_version_resource() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let numbers: Vec<u16> = version.split(['.', '-']).take(3).map(|n| n.parse().unwrap_or(0)).collect();
    let (major, minor, patch) = (numbers[0], numbers[1], numbers[2]);
    let description = std::env::var("CARGO_PKG_DESCRIPTION").expect("cargo sets CARGO_PKG_DESCRIPTION");
    let rc = format!(
        r#"1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
FILEOS 0x40004
FILETYPE 0x2
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "smartx"
      VALUE "FileDescription", "{description}"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "smartx"
      VALUE "OriginalFilename", "smartx.dll"
      VALUE "ProductName", "smartx"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#
    );
    let path = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("smartx.rc");
    std::fs::write(&path, rc).expect("write smartx.rc into OUT_DIR");
    embed_resource::compile_for_cdylib(&path, embed_resource::NONE)
        .manifest_optional()
        .expect("compile the version resource (mingw: x86_64-w64-mingw32-windres)");
}
