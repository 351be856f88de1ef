//! How long to wait before trying again: doubling from 2 s to 5 min, each
//! wait drawn between half and all of that, so a village's phones coming
//! back into coverage together do not all knock at once. The server's
//! `Retry-After` is a floor. Pure: the jitter comes from a seed (the device
//! and a counter), not from a random source.

/// The first wait after a failure.
pub const FIRST_MS: u64 = 2_000;
/// The longest wait.
pub const CAP_MS: u64 = 300_000;

pub fn mix(mut z: u64) -> u64 {
    // splitmix64's finaliser: a few multiplications spread every input bit.
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seed from text (a device id), so two phones draw different waits.
#[must_use]
pub fn seed_of(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The wait after `failures` failures in a row (1 for the first).
#[must_use]
pub fn delay_ms(failures: u32, seed: u64, retry_after_s: Option<u64>) -> u64 {
    let doublings = failures.saturating_sub(1).min(16);
    let ceiling = (FIRST_MS << doublings).min(CAP_MS);
    let half = ceiling / 2;
    let drawn = half + mix(seed ^ u64::from(failures)) % (half + 1);
    let floor = retry_after_s.map_or(0, |s| s.saturating_mul(1000));
    drawn.max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_with_jitter_inside_the_bounds() {
        for failures in 1..30 {
            let ceiling = (FIRST_MS << (failures - 1).min(16)).min(CAP_MS);
            for seed in 0..50 {
                let d = delay_ms(failures, seed, None);
                assert!(d >= ceiling / 2 && d <= ceiling, "{failures} {seed} {d}");
            }
        }
        // Phones differ.
        let draws: std::collections::BTreeSet<u64> = (0..20)
            .map(|s| delay_ms(5, seed_of(&format!("device-{s}")), None))
            .collect();
        assert!(draws.len() > 10, "{draws:?}");
    }

    #[test]
    fn retry_after_is_a_floor() {
        assert_eq!(delay_ms(1, 7, Some(30)), 30_000);
        assert!(delay_ms(12, 7, Some(1)) >= CAP_MS / 2);
    }
}
