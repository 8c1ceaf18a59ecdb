//! An in-process SMTP server on a loopback port for the tests: speaks EHLO/HELO,
//! MAIL, RCPT, DATA, RSET, NOOP and QUIT, and keeps every accepted message raw.
//! It can answer 4xx to every transaction ("SMTP down"), answer a chosen reply
//! (e.g. `550 5.1.1 no such user`) to RCPT TO for a chosen address, and be
//! stopped and started again on the same port. For crash tests it can hold each
//! message's `250` for a while (so that a client killed meanwhile has mails on
//! the wire), be awaited until it has a number of messages, and until every
//! client connection has ended.
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader, ReadBuf},
    net::{TcpListener, TcpStream, tcp::OwnedReadHalf},
    sync::watch,
    task::JoinHandle,
};

#[derive(Debug, Clone)]
#[allow(dead_code)] // fields for the scenarios that need them
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    down: Mutex<bool>,
    /// Address → the reply its RCPT TO gets instead of `250`.
    rejections: Mutex<HashMap<String, String>>,
    /// How long a message's `250` waits after the message is kept.
    answer_delay: Mutex<Duration>,
    /// How many messages are kept, for waiting on.
    count: watch::Sender<usize>,
    /// How many client connections are open.
    sessions: watch::Sender<usize>,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let addr = listener.local_addr().expect("sink addr");
        let shared = Arc::new(Shared::default());
        let server = Some(tokio::spawn(serve(listener, shared.clone())));
        Self {
            addr,
            shared,
            server,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("lock").clone()
    }

    #[allow(dead_code)]
    pub fn clear(&self) {
        self.shared.received.lock().expect("lock").clear();
        self.shared.count.send_replace(0);
    }

    /// While down, every MAIL FROM is answered `451` (and new connections `421`).
    pub fn set_down(&self, down: bool) {
        *self.shared.down.lock().expect("lock") = down;
    }

    /// From now on, `RCPT TO:<address>` is answered `reply` (a full SMTP reply
    /// line without CRLF, e.g. `550 5.1.1 no such user`).
    #[allow(dead_code)]
    pub fn reject_recipient(&self, address: &str, reply: &str) {
        self.shared
            .rejections
            .lock()
            .expect("lock")
            .insert(address.to_owned(), reply.to_owned());
    }

    /// From now on, each message's `250` is sent `delay` after the message is
    /// kept: a client that dies meanwhile has delivered it without knowing.
    #[allow(dead_code)]
    pub fn set_answer_delay(&self, delay: Duration) {
        *self.shared.answer_delay.lock().expect("lock") = delay;
    }

    /// How many messages have been kept.
    #[allow(dead_code)]
    pub fn received_count(&self) -> usize {
        *self.shared.count.borrow()
    }

    /// Waits until at least `count` messages have been kept.
    #[allow(dead_code)]
    pub async fn wait_for_count(&self, count: usize) {
        let mut counts = self.shared.count.subscribe();
        let _ = counts.wait_for(|kept| *kept >= count).await;
    }

    /// Waits until no client connection is open (e.g. a killed client's
    /// connections have been read to their end), so nothing more can arrive
    /// from it.
    #[allow(dead_code)]
    pub async fn wait_idle(&self) {
        let mut sessions = self.shared.sessions.subscribe();
        let _ = sessions.wait_for(|open| *open == 0).await;
    }

    /// Accepts every recipient again.
    #[allow(dead_code)]
    pub fn accept_all_recipients(&self) {
        self.shared.rejections.lock().expect("lock").clear();
    }

    /// Closes the listener and every open connection.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&mut self) {
        self.stop();
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => break listener,
                Err(error) if tries < 50 => {
                    tries += 1;
                    let _ = error;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(error) => panic!("rebind {}: {error}", self.addr),
            }
        };
        self.server = Some(tokio::spawn(serve(listener, self.shared.clone())));
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        connections.spawn(session(stream, shared.clone()));
        // Reap finished sessions; the set aborts the rest when this task is aborted.
        while connections.try_join_next().is_some() {}
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let _open = OpenSession::new(shared.clone());
    let _ = session_inner(stream, shared).await;
}

/// Counts a connection as open while it lives, also when its task is aborted.
struct OpenSession(Arc<Shared>);

impl OpenSession {
    fn new(shared: Arc<Shared>) -> Self {
        shared.sessions.send_modify(|open| *open += 1);
        Self(shared)
    }
}

impl Drop for OpenSession {
    fn drop(&mut self) {
        self.0.sessions.send_modify(|open| *open -= 1);
    }
}

/// The read half, acknowledging every read at once. Otherwise the kernel delays
/// the ACK of a message's last segment (40 ms on Linux), and the client's Nagle
/// holds the final `.` until then: a fixed wait per message that throttles a
/// one-at-a-time sender far more than a concurrent one, whatever either does.
struct QuickAck(OwnedReadHalf);

impl AsyncRead for QuickAck {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = std::pin::Pin::new(&mut self.0).poll_read(cx, buf);
        if buf.filled().len() > before {
            // Re-armed after each read: the kernel leaves quick-ACK mode on its own.
            #[cfg(target_os = "linux")]
            let _ = socket2::SockRef::from(self.0.as_ref()).set_tcp_quickack(true);
        }
        poll
    }
}

async fn session_inner(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::with_capacity(64 * 1024, QuickAck(read));
    if *shared.down.lock().expect("lock") {
        write
            .write_all(b"421 4.3.2 sink down, try later\r\n")
            .await?;
        return Ok(());
    }
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 sink.test\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            if *shared.down.lock().expect("lock") {
                write
                    .write_all(b"451 4.3.0 temporarily unavailable\r\n")
                    .await?;
                continue;
            }
            mail_from = command[10..].trim().to_owned();
            rcpt_to.clear();
            write.write_all(b"250 2.1.0 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            let address = command[8..]
                .trim()
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap_or_default()
                .to_owned();
            let rejection = shared
                .rejections
                .lock()
                .expect("lock")
                .get(&address)
                .cloned();
            match rejection {
                Some(reply) => write.write_all(format!("{reply}\r\n").as_bytes()).await?,
                None => {
                    rcpt_to.push(address);
                    write.write_all(b"250 2.1.5 OK\r\n").await?;
                }
            }
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = Vec::new();
            let mut raw = Vec::new();
            loop {
                raw.clear();
                if reader.read_until(b'\n', &mut raw).await? == 0 {
                    return Ok(());
                }
                if raw == b".\r\n" || raw == b".\n" {
                    break;
                }
                let unstuffed = if raw.starts_with(b"..") {
                    &raw[1..]
                } else {
                    &raw[..]
                };
                data.extend_from_slice(unstuffed);
            }
            let id = {
                let mut received = shared.received.lock().expect("lock");
                received.push(Received {
                    mail_from: mail_from.clone(),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                });
                received.len()
            };
            shared.count.send_replace(id);
            let delay = *shared.answer_delay.lock().expect("lock");
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            write
                .write_all(format!("250 2.0.0 OK queued as sink-{id}\r\n").as_bytes())
                .await?;
        } else if upper == "RSET" {
            rcpt_to.clear();
            write.write_all(b"250 2.0.0 OK\r\n").await?;
        } else if upper == "NOOP" {
            write.write_all(b"250 2.0.0 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 5.5.2 not implemented\r\n").await?;
        }
    }
}
