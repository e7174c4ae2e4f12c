//! A local SMTP receiver for tests only (a dev-dependency): it listens on a free port of
//! 127.0.0.1, speaks just enough SMTP for a client to hand it messages (EHLO or HELO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH) and keeps each message with its envelope.
//! Dropping it stops listening and ends its threads.
//!
//! A hand-written receiver rather than an embeddable SMTP server crate: the one that fits
//! (mailin-embedded) always brings rustls with its default aws-lc provider, which would change
//! the TLS provider of the server under test.
//!
//! ```no_run
//! let sink = tessera_smtp_sink::SmtpSink::start()?;
//! // ... send to 127.0.0.1:sink.port() without TLS ...
//! let messages = sink.wait_for_messages(1, std::time::Duration::from_secs(10))?;
//! assert_eq!(messages[0].to, ["alice@example.edu"]);
//! # Ok::<(), String>(())
//! ```

mod session;

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One message as it was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope sender (`MAIL FROM`), without the angle brackets.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), in order, without the angle brackets.
    pub to: Vec<String>,
    /// The message (headers and body) as sent after `DATA`, dot-stuffing undone, lines ending
    /// in CRLF.
    pub data: Vec<u8>,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A running receiver; stopped when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    port: u16,
    inbox: Inbox,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts listening on a free loopback port.
    pub fn start() -> Result<Self, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| format!("the SMTP sink could not listen on loopback: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("the SMTP sink has no address: {e}"))?
            .port();
        let inbox = Inbox::default();
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (inbox, stopping) = (inbox.clone(), stopping.clone());
            std::thread::spawn(move || accept(&listener, &inbox, &stopping))
        };
        Ok(Self {
            port,
            inbox,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until at least `count` messages have arrived, at most `timeout`; all of them.
    pub fn wait_for_messages(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Received>, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return Ok(messages);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the SMTP sink received {} message(s) in {timeout:?}, not {count}",
                    messages.len()
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the acceptor blocked in accept(), which then sees `stopping`.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept(listener: &TcpListener, inbox: &Inbox, stopping: &AtomicBool) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let inbox = inbox.clone();
        // One thread per client; each ends when its client quits or disconnects.
        std::thread::spawn(move || {
            if let Err(error) = session::serve(stream, &inbox) {
                eprintln!("tessera-smtp-sink: a session failed: {error}");
            }
        });
    }
}
