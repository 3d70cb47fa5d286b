//! The listener and its connections: the connection cap with its reserved
//! band, per-connection timeouts, and the shutdown phases.
//!
//! Guarantees, with the [`Limits`] in force:
//!
//! - **Connection cap.** At most `max_connections` connections are open.
//!   The last `reserved_connections` of them serve only `/healthz`,
//!   `/readyz` and `/metrics` (any other route answers 503), one request per
//!   connection, with a header timeout of at most 1 s, so health checks get
//!   through when everything else is taken. At the cap the server stops
//!   accepting until a connection closes.
//! - **Timeouts.** A connection must send its first request head within
//!   `header_timeout` of being accepted, and each later one within
//!   `header_timeout` of its first byte; between requests it may stay idle
//!   for `idle_timeout`. A request body must arrive within `body_timeout`
//!   (the routes' middleware answers 408). Connections over time are closed.
//! - **Shutdown.** When the shutdown future completes, `/readyz` answers 503
//!   while the listener stays open and serves for `pre_stop`. Then the
//!   listener closes, idle connections close, in-flight requests finish,
//!   and whatever is still open at the drain deadline
//!   (`ServerConfig::shutdown_timeout`) is cut. [`serve`] then returns
//!   `Ok`.
//!
//! Each request carries the TCP peer as
//! [`ConnectInfo<SocketAddr>`](axum::extract::ConnectInfo) and the client
//! address as [`ClientIp`]: the peer, or the address a trusted proxy
//! forwarded (derived here, once, by [`TrustedProxies::client_ip`]), which
//! the per-address limits and the access log read. HTTP/1.1 only.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::Instant;
use tower::Service;

use crate::AppState;
use crate::client_ip::{ClientIp, TrustedProxies};
use crate::config::Limits;

/// Any route but the health routes on a reserved connection: the server is
/// at its connection cap.
pub(crate) async fn at_capacity() -> crate::ApiError {
    crate::ApiError::unavailable(
        "server at its connection limit: only /healthz, /readyz and /metrics are served",
        1,
    )
}

/// Where the server is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Accepting and serving (also during the pre-stop period).
    Serving,
    /// The listener is closed: finish in-flight requests, close idle connections.
    Draining,
    /// The drain deadline passed: close everything.
    Cut,
}

/// What every connection task shares.
struct Shared {
    general: Router,
    reserved: Router,
    limits: Limits,
    proxies: TrustedProxies,
}

/// Serves the routes on `listener` until `shutdown` completes, then runs the
/// shutdown phases (pre-stop, drain, cut; see the module documentation) and
/// returns.
///
/// # Errors
///
/// None at present: connection and accept errors are logged and survived,
/// and connections still open at the drain deadline are cut (and counted in
/// a warning), not reported. The `Result` is kept for errors to come.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = state.config().limits;
    let drain_deadline = state.config().shutdown_timeout;
    let shared = Arc::new(Shared {
        general: crate::app(state.clone()),
        reserved: crate::reserved_app(state.clone()),
        limits,
        proxies: state.config().trusted_proxies.clone(),
    });
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(2)));
    let (phase_tx, phase_rx) = watch::channel(Phase::Serving);
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    let acceptor = Acceptor {
        listener: &listener,
        shared: &shared,
        slots: &slots,
        phase: &phase_rx,
        alive: &alive_tx,
    };

    acceptor.accept_until(shutdown).await;
    state.begin_shutdown();
    if !limits.pre_stop.is_zero() {
        tracing::info!(
            pre_stop_secs = limits.pre_stop.as_secs_f64(),
            "shutting down: /readyz answers 503, still serving"
        );
        acceptor
            .accept_until(tokio::time::sleep(limits.pre_stop))
            .await;
    }
    drop(listener);
    let _ = phase_tx.send(Phase::Draining);
    drop(alive_tx);
    tracing::info!(
        open = open_connections(&slots, limits),
        "draining: finishing in-flight requests"
    );
    if tokio::time::timeout(drain_deadline, alive_rx.recv())
        .await
        .is_err()
    {
        tracing::warn!(
            open = open_connections(&slots, limits),
            "drain deadline reached: cutting the connections still open"
        );
        let _ = phase_tx.send(Phase::Cut);
        let _ = tokio::time::timeout(Duration::from_secs(1), alive_rx.recv()).await;
    }
    Ok(())
}

fn open_connections(slots: &Semaphore, limits: Limits) -> usize {
    limits
        .max_connections
        .max(2)
        .saturating_sub(slots.available_permits())
}

struct Acceptor<'a> {
    listener: &'a TcpListener,
    shared: &'a Arc<Shared>,
    slots: &'a Arc<Semaphore>,
    phase: &'a watch::Receiver<Phase>,
    alive: &'a mpsc::Sender<()>,
}

impl Acceptor<'_> {
    /// Accepts connections (while a slot is free) until `until` completes.
    async fn accept_until(&self, until: impl Future<Output = ()>) {
        let mut until = std::pin::pin!(until);
        loop {
            let permit = tokio::select! {
                biased;
                () = &mut until => return,
                permit = self.slots.clone().acquire_owned() => match permit {
                    Ok(p) => p,
                    Err(_) => return,
                },
            };
            let accepted = tokio::select! {
                biased;
                () = &mut until => return,
                accepted = self.listener.accept() => accepted,
            };
            match accepted {
                Ok((tcp, peer)) => {
                    let open = open_connections(self.slots, self.shared.limits);
                    let reserved = open > self.shared.limits.general_connections();
                    tokio::spawn(connection(
                        tcp,
                        peer,
                        reserved,
                        Arc::clone(self.shared),
                        permit,
                        self.phase.clone(),
                        self.alive.clone(),
                    ));
                }
                Err(e) if is_connection_error(&e) => {}
                Err(e) => {
                    // Out of file descriptors and the like: back off a little.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::select! {
                        biased;
                        () = &mut until => return,
                        () = tokio::time::sleep(Duration::from_millis(100)) => {}
                    }
                }
            }
        }
    }
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One connection: HTTP/1.1 with the watchdog that enforces the timeouts
/// and follows the shutdown phases.
async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    reserved: bool,
    shared: Arc<Shared>,
    permit: OwnedSemaphorePermit,
    mut phase: watch::Receiver<Phase>,
    alive: mpsc::Sender<()>,
) {
    let _ = tcp.set_nodelay(true);
    let mut limits = shared.limits;
    if reserved {
        limits.header_timeout = limits.header_timeout.min(RESERVED_HEADER_TIMEOUT);
    }
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        inner: tcp,
        activity: Arc::clone(&activity),
    });
    let router = if reserved {
        shared.reserved.clone()
    } else {
        shared.general.clone()
    };
    let requests = Arc::clone(&activity);
    let proxies = Arc::clone(&shared);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        let client = proxies.proxies.client_ip(peer.ip(), request.headers());
        let extensions = request.extensions_mut();
        extensions.insert(ConnectInfo(peer));
        extensions.insert(ClientIp(client));
        let in_flight = InFlight::begin(&requests);
        let response = router.clone().call(request.map(Body::new));
        async move {
            let response = response.await;
            drop(in_flight);
            response
        }
    });
    let mut builder = http1::Builder::new();
    // The watchdog below times the request heads (hyper's own timer would
    // also cut idle keep-alive connections at the header timeout).
    builder
        .header_read_timeout(None)
        .keep_alive(!reserved)
        .max_buf_size(MAX_BUF_SIZE);
    let conn = builder.serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut draining = false;
    let mut wake = Instant::now() + limits.header_timeout;
    loop {
        tokio::select! {
            biased;
            _ = conn.as_mut() => break,
            changed = phase.changed() => {
                let now_phase = if changed.is_ok() { *phase.borrow_and_update() } else { Phase::Cut };
                match now_phase {
                    Phase::Serving => {}
                    Phase::Draining => if !draining {
                        draining = true;
                        conn.as_mut().graceful_shutdown();
                    },
                    Phase::Cut => break,
                }
            }
            () = tokio::time::sleep_until(wake) => {
                let now = Instant::now();
                let deadline = activity.deadline(&limits);
                if deadline.is_some_and(|d| d <= now) {
                    break;
                }
                // Wake at the deadline, or at most a header timeout from now
                // (a request head may start in between).
                let next = now + limits.header_timeout;
                wake = deadline.map_or(next, |d| d.min(next));
            }
        }
    }
    // The connection (a local) is dropped before `permit` and `alive` (parameters).
    let _ = (&permit, &alive);
}

const NONE: u64 = u64::MAX;

/// The header timeout of a reserved connection: health checks send their
/// request at once, and a connection idling there would keep one from them.
const RESERVED_HEADER_TIMEOUT: Duration = Duration::from_secs(1);

/// hyper's read buffer per connection, which also bounds a request head
/// (larger heads get 431): 64 KiB instead of hyper's ~400 KiB.
const MAX_BUF_SIZE: usize = 64 * 1024;

/// What the watchdog reads: requests in flight, when the connection became
/// idle, and when the current request head started (milliseconds since the
/// connection was accepted).
struct Activity {
    start: Instant,
    in_flight: AtomicU32,
    served: AtomicU64,
    idle_since_ms: AtomicU64,
    head_started_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            in_flight: AtomicU32::new(0),
            served: AtomicU64::new(0),
            idle_since_ms: AtomicU64::new(0),
            head_started_ms: AtomicU64::new(NONE),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    /// Bytes arrived: between requests, they start a request head.
    fn on_read(&self) {
        if self.in_flight.load(Ordering::Relaxed) == 0
            && self.head_started_ms.load(Ordering::Relaxed) == NONE
        {
            self.head_started_ms.store(self.now_ms(), Ordering::Relaxed);
        }
    }

    /// When the connection is over time, or `None` while a request is in
    /// flight (its body has its own deadline).
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let head = self.head_started_ms.load(Ordering::Relaxed);
        let (from_ms, allowed) = if head != NONE {
            (head, limits.header_timeout)
        } else if self.served.load(Ordering::Relaxed) == 0 {
            (0, limits.header_timeout)
        } else {
            (
                self.idle_since_ms.load(Ordering::Relaxed),
                limits.idle_timeout,
            )
        };
        Some(self.start + Duration::from_millis(from_ms) + allowed)
    }
}

/// Marks a request in flight from its head to its response.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        activity.served.fetch_add(1, Ordering::Relaxed);
        activity.head_started_ms.store(NONE, Ordering::Relaxed);
        Self(Arc::clone(activity))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .idle_since_ms
            .store(self.0.now_ms(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The socket, noting when bytes arrive.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.on_read();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
