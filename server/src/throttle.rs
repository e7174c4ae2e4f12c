//! Throttling of guesses (RFC 4226 section 7.3): consecutive failures of one user's factor
//! (password, answer, token code) first cost nothing, then make each next attempt wait a
//! doubling delay, and at the limit lock the factor for a while. The counts live in the
//! database (`database::failures`), so they hold across sessions, restarts and servers; this
//! module is the policy that reads them.

use std::fmt;

/// What is throttled: one way a user proves who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    /// The user's password.
    Password,
    /// The answer to a challenge question.
    Answer,
    /// A security code of one of the user's tokens.
    Code,
}

impl Factor {
    /// The name kept in the database and used as the JSON field.
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Password => "password",
            Factor::Answer => "answer",
            Factor::Code => "code",
        }
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The limits (`serve --free-failures`, `--delay-seconds`, `--lock-after`, `--lock-seconds`
/// or the configuration file's `[throttle]` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Consecutive failures of a factor that cost no delay.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones, in seconds; it doubles with
    /// each further failure.
    pub delay_seconds: u64,
    /// Consecutive failures of a factor that lock it (at least 1).
    pub lock_after: u32,
    /// How long a lock lasts, in seconds; then the count starts again.
    pub lock_seconds: u64,
}

/// A factor's stored count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Consecutive failures.
    pub failures: i64,
    /// When the last one was, Unix milliseconds.
    pub last_failure_ms: i64,
    /// Until when the factor is locked, Unix milliseconds; 0 when it is not.
    pub locked_until_ms: i64,
}

/// Why an attempt is not even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The delay after the last failure is still running.
    Delayed {
        /// Seconds left, rounded up.
        retry_in_seconds: u64,
    },
    /// The factor is locked.
    Locked {
        /// Failures that locked it.
        failures: i64,
        /// Seconds left, rounded up.
        retry_in_seconds: u64,
    },
}

fn seconds_until(until_ms: i64, now_ms: i64) -> u64 {
    u64::try_from(until_ms.saturating_sub(now_ms))
        .unwrap_or(0)
        .div_ceil(1000)
}

impl Policy {
    /// Whether an attempt may be checked now, given the factor's stored count.
    pub fn check(&self, count: Option<Count>, now_ms: i64) -> Result<(), Refusal> {
        let Some(count) = count else {
            return Ok(());
        };
        if count.locked_until_ms != 0 {
            if count.locked_until_ms > now_ms {
                return Err(Refusal::Locked {
                    failures: count.failures,
                    retry_in_seconds: seconds_until(count.locked_until_ms, now_ms),
                });
            }
            // The lock is over: the count starts again (the next failure stores 1).
            return Ok(());
        }
        let delay = self.delay_ms_after(count.failures);
        let allowed_at = count.last_failure_ms.saturating_add(delay);
        // Without a delay nothing waits, even for a failure stamped by a parallel request
        // whose clock reading came after this one's.
        if delay > 0 && allowed_at > now_ms {
            return Err(Refusal::Delayed {
                retry_in_seconds: seconds_until(allowed_at, now_ms),
            });
        }
        Ok(())
    }

    /// The delay after `failures` consecutive failures, in milliseconds: none for the free
    /// ones, then `delay_seconds` doubling each time, never more than a lock.
    pub fn delay_ms_after(&self, failures: i64) -> i64 {
        let beyond = failures.saturating_sub(i64::from(self.free_failures));
        if beyond <= 0 {
            return 0;
        }
        let doublings = u32::try_from(beyond - 1).unwrap_or(u32::MAX).min(62);
        let delay = self
            .delay_seconds
            .saturating_mul(1000)
            .saturating_mul(1u64 << doublings)
            .min(self.lock_seconds.saturating_mul(1000));
        i64::try_from(delay).unwrap_or(i64::MAX)
    }

    /// Until when `failures` consecutive failures lock the factor, if they do.
    pub fn locked_until_ms(&self, failures: i64, now_ms: i64) -> Option<i64> {
        (failures >= i64::from(self.lock_after)).then(|| {
            now_ms.saturating_add(
                i64::try_from(self.lock_seconds.saturating_mul(1000)).unwrap_or(i64::MAX),
            )
        })
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            free_failures: 3,
            delay_seconds: 1,
            lock_after: 10,
            lock_seconds: 900,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn count(failures: i64, last_failure_ms: i64, locked_until_ms: i64) -> Option<Count> {
        Some(Count {
            failures,
            last_failure_ms,
            locked_until_ms,
        })
    }

    #[test]
    fn delays_double_after_the_free_failures_and_never_exceed_a_lock() {
        let policy = Policy::default();
        let delays: Vec<i64> = (0..=9).map(|n| policy.delay_ms_after(n)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000]);
        assert_eq!(policy.delay_ms_after(100), 900_000);
        assert_eq!(policy.locked_until_ms(9, NOW), None);
        assert_eq!(policy.locked_until_ms(10, NOW), Some(NOW + 900_000));
    }

    #[test]
    fn an_attempt_waits_for_the_delay_and_the_lock() {
        let policy = Policy::default();
        assert_eq!(policy.check(None, NOW), Ok(()));
        assert_eq!(policy.check(count(3, NOW, 0), NOW), Ok(()));
        assert_eq!(
            policy.check(count(3, NOW + 5, 0), NOW),
            Ok(()),
            "a later stamp"
        );
        assert_eq!(
            policy.check(count(5, NOW - 500, 0), NOW),
            Err(Refusal::Delayed {
                retry_in_seconds: 2
            })
        );
        assert_eq!(policy.check(count(5, NOW - 2000, 0), NOW), Ok(()));
        assert_eq!(
            policy.check(count(10, NOW, NOW + 899_001), NOW),
            Err(Refusal::Locked {
                failures: 10,
                retry_in_seconds: 900
            })
        );
        assert_eq!(policy.check(count(10, NOW, NOW - 1), NOW), Ok(()));
    }
}
