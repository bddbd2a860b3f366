//! Name resolution within the connect timeout, without a look-up where none is needed, and without piling up
//! threads behind a dead DNS server.
//!
//! - An IP literal or `localhost` needs no look-up; a name under `.invalid` fails at once (RFC 6761: it exists
//!   nowhere, and asking a DNS server about it would only send traffic).
//! - A host name is looked up at most once at a time: the first caller starts the look-up on a thread, and
//!   every caller, the first included, waits for it only until its own deadline (the connect timeout, and never
//!   past the total timeout). Callers never queue behind a lock held during a look-up.
//! - Addresses found are reused for [`FOUND_TTL`]; a failed look-up is remembered for [`FAILED_TTL`], so that
//!   calls during a DNS outage fail at once instead of each starting a look-up.
//! - A look-up blocked in the system resolver (`getaddrinfo`) cannot be cancelled or killed: its thread ends
//!   when the system resolver gives up (its own timeout, typically 5 to 30 seconds), also after `sx_shutdown`.
//!   At most one such thread exists per host, and at most [`MAX_PENDING`] in all.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are reused: a payment does not wait for DNS, and a moved host is found again
/// within a minute.
pub const FOUND_TTL: Duration = Duration::from_secs(60);
/// How long a failed look-up is remembered.
pub const FAILED_TTL: Duration = Duration::from_secs(5);
/// Look-ups in flight at once, over all hosts.
pub const MAX_PENDING: usize = 4;
/// Hosts remembered; beyond this, finished entries are forgotten.
const MAX_HOSTS: usize = 32;

/// How a host name becomes addresses. The system resolver by default; tests put in one that hangs or fails.
pub trait Lookup: Send + Sync + 'static {
    fn lookup(&self, host: &str, port: u16) -> io::Result<Vec<SocketAddr>>;
}

/// `getaddrinfo`, through the standard library.
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        Ok((host, port).to_socket_addrs()?.collect())
    }
}

type Outcome = Result<Vec<SocketAddr>, ()>;

/// One look-up under way; waiters wait on it, each with its own deadline.
#[derive(Default)]
struct Pending {
    outcome: Mutex<Option<Outcome>>,
    done: Condvar,
}

enum HostState {
    Found { at: Instant, addrs: Vec<SocketAddr> },
    Failed { at: Instant },
    Pending(Arc<Pending>),
}

type Hosts = Mutex<HashMap<(String, u16), HostState>>;

pub struct CachingResolver {
    lookup: Arc<dyn Lookup>,
    hosts: Arc<Hosts>,
}

impl Default for CachingResolver {
    fn default() -> Self {
        CachingResolver::with_lookup(Arc::new(SystemLookup))
    }
}

impl std::fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("CachingResolver")
    }
}

fn lock(hosts: &Hosts) -> MutexGuard<'_, HashMap<(String, u16), HostState>> {
    hosts.lock().unwrap_or_else(PoisonError::into_inner)
}

impl CachingResolver {
    pub fn with_lookup(lookup: Arc<dyn Lookup>) -> CachingResolver {
        CachingResolver { lookup, hosts: Arc::default() }
    }

    /// The addresses a connection to `host` tries, found as a call finds them (an IP literal as it is, a
    /// `.invalid` name refused without a look-up, others looked up), waiting at most `wait`: for
    /// `http::diagnose`, which names the look-up as a step of its own.
    pub fn lookup_within(&self, host: &str, port: u16, wait: Duration) -> Result<Vec<SocketAddr>, crate::http::Error> {
        let failed = |why: String| crate::http::Error::new(crate::http::ErrorKind::Connect, why);
        let found = match literal_addresses(host) {
            Some(ips) => Ok(ips.into_iter().flatten().map(|ip| SocketAddr::new(ip, port)).collect()),
            None if is_reserved_invalid(host) => Err(ureq::Error::HostNotFound),
            None => self.addresses(host, port, Some(wait)),
        };
        match found {
            Ok(addrs) => Ok(addrs),
            Err(ureq::Error::HostNotFound) => Err(failed(format!("the name {host:?} was not found"))),
            Err(ureq::Error::Timeout(_)) => {
                Err(failed(format!("the DNS server did not answer for {host:?} within {} ms", wait.as_millis())))
            }
            Err(e) => Err(failed(format!("{host:?} could not be looked up ({e})"))),
        }
    }

    /// The addresses of `host`, waiting at most `wait` for a look-up.
    fn addresses(&self, host: &str, port: u16, wait: Option<Duration>) -> Result<Vec<SocketAddr>, ureq::Error> {
        let deadline = wait.map(|w| Instant::now() + w);
        let pending = {
            let mut hosts = lock(&self.hosts);
            let now = Instant::now();
            let key = (host.to_ascii_lowercase(), port);
            match hosts.get(&key) {
                Some(HostState::Found { at, addrs }) if now.saturating_duration_since(*at) < FOUND_TTL => {
                    return Ok(addrs.clone())
                }
                Some(HostState::Failed { at }) if now.saturating_duration_since(*at) < FAILED_TTL => {
                    return Err(ureq::Error::HostNotFound)
                }
                Some(HostState::Pending(pending)) => Arc::clone(pending),
                _ => {
                    if hosts.values().filter(|s| matches!(s, HostState::Pending(_))).count() >= MAX_PENDING {
                        return Err(ureq::Error::Io(io::Error::new(
                            io::ErrorKind::WouldBlock,
                            "too many host-name look-ups are waiting for the DNS server",
                        )));
                    }
                    if hosts.len() >= MAX_HOSTS {
                        hosts.retain(|_, s| matches!(s, HostState::Pending(_)));
                    }
                    let pending = Arc::new(Pending::default());
                    self.start(key.clone(), Arc::clone(&pending))?;
                    hosts.insert(key, HostState::Pending(Arc::clone(&pending)));
                    pending
                }
            }
        };
        // Waited for without the hosts lock: other callers, for this host or another, go on.
        let mut outcome = pending.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(outcome) = outcome.as_ref() {
                return outcome.clone().map_err(|()| ureq::Error::HostNotFound);
            }
            outcome = match deadline {
                None => pending.done.wait(outcome).unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(ureq::Timeout::Resolve));
                    }
                    pending.done.wait_timeout(outcome, left).unwrap_or_else(PoisonError::into_inner).0
                }
            };
        }
    }

    /// Starts the look-up thread. It holds the host table weakly: after `sx_shutdown` it finds nothing to update.
    fn start(&self, key: (String, u16), pending: Arc<Pending>) -> Result<(), ureq::Error> {
        let lookup = Arc::clone(&self.lookup);
        let hosts: Weak<Hosts> = Arc::downgrade(&self.hosts);
        std::thread::Builder::new()
            .name("smartx-dns".into())
            .spawn(move || {
                let outcome = match lookup.lookup(&key.0, key.1) {
                    Ok(addrs) if !addrs.is_empty() => Ok(addrs),
                    _ => Err(()),
                };
                let at = Instant::now();
                if let Some(hosts) = hosts.upgrade() {
                    let mut hosts = lock(&hosts);
                    let ours = matches!(hosts.get(&key), Some(HostState::Pending(p)) if Arc::ptr_eq(p, &pending));
                    if ours {
                        let state = match &outcome {
                            Ok(addrs) => HostState::Found { at, addrs: addrs.clone() },
                            Err(()) => HostState::Failed { at },
                        };
                        hosts.insert(key, state);
                    }
                }
                *pending.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
                pending.done.notify_all();
            })
            .map(drop)
            .map_err(ureq::Error::Io)
    }
}

impl Resolver for CachingResolver {
    fn resolve(&self, uri: &Uri, _config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let port = uri.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        let (Some(host), Some(port)) = (uri.host(), port) else {
            return Err(ureq::Error::BadUri(format!("{uri} has no host or port")));
        };
        let found = match literal_addresses(host) {
            Some(ips) => ips.into_iter().flatten().map(|ip| SocketAddr::new(ip, port)).collect(),
            None if is_reserved_invalid(host) => return Err(ureq::Error::HostNotFound),
            None => {
                let wait = (!timeout.after.is_not_happening()).then(|| *timeout.after);
                self.addresses(host, port, wait)?
            }
        };
        let mut addrs = self.empty();
        for addr in found.into_iter().take(16) {
            addrs.push(addr);
        }
        Ok(addrs)
    }
}

/// The addresses of a host that needs no look-up: an IP literal (IPv6 in brackets, as in a URI), or
/// `localhost`, which RFC 6761 reserves for loopback.
fn literal_addresses(host: &str) -> Option<[Option<IpAddr>; 2]> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some([Some(Ipv4Addr::LOCALHOST.into()), Some(Ipv6Addr::LOCALHOST.into())]);
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    bare.parse::<IpAddr>().ok().map(|ip| [Some(ip), None])
}

/// `invalid` and names under it, which RFC 6761 says resolvers answer negatively at once.
fn is_reserved_invalid(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let last = host.rsplit('.').next().unwrap_or(host);
    last.eq_ignore_ascii_case("invalid")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    /// A look-up that must not happen.
    struct Never;

    impl Lookup for Never {
        fn lookup(&self, host: &str, _port: u16) -> io::Result<Vec<SocketAddr>> {
            panic!("{host} was looked up")
        }
    }

    #[test]
    fn lookup_within_takes_addresses_as_they_are_and_refuses_invalid_names_unasked() {
        let resolver = CachingResolver::with_lookup(Arc::new(Never));
        let wait = Duration::from_secs(1);
        assert_eq!(resolver.lookup_within("127.0.0.1", 8080, wait).unwrap(), ["127.0.0.1:8080".parse().unwrap()]);
        assert_eq!(resolver.lookup_within("::1", 443, wait).unwrap(), ["[::1]:443".parse().unwrap()]);
        let e = resolver.lookup_within("api.till.invalid", 443, wait).unwrap_err();
        assert_eq!(e.kind, crate::http::ErrorKind::Connect);
        assert!(e.message.contains("\"api.till.invalid\" was not found"), "{}", e.message);
    }

    /// A look-up that blocks until released and counts its calls.
    #[derive(Default)]
    struct Gate {
        calls: AtomicUsize,
        open: Mutex<Option<Outcome>>,
        opened: Condvar,
    }

    impl Gate {
        fn release(&self, outcome: Outcome) {
            *self.open.lock().unwrap() = Some(outcome);
            self.opened.notify_all();
        }
    }

    impl Lookup for Gate {
        fn lookup(&self, _host: &str, _port: u16) -> io::Result<Vec<SocketAddr>> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let mut open = self.open.lock().unwrap();
            while open.is_none() {
                open = self.opened.wait(open).unwrap();
            }
            open.clone().unwrap().map_err(|()| io::Error::other("no such host"))
        }
    }

    fn resolve(resolver: &CachingResolver, uri: &str, wait_ms: u64) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::Exact(Duration::from_millis(wait_ms)),
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        resolver.resolve(&uri.parse().unwrap(), &Config::default(), timeout)
    }

    #[test]
    fn literals_and_localhost_need_no_lookup() {
        assert_eq!(literal_addresses("127.0.0.1"), Some([Some("127.0.0.1".parse().unwrap()), None]));
        assert_eq!(literal_addresses("[::1]"), Some([Some("::1".parse().unwrap()), None]));
        assert_eq!(literal_addresses("LocalHost").unwrap()[0], Some(Ipv4Addr::LOCALHOST.into()));
        assert_eq!(literal_addresses("connect-testing.secuconnect.com"), None);
    }

    #[test]
    fn a_literal_resolves_with_its_port_and_invalid_names_fail_without_a_lookup() {
        let gate = Arc::new(Gate::default());
        let resolver = CachingResolver::with_lookup(gate.clone());
        let addrs = resolve(&resolver, "http://127.0.0.1:8080/x", 100).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"127.0.0.1:8080".parse::<SocketAddr>().unwrap()]);
        let addrs = resolve(&resolver, "https://[::1]/x", 100).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"[::1]:443".parse::<SocketAddr>().unwrap()]);
        for name in ["https://no-such-host.example.invalid/x", "https://INVALID./", "https://a.invalid:8443/"] {
            assert!(matches!(resolve(&resolver, name, 100), Err(ureq::Error::HostNotFound)), "{name}");
        }
        assert_eq!(gate.calls.load(Ordering::SeqCst), 0, "nothing was looked up");
    }

    /// Held by every test that starts look-up threads, so that one test's threads are not counted by another.
    pub(crate) static DNS_THREADS: Mutex<()> = Mutex::new(());

    /// The look-up threads alive now (named by the resolver).
    pub(crate) fn dns_threads() -> usize {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
            .filter(|name| name.trim() == "smartx-dns")
            .count()
    }

    /// One test, so that no other test's look-up thread is counted. A hung look-up: every caller returns at its
    /// own deadline, none queues behind another, one look-up runs, and forty calls leave one thread. Hung
    /// look-ups of many hosts are capped. A failed look-up is remembered briefly.
    #[test]
    fn a_hung_or_dead_resolver_bounds_every_caller_and_piles_up_no_threads() {
        let _alone = DNS_THREADS.lock().unwrap_or_else(PoisonError::into_inner);
        // A thread released by the test before may take a moment to end.
        let settled = Instant::now() + Duration::from_secs(10);
        while dns_threads() > 0 && Instant::now() < settled {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(dns_threads(), 0, "look-up threads of another test are still alive");
        let gate = Arc::new(Gate::default());
        let resolver = Arc::new(CachingResolver::with_lookup(gate.clone()));
        let (done_tx, done_rx) = mpsc::channel();
        let callers: Vec<_> = (0..8)
            .map(|_| {
                let resolver = Arc::clone(&resolver);
                let done_tx = done_tx.clone();
                std::thread::spawn(move || {
                    let result = resolve(&resolver, "https://api.example.com/", 200);
                    done_tx.send(matches!(result, Err(ureq::Error::Timeout(_)))).unwrap();
                })
            })
            .collect();
        // All eight come back while the look-up is still blocked: none waited for another's turn.
        for _ in 0..8 {
            assert!(done_rx.recv_timeout(Duration::from_secs(30)).unwrap(), "a caller did not time out");
        }
        callers.into_iter().for_each(|c| c.join().unwrap());
        for _ in 0..40 {
            assert!(matches!(resolve(&resolver, "https://api.example.com/", 1), Err(ureq::Error::Timeout(_))));
        }
        assert_eq!(gate.calls.load(Ordering::SeqCst), 1, "one look-up for all callers");
        assert_eq!(dns_threads(), 1, "look-up threads piled up");

        // Other hosts: at most MAX_PENDING look-ups hang at once; beyond that, calls fail without a thread.
        for i in 0..10 {
            assert!(resolve(&resolver, &format!("https://h{i}.example/"), 1).is_err());
        }
        // A new thread names itself as it starts: wait until each has entered its look-up.
        let started = Instant::now() + Duration::from_secs(10);
        while gate.calls.load(Ordering::SeqCst) < MAX_PENDING && Instant::now() < started {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(gate.calls.load(Ordering::SeqCst), MAX_PENDING);
        assert_eq!(dns_threads(), MAX_PENDING, "look-up threads piled up");

        gate.release(Ok(vec!["192.0.2.7:443".parse().unwrap()]));
        let addrs = resolve(&resolver, "https://api.example.com/", 10_000).unwrap();
        assert_eq!(addrs.iter().collect::<Vec<_>>(), [&"192.0.2.7:443".parse::<SocketAddr>().unwrap()]);
        let calls = gate.calls.load(Ordering::SeqCst);
        assert_eq!(resolve(&resolver, "https://api.example.com/", 10_000).unwrap().len(), 1);
        assert_eq!(gate.calls.load(Ordering::SeqCst), calls, "the answer is reused");

        // A dead resolver: the failure is remembered, so twenty calls make one look-up.
        let gate = Arc::new(Gate::default());
        gate.release(Err(()));
        let resolver = CachingResolver::with_lookup(gate.clone());
        for _ in 0..20 {
            assert!(matches!(resolve(&resolver, "https://down.example/", 10_000), Err(ureq::Error::HostNotFound)));
        }
        assert_eq!(gate.calls.load(Ordering::SeqCst), 1, "a failure is remembered for {FAILED_TTL:?}");
        // Aged past FAILED_TTL, the next call looks up again.
        if let Some(HostState::Failed { at }) = lock(&resolver.hosts).get_mut(&("down.example".into(), 443)) {
            *at -= FAILED_TTL;
        }
        assert!(resolve(&resolver, "https://down.example/", 10_000).is_err());
        assert_eq!(gate.calls.load(Ordering::SeqCst), 2);
    }
}
