//! The README's walkthrough, replayed: starts the `sengine` binary as the
//! README does, runs every `curl` command of the walkthrough section through
//! a shell, and compares each answer with the one the README shows.
//!
//! In a shown answer, the string `"…"` stands for any value, and an array
//! ending in `"…"` for any continuation of the elements shown.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use crate::support::TempDir;

/// The address the README's commands use.
const README_BASE: &str = "http://127.0.0.1:8080";

/// One command and the answer the README shows for it.
struct Step {
    command: String,
    answer: String,
    json: bool,
}

/// The `sh` blocks of the walkthrough section, each followed by its answer.
fn walkthrough_steps() -> Vec<Step> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start =
        readme.find("## Walkthrough").unwrap_or_else(|| panic!("README has no Walkthrough"));
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let mut blocks = Vec::new();
    let mut rest = &section[..end];
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let (lang, body) = after.split_once('\n').unwrap();
        let close = body.find("```").unwrap();
        blocks.push((lang.trim().to_string(), body[..close].trim().to_string()));
        rest = &body[close + 3..];
    }
    let mut steps = Vec::new();
    let mut blocks = blocks.into_iter();
    while let Some((lang, command)) = blocks.next() {
        assert_eq!(lang, "sh", "a command block comes first: {command}");
        let (kind, answer) = blocks.next().unwrap_or_else(|| panic!("{command} shows no answer"));
        steps.push(Step { command, answer, json: kind == "json" });
    }
    steps
}

/// Whether `got` fits the README's `shown` answer (see the module docs).
fn fits(shown: &Json, got: &Json) -> bool {
    match (shown, got) {
        (Json::String(s), _) if s == "…" => true,
        (Json::Array(shown), Json::Array(got)) => match shown.split_last() {
            Some((Json::String(last), head)) if last == "…" => {
                got.len() >= head.len() && head.iter().zip(got).all(|(s, g)| fits(s, g))
            }
            _ => shown.len() == got.len() && shown.iter().zip(got).all(|(s, g)| fits(s, g)),
        },
        (Json::Object(shown), Json::Object(got)) => {
            shown.len() == got.len()
                && shown.iter().all(|(k, v)| got.get(k).is_some_and(|g| fits(v, g)))
        }
        _ => shown == got,
    }
}

/// The engine started as the README starts it, on a free port.
struct Engine {
    child: Child,
    base: String,
    _data: TempDir,
}

impl Engine {
    fn start() -> Engine {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let data = TempDir::new();
        let child = Command::new(env!("CARGO_BIN_EXE_sengine"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data")
            .arg(data.path())
            .env("RUST_LOG", "warn")
            // Background compiles would build the runtime in every test data
            // directory; the compiled evaluator has tests of its own.
            .env("SENGINE_NATIVE_BUILDS", "false")
            .env_remove("SENGINE_ADMIN_TOKEN")
            .env_remove("SENGINE_API_TOKEN")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the engine did not start listening");
            std::thread::sleep(Duration::from_millis(50));
        }
        Engine { child, base: format!("http://127.0.0.1:{port}"), _data: data }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every walkthrough command gives the answer the README shows.
#[test]
fn readme_walkthrough_replays() {
    let curl = Command::new("curl").arg("--version").output();
    assert!(curl.is_ok_and(|o| o.status.success()), "curl is needed to replay the README");
    let steps = walkthrough_steps();
    assert!(steps.len() >= 7, "the walkthrough has only {} commands", steps.len());
    let engine = Engine::start();
    for step in &steps {
        let command = step.command.replace(README_BASE, &engine.base);
        let output = Command::new("sh").args(["-c", &command]).output().unwrap();
        assert!(output.status.success(), "{command} failed");
        let got = String::from_utf8(output.stdout).unwrap();
        if step.json {
            let shown: Json = serde_json::from_str(&step.answer).unwrap();
            let got_json: Json = serde_json::from_str(&got)
                .unwrap_or_else(|e| panic!("{command}: answer is not JSON ({e}): {got}"));
            assert!(
                fits(&shown, &got_json),
                "{command}\nREADME shows: {shown}\nengine said: {got}"
            );
        } else {
            assert_eq!(got.trim(), step.answer, "{command}");
        }
    }
}
