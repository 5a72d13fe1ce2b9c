//! The load generator behind `sengine-load`: it creates many live events on
//! a running engine, changes them concurrently for a while as integrators
//! would (retrying after `CIP` as `Retry-After` says), then reads every log
//! back and checks that each acknowledged entry is there exactly once and
//! that nothing else is. It speaks plain HTTP to any engine, whatever its
//! event store, so the same run measures the memory and durable stores.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value as Json};

/// What a load run does.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The engine's address (loopback).
    pub address: SocketAddr,
    /// The file the events are created on.
    pub file_id: u64,
    /// How many live events to create and change.
    pub events: usize,
    /// How long to keep changing them.
    pub duration: Duration,
    /// How many clients (connections) change events at once.
    pub clients: usize,
    /// The bearer token, when the engine requires one.
    pub token: Option<String>,
    /// The entry each change appends, keyed by input column.
    pub entry: Map<String, Json>,
    /// The text column that carries each change's unique marker, by which
    /// the final logs are matched against the acknowledgements.
    pub marker_column: String,
    /// The share of changes aimed at a random event rather than one of the
    /// client's own, which makes clients meet on an event and see `CIP`.
    pub contention: f64,
    /// Attempts per change before it is counted as given up.
    pub max_attempts: u32,
    /// The engine's process, whose resident memory is read before and after
    /// the events are created.
    pub pid: Option<u32>,
    /// The prefix of the event ids, unique per run.
    pub prefix: String,
    /// Whether to release the events at the end.
    pub release: bool,
}

impl LoadOptions {
    /// Options for the built-in football workbook (file 1) at `address`.
    pub fn football(address: SocketAddr) -> LoadOptions {
        let entry =
            serde_json::json!({"minute": 12, "period": "1H", "type": "foul", "team": "home"});
        LoadOptions {
            address,
            file_id: 1,
            events: 1000,
            duration: Duration::from_secs(10),
            clients: 32,
            token: None,
            entry: entry.as_object().cloned().unwrap_or_default(),
            marker_column: "player".into(),
            contention: 0.01,
            max_attempts: 20,
            pid: None,
            prefix: format!("load-{}", std::process::id()),
            release: true,
        }
    }
}

/// What a load run measured and found.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    pub events: usize,
    /// Changes started (each may take several attempts).
    pub changes: u64,
    /// Changes acknowledged with 200.
    pub accepted: u64,
    /// `CIP` answers, each followed by a retry.
    pub busy_answers: u64,
    /// Changes still refused after `max_attempts`.
    pub given_up: u64,
    /// Answers with a 5xx status, at any phase.
    pub server_errors: u64,
    /// Other refusals and transport failures, with the first one's text.
    pub other_failures: u64,
    pub first_failure: Option<String>,
    /// Acknowledged entries missing from the final logs.
    pub lost: u64,
    /// Entries in the final logs that no client saw acknowledged.
    pub unexpected: u64,
    /// Entries of one client that the log holds out of that client's order.
    pub out_of_order: u64,
    /// The changing phase's wall time.
    pub elapsed: Duration,
    /// Latency of the accepted requests.
    pub p50: Duration,
    pub p99: Duration,
    /// Resident memory of the engine before and after creating the events,
    /// and after the changes, in KiB.
    pub rss_kib: Option<(u64, u64, u64)>,
}

impl LoadReport {
    /// Accepted changes per second of the changing phase.
    pub fn changes_per_second(&self) -> f64 {
        self.accepted as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The share of started changes that were acknowledged.
    pub fn accepted_share(&self) -> f64 {
        if self.changes == 0 {
            1.0
        } else {
            self.accepted as f64 / self.changes as f64
        }
    }

    /// Resident memory per live event, in bytes, from the readings.
    pub fn bytes_per_event(&self) -> Option<f64> {
        let (before, after, _) = self.rss_kib?;
        Some((after.saturating_sub(before) * 1024) as f64 / self.events.max(1) as f64)
    }

    /// The correctness properties a run must keep: no 5xx, no lost or
    /// unexpected entry, every client's entries in its order, and at least
    /// 99% of the changes accepted.
    ///
    /// # Errors
    ///
    /// Each property broken, in one message.
    pub fn check(&self) -> Result<(), String> {
        let mut broken = Vec::new();
        if self.server_errors > 0 {
            broken.push(format!("{} answers were 5xx", self.server_errors));
        }
        if self.lost > 0 || self.unexpected > 0 || self.out_of_order > 0 {
            broken.push(format!(
                "{} acknowledged entries lost, {} unexpected, {} out of order",
                self.lost, self.unexpected, self.out_of_order
            ));
        }
        if self.accepted_share() < 0.99 {
            broken.push(format!("only {:.2}% of changes accepted", self.accepted_share() * 100.0));
        }
        if let (false, Some(first)) = (broken.is_empty(), &self.first_failure) {
            broken.push(format!("first failure: {first}"));
        }
        if broken.is_empty() {
            Ok(())
        } else {
            Err(broken.join("; "))
        }
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "events: {}", self.events)?;
        writeln!(
            f,
            "changes: {} started, {} accepted ({:.3}%), {} CIP retries, {} given up",
            self.changes,
            self.accepted,
            self.accepted_share() * 100.0,
            self.busy_answers,
            self.given_up
        )?;
        writeln!(
            f,
            "failures: {} 5xx, {} other{}",
            self.server_errors,
            self.other_failures,
            self.first_failure.as_ref().map(|t| format!(" (first: {t})")).unwrap_or_default()
        )?;
        writeln!(
            f,
            "logs: {} lost, {} unexpected, {} out of order",
            self.lost, self.unexpected, self.out_of_order
        )?;
        writeln!(
            f,
            "throughput: {:.0} changes/s over {:.1} s; latency p50 {:.2} ms, p99 {:.2} ms",
            self.changes_per_second(),
            self.elapsed.as_secs_f64(),
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0
        )?;
        match (self.rss_kib, self.bytes_per_event()) {
            (Some((before, after, end)), Some(per_event)) => write!(
                f,
                "memory: VmRSS {before} KiB before the events, {after} KiB after creating them \
                 ({per_event:.0} bytes per live event), {end} KiB after the changes"
            ),
            _ => write!(f, "memory: not measured (no --pid)"),
        }
    }
}

/// One keep-alive HTTP/1.1 connection to the engine.
struct Client {
    address: SocketAddr,
    token: Option<String>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// An answer: status, `Retry-After` in seconds, body.
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: Bytes,
}

impl Client {
    fn new(address: SocketAddr, token: Option<String>) -> Client {
        Client { address, token, sender: None }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(self.address)
                .await
                .map_err(|e| format!("connecting to {}: {e}", self.address))?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| format!("handshake: {e}"))?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        self.sender.as_mut().ok_or_else(|| "no connection".to_string())
    }

    async fn send(&mut self, method: Method, path: &str, body: String) -> Result<Answer, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.address.to_string())
            .header("content-type", "application/json");
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request =
            request.body(Full::new(Bytes::from(body))).map_err(|e| format!("request: {e}"))?;
        let sender = self.connect().await?;
        sender.ready().await.map_err(|e| format!("connection: {e}"))?;
        let result = sender.send_request(request).await;
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                self.sender = None;
                return Err(format!("{path}: {e}"));
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let body = response.into_body().collect().await.map_err(|e| format!("{path}: {e}"))?;
        Ok(Answer { status, retry_after, body: body.to_bytes() })
    }
}

/// What the clients share while changing events.
struct Shared {
    options: LoadOptions,
    ids: Vec<String>,
    /// Per event, the markers acknowledged, in acknowledgement order.
    acknowledged: Vec<Mutex<Vec<String>>>,
    changes: AtomicU64,
    accepted: AtomicU64,
    busy: AtomicU64,
    given_up: AtomicU64,
    server_errors: AtomicU64,
    other: AtomicU64,
    first_failure: Mutex<Option<String>>,
    latencies: Mutex<Vec<Duration>>,
}

impl Shared {
    fn failure(&self, status: Option<StatusCode>, text: String) {
        if status.is_some_and(|s| s.is_server_error()) {
            self.server_errors.fetch_add(1, Ordering::Relaxed);
        } else {
            self.other.fetch_add(1, Ordering::Relaxed);
        }
        let mut first = self.first_failure.lock().unwrap_or_else(|p| p.into_inner());
        first.get_or_insert(text);
    }
}

/// Runs the whole load: create, change, verify, release.
///
/// # Errors
///
/// When the engine cannot be reached or refuses to create the events; the
/// correctness findings are in the report, checked by [`LoadReport::check`].
pub async fn run(options: LoadOptions) -> Result<LoadReport, String> {
    let ids: Vec<String> = (0..options.events).map(|i| format!("{}-{i}", options.prefix)).collect();
    let rss_before = options.pid.and_then(resident_kib);
    create_events(&options, &ids).await?;
    let rss_created = options.pid.and_then(resident_kib);
    let shared = Arc::new(Shared {
        acknowledged: ids.iter().map(|_| Mutex::new(Vec::new())).collect(),
        ids,
        options: options.clone(),
        changes: AtomicU64::new(0),
        accepted: AtomicU64::new(0),
        busy: AtomicU64::new(0),
        given_up: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        other: AtomicU64::new(0),
        first_failure: Mutex::new(None),
        latencies: Mutex::new(Vec::new()),
    });
    let started = Instant::now();
    let workers: Vec<_> = (0..options.clients.max(1))
        .map(|worker| tokio::spawn(change_events(shared.clone(), worker)))
        .collect();
    for worker in workers {
        worker.await.map_err(|e| format!("client task: {e}"))?;
    }
    let elapsed = started.elapsed();
    let rss_end = options.pid.and_then(resident_kib);
    let mut report = verify(&shared).await;
    report.elapsed = elapsed;
    report.rss_kib = match (rss_before, rss_created, rss_end) {
        (Some(a), Some(b), Some(c)) => Some((a, b, c)),
        _ => None,
    };
    if options.release {
        release_events(&shared).await;
    }
    Ok(report)
}

/// Creates the events, spread over the clients.
async fn create_events(options: &LoadOptions, ids: &[String]) -> Result<(), String> {
    let clients = options.clients.max(1);
    let tasks: Vec<_> = (0..clients)
        .map(|worker| {
            let mine: Vec<String> = ids.iter().skip(worker).step_by(clients).cloned().collect();
            let mut client = Client::new(options.address, options.token.clone());
            let file_id = options.file_id;
            tokio::spawn(async move {
                for id in mine {
                    let body = serde_json::json!({"params": {"file-id": file_id, "event-id": id}});
                    let answer = client.send(Method::POST, "/api/events", body.to_string()).await?;
                    if answer.status != StatusCode::OK {
                        let text = String::from_utf8_lossy(&answer.body).into_owned();
                        return Err(format!("creating {id}: {} {text}", answer.status));
                    }
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| format!("create task: {e}"))??;
    }
    Ok(())
}

/// One client: appends one entry at a time until the run's time is up.
async fn change_events(shared: Arc<Shared>, worker: usize) {
    let options = &shared.options;
    let mut client = Client::new(options.address, options.token.clone());
    let mut random = Random::new(worker as u64 + 1);
    let clients = options.clients.max(1);
    let own: Vec<usize> = (worker..shared.ids.len()).step_by(clients).collect();
    let deadline = Instant::now() + options.duration;
    let mut sequence = 0u64;
    while Instant::now() < deadline {
        let event = if own.is_empty() || random.chance(options.contention) {
            random.below(shared.ids.len())
        } else {
            own[random.below(own.len())]
        };
        let marker = format!("w{worker}-{sequence}");
        sequence += 1;
        shared.changes.fetch_add(1, Ordering::Relaxed);
        change_one(&shared, &mut client, event, marker).await;
    }
}

/// Appends one entry carrying `marker` to `event`, retrying after `CIP`.
async fn change_one(shared: &Shared, client: &mut Client, event: usize, marker: String) {
    let options = &shared.options;
    let mut entry = options.entry.clone();
    entry.insert(options.marker_column.clone(), Json::String(marker.clone()));
    let body = serde_json::json!({"params": {"event-log": [entry]}}).to_string();
    let path = format!("/api/events/{}/event-log", shared.ids[event]);
    for _ in 0..options.max_attempts.max(1) {
        let sent = Instant::now();
        let answer = match client.send(Method::POST, &path, body.clone()).await {
            Ok(answer) => answer,
            Err(text) => return shared.failure(None, text),
        };
        match answer.status {
            StatusCode::OK => {
                let latency = sent.elapsed();
                // The acknowledgement is recorded under the event's lock
                // before the next change of this client, so the order of
                // one client's entries is the order they were acknowledged.
                shared.acknowledged[event].lock().unwrap_or_else(|p| p.into_inner()).push(marker);
                shared.latencies.lock().unwrap_or_else(|p| p.into_inner()).push(latency);
                shared.accepted.fetch_add(1, Ordering::Relaxed);
                return;
            }
            StatusCode::LOCKED => {
                shared.busy.fetch_add(1, Ordering::Relaxed);
                let wait = answer.retry_after.unwrap_or(1);
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            status => {
                let text = String::from_utf8_lossy(&answer.body).into_owned();
                return shared.failure(Some(status), format!("{path}: {status} {text}"));
            }
        }
    }
    shared.given_up.fetch_add(1, Ordering::Relaxed);
}

/// Reads every log back and compares it with the acknowledgements.
async fn verify(shared: &Shared) -> LoadReport {
    let options = &shared.options;
    let mut client = Client::new(options.address, options.token.clone());
    let mut report = LoadReport { events: shared.ids.len(), ..LoadReport::default() };
    for (event, id) in shared.ids.iter().enumerate() {
        let acknowledged = shared.acknowledged[event].lock().map(|a| a.clone()).unwrap_or_default();
        let path = format!("/api/events/{id}/event-log");
        let log = match client.send(Method::GET, &path, String::new()).await {
            Ok(answer) if answer.status == StatusCode::OK => markers(&answer.body, options),
            Ok(answer) => {
                shared.failure(Some(answer.status), format!("{path}: {}", answer.status));
                continue;
            }
            Err(text) => {
                shared.failure(None, text);
                continue;
            }
        };
        compare(&acknowledged, &log, &mut report);
    }
    report.changes = shared.changes.load(Ordering::Relaxed);
    report.accepted = shared.accepted.load(Ordering::Relaxed);
    report.busy_answers = shared.busy.load(Ordering::Relaxed);
    report.given_up = shared.given_up.load(Ordering::Relaxed);
    report.server_errors = shared.server_errors.load(Ordering::Relaxed);
    report.other_failures = shared.other.load(Ordering::Relaxed);
    report.first_failure = shared.first_failure.lock().map(|f| f.clone()).unwrap_or_default();
    let mut latencies = shared.latencies.lock().map(|l| l.clone()).unwrap_or_default();
    latencies.sort();
    report.p50 = percentile(&latencies, 0.50);
    report.p99 = percentile(&latencies, 0.99);
    report
}

/// The marker column's values of a log answer, in log order.
fn markers(body: &[u8], options: &LoadOptions) -> Vec<String> {
    let log: Json = serde_json::from_slice(body).unwrap_or(Json::Null);
    let entries = log["data"].as_array().cloned().unwrap_or_default();
    entries
        .iter()
        .filter_map(|entry| entry.as_object())
        .map(|entry| {
            entry
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(&options.marker_column))
                .and_then(|(_, value)| value.as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// Counts lost, unexpected and out-of-order entries of one event.
fn compare(acknowledged: &[String], log: &[String], report: &mut LoadReport) {
    let mut expected: HashMap<&str, u64> = HashMap::new();
    for marker in acknowledged {
        *expected.entry(marker.as_str()).or_default() += 1;
    }
    // Per client, the sequence number last seen in the log.
    let mut last: HashMap<&str, u64> = HashMap::new();
    for marker in log {
        match expected.get_mut(marker.as_str()) {
            Some(count) if *count > 0 => *count -= 1,
            _ => report.unexpected += 1,
        }
        if let Some((client, sequence)) = marker.split_once('-') {
            let sequence: u64 = sequence.parse().unwrap_or(0);
            if last.insert(client, sequence).is_some_and(|before| before > sequence) {
                report.out_of_order += 1;
            }
        }
    }
    report.lost += expected.values().sum::<u64>();
}

/// Releases every event of the run.
async fn release_events(shared: &Shared) {
    let mut client = Client::new(shared.options.address, shared.options.token.clone());
    for id in &shared.ids {
        let _ = client.send(Method::DELETE, &format!("/api/events/{id}"), String::new()).await;
    }
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * share).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// The resident memory of a process, in KiB (`VmRSS` of `/proc/<pid>/status`).
pub fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A small xorshift generator: the load needs spread, not quality.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, share: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < share
    }
}
