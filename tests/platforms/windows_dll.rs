//! smartx.dll cross-built with mingw-w64 by scripts/build-windows.sh: its version resource and exports, and the
//! C example cross-compiled against it, run under Wine against the Linux sandbox over loopback.
//! Skipped, saying so, only where mingw-w64, Wine or the Rust target cannot be had (.ci/run installs them).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{repo_dir, run, Sandbox};

const TOKEN: &str = "windows-token-SECRET-41d0";
const LIMIT: Duration = Duration::from_secs(900);

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().map(|o| o.status.success()).unwrap_or(false)
}

/// Why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !works("x86_64-w64-mingw32-gcc", &["--version"]) {
        missing.push("x86_64-w64-mingw32-gcc (Debian: gcc-mingw-w64-x86-64)");
    }
    if !works("wine", &["--version"]) {
        missing.push("wine (Debian: wine, wine64)");
    }
    let targets = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if !targets.map(|o| String::from_utf8_lossy(&o.stdout).contains("x86_64-pc-windows-gnu")).unwrap_or(false) {
        missing.push("the Rust target x86_64-pc-windows-gnu (rustup target add x86_64-pc-windows-gnu)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn out_dir() -> PathBuf {
    repo_dir().join("target/windows")
}

/// What scripts/build-windows.sh leaves in target/windows: what ships and what a register builds against.
const SHIPPED: [&str; 6] = ["libsmartx.dll.a", "smartx.dll", "smartx.exe", "smartx.h", "smartx.hpp", "start_cash.exe"];

/// The test's own files (the Wine stand-in, the Wine prefix): never beside what ships.
fn test_dir() -> PathBuf {
    repo_dir().join("target/windows-test")
}

fn wine(exe: &Path, args: &[&str], prefix: &Path) -> support::Run {
    let mut command = Command::new("wine");
    command
        .arg(exe)
        .args(args)
        .current_dir(exe.parent().expect("a directory"))
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        // No prompts to install Mono or Gecko into a fresh prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
    run(&mut command, LIMIT)
}

#[test]
fn windows_dll_has_its_version_and_exports_and_pays_under_wine() {
    if let Some(missing) = missing_tools() {
        eprintln!("SKIPPED windows_dll: cannot cross-build or run Windows programs here; missing {missing}");
        return;
    }
    let mut build = Command::new("bash");
    build.arg(repo_dir().join("scripts/build-windows.sh"));
    // The variables cargo sets for this test (CARGO_PKG_*, OUT_DIR, ...) would make the nested cargo see a
    // different build and compile everything again: it gets the environment a developer's shell has.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" || key.starts_with("RUSTUP_TOOLCHAIN")
        {
            build.env_remove(&key);
        }
    }
    let done = run(&mut build, LIMIT);
    assert_eq!(done.code(), 0, "scripts/build-windows.sh failed:\n{}", done.output());
    let out = out_dir();
    let dll = out.join("smartx.dll");
    for file in ["smartx.dll", "libsmartx.dll.a", "smartx.h", "start_cash.exe", "smartx.exe"] {
        assert!(out.join(file).is_file(), "{file} missing from {}", out.display());
    }

    // The version resource: a .rsrc section with an RT_VERSION (16) entry, and its strings.
    let headers = run(Command::new("x86_64-w64-mingw32-objdump").arg("-p").arg(&dll), LIMIT);
    assert_eq!(headers.code(), 0, "{}", headers.output());
    assert!(headers.stdout.contains("Resource Directory [.rsrc]"), "no .rsrc in smartx.dll");
    assert!(headers.stdout.contains("Entry: ID: 0x000010"), "no RT_VERSION resource:\n{}", headers.stdout);
    let bytes = std::fs::read(&dll).expect("read smartx.dll");
    for (key, value) in [
        ("FileVersion", env!("CARGO_PKG_VERSION")),
        ("ProductVersion", env!("CARGO_PKG_VERSION")),
        ("ProductName", "smartx"),
        ("OriginalFilename", "smartx.dll"),
    ] {
        assert!(contains(&bytes, &utf16(key)), "no {key} in the version resource");
        assert!(contains(&bytes, &utf16(value)), "no {key} value {value:?} in the version resource");
    }

    // The DLL exports exactly the header's functions, as bindings/generate.py reads them (the same list the Linux
    // export check uses).
    let mut functions = Command::new("python3");
    functions.arg(repo_dir().join("bindings/generate.py")).arg("--functions").env("PYTHONDONTWRITEBYTECODE", "1");
    let functions = run(&mut functions, LIMIT);
    assert_eq!(functions.code(), 0, "{}", functions.output());
    let declared: std::collections::BTreeSet<&str> = functions.stdout.lines().collect();
    let exports_start = headers.stdout.find("[Ordinal/Name Pointer] Table").expect("an export table");
    let exported: std::collections::BTreeSet<&str> = headers.stdout[exports_start..]
        .lines()
        .skip(1)
        .take_while(|line| line.trim_start().starts_with('['))
        .filter_map(|line| line.split_whitespace().last())
        .collect();
    assert_eq!(exported, declared, "smartx.dll's exports differ from the header's functions");

    // Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which Rust's standard library uses on Windows 10 and
    // later: a stand-in built here goes beside a copy of the program in target/windows-test, never into
    // target/windows's shipped files. Real Windows 10 and later have the DLL.
    let run_dir = test_dir().join("wine-run");
    std::fs::create_dir_all(&run_dir).expect("create target/windows-test/wine-run");
    for file in ["smartx.dll", "start_cash.exe", "smartx.exe"] {
        std::fs::copy(out.join(file), run_dir.join(file)).expect("copy into wine-run");
    }
    let mut shim = Command::new("x86_64-w64-mingw32-gcc");
    shim.args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-shared", "-o"])
        .arg(run_dir.join("bcryptprimitives.dll"))
        .arg(repo_dir().join("tests/data/windows/bcryptprimitives.c"))
        .arg("-ladvapi32");
    let done = run(&mut shim, LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());

    let prefix = test_dir().join("wineprefix");
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let exe = run_dir.join("start_cash.exe");
    let done = wine(&exe, &[&id, TOKEN, &sandbox.base_url], &prefix);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("SX_OK (0)"), "{}", done.output());
    assert!(done.stdout.contains("Kartennummer:             9276004429942845"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);

    let done = wine(&exe, &[&id, TOKEN, &sandbox.base_url], &prefix);
    assert_eq!(done.code(), 21, "paid twice: {}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(!done.output().contains(TOKEN), "{}", done.output());

    // smartx.exe, the command-line tool, runs under Windows too: its version, and the doctor against the sandbox.
    let cli = run_dir.join("smartx.exe");
    let done = wine(&cli, &["--version"], &prefix);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.starts_with("smartx "), "{}", done.output());
    let mut doctor = Command::new("wine");
    doctor
        .arg(&cli)
        .args(["doctor", "--json", "--base-url", &sandbox.base_url])
        .current_dir(&run_dir)
        .env("WINEPREFIX", &prefix)
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env("SX_TOKEN", TOKEN);
    let done = run(&mut doctor, LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let doc: serde_json::Value = serde_json::from_str(&done.stdout).expect("one JSON document");
    let statuses: Vec<&str> = doc["steps"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "skipped", "ok", "skipped", "ok", "skipped", "ok"], "{doc}");
    assert!(!done.output().contains(TOKEN), "{}", done.output());

    let mut left: Vec<String> = std::fs::read_dir(&out)
        .expect("list target/windows")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, SHIPPED, "target/windows holds only what ships and what a register links against");

    // A wheel for 64-bit Windows Python carries this DLL (no Windows Python runs here to install it); written
    // outside target/windows, which holds only what ships.
    let wheels = test_dir().join("wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let mut wheel = Command::new("bash");
    wheel.arg(repo_dir().join("scripts/build-wheel.sh")).arg("--from").arg(&out).arg("--out").arg(&wheels);
    let done = run(&mut wheel, LIMIT);
    assert_eq!(done.code(), 0, "scripts/build-wheel.sh --from target/windows:\n{}", done.output());
    let name = wheels.join(format!("smartx-{}-py3-none-win_amd64.whl", env!("CARGO_PKG_VERSION")));
    let listing = run(Command::new("python3").args(["-m", "zipfile", "-l"]).arg(&name), LIMIT);
    assert_eq!(listing.code(), 0, "list {}:\n{}", name.display(), listing.output());
    for file in ["smartx/smartx.dll", "smartx/_ffi.py", "smartx/__init__.py"] {
        assert!(listing.stdout.contains(file), "no {file} in the wheel:\n{}", listing.stdout);
    }
    assert!(!listing.stdout.contains("libsmartx.so"), "a Linux library in a Windows wheel:\n{}", listing.stdout);
}
