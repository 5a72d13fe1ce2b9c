//! The one test over a real socket: the service answers HTTP on 127.0.0.1.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::TestApp;

/// A real HTTP/1.1 client gets the health answer and an event's outcomes over TCP.
#[tokio::test]
async fn serves_http_over_a_socket() {
    let t = TestApp::new().await;
    t.create("live game").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = t.app.clone();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let answer = exchange(address, "GET /api/events/live%20game/outcomes HTTP/1.1").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("content-type: application/json"), "{answer}");
    assert!(answer.contains(r#""market":"entries","result":0"#), "{answer}");
    server.abort();
}

async fn exchange(address: std::net::SocketAddr, request_line: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("{request_line}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    answer
}
