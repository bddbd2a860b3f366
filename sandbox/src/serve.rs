//! The accept loop: axum routes served by hyper per connection (the axum "serve with hyper" pattern), because
//! the `reset` behaviour needs the raw connection to end it with an RST.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{signal, SignalKind};
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

use crate::behaviour::ConnectionKill;
use crate::cli::Options;
use crate::log::log;
use crate::routes;
use crate::store::{AppState, Store};
use crate::tls;

/// How long a client may take for the TLS handshake before the connection is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds, prints the base URL as the first stdout line, serves until SIGTERM or SIGINT.
pub async fn run(options: Options) -> Result<(), String> {
    let tls = match options.tls {
        true => {
            let tls = tls::setup()?;
            // Written before the URL is printed: a test that read the URL can use the file at once.
            if let Some(path) = &options.ca_out {
                tls::write_ca(path, &tls.ca_pem)?;
            }
            Some(tls.acceptor)
        }
        false => None,
    };
    // Handlers are installed before the URL is printed, so a signal sent right after reading it is seen.
    let mut terminate = signal(SignalKind::terminate()).map_err(|e| format!("SIGTERM handler: {e}"))?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| format!("SIGINT handler: {e}"))?;

    let listener = TcpListener::bind((options.host, options.port))
        .await
        .map_err(|e| format!("cannot bind {}:{}: {e}", options.host, options.port))?;
    let local = listener.local_addr().map_err(|e| format!("cannot read the bound address: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    print_base_url(&format!("{scheme}://{local}"))?;
    log!("listening on {scheme}://{local}");

    let store = match &options.state_file {
        Some(path) => {
            log!("transactions kept in {}", path.display());
            Store::with_state_file(path)?
        }
        None => Store::new(),
    };
    let app = Arc::new(AppState::new(&options, store));
    let router = routes::router(app.clone());
    loop {
        tokio::select! {
            _ = terminate.recv() => { log!("SIGTERM: stopping"); break; }
            _ = interrupt.recv() => { log!("SIGINT: stopping"); break; }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(connection(stream, peer, tls.clone(), router.clone(), app.clone()));
                }
                Err(e) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    log!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    Ok(())
}

/// The first stdout line, flushed at once: the parent process waits for it.
fn print_base_url(url: &str) -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{url}").and_then(|()| stdout.flush()).map_err(|e| format!("cannot print the base URL: {e}"))
}

async fn connection(stream: TcpStream, peer: SocketAddr, tls: Option<TlsAcceptor>, router: Router, app: Arc<AppState>) {
    // Small JSON answers on keep-alive connections: without NODELAY, Nagle and delayed ACKs add ~40 ms.
    let _ = stream.set_nodelay(true);
    // A second handle on the same socket, kept until hyper's handle is gone: setting SO_LINGER 0 on it and
    // closing it last makes the kernel send an RST instead of a FIN.
    let socket = match socket2::SockRef::from(&stream).try_clone() {
        Ok(socket) => socket,
        Err(e) => {
            log!("{peer}: cannot duplicate the socket: {e}");
            return;
        }
    };
    match tls {
        None => serve_http(TokioIo::new(stream), socket, router, app).await,
        Some(acceptor) => match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => serve_http(TokioIo::new(stream), socket, router, app).await,
            Ok(Err(e)) => log!("{peer}: TLS handshake failed: {e}"),
            Err(_) => log!("{peer}: TLS handshake timed out"),
        },
    }
}

/// Serves HTTP/1.1 (keep-alive) on one connection until the client closes it or a handler fires the kill.
async fn serve_http<I>(io: TokioIo<I>, socket: socket2::Socket, router: Router, app: Arc<AppState>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = ConnectionKill::default();
    let request_kill = kill.clone();
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(request_kill.clone());
        let mut router = router.clone();
        let app = app.clone();
        async move {
            let method = request.method().clone();
            let path = request.uri().path().to_owned();
            let is_api = path.starts_with("/api/");
            if is_api {
                app.count_api_request();
            }
            let response = router.call(request).await;
            if let (true, Ok(response)) = (is_api, &response) {
                log!("{method} {path} {}", response.status().as_u16());
            }
            response
        }
    });
    // No header read timeout: hyper's default (30 s) would also close idle keep-alive connections, and a client
    // under test should meet a closed pooled connection only when a test arranges it, never by accident.
    let mut conn = Box::pin(
        hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(None)
            .serve_connection(io, service),
    );
    tokio::select! {
        // Errors here are clients going away mid-request, or the truncate behaviour: nothing to report.
        _ = conn.as_mut() => {}
        _ = kill.fired() => {
            if let Err(e) = socket.set_linger(Some(Duration::ZERO)) {
                log!("cannot set SO_LINGER 0: {e}");
            }
        }
    }
    // hyper's handle first (its close alone does not end the socket), then the last one: with linger 0, an RST.
    drop(conn);
    drop(socket);
}
