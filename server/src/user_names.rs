//! The rule for a user's name: what an organisation's logins look like, and nothing that could
//! confuse a log line or a path (control characters, surrounding spaces, `/`).

/// Most characters in a name.
pub const MAX_NAME_CHARS: usize = 128;

/// `None` when `name` is acceptable, else what is wrong with it.
pub fn problem(name: &str) -> Option<String> {
    let length = name.chars().count();
    if length == 0 {
        return Some("is empty".into());
    }
    if length > MAX_NAME_CHARS {
        return Some(format!("has {length} characters, at most {MAX_NAME_CHARS}"));
    }
    if name.trim() != name {
        return Some("starts or ends with a space".into());
    }
    if name.chars().any(|c| c.is_control() || c == '/') {
        return Some("contains a control character or a slash".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_pass_and_odd_names_are_refused() {
        assert_eq!(problem("alice"), None);
        assert_eq!(problem("a.lice@example.edu"), None);
        assert_eq!(problem("").as_deref(), Some("is empty"));
        assert_eq!(
            problem(" alice").as_deref(),
            Some("starts or ends with a space")
        );
        assert!(problem("al/ice").is_some());
        assert!(problem("al\nice").is_some());
        assert!(problem(&"a".repeat(129)).unwrap().contains("at most 128"));
    }
}
