//! The hand-written libcurl + cJSON client (benches/baseline/curl_cjson.c): built with the system's cc and run
//! as a child process that prints its own figures.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::stats::Run;
use crate::BenchResult;

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/baseline/curl_cjson.c");

pub struct Baseline {
    exe: PathBuf,
}

impl Baseline {
    /// Compiles the baseline into `out_dir`. Ok(None) when libcurl/cJSON development files are missing: the
    /// smartx figures are still worth printing without it.
    pub fn build(out_dir: &Path) -> BenchResult<Option<Baseline>> {
        let flags = Command::new("pkg-config").args(["--cflags", "--libs", "libcurl", "libcjson"]).output();
        let flags = match flags {
            Ok(out) if out.status.success() => String::from_utf8(out.stdout)?,
            _ => return Ok(None),
        };
        let exe = out_dir.join("smartx-bench-curl-cjson");
        let status = Command::new("cc")
            .args(["-O2", "-Wall", "-Wextra", "-Werror", SOURCE, "-o"])
            .arg(&exe)
            .args(flags.split_whitespace())
            .status()
            .map_err(|e| format!("cannot run cc: {e}"))?;
        if !status.success() {
            return Err(format!("cc failed to build {SOURCE} ({status})").into());
        }
        Ok(Some(Baseline { exe }))
    }

    /// Starts `{prefix}_{first}` as warm-up, then measures `{prefix}_{first+1}` .. `{prefix}_{first+count}`.
    pub fn round_trip(
        &self,
        base_url: &str,
        token: &str,
        prefix: &str,
        first: usize,
        count: usize,
    ) -> BenchResult<Run> {
        let stdout = self.run(
            Command::new(&self.exe)
                .args(["round-trip", base_url, prefix, &first.to_string(), &count.to_string()])
                // The token goes by environment, never argv, so it does not show in `ps`.
                .env("SX_BENCH_TOKEN", token),
        )?;
        let summary = find_line(&stdout, "baseline round_trip ")?;
        let latencies = find_line(&stdout, "baseline latencies_ns")?;
        let run = Run {
            wall_ns: field(summary, "wall_ns")?,
            cpu_us: field(summary, "cpu_us")?,
            latencies_ns: latencies.split_whitespace().map(str::parse).collect::<Result<_, _>>()?,
        };
        if run.latencies_ns.len() != count {
            return Err(format!("baseline printed {} latencies for {count} calls", run.latencies_ns.len()).into());
        }
        Ok(run)
    }

    /// A register's day (benches/latency.rs): a cold process, `count` sales `{prefix}_1` .. `gap_ms` apart, each
    /// getting a token first if it has none; the wall time of each sale's payment in ns.
    #[allow(dead_code)] // used by benches/latency.rs, which includes this file too
    pub fn sales(
        &self,
        base_url: &str,
        ca_file: &Path,
        client: (&str, &str),
        prefix: &str,
        count: usize,
        gap_ms: u64,
    ) -> BenchResult<Vec<u64>> {
        let stdout = self.run(
            Command::new(&self.exe)
                .args(["sales", base_url])
                .arg(ca_file)
                .args([prefix, &count.to_string(), &gap_ms.to_string()])
                // The credentials go by environment, never argv, so they do not show in `ps`.
                .env("SX_BENCH_CLIENT_ID", client.0)
                .env("SX_BENCH_CLIENT_SECRET", client.1),
        )?;
        let line = find_line(&stdout, "baseline sales_ns")?;
        let sales: Vec<u64> = line.split_whitespace().map(str::parse).collect::<Result<_, _>>()?;
        if sales.len() != count {
            return Err(format!("baseline printed {} sales for {count}", sales.len()).into());
        }
        Ok(sales)
    }

    /// Wall time in ns of `iters` cJSON_Parse + receipt walk + cJSON_Delete cycles of the file, after `warmup`.
    pub fn parse(&self, fixture: &Path, iters: usize, warmup: usize) -> BenchResult<u64> {
        let stdout =
            self.run(Command::new(&self.exe).arg("parse").arg(fixture).args([iters.to_string(), warmup.to_string()]))?;
        field(find_line(&stdout, "baseline parse ")?, "wall_ns")
    }

    fn run(&self, command: &mut Command) -> BenchResult<String> {
        let out = command.output()?;
        if !out.status.success() {
            return Err(
                format!("baseline failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()).into()
            );
        }
        Ok(String::from_utf8(out.stdout)?)
    }
}

/// The rest of the output line that starts with `prefix`.
fn find_line<'a>(stdout: &'a str, prefix: &str) -> BenchResult<&'a str> {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(prefix))
        .ok_or_else(|| format!("baseline printed no line starting with {prefix:?}").into())
}

/// The number of a `key=value` field in a line.
fn field(line: &str, key: &str) -> BenchResult<u64> {
    let value = line
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .ok_or_else(|| format!("baseline line has no {key}: {line}"))?;
    Ok(value.parse()?)
}
