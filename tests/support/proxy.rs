//! A small HTTP CONNECT proxy on loopback for the proxy option of `sx_client`: it opens tunnels only to
//! loopback targets and records each CONNECT line it was asked for.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

pub struct ConnectProxy {
    pub url: String,
    connects: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    pub fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let connects = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&connects);
        thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let seen = Arc::clone(&seen);
                thread::spawn(move || tunnel(client, &seen));
            }
        });
        ConnectProxy { url, connects }
    }

    /// The request lines received, e.g. `CONNECT 127.0.0.1:4431 HTTP/1.1`.
    pub fn connects(&self) -> Vec<String> {
        self.connects.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn tunnel(mut client: TcpStream, seen: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        if head.len() > 8192 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let line = head.lines().next().unwrap_or_default().to_owned();
    seen.lock().unwrap_or_else(|e| e.into_inner()).push(line.clone());
    let mut parts = line.split(' ');
    let target = match (parts.next(), parts.next()) {
        (Some("CONNECT"), Some(target)) => target.to_owned(),
        _ => {
            let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
            return;
        }
    };
    // Loopback only: the tests send nothing anywhere else.
    let host = target.rsplit_once(':').map_or("", |(host, _)| host);
    if !(host.starts_with("127.") || host == "[::1]" || host == "localhost") {
        let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        return;
    }
    let Ok(server) = TcpStream::connect(&target) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").is_err() {
        return;
    }
    let (Ok(mut client_reader), Ok(mut server_writer)) = (client.try_clone(), server.try_clone()) else { return };
    let upstream = thread::spawn(move || {
        let _ = std::io::copy(&mut client_reader, &mut server_writer);
        let _ = server_writer.shutdown(Shutdown::Write);
    });
    let (mut server_reader, mut client_writer) = (server, client);
    let _ = std::io::copy(&mut server_reader, &mut client_writer);
    let _ = client_writer.shutdown(Shutdown::Write);
    let _ = upstream.join();
}
