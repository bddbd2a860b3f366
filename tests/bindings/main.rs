//! The language bindings: the Pascal unit and the Python package generated from the header and current, laid
//! out as C lays out the header, exporting what it declares; the C++ wrapper, the Pascal unit and the Python
//! package running against the sandbox (their journal too); the installed tree.
//!
//! The build steps every binding test shares (a scratch directory, the Free Pascal and C++ compilers against this
//! run's library) are written once, here.

#[path = "../support/mod.rs"]
mod support;

mod cards;
mod journal;
mod languages;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{c_build_dir, libdir, repo_dir, run, Run};

/// How long a compiler or a binding's program may take.
const LIMIT: Duration = Duration::from_secs(300);

fn ok(done: Run, what: &str) -> Run {
    assert_eq!(done.code(), 0, "{what} failed:\n{}", done.output());
    done
}

/// A fresh directory under target/ for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = c_build_dir().join("bindings").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

fn fpc_available() -> bool {
    Command::new("fpc").arg("-iV").output().map(|o| o.status.success()).unwrap_or(false)
}

/// Compiles `program` (a .pas/.dpr file) with `fpc -Mdelphi` against the unit in `unit_dir`, linking this run's
/// library; returns the executable.
fn fpc(program: &Path, unit_dir: &Path, out_dir: &Path) -> PathBuf {
    assert!(fpc_available(), "fpc (Debian package fp-compiler) is needed: .ci/run installs it");
    let lib = libdir();
    let mut command = Command::new("fpc");
    command
        // -XX -CX: smart linking, so a unit's functions that a program does not call need not be in the library.
        .args(["-Mdelphi", "-vew", "-Sew", "-XX", "-CX"])
        .arg(format!("-Fu{}", unit_dir.display()))
        .arg(format!("-FE{}", out_dir.display()))
        .arg(format!("-FU{}", out_dir.display()))
        .arg(format!("-Fl{}", lib.display()))
        .arg(format!("-k-rpath={}", lib.display()))
        .arg(program);
    ok(run(&mut command, LIMIT), &format!("fpc {}", program.display()));
    out_dir.join(program.file_stem().expect("a file name"))
}

/// Compiles `source` (relative to the repository) with `$CXX -std=c++17 -Wall -Wextra -Werror -pedantic` and
/// `extra_flags` into `exe`, linking this run's library.
fn compile_cpp(source: &str, exe: &Path, extra_flags: &[&str]) {
    let lib = libdir();
    let mut cxx = Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
    cxx.args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .args(extra_flags)
        .arg("-I")
        .arg(repo_dir().join("include"))
        .arg(repo_dir().join(source))
        .arg("-o")
        .arg(exe)
        .arg("-L")
        .arg(&lib)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", lib.display()));
    ok(run(&mut cxx, LIMIT), &format!("compiling {source}"));
}
