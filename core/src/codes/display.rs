//! How a code is shown: digits grouped for reading aloud, and the time window a TOTP code
//! belongs to (for countdowns). Shells call these rather than deciding grouping or arithmetic
//! themselves.

use super::CodeError;

/// Splits a decimal code into groups for reading:
///
/// | digits | grouping        |
/// |--------|-----------------|
/// | 6      | `123 456`       |
/// | 7      | `123 4567` (the shorter group first) |
/// | 8      | `1234 5678`     |
/// | 9      | `123 456 789`   |
/// | 10     | `12345 67890`   |
///
/// Anything else is returned unchanged: codes of other lengths (OCRA's 4 or 5 digits), Steam
/// Guard codes (they contain letters), OCRA's untruncated hex output, and any text that is not
/// all ASCII digits.
pub fn group_code(code: &str) -> String {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return code.to_owned();
    }
    let groups: &[usize] = match code.len() {
        6 => &[3, 3],
        7 => &[3, 4],
        8 => &[4, 4],
        9 => &[3, 3, 3],
        10 => &[5, 5],
        _ => return code.to_owned(),
    };
    let mut grouped = String::with_capacity(code.len() + groups.len());
    let mut rest = code;
    for (index, &size) in groups.iter().enumerate() {
        if index > 0 {
            grouped.push(' ');
        }
        // All bytes are ASCII digits, so every index is a character boundary.
        let (group, tail) = rest.split_at(size.min(rest.len()));
        grouped.push_str(group);
        rest = tail;
    }
    grouped
}

/// The period a moment falls in, for a countdown beside a TOTP code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeWindow {
    /// The TOTP counter: whole periods since the Unix epoch.
    pub counter: u64,
    /// First second of the window (Unix time).
    pub valid_from: u64,
    /// First second after the window (exclusive). Saturates at `u64::MAX` in the last window
    /// representable.
    pub valid_until: u64,
    /// Seconds until the code changes: from `period` (at the window's first second) down to 1.
    pub seconds_left: u32,
}

/// The window of `period` seconds that `unix_time` falls in.
///
/// Any period of at least one second is accepted (OCRA time steps reach 48 hours); a period of 0
/// is refused with [`CodeError::ZeroPeriod`] rather than dividing by zero.
pub fn time_window(unix_time: u64, period: u32) -> Result<TimeWindow, CodeError> {
    if period == 0 {
        return Err(CodeError::ZeroPeriod);
    }
    let step = u64::from(period);
    let counter = unix_time / step;
    let into_window = unix_time % step;
    let valid_from = unix_time - into_window;
    // into_window < period, so the difference is in 1..=period and fits in u32.
    let seconds_left = period - u32::try_from(into_window).unwrap_or(period - 1);
    Ok(TimeWindow {
        counter,
        valid_from,
        valid_until: valid_from.saturating_add(step),
        seconds_left,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_for_reading() {
        assert_eq!(group_code("123456"), "123 456");
        assert_eq!(group_code("1234567"), "123 4567");
        assert_eq!(group_code("12345678"), "1234 5678");
        assert_eq!(group_code("123456789"), "123 456 789");
        assert_eq!(group_code("1234567890"), "12345 67890");
        assert_eq!(group_code("000000"), "000 000");
    }

    #[test]
    fn other_text_is_left_alone() {
        for text in [
            "",
            "1234",
            "12345",
            "BJ3MJ",
            "23456",
            "12345678901",
            "12a456",
            "123 456",
            "١٢٣٤٥٦",
            "7110eda4d09e062aa5e4a390b0a572ac0d2c0220",
        ] {
            assert_eq!(group_code(text), text);
        }
    }

    #[test]
    fn window_of_a_moment() {
        assert_eq!(
            time_window(59, 30).unwrap(),
            TimeWindow {
                counter: 1,
                valid_from: 30,
                valid_until: 60,
                seconds_left: 1
            }
        );
        assert_eq!(
            time_window(60, 30).unwrap(),
            TimeWindow {
                counter: 2,
                valid_from: 60,
                valid_until: 90,
                seconds_left: 30
            }
        );
        assert_eq!(
            time_window(0, 1).unwrap(),
            TimeWindow {
                counter: 0,
                valid_from: 0,
                valid_until: 1,
                seconds_left: 1
            }
        );
        // A two-day OCRA step.
        let window = time_window(1_206_446_790, 48 * 3600).unwrap();
        assert_eq!(window.counter, 1_206_446_790 / 172_800);
        assert_eq!(
            u64::from(window.seconds_left),
            window.valid_until - 1_206_446_790
        );
    }

    #[test]
    fn the_end_of_time_does_not_overflow() {
        let window = time_window(u64::MAX, 30).unwrap();
        assert_eq!(window.counter, u64::MAX / 30);
        assert_eq!(window.valid_until, u64::MAX);
        assert!(window.seconds_left >= 1 && window.seconds_left <= 30);
        let window = time_window(u64::MAX, u32::MAX).unwrap();
        assert!(window.seconds_left >= 1);
    }

    #[test]
    fn zero_period_is_refused() {
        assert_eq!(time_window(100, 0), Err(CodeError::ZeroPeriod));
        assert_eq!(
            CodeError::ZeroPeriod.to_string(),
            "the period must be at least 1 second, not 0"
        );
    }
}
