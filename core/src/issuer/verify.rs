//! Verifying a security code: a window of time steps around the issuer's clock (shifted by the
//! token's remembered drift), replay refused, and drift learned from each accepted code.
//!
//! Every step of the window is computed and compared in constant time, with no early exit, so
//! the time taken does not say which step matched or how many digits were right.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::record::Registered;
use super::{Accepted, IssuerError, MAX_DRIFT_STEPS};
use crate::codes::totp;
use crate::identityguard::{CODE_PERIOD_SECONDS, code_params};

/// Keeps the digits of a typed code (spaces and dashes are ignored), checking the count.
pub(super) fn clean_code(typed: &str, digits: usize) -> Result<Zeroizing<String>, IssuerError> {
    let mut code = Zeroizing::new(String::with_capacity(digits));
    let mut found = 0usize;
    for c in typed.chars() {
        match c {
            '0'..='9' => {
                if found < digits {
                    code.push(c);
                }
                found += 1;
            }
            c if c.is_whitespace() || c == '-' => {}
            _ => return Err(IssuerError::CodeNotDigits),
        }
    }
    if found != digits {
        return Err(IssuerError::CodeLength {
            expected: digits,
            found,
        });
    }
    Ok(code)
}

/// The steps to try, nearest the centre first: `centre, centre-1, centre+1, centre-2, ...`,
/// leaving out steps before the epoch or too far in the future to compute.
pub(super) fn steps_around(centre: i128, window: u8) -> Vec<u64> {
    let mut steps = Vec::with_capacity(2 * usize::from(window) + 1);
    let mut push = |step: i128| {
        if let Ok(step) = u64::try_from(step) {
            steps.push(step);
        }
    };
    push(centre);
    for distance in 1..=i128::from(window) {
        push(centre - distance);
        push(centre + distance);
    }
    steps
}

/// Checks `typed` against `registered` at Unix time `at`; on success returns what was accepted
/// and updates `registered` (last step and drift). On refusal `registered` is left untouched.
pub(super) fn verify_code(
    registered: &mut Registered,
    digits: u8,
    window: u8,
    typed: &str,
    at: u64,
) -> Result<Accepted, IssuerError> {
    let params = code_params(digits)?;
    let code = clean_code(typed, usize::from(digits))?;
    let period = u64::from(CODE_PERIOD_SECONDS);
    let now_step = at / period;
    let centre = i128::from(now_step) + i128::from(registered.drift_steps);

    let mut accepted: Option<u64> = None;
    let mut replayed = false;
    for step in steps_around(centre, window) {
        let Some(time) = step.checked_mul(period) else {
            continue;
        };
        let expected = Zeroizing::new(totp(&registered.secret, &params, time).map_err(|_| {
            IssuerError::Internal {
                reason: "a stored secret or digits setting was refused",
            }
        })?);
        let matches = bool::from(expected.as_bytes().ct_eq(code.as_bytes()));
        let fresh = registered.last_step.is_none_or(|last| step > last);
        match (matches, fresh) {
            (true, true) if accepted.is_none() => accepted = Some(step),
            (true, false) => replayed = true,
            _ => {}
        }
    }

    let Some(step) = accepted else {
        return Err(if replayed {
            IssuerError::CodeAlreadyUsed
        } else {
            IssuerError::CodeNotValidNow
        });
    };
    let offset = i128::from(step) - i128::from(now_step);
    let bound = i128::from(MAX_DRIFT_STEPS);
    registered.last_step = Some(step);
    // Both fit in i64: |offset| is at most MAX_DRIFT_STEPS + MAX_WINDOW_STEPS.
    registered.drift_steps = offset.clamp(-bound, bound) as i64;
    Ok(Accepted {
        step,
        drift_steps: offset as i64,
    })
}

/// Checks two codes typed one after the other (`first`, then `second` from the next step)
/// within `range` steps of the issuer's own clock, ignoring the remembered drift: the RFC 4226
/// section 7.4 resynchronisation for a token whose clock has moved further than the window.
/// Both steps must be unused. On success the second step is the last accepted and the drift is
/// re-learned from it; on refusal `registered` is left untouched.
pub(super) fn resync_codes(
    registered: &mut Registered,
    digits: u8,
    range: u8,
    (first, second): (&str, &str),
    at: u64,
) -> Result<Accepted, IssuerError> {
    let params = code_params(digits)?;
    let first = clean_code(first, usize::from(digits))?;
    let second = clean_code(second, usize::from(digits))?;
    let period = u64::from(CODE_PERIOD_SECONDS);
    let now_step = at / period;
    let code_of = |step: u64| -> Result<Option<Zeroizing<String>>, IssuerError> {
        let Some(time) = step.checked_mul(period) else {
            return Ok(None);
        };
        totp(&registered.secret, &params, time)
            .map(|code| Some(Zeroizing::new(code)))
            .map_err(|_| IssuerError::Internal {
                reason: "a stored secret or digits setting was refused",
            })
    };
    let same = |expected: &Option<Zeroizing<String>>, typed: &Zeroizing<String>| {
        expected
            .as_ref()
            .is_some_and(|e| bool::from(e.as_bytes().ct_eq(typed.as_bytes())))
    };

    let mut accepted: Option<u64> = None;
    let mut replayed = false;
    for step in steps_around(i128::from(now_step), range) {
        let Some(next) = step.checked_add(1) else {
            continue;
        };
        let matches = same(&code_of(step)?, &first) & same(&code_of(next)?, &second);
        let fresh = registered.last_step.is_none_or(|last| step > last);
        match (matches, fresh) {
            (true, true) if accepted.is_none() => accepted = Some(next),
            (true, false) => replayed = true,
            _ => {}
        }
    }

    let Some(step) = accepted else {
        return Err(if replayed {
            IssuerError::CodeAlreadyUsed
        } else {
            IssuerError::CodeNotValidNow
        });
    };
    let offset = i128::from(step) - i128::from(now_step);
    let bound = i128::from(MAX_DRIFT_STEPS);
    registered.last_step = Some(step);
    // Both fit in i64: |offset| is at most MAX_RESYNC_STEPS + 1.
    registered.drift_steps = offset.clamp(-bound, bound) as i64;
    Ok(Accepted {
        step,
        drift_steps: offset as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_go_outward_from_the_centre_and_stop_at_the_epoch() {
        assert_eq!(steps_around(100, 2), vec![100, 99, 101, 98, 102]);
        assert_eq!(steps_around(0, 2), vec![0, 1, 2]);
        assert_eq!(steps_around(5, 0), vec![5]);
        assert_eq!(steps_around(-1, 1), vec![0]);
        let top = i128::from(u64::MAX);
        assert_eq!(steps_around(top, 1), vec![u64::MAX, u64::MAX - 1]);
    }

    #[test]
    fn typed_codes_keep_their_digits_only() {
        assert_eq!(clean_code(" 123 456 ", 6).unwrap().as_str(), "123456");
        assert_eq!(clean_code("1234-5678", 8).unwrap().as_str(), "12345678");
        assert_eq!(
            clean_code("12345", 6).unwrap_err().to_string(),
            "the code must have 6 digits, not 5"
        );
        assert_eq!(
            clean_code("12345a", 6).unwrap_err().to_string(),
            "the code may contain only digits (spaces and dashes are ignored)"
        );
        assert!(matches!(
            clean_code(&"1".repeat(10_000), 6),
            Err(IssuerError::CodeLength { found: 10_000, .. })
        ));
    }
}
