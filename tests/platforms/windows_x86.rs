//! smartx.dll for 32-bit Windows (issue 20 item 1): cross-built with mingw-w64's i686 compiler by
//! `scripts/build-windows.sh x86`, the DLL a 32-bit Delphi register loads. Its machine type, version resource and
//! exports; the layout of every struct and the value of every constant as a 32-bit C program sees them under Wine,
//! equal to what the Pascal unit and the Python binding declare for 32 bits; the C example paying under 32-bit Wine
//! against the Linux sandbox over loopback; a win32 wheel carrying it.
//! Skipped, saying so, only where mingw-w64's i686 compiler, 32-bit Wine or the Rust target cannot be had
//! (scripts/test.sh installs them; .ci/run calls it).

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{developer_command, repo_dir, run, Run, Sandbox};

const TOKEN: &str = "windows-x86-token-SECRET-7e12";
const LIMIT: Duration = Duration::from_secs(900);
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().map(|o| o.status.success()).unwrap_or(false)
}

/// Why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !works("i686-w64-mingw32-gcc", &["--version"]) {
        missing.push("i686-w64-mingw32-gcc (Debian: gcc-mingw-w64-i686)");
    }
    if !works("wine", &["--version"]) {
        missing.push("wine (Debian: wine)");
    }
    // Debian's wine32 (i386) puts the 32-bit loader and DLLs here; without it Wine cannot start a 32-bit program.
    if !Path::new("/usr/lib/wine/wine").is_file() {
        missing.push("32-bit Wine (Debian: dpkg --add-architecture i386; apt-get install wine32:i386)");
    }
    let targets = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if !targets.map(|o| String::from_utf8_lossy(&o.stdout).contains("i686-pc-windows-gnu")).unwrap_or(false) {
        missing.push("the Rust target i686-pc-windows-gnu (rustup target add i686-pc-windows-gnu)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn ok(done: Run, what: &str) -> Run {
    assert_eq!(done.code(), 0, "{what} failed:\n{}", done.output());
    done
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The test's own files (the Wine stand-in, the programs it compiles): never beside what ships.
fn run_dir() -> PathBuf {
    let dir = repo_dir().join("target/windows-test/x86-run");
    std::fs::create_dir_all(&dir).expect("create target/windows-test/x86-run");
    dir
}

/// A Windows program under Wine, in its own folder (where Windows finds the DLLs beside it). The prefix is the
/// 64-bit test's: a 64-bit Wine prefix runs 32-bit programs too (WoW64).
fn wine(exe: &Path, args: &[&str]) -> Run {
    let mut command = Command::new("wine");
    command
        .arg(exe)
        .args(args)
        .current_dir(exe.parent().expect("a directory"))
        .env("WINEPREFIX", repo_dir().join("target/windows-test/wineprefix"))
        .env("WINEDEBUG", "-all")
        // No prompts to install Mono or Gecko into a fresh prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
    run(&mut command, LIMIT)
}

fn gcc32(args: &[&str], source: &Path, output: &Path) -> Run {
    let mut command = Command::new("i686-w64-mingw32-gcc");
    command.args(["-std=c99", "-Wall", "-Wextra", "-Werror"]).args(args).arg(source).arg("-o").arg(output);
    run(&mut command, LIMIT)
}

fn values(done: &Run) -> BTreeMap<String, String> {
    done.stdout
        .lines()
        .filter_map(|line| line.trim_end_matches('\r').split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// What a binding declares for 32-bit Windows (tests/data/windows/layout_win32.py reads it as written).
fn declared_win32(language: &str, file: &Path) -> BTreeMap<String, String> {
    let mut command = Command::new("python3");
    command.arg(repo_dir().join("tests/data/windows/layout_win32.py")).arg(language).arg(file);
    command.env("PYTHONDONTWRITEBYTECODE", "1");
    values(&ok(run(&mut command, LIMIT), &format!("layout_win32.py {language}")))
}

fn mismatches(c: &BTreeMap<String, String>, binding: &BTreeMap<String, String>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = c.keys().chain(binding.keys()).collect();
    keys.into_iter()
        .filter(|k| c.get(*k) != binding.get(*k))
        .map(|k| format!("{k}: C {:?}, binding {:?}", c.get(k), binding.get(k)))
        .collect()
}

#[test]
fn windows_x86_dll_matches_the_bindings_and_pays_under_32_bit_wine() {
    if let Some(missing) = missing_tools() {
        eprintln!("SKIPPED windows_x86: cannot cross-build or run 32-bit Windows programs here; missing {missing}");
        return;
    }
    let mut build = developer_command("bash");
    build.arg(repo_dir().join("scripts/build-windows.sh")).arg("x86");
    ok(run(&mut build, LIMIT), "scripts/build-windows.sh x86");
    let out = repo_dir().join("target/windows-x86");
    let dll = out.join("smartx.dll");
    let mut shipped: Vec<String> = std::fs::read_dir(&out)
        .expect("list target/windows-x86")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    shipped.sort();
    assert_eq!(shipped, ["libsmartx.dll.a", "smartx.dll", "smartx.exe", "smartx.h", "smartx.hpp", "start_cash.exe"]);

    // A 32-bit DLL with the version resource of Cargo.toml's version.
    let headers = ok(run(Command::new("i686-w64-mingw32-objdump").arg("-f").arg("-p").arg(&dll), LIMIT), "objdump");
    assert!(
        headers.stdout.contains("file format pei-i386"),
        "not a 32-bit DLL:\n{}",
        headers.stdout.lines().take(4).collect::<Vec<_>>().join("\n")
    );
    assert!(headers.stdout.contains("Entry: ID: 0x000010"), "no RT_VERSION resource");
    let bytes = std::fs::read(&dll).expect("read smartx.dll");
    for (key, value) in [("FileVersion", VERSION), ("ProductVersion", VERSION), ("OriginalFilename", "smartx.dll")] {
        assert!(contains(&bytes, &utf16(key)) && contains(&bytes, &utf16(value)), "no {key} {value:?} in smartx.dll");
    }
    // The numbers installers compare (VS_FIXEDFILEINFO: its signature, the struct version, then the file version
    // as major<<16|minor and patch<<16|0, then the product version alike), also Cargo.toml's.
    let fixed = bytes.windows(4).position(|w| w == 0xFEEF_04BD_u32.to_le_bytes()).expect("a VS_FIXEDFILEINFO");
    let word = |at: usize| u32::from_le_bytes(bytes[fixed + at..fixed + at + 4].try_into().expect("4 bytes"));
    let numbers: Vec<u32> = VERSION.split(['.', '-']).take(3).map(|n| n.parse().expect("a number")).collect();
    let (ms, ls) = (numbers[0] << 16 | numbers[1], numbers[2] << 16);
    assert_eq!([word(8), word(12), word(16), word(20)], [ms, ls, ms, ls], "FILEVERSION/PRODUCTVERSION of {VERSION}");

    // The exports are the header's functions, undecorated (cdecl: no _name or name@8 as stdcall would give).
    let mut functions = Command::new("python3");
    functions.arg(repo_dir().join("bindings/generate.py")).arg("--functions").env("PYTHONDONTWRITEBYTECODE", "1");
    let functions = ok(run(&mut functions, LIMIT), "generate.py --functions");
    let declared: std::collections::BTreeSet<&str> = functions.stdout.lines().collect();
    let exports_start = headers.stdout.find("[Ordinal/Name Pointer] Table").expect("an export table");
    let exported: std::collections::BTreeSet<&str> = headers.stdout[exports_start..]
        .lines()
        .skip(1)
        .take_while(|line| line.trim_start().starts_with('['))
        .filter_map(|line| line.split_whitespace().last())
        .collect();
    assert_eq!(exported, declared, "the 32-bit smartx.dll's exports differ from the header's functions");

    // The layout a 32-bit C compiler gives every struct, and every constant, printed under Wine ...
    let dir = run_dir();
    let generated = ok(
        run(Command::new("python3").arg(repo_dir().join("bindings/generate.py")).arg("--layout-c"), LIMIT),
        "generate.py --layout-c",
    );
    std::fs::write(dir.join("layout.c"), generated.stdout).expect("write layout.c");
    let include = format!("-I{}", repo_dir().join("include").display());
    ok(gcc32(&[&include], &dir.join("layout.c"), &dir.join("layout.exe")), "compiling layout.c for 32 bits");
    let c = values(&ok(wine(&dir.join("layout.exe"), &[]), "layout.exe under Wine"));
    // ... is 32-bit (the comparison below would be empty of meaning otherwise) ...
    assert_eq!(c.get("sizeof.sx_receipt_line.text").map(String::as_str), Some("4"), "{c:?}");
    assert_eq!(c.get("offsetof.sx_journal_entry.began_ms").map(String::as_str), Some("24"), "{c:?}");
    // ... and is what the Pascal unit and the Python binding declare for 32 bits.
    let pascal = repo_dir().join("bindings/pascal/smartx.pas");
    let python = repo_dir().join("bindings/python/smartx/_ffi.py");
    for (language, file) in [("pascal", &pascal), ("python", &python)] {
        let wrong = mismatches(&c, &declared_win32(language, file));
        assert!(wrong.is_empty(), "the {language} binding differs from 32-bit C:\n{}", wrong.join("\n"));
    }
    // The comparison sees a field declared 8 bytes wide where C has a 4-byte pointer.
    let altered = dir.join("altered.pas");
    let unit = std::fs::read_to_string(&pascal).expect("read the unit");
    assert!(unit.contains("    card_number: PAnsiChar;"), "update this test: the unit changed");
    std::fs::write(&altered, unit.replace("    card_number: PAnsiChar;", "    card_number: UInt64;")).expect("write");
    let wrong = mismatches(&c, &declared_win32("pascal", &altered));
    assert!(wrong.iter().any(|w| w.starts_with("sizeof.sx_ident.card_number:")), "{wrong:?}");

    // The C example under 32-bit Wine against the sandbox. Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which
    // Rust's standard library uses on Windows 10 and later: a 32-bit stand-in beside a copy of the program
    // (tests/platforms/windows_dll.rs says more). Real Windows 10 and later have the DLL.
    for file in ["smartx.dll", "start_cash.exe"] {
        std::fs::copy(out.join(file), dir.join(file)).expect("copy into x86-run");
    }
    let shim = repo_dir().join("tests/data/windows/bcryptprimitives.c");
    // -Wl,--kill-at: exported as ProcessPrng, as Windows does, not as the stdcall name ProcessPrng@8.
    ok(
        gcc32(&["-shared", "-Wl,--kill-at", "-ladvapi32"], &shim, &dir.join("bcryptprimitives.dll")),
        "the stand-in DLL",
    );
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let exe = dir.join("start_cash.exe");
    let done = wine(&exe, &[&id, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("SX_OK (0)"), "{}", done.output());
    assert!(done.stdout.contains("Kartennummer:             9276004429942845"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
    let done = wine(&exe, &[&id, TOKEN, &sandbox.base_url]);
    assert_eq!(done.code(), 21, "paid twice: {}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(!done.output().contains(TOKEN), "{}", done.output());

    // A wheel for 32-bit Windows Python carries this DLL (no 32-bit Windows Python runs here to install it).
    let wheels = dir.join("wheels");
    let mut wheel = Command::new("bash");
    wheel.arg(repo_dir().join("scripts/build-wheel.sh")).arg("--from").arg(&out).arg("--out").arg(&wheels);
    ok(run(&mut wheel, LIMIT), "scripts/build-wheel.sh --from target/windows-x86");
    let name = wheels.join(format!("smartx-{VERSION}-py3-none-win32.whl"));
    let listing = ok(run(Command::new("python3").args(["-m", "zipfile", "-l"]).arg(&name), LIMIT), "list the wheel");
    assert!(listing.stdout.contains("smartx/smartx.dll"), "{}", listing.stdout);
    assert!(listing.stdout.contains("smartx/_ffi.py"), "{}", listing.stdout);
}
