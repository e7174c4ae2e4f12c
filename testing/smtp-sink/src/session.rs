//! One SMTP conversation (RFC 5321), the server's side, as far as a test's client needs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::PoisonError;
use std::time::Duration;

use crate::{Inbox, Received};

/// A client silent this long is dropped (a test never waits that long on purpose).
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// Talks with the client on `stream` until it quits or goes away; messages go to `inbox`.
pub fn serve(stream: TcpStream, inbox: &Inbox) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE_LIMIT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    writer.write_all(b"220 tessera-smtp-sink ready\r\n")?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-tessera-smtp-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                (from, to) = (None, Vec::new());
                b"250 OK\r\n"
            }
            "MAIL" => match path_after(line, "FROM:") {
                Some(sender) => {
                    (from, to) = (Some(sender), Vec::new());
                    b"250 OK\r\n"
                }
                None => b"501 Syntax: MAIL FROM:<address>\r\n",
            },
            "RCPT" if from.is_none() => b"503 MAIL first\r\n",
            "RCPT" => match path_after(line, "TO:") {
                Some(recipient) => {
                    to.push(recipient);
                    b"250 OK\r\n"
                }
                None => b"501 Syntax: RCPT TO:<address>\r\n",
            },
            "DATA" if to.is_empty() => b"503 RCPT first\r\n",
            "DATA" => {
                writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let data = read_data(&mut reader)?;
                inbox
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Received {
                        from: from.take().unwrap_or_default(),
                        to: std::mem::take(&mut to),
                        data,
                    });
                b"250 OK: queued\r\n"
            }
            "QUIT" => {
                writer.write_all(b"221 Bye\r\n")?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        writer.write_all(answer)?;
    }
}

/// The address in `MAIL FROM:<a>` or `RCPT TO:<a>` (parameters after it ignored).
fn path_after(line: &str, keyword: &str) -> Option<String> {
    let rest = line.get(5..)?.trim_start();
    if !rest.to_ascii_uppercase().starts_with(keyword) {
        return None;
    }
    let rest = rest.get(keyword.len()..)?.trim_start();
    let inside = rest.strip_prefix('<')?;
    let end = inside.find('>')?;
    Some(inside[..end].to_string())
}

/// The lines up to a lone `.`, each with its CRLF, a leading dot of each undone.
fn read_data(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the client went away during DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        data.extend_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_with_or_without_space_and_parameters() {
        assert_eq!(
            path_after("MAIL FROM:<a@b.c>", "FROM:").as_deref(),
            Some("a@b.c")
        );
        assert_eq!(
            path_after("mail from: <a@b.c> SIZE=10", "FROM:").as_deref(),
            Some("a@b.c")
        );
        assert_eq!(path_after("MAIL FROM:<>", "FROM:").as_deref(), Some(""));
        assert_eq!(
            path_after("RCPT TO:<x@y.z>", "TO:").as_deref(),
            Some("x@y.z")
        );
        assert_eq!(path_after("MAIL FROM:a@b.c", "FROM:"), None);
        assert_eq!(path_after("MAIL TO:<a@b.c>", "FROM:"), None);
    }

    #[test]
    fn data_ends_at_a_lone_dot_and_is_unstuffed() {
        let mut input: &[u8] = b"Subject: x\r\n\r\n..leading dot\r\nplain\r\n.\r\nafter\r\n";
        let data = read_data(&mut input).unwrap();
        assert_eq!(data, b"Subject: x\r\n\r\n.leading dot\r\nplain\r\n");
    }
}
