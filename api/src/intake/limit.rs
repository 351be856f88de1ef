//! How often one address may submit without an API key: a sliding window
//! per IP address, held in memory by each replica (a replica behind a
//! balancer sees only its share, so the limit is per replica).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

/// Past this many tracked addresses, those with no hit in the window go.
const PRUNE_AT: usize = 10_000;

pub struct Limiter {
    per_window: usize,
    window_ms: i64,
    hits: Mutex<HashMap<IpAddr, VecDeque<i64>>>,
}

impl Limiter {
    #[must_use]
    pub fn new(per_window: u32, window_ms: i64) -> Self {
        Self {
            per_window: per_window as usize,
            window_ms,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a submission from `ip` at `now`, or says in how many seconds
    /// the next one will be taken.
    pub fn admit(&self, ip: IpAddr, now: i64) -> Result<(), u64> {
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let since = now - self.window_ms;
        if hits.len() >= PRUNE_AT {
            hits.retain(|_, h| h.back().is_some_and(|&t| t > since));
        }
        let h = hits.entry(ip).or_default();
        while h.front().is_some_and(|&t| t <= since) {
            h.pop_front();
        }
        if h.len() >= self.per_window {
            let oldest = h.front().copied().unwrap_or(now);
            let wait_ms = (oldest + self.window_ms - now).max(1);
            return Err(u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000));
        }
        h.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_to_its_window_and_others_are_not() {
        let l = Limiter::new(2, 1_000);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(l.admit(a, 0), Ok(()));
        assert_eq!(l.admit(a, 100), Ok(()));
        assert_eq!(l.admit(a, 200), Err(1));
        assert_eq!(l.admit(b, 200), Ok(()));
        // The first hit leaves the window at 1,000 ms.
        assert_eq!(l.admit(a, 1_000), Ok(()));
        assert_eq!(l.admit(a, 1_050), Err(1));
    }

    #[test]
    fn a_zero_limit_refuses_everything() {
        let l = Limiter::new(0, 60_000);
        assert_eq!(l.admit("::1".parse().unwrap(), 5), Err(60));
    }
}
