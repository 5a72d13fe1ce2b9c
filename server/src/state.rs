//! [`AppState`]: what every handler shares, the evaluation of a log off the
//! async workers, and the idle reaper.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use runtime::evaluator::{Entry, EvalError};
use serde_json::value::RawValue;

use crate::config::Config;
use crate::error::ApiError;
use crate::files::FileRegistry;
use crate::json::render_outcomes;
use crate::loader::LoadedWorkbook;
use crate::storage::{ChangeGuard, EventStore, LiveEvent, Snapshot, StoreError};

/// The shared state of the service. Cloning is cheap.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub files: Arc<FileRegistry>,
    pub events: Arc<dyn EventStore>,
    /// False while the engine cannot serve (shutting down, overloaded):
    /// every request then answers `STU`.
    available: Arc<AtomicBool>,
    /// Changes and releases running in their own tasks, which shutdown
    /// waits for.
    in_flight: Arc<AtomicUsize>,
}

/// Counts one task among the changes in flight for as long as it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(counter: &Arc<AtomicUsize>) -> InFlight {
        counter.fetch_add(1, Ordering::AcqRel);
        InFlight(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl AppState {
    /// A state serving `files` and `events` under `config`.
    pub fn new(config: Config, files: FileRegistry, events: Arc<dyn EventStore>) -> AppState {
        AppState {
            config: Arc::new(config),
            files: Arc::new(files),
            events,
            available: Arc::new(AtomicBool::new(true)),
            in_flight: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Whether requests are served.
    pub fn is_available(&self) -> bool {
        self.available.load(Ordering::Acquire)
    }

    /// Switches serving on or off (off answers `STU` to every request).
    pub fn set_available(&self, available: bool) {
        self.available.store(available, Ordering::Release);
    }

    /// How many changes and releases are being applied.
    pub fn changes_in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Waits until no change or release is being applied, for at most
    /// `limit`; returns whether none is left. Shutdown calls it once the
    /// engine answers `STU`, so no new change starts meanwhile.
    pub async fn drain(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while self.changes_in_flight() > 0 {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        true
    }

    /// The live event `id`, recording the call as activity.
    ///
    /// # Errors
    ///
    /// `EventNotFound`; `Internal` when the store fails.
    pub async fn event(&self, id: &str) -> Result<Arc<LiveEvent>, ApiError> {
        let event = self.events.get(id).await.map_err(store_error)?;
        let event = event.ok_or_else(|| ApiError::EventNotFound(id.to_string()))?;
        if self.expire(&event).await {
            return Err(ApiError::EventNotFound(id.to_string()));
        }
        event.touch();
        Ok(event)
    }

    /// Records a call naming `id` as activity, if the event exists and has
    /// not outlived its idle timeout.
    pub async fn touch(&self, id: &str) {
        if let Ok(Some(event)) = self.events.get(id).await {
            if !self.expire(&event).await {
                event.touch();
            }
        }
    }

    /// Releases `event` when it has been idle for the idle timeout, as the
    /// reaper would on its next round: a call that arrives after the
    /// timeout, before the reaper, finds the event gone rather than
    /// reviving it. Returns whether it is gone. A busy event is not idle.
    async fn expire(&self, event: &Arc<LiveEvent>) -> bool {
        let timeout = self.config.idle_timeout;
        if event.last_access_instant().elapsed() < timeout {
            return false;
        }
        match self.release_unless_touched(event, Some(timeout)).await {
            Ok(released) => {
                if released {
                    tracing::info!(event_id = %event.id, "idle event expired");
                }
                released
            }
            Err(ApiError::EventNotFound(_)) => true,
            Err(_) => false,
        }
    }

    /// Releases `event`, which the caller found live.
    ///
    /// The release runs in a task of its own, so a client that goes away
    /// cannot leave an event marked released but still listed.
    ///
    /// # Errors
    ///
    /// `Busy` when a change is being applied; `EventNotFound` when another
    /// release won; `Internal` when the store fails.
    pub async fn release(&self, event: &Arc<LiveEvent>) -> Result<(), ApiError> {
        self.release_unless_touched(event, None).await.map(|_| ())
    }

    /// Releases `event` if, once its lock is held, it has been idle for at
    /// least `idle` (always when `None`). Returns whether it was released.
    /// The second look under the lock keeps the reaper from releasing an
    /// event that a call touched after the reaper first saw it idle.
    async fn release_unless_touched(
        &self,
        event: &Arc<LiveEvent>,
        idle: Option<Duration>,
    ) -> Result<bool, ApiError> {
        let change = event.try_change()?;
        if idle.is_some_and(|timeout| event.last_access_instant().elapsed() < timeout) {
            return Ok(false);
        }
        let events = self.events.clone();
        let in_flight = InFlight::enter(&self.in_flight);
        let task = tokio::spawn(async move {
            let _in_flight = in_flight;
            change.mark_released();
            let id = &change.event().id;
            events.remove(id).await.map_err(store_error)?;
            tracing::info!(event_id = %id, "event released");
            Ok(true)
        });
        task.await.map_err(|e| ApiError::Internal(format!("release task failed: {e}")))?
    }

    /// Applies a change that passed every check: evaluates `log`, persists
    /// it and publishes it, then answers the new outcomes.
    ///
    /// The work runs in a task of its own holding the change lock, so a
    /// client that goes away cannot leave a change persisted but unpublished.
    ///
    /// # Errors
    ///
    /// `LogOverflow` or `Internal` from the evaluation; `Internal` when the
    /// store fails. The event is then left as it was.
    pub async fn apply(
        &self,
        change: ChangeGuard,
        log: Vec<Entry>,
    ) -> Result<Box<RawValue>, ApiError> {
        let events = self.events.clone();
        let in_flight = InFlight::enter(&self.in_flight);
        let task = tokio::spawn(async move {
            let _in_flight = in_flight;
            let event = change.event().clone();
            let (log, outcomes) = evaluate(&event.workbook, log).await?;
            let snapshot = Snapshot { log, outcomes };
            events.save(&event, &snapshot).await.map_err(store_error)?;
            let answer = snapshot.outcomes.clone();
            tracing::debug!(event_id = %event.id, log_length = snapshot.log.len(), "log changed");
            change.publish(snapshot);
            // A change in progress is activity until it ends: the idle
            // time starts from its answer, not from its request.
            event.touch();
            Ok(answer)
        });
        task.await.map_err(|e| ApiError::Internal(format!("change task failed: {e}")))?
    }

    /// Releases every event idle for at least the idle timeout, and returns
    /// how many were released. An event with a change in progress is busy,
    /// not idle, and stays.
    pub async fn reap_idle(&self) -> usize {
        let Ok(events) = self.events.list().await else { return 0 };
        let timeout = self.config.idle_timeout;
        let mut released = 0;
        for event in events {
            if event.last_access_instant().elapsed() >= timeout
                && self.release_unless_touched(&event, Some(timeout)).await.unwrap_or(false)
            {
                tracing::info!(event_id = %event.id, "idle event expired");
                released += 1;
            }
        }
        released
    }

    /// Starts the reaper: a task that releases idle events, checking a few
    /// times per timeout so an event outlives its timeout by little. Each
    /// round also checkpoints the store (last accesses, engine running), so
    /// idle time goes on counting after a restart.
    pub fn spawn_reaper(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        let period =
            (self.config.idle_timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                state.reap_idle().await;
                if let Err(e) = state.events.checkpoint().await {
                    tracing::error!(error = %e, "event store checkpoint failed");
                }
            }
        })
    }
}

/// Evaluates `log` with `workbook` on a blocking thread and renders the
/// outcomes. A panicking evaluator becomes `Internal`, never a dead worker.
///
/// # Errors
///
/// `LogOverflow` when the evaluator finds the log too long; `Internal` for
/// any failure of the evaluator.
pub async fn evaluate(
    workbook: &Arc<LoadedWorkbook>,
    log: Vec<Entry>,
) -> Result<(Vec<Entry>, Box<RawValue>), ApiError> {
    let workbook = workbook.clone();
    let task = tokio::task::spawn_blocking(move || {
        let outcomes = workbook.evaluator.evaluate(&log);
        (log, outcomes.map(|o| render_outcomes(&workbook.program.output, &o)))
    });
    match task.await {
        Ok((log, Ok(Ok(rendered)))) => Ok((log, rendered)),
        Ok((_, Ok(Err(error)))) => Err(error),
        Ok((_, Err(EvalError::Overflow { len, capacity }))) => {
            Err(ApiError::LogOverflow { len, capacity })
        }
        Ok((_, Err(EvalError::Internal(detail)))) => {
            Err(ApiError::Internal(format!("evaluator: {detail}")))
        }
        Err(join) if join.is_panic() => {
            Err(ApiError::Internal(format!("evaluator panicked: {}", panic_text(join))))
        }
        Err(join) => Err(ApiError::Internal(format!("evaluation task failed: {join}"))),
    }
}

fn panic_text(join: tokio::task::JoinError) -> String {
    let payload = join.into_panic();
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a non-text panic".to_string()
    }
}

/// A store failure, answered as an internal error.
pub fn store_error(error: StoreError) -> ApiError {
    ApiError::Internal(error.to_string())
}
