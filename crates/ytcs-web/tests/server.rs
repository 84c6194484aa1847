//! The server loop on a real socket (loopback): slow clients are cut off
//! by the header and body read timeouts, ordinary requests are served,
//! and shutdown stops it.

mod common;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ytcs_web::server::{serve, ServeConfig};
use ytcs_web::{router, AppState};

async fn start() -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
    tempfile::TempDir,
) {
    let (s, dir) = common::units_store().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let config = ServeConfig {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
    };
    let task = tokio::spawn(async move {
        serve(listener, router(AppState::new(s)), config, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (addr, tx, task, dir)
}

/// Everything the server sends until it closes, or what came within `wait`.
async fn read_all(stream: &mut tokio::net::TcpStream, wait: Duration) -> (String, bool) {
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(wait, stream.read_to_end(&mut buf))
        .await
        .is_ok();
    (String::from_utf8_lossy(&buf).into_owned(), closed)
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_others_served() {
    let (addr, stop, task, _d) = start().await;
    // An ordinary request.
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (reply, closed) = read_all(&mut c, Duration::from_secs(10)).await;
    assert!(closed && reply.starts_with("HTTP/1.1 200"), "{reply}");

    // Headers that never end: disconnected after the header timeout.
    let started = Instant::now();
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let (_, closed) = read_all(&mut c, Duration::from_secs(10)).await;
    assert!(closed, "the connection stays open");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // A body that stops coming: answered and closed after the body timeout.
    let started = Instant::now();
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(
        b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a",
    )
    .await
    .unwrap();
    let (reply, _) = read_all(&mut c, Duration::from_secs(10)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(reply.starts_with("HTTP/1.1 4"), "{reply}");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens"
    );
}
