//! The sink against a client speaking raw SMTP over TCP, and its stop on drop.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use tessera_smtp_sink::SmtpSink;

struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(port: u16) -> Self {
        let writer = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut client = Self {
            reader: BufReader::new(writer.try_clone().unwrap()),
            writer,
        };
        assert!(client.reply().starts_with("220 "));
        client
    }

    /// The last line of the reply (multi-line replies have `-` after the code).
    fn reply(&mut self) -> String {
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                return line.trim_end().to_string();
            }
        }
    }

    fn say(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap();
        self.reply()
    }
}

#[test]
fn a_message_is_kept_with_its_envelope() {
    let sink = SmtpSink::start().unwrap();
    let mut client = Client::connect(sink.port());
    assert!(client.say("EHLO test").starts_with("250 "));
    assert!(client.say("RCPT TO:<early@b.c>").starts_with("503 "));
    assert!(
        client
            .say("MAIL FROM:<sender@example.edu>")
            .starts_with("250 ")
    );
    assert!(client.say("DATA").starts_with("503 "));
    assert!(client.say("RCPT TO:<one@example.edu>").starts_with("250 "));
    assert!(client.say("RCPT TO:<two@example.edu>").starts_with("250 "));
    assert!(client.say("DATA").starts_with("354 "));
    assert!(
        client
            .say("Subject: hello\r\n\r\n..dotted\r\nbody\r\n.")
            .starts_with("250 ")
    );
    assert!(client.say("VRFY x").starts_with("502 "));
    assert!(client.say("QUIT").starts_with("221 "));
    let messages = sink.wait_for_messages(1, Duration::from_secs(5)).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].from, "sender@example.edu");
    assert_eq!(messages[0].to, ["one@example.edu", "two@example.edu"]);
    assert_eq!(
        messages[0].data,
        b"Subject: hello\r\n\r\n.dotted\r\nbody\r\n"
    );
}

#[test]
fn waiting_for_more_than_arrived_says_how_many_did() {
    let sink = SmtpSink::start().unwrap();
    let error = sink
        .wait_for_messages(1, Duration::from_millis(50))
        .unwrap_err();
    assert!(
        error.starts_with("the SMTP sink received 0 message(s)"),
        "{error}"
    );
}

#[test]
fn dropping_stops_listening() {
    let sink = SmtpSink::start().unwrap();
    let port = sink.port();
    drop(sink);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}
