//! Limits on signing in, so that nobody can exhaust the central's memory or guess passwords at speed:
//!
//! - **Bounded hashing.** Each argon2id check takes 19 MiB for its duration. Checks run on
//!   [`LoginLimits::concurrent_hashes`] long-lived threads of their own (not the runtime's blocking pool,
//!   whose many short-lived threads each kept a 19 MiB heap arena: 256 parallel logins left a server at
//!   3.3 GB), at most [`LoginLimits::max_waiting`] more wait, and anything beyond is answered `503 busy`
//!   at once (no hash, no memory).
//! - **Slowdown after failures**, checked before any hash:
//!   - per account and address: after [`LoginLimits::free_failures`] failures, each further attempt waits
//!     twice as long as the last (1 s, 2 s, 4 s, … up to [`LoginLimits::max_delay`]);
//!   - per address: at most [`LoginLimits::address_failures`] failures (over all accounts) per
//!     [`LoginLimits::window`];
//!   - per account, over all addresses: after [`LoginLimits::account_failures`] failures, one attempt
//!     per [`LoginLimits::account_pace`] — slow enough to stop guessing, short enough that an operator
//!     whose name an attacker hammers still gets in within seconds.
//!
//!   A success clears the account's counts; failures older than the window are forgotten. Answers are
//!   `429 too_many_attempts` with `Retry-After`.
//!
//! Unknown accounts cost the same hash as known ones (`auth::verify_password`), so timing tells nothing.
//! The time is passed in (an [`Instant`]), so the rules are tested without waiting.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The limits; [`LoginLimits::default`] is what the server runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Password hashes running at once (each takes 19 MiB while it runs).
    pub concurrent_hashes: usize,
    /// Sign-ins waiting for a hash slot before more are turned away.
    pub max_waiting: usize,
    /// Failures per account and address before the slowdown starts.
    pub free_failures: u32,
    /// The longest wait the slowdown imposes.
    pub max_delay: Duration,
    /// Failures per address (all accounts) per window.
    pub address_failures: u32,
    /// Failures per account (all addresses) before it is paced.
    pub account_failures: u32,
    /// The pace of a hammered account: one attempt per this long.
    pub account_pace: Duration,
    /// How long a failure counts.
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> LoginLimits {
        LoginLimits {
            concurrent_hashes: std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8)),
            max_waiting: 64,
            free_failures: 5,
            max_delay: Duration::from_secs(15 * 60),
            address_failures: 30,
            account_failures: 20,
            account_pace: Duration::from_secs(5),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Why a sign-in is not tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many recent failures: try again after this long.
    Throttled(Duration),
    /// Every hash slot and every waiting place is taken.
    Busy,
}

#[derive(Debug, Clone, Copy)]
struct Strikes {
    count: u32,
    last: Instant,
}

#[derive(Debug, Default)]
struct Failures {
    by_pair: HashMap<(String, Option<IpAddr>), Strikes>,
    by_address: HashMap<IpAddr, Strikes>,
    by_account: HashMap<String, Strikes>,
}

/// Entries kept before old ones are swept (each is a few dozen bytes).
const SWEEP_ABOVE: usize = 50_000;

/// A password check waiting for a hashing thread.
type Job = Box<dyn FnOnce() + Send>;

/// The sign-in limits of one server.
pub struct LoginGuard {
    limits: LoginLimits,
    /// The queue of the hashing threads (bounded: [`LoginLimits::max_waiting`]); they stop when the
    /// guard is dropped.
    jobs: SyncSender<Job>,
    failures: Mutex<Failures>,
}

impl std::fmt::Debug for LoginGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginGuard")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl LoginGuard {
    /// The guard and its hashing threads.
    pub fn new(limits: LoginLimits) -> LoginGuard {
        let (jobs, queue) = mpsc::sync_channel::<Job>(limits.max_waiting);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..limits.concurrent_hashes.max(1) {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("siaga-login-hash-{n}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(%err, "a sign-in hashing thread could not start");
            }
        }
        LoginGuard {
            limits,
            jobs,
            failures: Mutex::new(Failures::default()),
        }
    }

    pub fn limits(&self) -> LoginLimits {
        self.limits
    }

    /// Whether `account` may try to sign in from `address` at `now`.
    pub fn check(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Refusal> {
        let limits = self.limits;
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let live = |strikes: Option<&Strikes>| {
            strikes
                .copied()
                .filter(|s| now.saturating_duration_since(s.last) < limits.window)
        };
        let wait_left =
            |since: Instant, wait: Duration| wait.checked_sub(now.saturating_duration_since(since));
        if let Some(pair) = live(failures.by_pair.get(&(account.to_owned(), address))) {
            if pair.count >= limits.free_failures {
                let doublings = (pair.count - limits.free_failures).min(20);
                let wait = Duration::from_secs(1 << doublings).min(limits.max_delay);
                if let Some(left) = wait_left(pair.last, wait).filter(|d| !d.is_zero()) {
                    return Err(Refusal::Throttled(left));
                }
            }
        }
        if let Some(strikes) = address.and_then(|a| live(failures.by_address.get(&a))) {
            if strikes.count >= limits.address_failures {
                if let Some(left) = wait_left(strikes.last, limits.window).filter(|d| !d.is_zero()) {
                    return Err(Refusal::Throttled(left));
                }
            }
        }
        if let Some(strikes) = live(failures.by_account.get(account)) {
            if strikes.count >= limits.account_failures {
                if let Some(left) = wait_left(strikes.last, limits.account_pace).filter(|d| !d.is_zero()) {
                    return Err(Refusal::Throttled(left));
                }
            }
        }
        Ok(())
    }

    /// Records a failed sign-in.
    pub fn failed(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let window = self.limits.window;
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let strike = |strikes: &mut Strikes| {
            if now.saturating_duration_since(strikes.last) >= window {
                strikes.count = 0;
            }
            strikes.count = strikes.count.saturating_add(1);
            strikes.last = now;
        };
        let fresh = Strikes { count: 0, last: now };
        strike(
            failures
                .by_pair
                .entry((account.to_owned(), address))
                .or_insert(fresh),
        );
        strike(failures.by_account.entry(account.to_owned()).or_insert(fresh));
        if let Some(address) = address {
            strike(failures.by_address.entry(address).or_insert(fresh));
        }
        let total = failures.by_pair.len() + failures.by_account.len() + failures.by_address.len();
        if total > SWEEP_ABOVE {
            let keep = |s: &Strikes| now.saturating_duration_since(s.last) < window;
            failures.by_pair.retain(|_, s| keep(s));
            failures.by_account.retain(|_, s| keep(s));
            failures.by_address.retain(|_, s| keep(s));
        }
    }

    /// Records a successful sign-in: the account's failures are forgotten (the address's stay).
    pub fn succeeded(&self, account: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        failures.by_pair.retain(|(name, _), _| name != account);
        failures.by_account.remove(account);
    }

    /// Queues `hash` (a password check) for a hashing thread, or refuses at once when every waiting
    /// place is taken. The answer comes on the receiver.
    pub fn submit<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, Refusal> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(hash());
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(answered),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Refusal::Busy),
        }
    }

    /// Runs `hash` (a password check) on a hashing thread, or refuses at once when every waiting place
    /// is taken.
    pub async fn hash<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        self.submit(hash)?.await.map_err(|_| Refusal::Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> LoginGuard {
        LoginGuard::new(LoginLimits {
            concurrent_hashes: 1,
            max_waiting: 1,
            ..LoginLimits::default()
        })
    }

    const HERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));
    const THERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)));

    #[test]
    fn failures_slow_an_account_down_doubling_and_a_success_clears_them() {
        let guard = guard();
        let t0 = Instant::now();
        for n in 0..5 {
            assert_eq!(guard.check("budi", HERE, t0), Ok(()), "free failure {n}");
            guard.failed("budi", HERE, t0);
        }
        assert_eq!(
            guard.check("budi", HERE, t0),
            Err(Refusal::Throttled(Duration::from_secs(1)))
        );
        assert_eq!(guard.check("budi", HERE, t0 + Duration::from_secs(1)), Ok(()));
        guard.failed("budi", HERE, t0 + Duration::from_secs(1));
        assert_eq!(
            guard.check("budi", HERE, t0 + Duration::from_secs(2)),
            Err(Refusal::Throttled(Duration::from_secs(1))),
            "the second wait is 2 s"
        );
        assert_eq!(
            guard.check("budi", THERE, t0),
            Ok(()),
            "another address is not slowed by this pair"
        );
        assert_eq!(guard.check("sari", HERE, t0), Ok(()), "nor another account");
        guard.succeeded("budi");
        assert_eq!(guard.check("budi", HERE, t0 + Duration::from_secs(1)), Ok(()));
        // Long after the window, old failures no longer count.
        for _ in 0..5 {
            guard.failed("sari", HERE, t0);
        }
        assert_eq!(
            guard.check("sari", HERE, t0 + Duration::from_secs(16 * 60)),
            Ok(())
        );
    }

    #[test]
    fn the_wait_is_capped() {
        let guard = guard();
        let t0 = Instant::now();
        for _ in 0..60 {
            guard.failed("budi", HERE, t0);
        }
        let Err(Refusal::Throttled(wait)) = guard.check("budi", HERE, t0) else {
            panic!("throttled");
        };
        assert!(wait <= Duration::from_secs(15 * 60), "{wait:?}");
    }

    #[test]
    fn an_address_trying_many_accounts_is_stopped() {
        let guard = guard();
        let t0 = Instant::now();
        for n in 0..30 {
            let account = format!("user{n}");
            assert_eq!(guard.check(&account, HERE, t0), Ok(()));
            guard.failed(&account, HERE, t0);
        }
        assert!(matches!(
            guard.check("anyone", HERE, t0),
            Err(Refusal::Throttled(_))
        ));
        assert_eq!(guard.check("anyone", THERE, t0), Ok(()));
    }

    #[test]
    fn an_account_hammered_from_many_addresses_is_paced_not_locked() {
        let guard = guard();
        let t0 = Instant::now();
        for n in 0..20u8 {
            guard.failed("budi", Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 0, n))), t0);
        }
        assert_eq!(
            guard.check("budi", THERE, t0),
            Err(Refusal::Throttled(Duration::from_secs(5)))
        );
        assert_eq!(guard.check("budi", THERE, t0 + Duration::from_secs(5)), Ok(()));
    }

    #[tokio::test]
    async fn hashes_beyond_the_slots_and_the_queue_are_refused_at_once() {
        let guard = guard();
        let (release, held) = mpsc::channel::<()>();
        let (started, running) = oneshot::channel();
        let first = guard
            .submit(move || {
                let _ = started.send(());
                let _ = held.recv();
                1
            })
            .unwrap();
        running.await.unwrap();
        // The one thread is busy: the second waits in the queue's one place, the third has none.
        let second = guard.submit(|| 2).unwrap();
        assert_eq!(guard.submit(|| 3).err(), Some(Refusal::Busy), "no third place");
        release.send(()).unwrap();
        assert_eq!((first.await.unwrap(), second.await.unwrap()), (1, 2));
        assert_eq!(guard.hash(|| 4).await, Ok(4), "free again");
    }
}
