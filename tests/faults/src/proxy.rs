//! A TCP proxy on loopback between desks and the central whose behaviour is switched at run time:
//! pass, drop (close new and existing connections at once), delay (add latency to every chunk),
//! blackhole (accept and never answer, so the desk's client timeouts must act), and reset mid-response
//! (forward the request, let part of the answer through, then reset with SO_LINGER 0).
//!
//! Every connection is served by its own task, which follows the mode as it changes; dropping the
//! [`Proxy`] stops the listener and resets every connection still open.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How the proxy treats traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward everything as it comes.
    Pass,
    /// Close every connection, new and existing, at once (with a reset).
    Drop,
    /// Forward, but hold every chunk this long first (both directions).
    Delay(Duration),
    /// Accept connections and forward nothing, in either direction; connections held when the mode
    /// ends are reset.
    Blackhole,
    /// Forward requests; of the first chunk of an answer let about half through, then reset.
    ResetMidResponse,
}

impl Mode {
    /// A short name for logs and summaries.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Pass => "pass",
            Mode::Drop => "drop",
            Mode::Delay(_) => "delay",
            Mode::Blackhole => "blackhole",
            Mode::ResetMidResponse => "reset mid-response",
        }
    }
}

/// Counters of what the proxy did.
#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
    dropped: AtomicU64,
    blackholed: AtomicU64,
    cut_responses: AtomicU64,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
}

/// A snapshot of the proxy's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Connections accepted.
    pub connections: u64,
    /// Connections closed by a drop (or because the upstream was unreachable).
    pub dropped: u64,
    /// Connections that met a blackhole.
    pub blackholed: u64,
    /// Answers cut in the middle and reset.
    pub cut_responses: u64,
    /// Bytes forwarded towards the upstream.
    pub bytes_up: u64,
    /// Bytes forwarded back to clients.
    pub bytes_down: u64,
}

/// A running proxy; stops (and resets its connections) when dropped.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
    counters: Arc<Counters>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy on a free loopback port forwarding to `upstream`, in [`Mode::Pass`].
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (mode, _) = watch::channel(Mode::Pass);
        let counters = Arc::new(Counters::default());
        let accept = tokio::spawn(accept_loop(
            listener,
            upstream,
            mode.subscribe(),
            counters.clone(),
        ));
        Ok(Proxy {
            addr,
            mode,
            counters,
            accept,
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of the proxied HTTP service.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Switches the mode; connections already open follow at once.
    pub fn set_mode(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }

    /// The mode in force.
    pub fn mode(&self) -> Mode {
        *self.mode.borrow()
    }

    /// What the proxy has done so far.
    pub fn stats(&self) -> ProxyStats {
        let c = &self.counters;
        ProxyStats {
            connections: c.connections.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            blackholed: c.blackholed.load(Ordering::Relaxed),
            cut_responses: c.cut_responses.load(Ordering::Relaxed),
            bytes_up: c.bytes_up.load(Ordering::Relaxed),
            bytes_down: c.bytes_down.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        // Dropping `mode` closes the channel: every connection task sees it and resets its sockets.
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    mode: watch::Receiver<Mode>,
    counters: Arc<Counters>,
) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            // Out of descriptors or similar: try again shortly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        counters.connections.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(serve(client, upstream, mode.clone(), counters.clone()));
    }
}

/// Closes a whole stream with a reset (RST) instead of a FIN.
fn reset_stream(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Closes both halves of a split stream with a reset: no FIN is sent first.
fn reset_halves(read: OwnedReadHalf, write: OwnedWriteHalf) {
    let _ = read.as_ref().set_zero_linger();
    write.forget();
    drop(read);
}

/// Waits while the mode is `Blackhole`; false when the proxy is gone.
async fn wait_out_blackhole(mode: &mut watch::Receiver<Mode>) -> bool {
    while *mode.borrow_and_update() == Mode::Blackhole {
        if mode.changed().await.is_err() {
            return false;
        }
    }
    true
}

async fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    mut mode: watch::Receiver<Mode>,
    counters: Arc<Counters>,
) {
    let initial = *mode.borrow_and_update();
    match initial {
        Mode::Drop => {
            counters.dropped.fetch_add(1, Ordering::Relaxed);
            reset_stream(client);
            return;
        }
        Mode::Blackhole => {
            counters.blackholed.fetch_add(1, Ordering::Relaxed);
            swallow(client, &mut mode).await;
            return;
        }
        _ => {}
    }
    let Ok(server) = TcpStream::connect(upstream).await else {
        // The upstream is down: the client sees its connection reset, as with a dead server.
        counters.dropped.fetch_add(1, Ordering::Relaxed);
        reset_stream(client);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let link = Link {
        client_read,
        client_write,
        server_read,
        server_write,
        counters,
    };
    link.pump(&mut mode).await;
}

/// Holds a blackholed connection: reads and discards what the client sends, answers nothing, and resets
/// the connection once the blackhole ends.
async fn swallow(mut client: TcpStream, mode: &mut watch::Receiver<Mode>) {
    let mut sink = vec![0u8; 16 * 1024];
    let mut open = true;
    loop {
        tokio::select! {
            changed = mode.changed() => {
                if changed.is_err() || *mode.borrow_and_update() != Mode::Blackhole {
                    break;
                }
            }
            read = client.read(&mut sink), if open => {
                if !matches!(read, Ok(n) if n > 0) {
                    open = false;
                }
            }
        }
    }
    reset_stream(client);
}

/// Both halves of a proxied connection.
struct Link {
    client_read: OwnedReadHalf,
    client_write: OwnedWriteHalf,
    server_read: OwnedReadHalf,
    server_write: OwnedWriteHalf,
    counters: Arc<Counters>,
}

/// What to do after a step of the pump.
enum Next {
    Continue,
    Reset,
    Close,
}

impl Link {
    async fn pump(mut self, mode: &mut watch::Receiver<Mode>) {
        let mut up = vec![0u8; 16 * 1024];
        let mut down = vec![0u8; 16 * 1024];
        let (mut up_open, mut down_open) = (true, true);
        let next = loop {
            let step = tokio::select! {
                changed = mode.changed() => match changed {
                    Err(_) => Next::Reset,
                    Ok(()) => {
                        let now = *mode.borrow_and_update();
                        match now {
                        Mode::Drop => {
                            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                            Next::Reset
                        }
                        Mode::Blackhole => {
                            self.counters.blackholed.fetch_add(1, Ordering::Relaxed);
                            // Freeze: nothing moves until the blackhole ends, then the connection dies.
                            wait_out_blackhole(mode).await;
                            Next::Reset
                        }
                        _ => Next::Continue,
                        }
                    }
                },
                read = self.client_read.read(&mut up), if up_open => match read {
                    Ok(0) => {
                        up_open = false;
                        let _ = self.server_write.shutdown().await;
                        Next::Continue
                    }
                    Ok(n) => self.forward_up(&up[..n], mode).await,
                    Err(_) => Next::Reset,
                },
                read = self.server_read.read(&mut down), if down_open => match read {
                    Ok(0) => {
                        down_open = false;
                        let _ = self.client_write.shutdown().await;
                        Next::Continue
                    }
                    Ok(n) => self.forward_down(&down[..n], mode).await,
                    Err(_) => Next::Reset,
                },
            };
            match step {
                Next::Continue if up_open || down_open => {}
                Next::Continue => break Next::Close,
                other => break other,
            }
        };
        match next {
            Next::Reset => {
                reset_halves(self.client_read, self.client_write);
                reset_halves(self.server_read, self.server_write);
            }
            Next::Continue | Next::Close => {}
        }
    }

    /// Client → server.
    async fn forward_up(&mut self, chunk: &[u8], mode: &mut watch::Receiver<Mode>) -> Next {
        let current = *mode.borrow();
        match current {
            Mode::Drop => return Next::Reset,
            Mode::Blackhole => {
                wait_out_blackhole(mode).await;
                return Next::Reset;
            }
            Mode::Delay(delay) => tokio::time::sleep(delay).await,
            Mode::Pass | Mode::ResetMidResponse => {}
        }
        self.counters
            .bytes_up
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        match self.server_write.write_all(chunk).await {
            Ok(()) => Next::Continue,
            Err(_) => Next::Reset,
        }
    }

    /// Server → client.
    async fn forward_down(&mut self, chunk: &[u8], mode: &mut watch::Receiver<Mode>) -> Next {
        let current = *mode.borrow();
        match current {
            Mode::Drop => return Next::Reset,
            Mode::Blackhole => {
                wait_out_blackhole(mode).await;
                return Next::Reset;
            }
            Mode::Delay(delay) => tokio::time::sleep(delay).await,
            Mode::ResetMidResponse => {
                // Let part of the answer through, give the client a moment to read it, then reset.
                let part = (chunk.len() / 2).max(1).min(chunk.len());
                let _ = self.client_write.write_all(&chunk[..part]).await;
                self.counters.bytes_down.fetch_add(part as u64, Ordering::Relaxed);
                self.counters.cut_responses.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
                return Next::Reset;
            }
            Mode::Pass => {}
        }
        self.counters
            .bytes_down
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        match self.client_write.write_all(chunk).await {
            Ok(()) => Next::Continue,
            Err(_) => Next::Reset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;
    use std::sync::atomic::AtomicUsize;
    use std::time::Instant;

    /// An echo server on loopback; counts the connections it accepted.
    async fn echo_server() -> (SocketAddr, Arc<AtomicUsize>) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    while let Ok(n) = stream.read(&mut buf).await {
                        if n == 0 || stream.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (addr, accepted)
    }

    const BODY_LEN: usize = 8000;

    /// A tiny HTTP/1.1 server answering every request with a body of `BODY_LEN` bytes; counts the
    /// requests it read in full.
    async fn http_server() -> (SocketAddr, Arc<AtomicUsize>) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let count = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let count = count.clone();
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    let mut buf = [0u8; 1024];
                    while let Ok(n) = stream.read(&mut buf).await {
                        if n == 0 {
                            return;
                        }
                        seen.extend_from_slice(&buf[..n]);
                        if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    count.fetch_add(1, Ordering::SeqCst);
                    let mut answer =
                        format!("HTTP/1.1 200 OK\r\ncontent-length: {BODY_LEN}\r\n\r\n").into_bytes();
                    answer.extend(std::iter::repeat_n(b'x', BODY_LEN));
                    let _ = stream.write_all(&answer).await;
                    let _ = stream.read(&mut buf).await;
                });
            }
        });
        (addr, requests)
    }

    async fn round_trip(stream: &mut TcpStream, text: &[u8]) -> std::io::Result<Vec<u8>> {
        stream.write_all(text).await?;
        let mut got = vec![0u8; text.len()];
        stream.read_exact(&mut got).await?;
        Ok(got)
    }

    /// Reads until the peer closes or fails: the bytes received and how it ended.
    async fn read_to_end(stream: &mut TcpStream) -> (Vec<u8>, std::io::Result<()>) {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
                Err(_) => return (got, Err(std::io::Error::from(ErrorKind::TimedOut))),
                Ok(Ok(0)) => return (got, Ok(())),
                Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
                Ok(Err(err)) => return (got, Err(err)),
            }
        }
    }

    /// True when the connection is closed (EOF or reset) within a second.
    async fn closed(stream: &mut TcpStream) -> bool {
        let mut buf = [0u8; 64];
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => true,
            Ok(Ok(_)) | Err(_) => false,
        }
    }

    #[tokio::test]
    async fn pass_forwards_both_ways() {
        let (upstream, _) = echo_server().await;
        let proxy = Proxy::start(upstream).await.unwrap();
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        assert_eq!(round_trip(&mut stream, b"halo 110").await.unwrap(), b"halo 110");
        assert_eq!(round_trip(&mut stream, b"lagi").await.unwrap(), b"lagi");
        let stats = proxy.stats();
        assert_eq!((stats.connections, stats.bytes_up, stats.bytes_down), (1, 12, 12));
    }

    #[tokio::test]
    async fn delay_adds_latency_each_way() {
        let (upstream, _) = echo_server().await;
        let proxy = Proxy::start(upstream).await.unwrap();
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        proxy.set_mode(Mode::Delay(Duration::from_millis(150)));
        let started = Instant::now();
        assert_eq!(round_trip(&mut stream, b"pelan").await.unwrap(), b"pelan");
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );
        proxy.set_mode(Mode::Pass);
        let started = Instant::now();
        round_trip(&mut stream, b"cepat").await.unwrap();
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "no added delay once back to pass"
        );
    }

    #[tokio::test]
    async fn drop_closes_existing_and_new_connections_at_once() {
        let (upstream, _) = echo_server().await;
        let proxy = Proxy::start(upstream).await.unwrap();
        let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
        round_trip(&mut open, b"ada").await.unwrap();
        proxy.set_mode(Mode::Drop);
        assert!(closed(&mut open).await, "an open connection is closed");
        let mut new = TcpStream::connect(proxy.addr()).await.unwrap();
        assert!(closed(&mut new).await, "a new connection is closed");
        proxy.set_mode(Mode::Pass);
        let mut again = TcpStream::connect(proxy.addr()).await.unwrap();
        assert_eq!(round_trip(&mut again, b"pulih").await.unwrap(), b"pulih");
        assert!(proxy.stats().dropped >= 2);
    }

    #[tokio::test]
    async fn blackhole_accepts_and_never_answers() {
        let (upstream, accepted) = echo_server().await;
        let proxy = Proxy::start(upstream).await.unwrap();
        let mut before = TcpStream::connect(proxy.addr()).await.unwrap();
        round_trip(&mut before, b"a").await.unwrap();
        proxy.set_mode(Mode::Blackhole);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut during = TcpStream::connect(proxy.addr()).await.unwrap();
        for stream in [&mut before, &mut during] {
            let answer = tokio::time::timeout(Duration::from_millis(300), round_trip(stream, b"halo")).await;
            assert!(answer.is_err(), "no answer in a blackhole: {answer:?}");
        }
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            1,
            "the upstream never sees the new connection"
        );
        proxy.set_mode(Mode::Pass);
        assert!(
            closed(&mut during).await,
            "held connections are closed when the blackhole ends"
        );
        assert!(closed(&mut before).await);
        let mut after = TcpStream::connect(proxy.addr()).await.unwrap();
        assert_eq!(round_trip(&mut after, b"pulih").await.unwrap(), b"pulih");
    }

    #[tokio::test]
    async fn reset_mid_response_forwards_the_request_then_cuts_the_answer() {
        let (upstream, requests) = http_server().await;
        let proxy = Proxy::start(upstream).await.unwrap();
        proxy.set_mode(Mode::ResetMidResponse);
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        stream
            .write_all(b"POST /v1/events HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        let (got, end) = read_to_end(&mut stream).await;
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "the request reached the server"
        );
        assert!(
            !got.is_empty() && got.len() < BODY_LEN,
            "part of the answer came through: {} bytes",
            got.len()
        );
        assert_eq!(
            end.map_err(|e| e.kind()),
            Err(ErrorKind::ConnectionReset),
            "then a reset"
        );
        assert_eq!(proxy.stats().cut_responses, 1);

        proxy.set_mode(Mode::Pass);
        let mut whole = TcpStream::connect(proxy.addr()).await.unwrap();
        whole
            .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(&[b'x'; 16]) || got.len() < BODY_LEN {
            let n = stream_read(&mut whole, &mut buf).await;
            assert!(n > 0, "the whole answer passes once the mode is back to pass");
            got.extend_from_slice(&buf[..n]);
        }
    }

    async fn stream_read(stream: &mut TcpStream, buf: &mut [u8]) -> usize {
        tokio::time::timeout(Duration::from_secs(5), stream.read(buf))
            .await
            .map(|r| r.unwrap_or(0))
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn an_unreachable_upstream_resets_the_client() {
        let dead = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let upstream = dead.local_addr().unwrap();
        drop(dead);
        let proxy = Proxy::start(upstream).await.unwrap();
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        assert!(closed(&mut stream).await);
    }
}
