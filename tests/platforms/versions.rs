//! One version everywhere a user sees one (issue 20 item 4): `sx_version()` is Cargo.toml's version, and so are
//! the installed library's file name and soname (scripts/install.sh: libsmartx.so.<major>, the ABI's major),
//! its pkg-config file and the Python package's metadata. The DLL's version resource is checked by
//! tests/platforms/windows_dll.rs and tests/platforms/windows_x86.rs, the wheel's name and metadata by tests/platforms/wheel.rs.

use crate::support;

use std::ffi::CStr;
use std::process::Command;
use std::time::Duration;

use support::{c_build_dir, libdir, repo_dir, run};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn sx_version_is_the_crate_version() {
    // SAFETY: sx_version returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(smartx::sx_version()) };
    assert_eq!(version.to_str(), Ok(VERSION));
}

#[test]
fn installed_library_is_named_and_sonamed_by_the_crate_version() {
    let dir = c_build_dir().join(format!("versions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut install = Command::new("bash");
    install.arg(repo_dir().join("scripts/install.sh")).arg("--destdir").arg(&dir).args(["--prefix", "/usr"]);
    install.arg("--from").arg(libdir());
    let done = run(&mut install, LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    let lib = dir.join("usr/lib");
    let major = VERSION.split('.').next().expect("a major version");
    let file = lib.join(format!("libsmartx.so.{VERSION}"));
    assert!(file.is_file(), "no {}", file.display());
    let dynamic = run(Command::new("readelf").arg("-d").arg(&file), LIMIT);
    assert!(dynamic.stdout.contains(&format!("Library soname: [libsmartx.so.{major}]")), "{}", dynamic.stdout);
    let link = std::fs::read_link(lib.join(format!("libsmartx.so.{major}"))).expect("the soname link");
    assert_eq!(link.to_str(), Some(format!("libsmartx.so.{VERSION}").as_str()));
    let pc = std::fs::read_to_string(lib.join("pkgconfig/smartx.pc")).expect("smartx.pc");
    assert!(pc.contains(&format!("\nVersion: {VERSION}\n")), "{pc}");
    std::fs::remove_dir_all(&dir).expect("remove the staged tree");
}

#[test]
fn python_package_metadata_is_the_crate_version() {
    // What `pip install ./bindings/python` records; scripts/build-wheel.sh writes Cargo.toml's version anyway.
    let pyproject = std::fs::read_to_string(repo_dir().join("bindings/python/pyproject.toml")).expect("pyproject");
    assert!(pyproject.contains(&format!("\nversion = \"{VERSION}\"\n")), "bindings/python/pyproject.toml");
}
