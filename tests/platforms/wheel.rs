//! The Python wheel with the library inside (scripts/build-wheel.sh, issue 20): built with pip and setuptools from
//! bindings/python and this run's libsmartx.so, installed into a fresh venv without the network, and used against
//! the sandbox: `import smartx` loads the bundled library from site-packages, without SMARTX_LIBRARY, and its
//! version is Cargo.toml's, as the wheel's name and metadata say.

use crate::support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use support::{c_build_dir, libdir, repo_dir, run, Run, Sandbox};

const TOKEN: &str = "wheel-token-SECRET-5c21";
const LIMIT: Duration = Duration::from_secs(300);
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn ok(done: Run, what: &str) -> Run {
    assert_eq!(done.code(), 0, "{what} failed:\n{}", done.output());
    done
}

/// A fresh directory under target/ for this test.
fn scratch() -> PathBuf {
    let dir = c_build_dir().join(format!("wheel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// What the installed package does: a cash start and its receipt, the file the process actually mapped as the
/// library (from /proc/self/maps, not what the package says it tried), and the library's version.
const SCRIPT: &str = r#"
import os, sys
assert "SMARTX_LIBRARY" not in os.environ
import smartx
smartx.set_base_url(sys.argv[3])
with smartx.start_cash(sys.argv[1], sys.argv[2]) as tx:
    lines = tx.receipt()
    print("status=" + tx.status)
    print("lines=%d" % len(lines))
    print("line=" + " | ".join(l.caption or l.text or l.name + ": " + l.value for l in lines if l.kind))
mapped = {l.split()[-1] for l in open("/proc/self/maps") if "smartx" in l.split()[-1] and ".so" in l}
print("mapped=" + ",".join(sorted(mapped)))
print("version=" + smartx.version())
"#;

#[test]
fn wheel_carries_the_library_installs_offline_and_pays_against_the_sandbox() {
    let dir = scratch();
    let dist = dir.join("dist");
    let mut build = Command::new("bash");
    build.arg(repo_dir().join("scripts/build-wheel.sh")).arg("--from").arg(libdir()).arg("--out").arg(&dist);
    let built = ok(run(&mut build, LIMIT), "scripts/build-wheel.sh");
    let wheels: Vec<String> = std::fs::read_dir(&dist)
        .expect("list the wheel folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(wheels.len(), 1, "{wheels:?}\n{}", built.output());
    let name = &wheels[0];
    // A platform wheel (never py3-none-any: it carries a Linux x86_64 library), of Cargo.toml's version.
    let prefix = format!("smartx-{VERSION}-py3-none-");
    assert!(name.starts_with(&prefix), "{name}");
    let plat = name[prefix.len()..].strip_suffix(".whl").expect("a .whl");
    assert!(plat.starts_with("manylinux_2_") && plat.ends_with("_x86_64") || plat == "linux_x86_64", "{name}");

    let venv = dir.join("venv");
    ok(run(Command::new("python3").args(["-m", "venv"]).arg(&venv), LIMIT), "python3 -m venv");
    let python = venv.join("bin/python");
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check"]).arg(dist.join(name));
    ok(run(&mut pip, LIMIT), "pip install --no-index the wheel");
    let mut show = Command::new(&python);
    show.args(["-m", "pip", "show", "--files", "smartx"]);
    let shown = ok(run(&mut show, LIMIT), "pip show");
    assert!(shown.stdout.contains(&format!("Version: {VERSION}\n")), "{}", shown.stdout);
    assert!(shown.stdout.contains("smartx/libsmartx.so"), "the wheel installed no library:\n{}", shown.stdout);

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let mut script = Command::new(&python);
    script.args(["-c", SCRIPT, &id, TOKEN, &sandbox.base_url]);
    // Out of the repository and with nothing that points at another library: only the venv can provide it.
    script.current_dir(&dir).env_remove("SMARTX_LIBRARY").env_remove("LD_LIBRARY_PATH").env_remove("PYTHONPATH");
    script.env("PYTHONDONTWRITEBYTECODE", "1");
    let done = ok(run(&mut script, LIMIT), "the script in the venv");
    let values = done.values();
    assert_eq!(values.raw("status"), "ok", "{}", done.output());
    assert!(values.num("lines") > 0, "{}", done.output());
    assert!(values.raw("line").contains("9276004429942845"), "{}", done.output());
    let site_packages = venv.canonicalize().expect("the venv").join("lib");
    let mapped = values.raw("mapped");
    assert!(
        !mapped.contains(',') && mapped.starts_with(site_packages.to_str().expect("UTF-8")),
        "the library loaded is not (only) the wheel's, in {}: {mapped}",
        site_packages.display()
    );
    assert!(mapped.ends_with("/site-packages/smartx/libsmartx.so"), "{mapped}");
    assert_eq!(values.raw("version"), VERSION, "sx_version() of the bundled library");
    assert_eq!(sandbox.requests(&id).len(), 1);
    assert!(!done.output().contains(TOKEN), "{}", done.output());

    // The wheel is large (the library inside): nothing of it is left behind.
    std::fs::remove_dir_all(&dir).expect("remove the scratch folder");
}
