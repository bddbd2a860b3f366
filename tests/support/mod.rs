//! Shared helpers of the integration tests: the sandbox process and its control API, and the
//! C programs of `tests/data/c/` compiled against the libsmartx that cargo built for this test run.
// Each test crate uses a different part of this module.
#![allow(dead_code)]

pub mod hostile;
pub mod manual;
pub mod proxy;
pub mod raw;
pub mod script;

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The OAuth client the sandbox accepts when started without `--client`.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-client";
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-secret";

/// How long the sandbox may take to print its base URL.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// The transaction every sandbox holds at start (status "created").
pub const SEED_ID: &str = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";

pub fn repo_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_dir().join("fixtures").join(name)
}

/// A running `smartx-sandbox`, killed when dropped. Its stderr log is kept and shown when
/// the test fails.
pub struct Sandbox {
    child: Child,
    pub base_url: String,
    log: Arc<Mutex<String>>,
    control: ureq::Agent,
    /// The CA certificate (PEM) written with `--ca-out`, if the sandbox was started with it.
    ca_path: Option<PathBuf>,
}

impl Sandbox {
    /// Starts the sandbox with `args` (e.g. `["--token", "t"]`) and waits for its first
    /// stdout line, the base URL.
    pub fn start(args: &[&str]) -> Sandbox {
        let exe = sandbox_exe();
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));

        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        let log_sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = log_sink.lock().unwrap_or_else(|e| e.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });

        // A thread reads the first line so that a silent sandbox fails the test after a
        // timeout instead of hanging it; it then drains stdout so the sandbox never blocks.
        let stdout = child.stdout.take().expect("piped stdout");
        let (first_line_tx, first_line_rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = first_line_tx.send(lines.next());
            for _ in lines {}
        });

        let base_url = match first_line_rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Some(Ok(line))) => line.trim().to_string(),
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{} {args:?} printed no base URL within {STARTUP_TIMEOUT:?} ({other:?}); its log:\n{}",
                    exe.display(),
                    log.lock().unwrap_or_else(|e| e.into_inner())
                );
            }
        };
        assert!(
            base_url.starts_with("http://") || base_url.starts_with("https://"),
            "the sandbox's first line is not a base URL: {base_url:?}"
        );

        // The control API shares the server, so with --tls it meets the certificate of the sandbox's own CA.
        let control: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(ureq::tls::TlsConfig::builder().disable_verification(true).build())
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let ca_path = args.iter().enumerate().find_map(|(i, arg)| match arg.strip_prefix("--ca-out") {
            Some("") => args.get(i + 1).map(PathBuf::from),
            Some(inline) => inline.strip_prefix('=').map(PathBuf::from),
            None => None,
        });
        Sandbox { child, base_url, log, control, ca_path }
    }

    /// Starts the sandbox with `--tls` and `--ca-out` to a fresh file under the target directory, plus `args`.
    pub fn start_tls(args: &[&str]) -> Sandbox {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let dir = profile_dir().join("sandbox-ca");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ca = dir.join(format!("ca-{}-{n}.pem", std::process::id()));
        let ca_text = ca.to_str().expect("a UTF-8 target path").to_owned();
        let mut all = vec!["--tls", "--ca-out", &ca_text];
        all.extend_from_slice(args);
        Sandbox::start(&all)
    }

    /// The PEM file holding the CA that signed the sandbox's certificate (started with [`Sandbox::start_tls`]
    /// or `--ca-out`).
    pub fn ca_file(&self) -> &Path {
        self.ca_path.as_deref().expect("the sandbox was started without --ca-out")
    }

    /// The base URL's port.
    pub fn port(&self) -> u16 {
        let port = self.base_url.rsplit(':').next().expect("a port in the base URL");
        port.trim_end_matches('/').parse().expect("a numeric port")
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The log once it holds `line` (or after 10 s without it): the sandbox writes a request's line when it has
    /// answered, and a thread of this process copies it over, so it can come a moment after the call returned.
    pub fn log_with(&self, line: &str) -> String {
        let limit = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if log.contains(line) || Instant::now() >= limit {
                return log;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// One control or API request; returns the status and the body.
    pub fn http(&self, method: &str, path: &str, body: Option<&Value>, token: Option<&str>) -> (u16, String) {
        let url = format!("{}{}", self.base_url, path);
        let auth = token.map(|t| format!("Bearer {t}"));
        let result = match (method, body) {
            ("DELETE", _) => self.control.delete(&url).call(),
            ("GET", _) => {
                let mut request = self.control.get(&url);
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            (_, body) => {
                let text = body.map(Value::to_string).unwrap_or_default();
                let mut request = match method {
                    "POST" => self.control.post(&url),
                    "PUT" => self.control.put(&url),
                    other => panic!("unsupported method {other}"),
                };
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.header("Content-Type", "application/json").send(text)
            }
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let text =
            response.body_mut().read_to_string().unwrap_or_else(|e| panic!("{method} {url}: reading the body: {e}"));
        (status, text)
    }

    fn control_json(&self, method: &str, path: &str, body: Option<&Value>, want: u16) -> Value {
        let (status, text) = self.http(method, path, body, None);
        assert_eq!(status, want, "{method} {path} answered {status}: {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
        }
    }

    /// POST /_sandbox/transactions with `body`; returns the ids created.
    pub fn create(&self, body: Value) -> Vec<String> {
        let answer = self.control_json("POST", "/_sandbox/transactions", Some(&body), 201);
        answer["ids"]
            .as_array()
            .unwrap_or_else(|| panic!("no ids in {answer}"))
            .iter()
            .map(|id| id.as_str().expect("string ids").to_string())
            .collect()
    }

    /// A fresh transaction (random id) answering normally.
    pub fn create_one(&self) -> String {
        self.create(json!({})).remove(0)
    }

    /// A fresh transaction (random id) with `behaviour` for every API request.
    pub fn create_with(&self, behaviour: Value) -> String {
        self.create(json!({ "behaviour": behaviour })).remove(0)
    }

    /// Transactions "{prefix}_{i}" for i in 0..count.
    pub fn create_batch(&self, prefix: &str, count: usize) -> Vec<String> {
        self.create(json!({ "prefix": prefix, "count": count }))
    }

    pub fn set_behaviour(&self, id: &str, behaviour: Value) {
        let path = format!("/_sandbox/transactions/{id}/behaviour");
        self.control_json("PUT", &path, Some(&behaviour), 204);
    }

    /// Requests under /api/ so far (the control API is not counted).
    pub fn api_requests(&self) -> u64 {
        let stats = self.control_json("GET", "/_sandbox/stats", None, 200);
        stats["api_requests"].as_u64().unwrap_or_else(|| panic!("no api_requests in {stats}"))
    }

    /// What the sandbox recorded of the API requests for `id` (never the token itself).
    pub fn requests(&self, id: &str) -> Vec<Value> {
        let path = format!("/_sandbox/transactions/{id}/requests");
        match self.control_json("GET", &path, None, 200) {
            Value::Array(requests) => requests,
            other => panic!("{path}: not an array: {other}"),
        }
    }

    /// `behaviour` for the next `times` calls (0: until [`Sandbox::clear_rules`]) whose method is `method`
    /// (None: any) and whose path starts with `path_prefix`, whatever transaction they name; a rule wins over a
    /// transaction's own behaviour and applies to reads and `/oauth/token` too.
    pub fn set_rule(&self, method: Option<&str>, path_prefix: &str, times: u64, behaviour: Value) {
        let rule = json!({ "method": method, "path": path_prefix, "times": times, "behaviour": behaviour });
        self.control_json("POST", "/_sandbox/rules", Some(&rule), 204);
    }

    /// `behaviour` for the next call of `method` on a path starting with `path_prefix` (e.g. create:
    /// `("POST", "/api/v2/Smart/Transactions")`, end of day: `("POST", "/api/v2/Smart/Transactions/me/endOfDay")`).
    pub fn set_next_behaviour(&self, method: &str, path_prefix: &str, behaviour: Value) {
        self.set_rule(Some(method), path_prefix, 1, behaviour);
    }

    pub fn clear_rules(&self) {
        self.control_json("DELETE", "/_sandbox/rules", None, 204);
    }

    /// Token requests seen by `/oauth/token`, by grant: `{"total", "client_credentials", "refresh_token",
    /// "device_code" (step 1), "device_poll" (step 2), "other"}`.
    pub fn token_counts(&self) -> Value {
        self.control_json("GET", "/_sandbox/oauth/stats", None, 200)
    }

    /// Token requests of one grant (a key of [`Sandbox::token_counts`]).
    pub fn token_requests(&self, grant: &str) -> u64 {
        let counts = self.token_counts();
        counts[grant].as_u64().unwrap_or_else(|| panic!("no {grant} in {counts}"))
    }

    /// The merchant confirms the pending device code with this user code (None: every pending one); returns
    /// how many were confirmed.
    pub fn confirm_device(&self, user_code: Option<&str>) -> u64 {
        let body = match user_code {
            Some(code) => json!({ "user_code": code }),
            None => json!({}),
        };
        let answer = self.control_json("POST", "/_sandbox/oauth/confirm", Some(&body), 200);
        answer["confirmed"].as_u64().unwrap_or_else(|| panic!("no confirmed count in {answer}"))
    }

    /// The merchant denies every pending device code.
    pub fn deny_devices(&self) {
        self.control_json("POST", "/_sandbox/oauth/confirm", Some(&json!({ "deny": true })), 200);
    }

    /// Every access token issued so far expires now; with `refresh_tokens` the refresh tokens are revoked too.
    pub fn expire_tokens(&self, refresh_tokens: bool) {
        self.control_json("POST", "/_sandbox/oauth/expire", Some(&json!({ "refresh_tokens": refresh_tokens })), 204);
    }

    /// The next `polls` device polls answer `slow_down`.
    pub fn slow_down_polls(&self, polls: u32) {
        self.control_json("POST", "/_sandbox/oauth/slow_down", Some(&json!({ "polls": polls })), 204);
    }

    /// From now on a refused token gets 401 (the default) or 403 with code 2003.
    pub fn set_reject_status(&self, status: u16) {
        self.control_json("PUT", "/_sandbox/oauth/reject_status", Some(&json!({ "status": status })), 204);
    }

    /// One `POST /oauth/token` with these form fields; returns the status and the JSON answer.
    pub fn oauth_token(&self, fields: &[(&str, &str)]) -> (u16, Value) {
        let url = format!("{}/oauth/token", self.base_url);
        let form: Vec<(&str, &str)> = fields.to_vec();
        let mut response = self.control.post(&url).send_form(form).unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_else(|e| panic!("POST {url}: {e}"));
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {url}: not JSON ({e}): {text}")))
    }

    /// Reads the transaction back through the API, as a register does after a lost answer
    /// (GET counts as an API request; the id's own behaviour never applies to it, a rule can).
    pub fn read_back(&self, id: &str, token: &str) -> Value {
        let path = format!("/api/v2/Smart/Transactions/{id}");
        let (status, text) = self.http("GET", &path, None, Some(token));
        assert_eq!(status, 200, "GET {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {text}"))
    }

    /// The transaction's status, read back after resetting its behaviour to normal.
    pub fn status_after(&self, id: &str, token: &str) -> String {
        self.set_behaviour(id, json!({ "mode": "normal" }));
        let tx = self.read_back(id, token);
        tx["status"].as_str().unwrap_or_else(|| panic!("no status in {tx}")).to_string()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(ca) = &self.ca_path {
            let _ = std::fs::remove_file(ca);
        }
        if thread::panicking() {
            eprintln!("--- smartx-sandbox log ({}) ---\n{}", self.base_url, self.log());
        }
    }
}

/// A loopback port nobody listens on: bound, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// The sandbox is a package of its own in this workspace, so cargo gives the library's tests no path to its
/// binary. It is built (or found up to date) once per test process, into this run's target directory and
/// profile, by the cargo that runs the tests: nested cargo runs are fine, cargo holds no lock while tests run.
pub fn sandbox_exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let profile_dir = profile_dir();
        let target = profile_dir.parent().expect("a target directory");
        let profile = profile_dir.file_name().and_then(OsStr::to_str).expect("a profile directory name");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "--package", "smartx-sandbox", "--bin", "smartx-sandbox", "--target-dir"]);
        build.arg(target).current_dir(repo_dir());
        match profile {
            "debug" => {}
            "release" => {
                build.arg("--release");
            }
            other => {
                build.args(["--profile", other]);
            }
        }
        let status = build.status().unwrap_or_else(|e| panic!("cannot run cargo to build the sandbox: {e}"));
        assert!(status.success(), "building smartx-sandbox failed ({status})");
        let exe = profile_dir.join(format!("smartx-sandbox{}", std::env::consts::EXE_SUFFIX));
        assert!(exe.is_file(), "{} is missing after building it", exe.display());
        exe
    })
}

/// A Rust example of this package (examples/<name>.rs), built by a nested cargo into this run's target
/// directory and profile, as [`sandbox_exe`] is (`cargo test --test x` alone does not build examples).
pub fn rust_example(name: &str) -> PathBuf {
    let profile_dir = profile_dir();
    let target = profile_dir.parent().expect("a target directory");
    let profile = profile_dir.file_name().and_then(OsStr::to_str).expect("a profile directory name");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "--package", "smartx", "--example", name, "--target-dir"]);
    build.arg(target).current_dir(repo_dir());
    match profile {
        "debug" => {}
        "release" => {
            build.arg("--release");
        }
        other => {
            build.args(["--profile", other]);
        }
    }
    let status = build.status().unwrap_or_else(|e| panic!("cannot run cargo to build the example {name}: {e}"));
    assert!(status.success(), "building the example {name} failed ({status})");
    let exe = profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.is_file(), "{} is missing after building it", exe.display());
    exe
}

/// target/<profile>: the test executable is target/<profile>/deps/<test>-<hash>.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    exe.parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("{} has no grandparent directory", exe.display()))
        .to_path_buf()
}

/// The directory holding the libsmartx.so that this test run built: target/<profile>/deps, next to the test
/// executables. Not target/<profile>: `cargo test` does not copy the cdylib up there, so the copy there can be
/// older than the code under test.
pub fn libdir() -> PathBuf {
    let dir = profile_dir().join("deps");
    let lib = dir.join("libsmartx.so");
    assert!(
        lib.is_file(),
        "{} is missing: the C tests link against the cdylib cargo builds next to the test executables",
        lib.display()
    );
    dir
}

/// The sanitizers the C programs are built with: `SMARTX_SANITIZE=address,undefined` (scripts/sanitize.sh sets
/// it). Empty for a normal run.
pub fn sanitizers() -> Option<String> {
    std::env::var("SMARTX_SANITIZE").ok().filter(|s| !s.is_empty())
}

/// The compiler flags of [`sanitizers`]: every finding stops the program with a failing exit code.
pub fn sanitizer_flags() -> Vec<String> {
    sanitizers().map_or_else(Vec::new, |s| {
        vec![format!("-fsanitize={s}"), "-fno-sanitize-recover=all".into(), "-fno-omit-frame-pointer".into()]
    })
}

/// `valgrind` with the leak and error checks every valgrind test uses, or `None` when the C programs are built
/// with sanitizers (valgrind cannot run them; the sanitizers check the same run instead).
pub fn valgrind() -> Option<Command> {
    if let Some(sanitizers) = sanitizers() {
        eprintln!("valgrind skipped: the C programs are built with -fsanitize={sanitizers}");
        return None;
    }
    let mut command = Command::new("valgrind");
    command.args(["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect,possible"]);
    Some(command)
}

/// target/c-tests/<profile>: where the C test programs go.
pub fn c_build_dir() -> PathBuf {
    let profile_dir = profile_dir();
    let profile = profile_dir.file_name().expect("a profile directory name").to_owned();
    let target = profile_dir.parent().expect("a target directory").to_path_buf();
    let mut dir = target.join("c-tests").join(profile);
    if sanitizers().is_some() {
        dir.as_mut_os_string().push("-sanitized");
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// Builds every example of examples-c/ once per test process with its Makefile, against this run's library (and
/// with the sanitizers of a sanitizer run), into target/c-tests/<profile>/examples so the source tree stays clean;
/// returns that directory.
pub fn c_examples() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let build = c_build_dir().join("examples");
            let mut make = Command::new("make");
            make.arg("-C")
                .arg(repo_dir().join("examples-c"))
                .arg(format!("LIBDIR={}", libdir().display()))
                .arg(format!("BUILDDIR={}", build.display()))
                .arg(format!("EXTRA_CFLAGS={}", sanitizer_flags().join(" ")))
                .arg("all");
            let done = run(&mut make, Duration::from_secs(300));
            assert_eq!(done.code(), 0, "make failed:\n{}", done.output());
            build
        })
        .clone()
}

/// Compiles tests/data/c/<name>.c once per test process and returns the executable.
pub fn c_program(name: &str) -> PathBuf {
    c_program_with(name, &[])
}

/// Like [`c_program`], with more compiler flags.
pub fn c_program_with(name: &str, extra_flags: &[&str]) -> PathBuf {
    // Keyed and named by the flags too: tests of one target may build one program with different flags.
    let key = std::iter::once(name).chain(extra_flags.iter().copied()).collect::<Vec<_>>().join(" ");
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = built.get(&key) {
        return path.clone();
    }

    let repo = repo_dir();
    let libdir = libdir();
    let file_name: String =
        key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    let out = c_build_dir().join(file_name);
    // Another test process may build the same program: compile to a private name, then rename.
    let tmp = out.with_extension(format!("{}.tmp", std::process::id()));
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut cc = Command::new(&compiler);
    cc.args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-g"])
        .arg("-I")
        .arg(repo.join("include"))
        .arg(repo.join("tests/data/c").join(format!("{name}.c")))
        .args(extra_flags)
        .args(sanitizer_flags())
        .arg("-o")
        .arg(&tmp)
        .arg("-L")
        .arg(&libdir)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", libdir.display()));
    let output = cc.output().unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "compiling tests/data/c/{name}.c failed ({:?}):\n{}{}",
        cc,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::rename(&tmp, &out).unwrap_or_else(|e| panic!("rename {}: {e}", tmp.display()));
    built.insert(key, out.clone());
    out
}

/// The result of a finished program.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Everything the program printed, for failure messages.
    pub fn output(&self) -> String {
        format!("status: {}\n--- stdout ---\n{}--- stderr ---\n{}", self.status, self.stdout, self.stderr)
    }

    pub fn code(&self) -> i32 {
        self.status.code().unwrap_or_else(|| panic!("killed by a signal\n{}", self.output()))
    }

    /// The key=value lines of stdout (tests/data/c/driver.c and abi_layout.c print them).
    pub fn values(&self) -> Values {
        let map = self
            .stdout
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        Values { map, output: self.output() }
    }
}

/// key=value output of a C test program; every lookup names the whole output when it fails.
pub struct Values {
    map: HashMap<String, String>,
    pub output: String,
}

impl Values {
    pub fn raw(&self, key: &str) -> &str {
        self.map.get(key).unwrap_or_else(|| panic!("no {key}= line in:\n{}", self.output))
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn num(&self, key: &str) -> u64 {
        let raw = self.raw(key);
        raw.parse().unwrap_or_else(|_| panic!("{key}={raw} is not a number in:\n{}", self.output))
    }

    pub fn int(&self, key: &str) -> i64 {
        let raw = self.raw(key);
        raw.parse().unwrap_or_else(|_| panic!("{key}={raw} is not a number in:\n{}", self.output))
    }

    /// A value printed escaped by the C side (\\, \n, \r, \xNN), decoded.
    pub fn text(&self, key: &str) -> String {
        String::from_utf8_lossy(&unescape(self.raw(key))).into_owned()
    }
}

fn unescape(escaped: &str) -> Vec<u8> {
    let bytes = escaped.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b'x' if i + 3 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap_or("3f");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                other => out.push(other),
            }
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Runs `command` to completion, failing the test if it takes longer than `limit`.
/// The smartx environment variables are removed so only the arguments configure the library.
pub fn run(command: &mut Command, limit: Duration) -> Run {
    // cargo test puts target/<profile> on LD_LIBRARY_PATH, which beats the programs' RUNPATH, and the
    // libsmartx.so there is whatever `cargo build` last left: the programs must load this run's library.
    command.env_remove("LD_LIBRARY_PATH");
    for var in ["SX_BASE_URL", "SX_CONNECT_TIMEOUT_MS", "SX_TIMEOUT_MS"] {
        if !command.get_envs().any(|(key, _)| key == OsStr::new(var)) {
            command.env_remove(var);
        }
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let stdout = read_in_background(child.stdout.take().expect("piped stdout"));
    let stderr = read_in_background(child.stderr.take().expect("piped stderr"));

    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    Run { status, stdout: stdout.join().expect("stdout reader"), stderr: stderr.join().expect("stderr reader") }
}

fn read_in_background(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Arguments that may be bytes which are not UTF-8 (for the bad-UTF-8 cases).
pub fn os_bytes(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes).to_owned()
}

/// This thread's last error message, through the C ABI: a size query first, so that a message of any length is
/// read whole.
pub fn last_error() -> String {
    let mut len = 0usize;
    // SAFETY: a size query: NULL buffer with capacity 0, a valid out_len.
    unsafe { smartx::sx_last_error_message(std::ptr::null_mut(), 0, &mut len) };
    let mut buf = vec![0 as std::ffi::c_char; len + 1];
    // SAFETY: buf holds len + 1 bytes.
    let read = unsafe { smartx::sx_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(read, smartx::SX_OK, "reading the last error message");
    // SAFETY: the call wrote a NUL-terminated string into buf.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

/// A result code's name (`SX_ERR_CONNECT`), through `sx_result_name`.
pub fn result_name(result: smartx::sx_result) -> String {
    // SAFETY: sx_result_name gives a static NUL-terminated string for any value.
    unsafe { std::ffi::CStr::from_ptr(smartx::sx_result_name(result)) }.to_string_lossy().into_owned()
}

/// Held by every test that calls the process-wide settings in-process (`sx_set_base_url`, `sx_set_timeouts`,
/// `sx_shutdown`, `sx_start_cash` and its client): they are one state for the whole test process, and the tests
/// of a target share that process. Tests through clients of their own, or through C programs, need it not.
pub fn process_wide_settings() -> MutexGuard<'static, ()> {
    static PROCESS_WIDE: Mutex<()> = Mutex::new(());
    PROCESS_WIDE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `program` with the environment a developer's shell has, for a script that runs cargo itself (the
/// cross-builds): without the variables cargo sets for this test (CARGO_PKG_*, OUT_DIR, ...), which would make the
/// nested cargo see a different build and compile everything again.
pub fn developer_command(program: &str) -> Command {
    let mut command = Command::new(program);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME") || key == "OUT_DIR" || key.starts_with("RUSTUP_TOOLCHAIN")
        {
            command.env_remove(&key);
        }
    }
    command
}
