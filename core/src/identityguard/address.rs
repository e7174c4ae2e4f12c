//! An identity's default name, taken from the host of the address an activation carries.
//!
//! The spec says the name "is filled from the address's host when the user has not typed one".
//! Addresses come as `myid.example.edu/igst` (no scheme) as often as full URLs, so this reads
//! both without a URL parser's strictness and returns `None` rather than a guess.

/// The host of `address`, lower-cased, as an identity's default name.
///
/// `myid.example.edu/igst` gives `myid.example.edu`; `https://user@Host.example:443/path?q`
/// gives `host.example`; `[2001:db8::1]:8443/x` gives `[2001:db8::1]` (brackets kept, as URLs
/// write IPv6 hosts). `None` when there is no host or it holds characters no host name has.
pub fn name_from_address(address: &str) -> Option<String> {
    let text = address.trim();
    let after_scheme = match text.find("://") {
        Some(index) => text.get(index + 3..)?,
        None => text.strip_prefix("//").unwrap_or(text),
    };
    let authority_end = after_scheme
        .find(['/', '?', '#', '\\'])
        .unwrap_or(after_scheme.len());
    let authority = after_scheme.get(..authority_end)?;
    let host_and_port = match authority.rfind('@') {
        Some(index) => authority.get(index + 1..)?,
        None => authority,
    };

    let host = if host_and_port.starts_with('[') {
        let end = host_and_port.find(']')?;
        let host = host_and_port.get(..=end)?;
        let inner = host.get(1..end)?;
        let ipv6_char = |c: char| c.is_ascii_hexdigit() || matches!(c, ':' | '.');
        if !inner.contains(':') || !inner.chars().all(ipv6_char) {
            return None;
        }
        host
    } else {
        let host = match host_and_port.find(':') {
            Some(index) => host_and_port.get(..index)?,
            None => host_and_port,
        };
        let host = host.strip_suffix('.').unwrap_or(host);
        let host_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '.' | '_');
        if host.is_empty() || !host.chars().all(host_char) || host.starts_with('.') {
            return None;
        }
        host
    };
    Some(host.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_found_in_common_address_forms() {
        for (address, name) in [
            ("myid.example.edu/igst", "myid.example.edu"),
            ("myid.example.edu", "myid.example.edu"),
            (
                "https://myid.example.edu:443/igst/activate",
                "myid.example.edu",
            ),
            ("HTTPS://MyID.Example.EDU/", "myid.example.edu"),
            ("https://alice@myid.example.edu/igst", "myid.example.edu"),
            ("alice:pw@myid.example.edu:8443", "myid.example.edu"),
            ("//myid.example.edu/igst", "myid.example.edu"),
            ("myid.example.edu?x=1", "myid.example.edu"),
            ("myid.example.edu./igst", "myid.example.edu"),
            ("https://[2001:db8::1]:8443/igst", "[2001:db8::1]"),
            ("[::1]", "[::1]"),
            ("localhost:8080/igst", "localhost"),
            ("  bücher.example/igst ", "bücher.example"),
            ("10.0.0.1/igst", "10.0.0.1"),
        ] {
            assert_eq!(
                name_from_address(address).as_deref(),
                Some(name),
                "{address}"
            );
        }
    }

    #[test]
    fn no_host_gives_none() {
        for address in [
            "",
            "   ",
            "/igst",
            "https://",
            "https:///path",
            "user@",
            ":443/igst",
            "[::1",
            "[not ipv6]",
            "my id.example.edu",
            "a<b>.example",
            ".",
            "..example",
        ] {
            assert_eq!(name_from_address(address), None, "{address:?}");
        }
    }
}
