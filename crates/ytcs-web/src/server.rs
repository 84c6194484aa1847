//! The HTTP server loop: one task per connection, HTTP/1.1, with the
//! timeouts `axum::serve` does not set.
//!
//! - **Header read timeout** ([`ServeConfig::header_timeout`], 30 s): a
//!   client that opens a connection and sends its request line and headers
//!   slowly (or never) is disconnected, so idle sockets cannot pile up.
//! - **Body read timeout** ([`ServeConfig::body_timeout`], 60 s): between
//!   two pieces of a request body. It is an idle timeout, not a total one:
//!   a 20 MB plan sent over a slow commune link keeps going as long as
//!   bytes keep arriving; a client that stops sending is cut off.
//! - **Graceful shutdown**: on the shutdown signal no new connection is
//!   accepted and the open ones finish their request.
//!
//! Each request carries `ConnectInfo<SocketAddr>` (sign-in throttling and
//! the audit log read the client's address from it).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

/// Timeouts of the server loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeConfig {
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// How long a request body may go without a new piece.
    pub body_timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for
/// the open connections to finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    config: ServeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        config.body_timeout,
    ));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let svc = app.clone().map_request(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            },
        );
        let svc = hyper_util::service::TowerToHyperService::new(svc);
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout)
            .serve_connection(TokioIo::new(stream), svc);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    graceful.shutdown().await;
    Ok(())
}
