//! libsmartx.so for 64-bit ARM Linux (issue 20 item 2): cross-built by scripts/build-arm.sh, every C test program
//! of tests/data/c/ and the C example cross-compiled with Debian's aarch64 compiler (-Wall -Wextra -Werror), and run
//! under qemu-user against the sandbox on loopback (qemu-user shares the machine's network): the same checks the
//! native suite makes of them, on the ARM library.
//! Skipped, saying so, only where the aarch64 compiler, qemu-user or the Rust target cannot be had
//! (scripts/test.sh installs them; .ci/run calls it).

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use support::{c_program, developer_command, fixture, repo_dir, run, Run, Sandbox, Values};

const TOKEN: &str = "arm-token-SECRET-0b66";
const TARGET: &str = "aarch64-unknown-linux-gnu";
/// Generous: an emulated ARM program on a busy machine.
const LIMIT: Duration = Duration::from_secs(600);
const SX_OK: u64 = 0;
/// Every program of tests/data/c/ (the C++ header check aside): each must build for ARM without a warning.
const PROGRAMS: [&str; 13] = [
    "abi_layout",
    "accessors",
    "call_args",
    "client",
    "driver",
    "journal",
    "lifecycle",
    "log_swap",
    "nulls",
    "races",
    "render",
    "threads",
    "unload",
];

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().map(|o| o.status.success()).unwrap_or(false)
}

/// Why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !works("aarch64-linux-gnu-gcc", &["--version"]) {
        missing.push("aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross)");
    }
    if !works("qemu-aarch64", &["--version"]) {
        missing.push("qemu-aarch64 (Debian: qemu-user)");
    }
    let targets = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if !targets.map(|o| String::from_utf8_lossy(&o.stdout).contains(TARGET)).unwrap_or(false) {
        missing.push("the Rust target aarch64-unknown-linux-gnu (rustup target add aarch64-unknown-linux-gnu)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn ok(done: Run, what: &str) -> Run {
    assert_eq!(done.code(), 0, "{what} failed:\n{}", done.output());
    done
}

/// The ARM library (a debug build: what is tested is the code and the ABI, not the optimiser) and the folder of
/// the ARM programs, built once per test process; None (after saying why) where the tools are missing.
fn built() -> Option<&'static (PathBuf, PathBuf)> {
    static BUILT: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            if let Some(missing) = missing_tools() {
                eprintln!("SKIPPED arm: cannot cross-build or run ARM programs here; missing {missing}");
                return None;
            }
            let mut build = developer_command("bash");
            build.arg(repo_dir().join("scripts/build-arm.sh"));
            ok(run(&mut build, LIMIT), "scripts/build-arm.sh");
            let libdir = repo_dir().join("target").join(TARGET).join("debug");
            let lib = libdir.join("libsmartx.so");
            let header = ok(run(Command::new("readelf").arg("-h").arg(&lib), LIMIT), "readelf -h");
            assert!(header.stdout.contains("AArch64"), "not an ARM library:\n{}", header.stdout);
            let programs = repo_dir().join("target/arm-tests");
            std::fs::create_dir_all(&programs).expect("create target/arm-tests");
            let sources = PROGRAMS
                .iter()
                .map(|name| (name.to_string(), repo_dir().join("tests/data/c").join(format!("{name}.c"))))
                .chain([("start_cash".to_string(), repo_dir().join("examples-c/start_cash.c"))]);
            for (name, source) in sources {
                let mut cc = Command::new("aarch64-linux-gnu-gcc");
                cc.args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-g", "-pthread"])
                    .arg("-I")
                    .arg(repo_dir().join("include"))
                    .arg(&source)
                    .arg("-o")
                    .arg(programs.join(&name))
                    .arg("-L")
                    .arg(&libdir)
                    .arg("-lsmartx")
                    .arg(format!("-Wl,-rpath,{}", libdir.display()));
                ok(run(&mut cc, LIMIT), &format!("cross-compiling {}", source.display()));
            }
            Some((lib, programs))
        })
        .as_ref()
}

/// An ARM program under qemu-user, its loader and libc from Debian's cross packages (/usr/aarch64-linux-gnu).
fn arm(program: &str, args: &[&str]) -> Command {
    let (_, programs) = built().expect("built");
    let mut command = Command::new("qemu-aarch64");
    command.arg("-L").arg("/usr/aarch64-linux-gnu").arg(programs.join(program)).args(args);
    command
}

fn passed(done: &Run) {
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains(" passed, 0 failed"), "{}", done.output());
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn arm_library_passes_the_offline_c_programs() {
    let Some((lib, _)) = built() else { return };
    // The library: an ARM shared object that needs only glibc (and libgcc_s), as on x86_64.
    let dynamic = ok(run(Command::new("readelf").arg("-d").arg(lib), LIMIT), "readelf -d");
    for needed in dynamic.stdout.lines().filter(|l| l.contains("(NEEDED)")) {
        assert!(
            ["libc.so.6", "libm.so.6", "libgcc_s.so.1", "ld-linux-aarch64.so.1"].iter().any(|n| needed.contains(n)),
            "an unexpected dependency: {needed}"
        );
    }
    // The exports: exactly the header's functions (tests/bindings/languages.rs checks the x86_64 library the same way).
    let mut functions = Command::new("python3");
    functions.arg(repo_dir().join("bindings/generate.py")).arg("--functions").env("PYTHONDONTWRITEBYTECODE", "1");
    let functions = ok(run(&mut functions, LIMIT), "generate.py --functions");
    let declared: BTreeSet<&str> = functions.stdout.lines().collect();
    let nm = ok(run(Command::new("aarch64-linux-gnu-nm").args(["-D", "--defined-only"]).arg(lib), LIMIT), "nm -D");
    let exported: BTreeSet<&str> =
        nm.stdout.lines().filter_map(|l| l.split_whitespace().nth(2)).filter(|n| n.starts_with("sx_")).collect();
    assert_eq!(exported, declared, "the ARM library's exports differ from the header's functions");

    let cash = fixture("start-cash-response.json");
    let cashless = fixture("start-cashless-response.json");
    passed(&run(&mut arm("nulls", &[path(&cash), path(&cashless)]), LIMIT));
    passed(&run(&mut arm("render", &[path(&cashless)]), LIMIT));
    let done = ok(run(&mut arm("accessors", &["file", path(&cashless)]), LIMIT), "accessors");
    assert_eq!(done.values().num("parse"), SX_OK, "{}", done.output());
    assert!(!done.stdout.contains("NULL!"), "{}", done.output());

    // Layout and constants: ARM64 Linux is LP64 like x86_64 Linux, so the ARM program prints exactly what the
    // native one does.
    let arm_layout = ok(run(&mut arm("abi_layout", &[]), LIMIT), "abi_layout under qemu");
    let native = ok(run(&mut Command::new(c_program("abi_layout")), LIMIT), "abi_layout");
    assert_eq!(arm_layout.values().raw("sizeof_pointer"), "8", "{}", arm_layout.output());
    assert_eq!(arm_layout.stdout, native.stdout, "the ARM C compiler lays the header out differently");
}

#[test]
fn arm_library_pays_against_the_sandbox_under_qemu() {
    if built().is_none() {
        return;
    }
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let url = sandbox.base_url.as_str();

    // The C example: pays once, then refuses to pay twice.
    let id = sandbox.create_one();
    let done = run(&mut arm("start_cash", &[&id, TOKEN, url]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("SX_OK (0)"), "{}", done.output());
    assert!(done.stdout.contains("Kartennummer:             9276004429942845"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
    let done = run(&mut arm("start_cash", &[&id, TOKEN, url]), LIMIT);
    assert_eq!(done.code(), 21, "paid twice: {}", done.output());
    assert!(done.stdout.contains("already started"), "{}", done.output());
    assert!(!done.output().contains(TOKEN), "{}", done.output());

    // Arguments refused before anything is sent.
    let before = sandbox.api_requests();
    passed(&run(&mut arm("call_args", &[url]), LIMIT));
    assert_eq!(sandbox.api_requests(), before, "a refused call sent something: {}", sandbox.log());

    // The register's day through the client: every call of tests/c_lifecycle.rs's full script.
    let steps = [
        "cc=sandbox-client,sandbox-secret",
        "basket=EUR",
        "product=Brot,1,250,7",
        "ident=9276004429942845",
        "refs=till-7,Beleg 7",
        "create",
        "update",
        "list=10,0,Beleg 7",
        "start=cashless",
        "diagnosis",
        "eod",
        "create",
        "direct=52500999,17,girocard",
        "canceltrx=999999",
    ];
    let mut args = vec![url];
    args.extend(steps);
    let done = ok(run(&mut arm("lifecycle", &args), LIMIT), "lifecycle");
    let values: Values = done.values();
    for step in 1..=13 {
        assert_eq!(values.num(&format!("{step}.result")), SX_OK, "step {step}: {}", values.output);
    }
    assert_eq!(values.num("14.http"), 404, "{}", values.output);

    // The journal: SQLite compiled for ARM. The program's start hands a 0-byte buffer on purpose
    // (SX_ERR_BUFFER_TOO_SMALL: paid, the answer too long for it); the journal kept the answer, and the reprint
    // finds the sale in it and renders the copy.
    let journal = repo_dir().join(format!("target/arm-tests/till-{}.journal", std::process::id()));
    let _ = std::fs::remove_file(&journal);
    let id = sandbox.create_one();
    let token = format!("token={TOKEN}");
    let (start, reprint) = (format!("start={id}"), format!("reprint={id}"));
    let done = ok(run(&mut arm("journal", &[url, path(&journal), &token, "open", &start, &reprint]), LIMIT), "journal");
    let values = done.values();
    assert_eq!(values.num("3.result"), 3, "SX_ERR_BUFFER_TOO_SMALL: {}", done.output());
    assert_eq!((values.num("4.result"), values.num("4.found")), (SX_OK, 1), "{}", done.output());
    assert!(done.stdout.contains("*** KOPIE ***"), "{}", done.output());
    assert_eq!(sandbox.requests(&id).len(), 1);
    let _ = std::fs::remove_file(&journal);

    // Threads: 200 calls from 8 threads, exactly one request each.
    let ids = sandbox.create_batch("STX_ARMTHREADS", 200);
    let before = sandbox.api_requests();
    let done = run(&mut arm("threads", &[url, TOKEN, "STX_ARMTHREADS"]), LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("total: 200 of 200 right"), "{}", done.output());
    assert_eq!(sandbox.api_requests() - before, 200, "exactly one request per call");
    assert_eq!(sandbox.requests(&ids[117]).len(), 1);
}

#[test]
fn arm_library_unloads_and_reloads_under_qemu() {
    let Some((lib, _)) = built() else { return };
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let ids = [sandbox.create_one(), sandbox.create_one(), sandbox.create_one()];
    let closed = format!("http://127.0.0.1:{}", support::closed_port());
    let mut command = arm("unload", &[path(lib), &sandbox.base_url, TOKEN, &ids[0], &ids[1], &ids[2]]);
    command.env("SX_BASE_URL", &closed);
    passed(&run(&mut command, LIMIT));
    let seen: Vec<usize> = ids.iter().map(|id| sandbox.requests(id).len()).collect();
    assert_eq!(seen, [1, 0, 1], "the call after sx_shutdown must go to SX_BASE_URL, not to the forgotten URL");
}
