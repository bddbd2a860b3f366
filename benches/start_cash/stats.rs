//! Timing results of one client and their summary figures.

use std::time::Duration;

/// Process CPU time (user + system) so far, in µs. RUSAGE_SELF is what both clients use, so the figures compare;
/// the sandbox is a separate process and never counts.
pub fn process_cpu_us() -> u64 {
    // SAFETY: getrusage only writes the struct we hand it; a zeroed rusage is a valid initial value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_SELF) failed");
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// The measured part of one or more runs of a client: per-call latencies, total wall time, process CPU time.
#[derive(Debug, Default, Clone)]
pub struct Run {
    pub latencies_ns: Vec<u64>,
    pub wall_ns: u64,
    pub cpu_us: u64,
}

impl Run {
    /// Adds another half of the same client's run (the halves are measured apart, see main.rs).
    pub fn absorb(&mut self, other: Run) {
        self.latencies_ns.extend(other.latencies_ns);
        self.wall_ns += other.wall_ns;
        self.cpu_us += other.cpu_us;
    }

    pub fn summary(&self) -> Summary {
        let calls = self.latencies_ns.len();
        assert!(calls > 0, "a run without calls has no figures");
        let mut sorted = self.latencies_ns.clone();
        sorted.sort_unstable();
        Summary {
            calls,
            wall: Duration::from_nanos(self.wall_ns),
            mean_us: self.wall_ns as f64 / calls as f64 / 1e3,
            median_us: percentile(&sorted, 50.0) as f64 / 1e3,
            p90_us: percentile(&sorted, 90.0) as f64 / 1e3,
            p99_us: percentile(&sorted, 99.0) as f64 / 1e3,
            calls_per_s: calls as f64 / (self.wall_ns as f64 / 1e9),
            cpu_per_call_us: self.cpu_us as f64 / calls as f64,
        }
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub calls: usize,
    pub wall: Duration,
    /// Total wall time / calls (includes the loop's own overhead, unlike the median and p99).
    pub mean_us: f64,
    pub median_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub calls_per_s: f64,
    pub cpu_per_call_us: f64,
}

impl Summary {
    pub fn print(&self, label: &str) {
        println!(
            "  {label:<9} {calls} calls in {wall:.3} s: mean {mean:.1} µs, median {median:.1} µs, p90 {p90:.1} µs, \
             p99 {p99:.1} µs, {rate:.0} calls/s, CPU {cpu:.1} µs/call",
            calls = self.calls,
            wall = self.wall.as_secs_f64(),
            mean = self.mean_us,
            median = self.median_us,
            p90 = self.p90_us,
            p99 = self.p99_us,
            rate = self.calls_per_s,
            cpu = self.cpu_per_call_us,
        );
    }
}
