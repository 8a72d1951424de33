//! A real SMTP listener for tests: the app's mailer connects to it over TCP
//! and every message is kept for assertions. It can be told to refuse the
//! next messages, to test retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// One received message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Envelope sender.
    pub from: String,
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The raw message (headers and body) as sent.
    pub raw: String,
}

impl Mail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(self.raw.as_bytes()).expect("a parsable message")
    }

    /// A header's decoded value.
    pub fn header(&self, name: &str) -> Option<String> {
        let message = self.parsed();
        message.header(name).map(|value| match value {
            mail_parser::HeaderValue::Text(text) => text.to_string(),
            mail_parser::HeaderValue::TextList(list) => list.join(", "),
            other => format!("{other:?}"),
        })
    }

    /// The raw header line's value (undecoded), e.g. for `List-Unsubscribe`.
    pub fn raw_header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    /// The decoded subject.
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    /// The decoded plain-text part.
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// The decoded HTML part.
    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// Every `http(s)://` link in the text part.
    pub fn links(&self) -> Vec<String> {
        self.text()
            .split_whitespace()
            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
            .map(|w| w.trim_end_matches(['.', ',', ')', '>']).to_owned())
            .collect()
    }

    /// The first link whose path contains `fragment`.
    pub fn link_containing(&self, fragment: &str) -> String {
        self.links()
            .into_iter()
            .find(|l| l.contains(fragment))
            .unwrap_or_else(|| panic!("no link with {fragment} in:\n{}", self.text()))
    }
}

/// The listener and everything it received.
#[derive(Clone)]
pub struct SmtpServer {
    /// Port it listens on (127.0.0.1).
    pub port: u16,
    received: Arc<Mutex<Vec<Mail>>>,
    refuse_next: Arc<AtomicUsize>,
    arrived: Arc<Notify>,
}

impl SmtpServer {
    /// Start listening on a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let server = Self {
            port: listener.local_addr().expect("address").port(),
            received: Arc::default(),
            refuse_next: Arc::default(),
            arrived: Arc::new(Notify::new()),
        };
        let handle = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handle = handle.clone();
                tokio::spawn(async move {
                    let _ = handle.session(stream).await;
                });
            }
        });
        server
    }

    /// Refuse the next `count` messages with a temporary error (451).
    pub fn refuse_next(&self, count: usize) {
        self.refuse_next.store(count, Ordering::SeqCst);
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Mail> {
        self.received.lock().expect("lock").clone()
    }

    /// Messages to one address.
    pub fn messages_to(&self, address: &str) -> Vec<Mail> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address))).collect()
    }

    /// Wait (up to 10 s) until `count` messages have reached `address`; returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Mail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.messages_to(address);
            if found.len() >= count {
                return found;
            }
            let notified = self.arrived.notified();
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let found = self.messages_to(address);
                assert!(found.len() >= count, "expected {count} message(s) to {address}, got {}", found.len());
                return found;
            }
        }
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.smtp ESMTP ready\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                write.write_all(b"250-test.smtp\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n").await?;
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                write.write_all(b"250 ok\r\n").await?;
            } else if upper.starts_with("RSET") {
                from.clear();
                to.clear();
                write.write_all(b"250 ok\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = address_in(&command);
                write.write_all(b"250 ok\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(address_in(&command));
                write.write_all(b"250 ok\r\n").await?;
            } else if upper == "DATA" {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut raw = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    raw.push_str(unstuffed);
                }
                let refuse =
                    self.refuse_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                if refuse {
                    write.write_all(b"451 try again later\r\n").await?;
                } else {
                    self.received.lock().expect("lock").push(Mail { from: from.clone(), to: to.clone(), raw });
                    self.arrived.notify_waiters();
                    write.write_all(b"250 queued\r\n").await?;
                }
                to.clear();
            } else if upper == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }
}

fn address_in(command: &str) -> String {
    command.split_once('<').and_then(|(_, rest)| rest.split_once('>')).map(|(a, _)| a.to_owned()).unwrap_or_default()
}
