//! The local API sandbox as a child process, and the calls to its control API the bench needs.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

use crate::BenchResult;

/// Builds the sandbox package (a separate package of this workspace) in release mode into the bench's own
/// target directory, with the cargo that runs the bench, and returns its path.
pub fn build() -> BenchResult<PathBuf> {
    let exe = std::env::current_exe()?;
    // target/release/deps/start_cash-<hash>
    let profile_dir = exe.parent().and_then(Path::parent).ok_or("the bench executable has no target directory")?;
    let target = profile_dir.parent().ok_or("no target directory")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "--package", "smartx-sandbox", "--target-dir"])
        .arg(target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()?;
    if !status.success() {
        return Err(format!("building smartx-sandbox failed ({status})").into());
    }
    Ok(profile_dir.join("smartx-sandbox"))
}

pub struct Sandbox {
    child: Child,
    /// Kept open for the sandbox's lifetime: closing it early would make a later stdout write fail.
    _stdout: BufReader<ChildStdout>,
    base_url: String,
}

impl Sandbox {
    /// Starts the sandbox on a free loopback port, accepting only `token`; its logs go to `log`.
    pub fn start(exe: &Path, token: &str, log: &Path) -> BenchResult<Sandbox> {
        let mut child = Command::new(exe)
            .args(["--host", "127.0.0.1", "--port", "0", "--token", token])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(log)?)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first_line = String::new();
        stdout.read_line(&mut first_line)?;
        let base_url = first_line.trim().to_owned();
        let sandbox = Sandbox { child, _stdout: stdout, base_url };
        if !sandbox.base_url.starts_with("http://") {
            return Err(format!(
                "the sandbox printed {:?} instead of its base URL; see {}",
                sandbox.base_url,
                log.display()
            )
            .into());
        }
        Ok(sandbox)
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Creates `count` fresh transactions `{prefix}_{i}` in one control call and returns their ids in order.
    pub fn create_transactions(&self, prefix: &str, count: usize) -> BenchResult<Vec<String>> {
        let body = json!({ "count": count, "prefix": prefix }).to_string();
        let answer = ureq::post(format!("{}/_sandbox/transactions", self.base_url))
            .content_type("application/json")
            .send(&body)?
            .body_mut()
            .read_to_string()?;
        let answer: Value = serde_json::from_str(&answer)?;
        let ids: Vec<String> = answer["ids"]
            .as_array()
            .ok_or("the control API answered without \"ids\"")?
            .iter()
            .filter_map(|id| id.as_str().map(str::to_owned))
            .collect();
        if ids.len() != count {
            return Err(format!("asked for {count} transactions, got {}", ids.len()).into());
        }
        Ok(ids)
    }

    /// How many API requests the sandbox has served (the control API is not counted).
    pub fn api_requests(&self) -> BenchResult<u64> {
        let stats = self.get_json("/_sandbox/stats")?;
        Ok(stats["api_requests"].as_u64().ok_or("the stats have no \"api_requests\"")?)
    }

    /// The API requests the sandbox saw for one transaction (method, path, which auth headers were valid).
    pub fn requests(&self, id: &str) -> BenchResult<Vec<Value>> {
        match self.get_json(&format!("/_sandbox/transactions/{id}/requests"))? {
            Value::Array(requests) => Ok(requests),
            other => Err(format!("requests of {id}: not an array: {other}").into()),
        }
    }

    fn get_json(&self, path: &str) -> BenchResult<Value> {
        let text = ureq::get(format!("{}{path}", self.base_url)).call()?.body_mut().read_to_string()?;
        Ok(serde_json::from_str(&text)?)
    }
}

impl Drop for Sandbox {
    /// Stops the sandbox the way its CLI documents (SIGTERM), so it never outlives the bench.
    fn drop(&mut self) {
        // SAFETY: kill() on our own child's pid; it has not been reaped yet, so the pid is still ours.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}
