//! The activation e-mail: the `igmobileotp://` link and what to do with it, in plain text. The
//! link's password is never in it (the page shows it), so the message alone activates nothing.

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;

use super::MailError;

/// The subject of every activation e-mail.
pub const ACTIVATION_SUBJECT: &str = "Activate your soft token";

/// The message from `from` to `to` carrying `link` for `user`.
pub fn activation(from: &Mailbox, to: &str, user: &str, link: &str) -> Result<Message, MailError> {
    let to = to
        .trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::InvalidAddress {
            reason: e.to_string(),
        })?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(ACTIVATION_SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(activation_text(user, link))
        .map_err(|e| MailError::Compose {
            reason: e.to_string(),
        })
}

fn activation_text(user: &str, link: &str) -> String {
    format!(
        "Hello {user},\n\
         \n\
         You asked for a soft token for second-factor authentication. To activate it, open this\n\
         link on the phone or computer where Tessera (or another IdentityGuard-compatible soft\n\
         token) is installed, or copy it into the token's \"Add a token\" screen:\n\
         \n\
         {link}\n\
         \n\
         The token then asks for the link's password. It is shown on the activation page only,\n\
         never sent by e-mail, so this message alone cannot activate a token.\n\
         \n\
         Then type the registration code the token shows into the activation page.\n\
         \n\
         If you did not ask for a soft token, tell your help desk.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "igmobileotp://?action=secactivate&enc=AAEC&v=1&mac=AAEC";

    #[test]
    fn the_message_carries_the_link_to_the_recipient() {
        let from: Mailbox = "Tessera <tessera@example.edu>".parse().unwrap();
        let message = activation(&from, " alice@example.edu ", "alice", LINK).unwrap();
        let envelope = message.envelope();
        assert_eq!(envelope.from().unwrap().to_string(), "tessera@example.edu");
        assert_eq!(envelope.to()[0].to_string(), "alice@example.edu");
        let text = activation_text("alice", LINK);
        assert!(text.starts_with("Hello alice,\n"), "{text}");
        assert!(text.contains(&format!("\n{LINK}\n")), "{text}");
    }

    #[test]
    fn a_recipient_that_is_no_address_is_refused() {
        let from: Mailbox = "tessera@example.edu".parse().unwrap();
        for to in ["", "alice", "alice@", "a b@example.edu"] {
            let error = activation(&from, to, "alice", LINK).unwrap_err();
            assert!(
                matches!(error, MailError::InvalidAddress { .. }),
                "{to:?}: {error:?}"
            );
            assert!(
                error
                    .to_string()
                    .starts_with("this is not an e-mail address"),
                "{error}"
            );
        }
    }
}
