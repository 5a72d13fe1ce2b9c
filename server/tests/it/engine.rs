//! The `sengine` binary as a child process for the durability tests: start
//! it on a data directory and a free port, kill or stop it, and talk HTTP/1.1
//! to it over plain TCP.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

/// A running engine; killed when dropped.
pub(crate) struct Engine {
    child: Child,
    pub(crate) address: SocketAddr,
}

impl Engine {
    /// Starts `sengine serve` on `data` and waits until it answers `/health`.
    pub(crate) fn start(data: &Path, extra: &[&str]) -> Engine {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address: SocketAddr = ([127, 0, 0, 1], port).into();
        let child = Command::new(env!("CARGO_BIN_EXE_sengine"))
            .args(["serve", "--listen", &address.to_string()])
            .arg("--data")
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            // Background compiles would build the runtime in every test data
            // directory; the compiled evaluator has tests of its own.
            .env("SENGINE_NATIVE_BUILDS", "false")
            .env_remove("SENGINE_ADMIN_TOKEN")
            .env_remove("SENGINE_API_TOKEN")
            .env_remove("SENGINE_EVENTS")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let engine = Engine { child, address };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !matches!(call(address, "GET", "/health", None), Ok((200, _))) {
            assert!(Instant::now() < deadline, "the engine did not start serving");
            std::thread::sleep(Duration::from_millis(20));
        }
        engine
    }

    /// Kills the process with SIGKILL, as a crash would, and reaps it.
    pub(crate) fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM, as an orchestrator stopping the engine does.
    pub(crate) fn terminate(&self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to end, for at most `limit`.
    pub(crate) fn wait(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the engine did not stop within {limit:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `call` on this engine, panicking on a connection failure.
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Json) {
        call(self.address, method, path, body).unwrap()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange on a new connection: the status and the JSON body
/// (`Json::Null` when empty). An error means no answer was read, so the
/// request may or may not have been applied.
pub(crate) fn call(
    address: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, Json)> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer);
    let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no whole answer");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(broken)?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(broken)?;
    assert!(!head.to_ascii_lowercase().contains("chunked"), "chunked answer: {head}");
    let json = if body.is_empty() { Json::Null } else { serde_json::from_str(body)? };
    Ok((status, json))
}

/// A small deterministic generator (xorshift), seeded from the clock and
/// printed, so a failing run can be repeated.
pub(crate) struct Random(u64);

impl Random {
    pub(crate) fn from_clock(test: &str) -> Random {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let seed = u64::from(nanos) | 1;
        eprintln!("{test}: seed {seed}");
        Random(seed)
    }

    /// A generator from a seed another generator drew.
    pub(crate) fn seeded(seed: u64) -> Random {
        Random(seed | 1)
    }

    /// A number in `low..high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        low + self.0 % (high - low)
    }
}
