//! The file registry: uploaded workbooks, their versions and metadata in the
//! data directory, and the loaded evaluator of every version in use.
//!
//! The catalog and the bytes of every version live in the embedded database
//! ([`crate::db`]), written together in one synced transaction. Uploaded
//! names are only metadata: they never become paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use compiler::Diagnostic;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::db::{Database, FileRow, StoredCatalog};
use crate::error::ApiError;
use crate::loader::{
    CompileWorker, EvaluatorSlot, EvaluatorState, LoadedWorkbook, NativeBuilder, WorkbookLoader,
};
use crate::storage::StoreError;

/// The first id given to an uploaded file; lower ids belong to the fixtures.
pub const FIRST_UPLOAD_ID: u64 = 100;

/// The fixture workbooks seeded into a new data directory, as
/// `(file id, name, bytes)` with ids below [`FIRST_UPLOAD_ID`].
pub fn builtin_fixtures() -> &'static [(u64, &'static str, &'static [u8])] {
    const FIXTURES: [(u64, &str, &[u8]); 2] = [
        (1, "football.xlsx", include_bytes!("../../fixtures/football.xlsx")),
        (2, "basketball.xlsx", include_bytes!("../../fixtures/basketball.xlsx")),
    ];
    &FIXTURES
}

/// A failure of the data directory.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot access {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the catalog {path} is unreadable: {source}")]
    Catalog { path: PathBuf, source: serde_json::Error },
    #[error(transparent)]
    Database(#[from] StoreError),
    #[error("file {id} version {version} is in the catalog but its bytes are not stored")]
    MissingVersion { id: u64, version: u32 },
}

/// The metadata of one file, as the catalog keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct FileMeta {
    id: u64,
    name: String,
    version: u32,
    /// RFC 3339 time of the current version's upload.
    uploaded: String,
    deleted: bool,
}

impl FileMeta {
    /// Version 1 of a file, uploaded now.
    fn first_version(id: u64, name: &str) -> FileMeta {
        let name = name.to_string();
        FileMeta { id, name, version: 1, uploaded: now_text(), deleted: false }
    }
}

/// Everything the catalog holds (and what `catalog.json` held before the
/// database, read once to import it).
#[derive(Debug, Serialize, Deserialize)]
struct Catalog {
    next_id: u64,
    /// Fixture ids seeded once, so that a fixture an operator deleted stays deleted.
    seeded: Vec<u64>,
    files: Vec<FileMeta>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog { next_id: FIRST_UPLOAD_ID, seeded: Vec::new(), files: Vec::new() }
    }
}

/// One version of a file, with its workbook or the reason it cannot serve.
#[derive(Debug)]
pub struct FileVersion {
    pub id: u64,
    pub name: String,
    pub version: u32,
    pub uploaded: OffsetDateTime,
    pub workbook: Result<Arc<LoadedWorkbook>, Vec<Diagnostic>>,
    /// The evaluator the workbook serves with, which a native one may
    /// replace; none for a workbook that does not load.
    pub evaluator: Option<Arc<EvaluatorSlot>>,
}

impl FileVersion {
    /// Where the version's evaluator stands; `failed` with the problems for
    /// a workbook that does not load.
    pub fn evaluator_state(&self) -> EvaluatorState {
        match (&self.evaluator, &self.workbook) {
            (Some(slot), _) => slot.state(),
            (None, Err(problems)) => {
                let reasons: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
                EvaluatorState::Failed(reasons.join("; "))
            }
            (None, Ok(_)) => EvaluatorState::Interpreted,
        }
    }
}

/// A loaded workbook made to serve through a replaceable evaluator.
fn serving(workbook: LoadedWorkbook) -> (Arc<LoadedWorkbook>, Arc<EvaluatorSlot>) {
    let slot = Arc::new(EvaluatorSlot::new(workbook.evaluator));
    let evaluator = slot.clone();
    (Arc::new(LoadedWorkbook { evaluator, ..workbook }), slot)
}

/// The files of the service; see the module documentation.
pub struct FileRegistry {
    db: Arc<Database>,
    loader: Arc<dyn WorkbookLoader>,
    inner: RwLock<Inner>,
    /// The background builder of native evaluators, once started.
    native: OnceLock<CompileWorker>,
}

struct Inner {
    catalog: Catalog,
    /// The loaded current version of every file that is not deleted.
    versions: BTreeMap<(u64, u32), Arc<FileVersion>>,
}

impl FileRegistry {
    /// Opens the database in the data directory, seeding `fixtures` where
    /// they were never seeded, and loads the current version of every file.
    ///
    /// # Errors
    ///
    /// A [`StorageError`] when the directory or the catalog cannot be read.
    pub fn open(
        dir: &Path,
        loader: Arc<dyn WorkbookLoader>,
        fixtures: &[(u64, &str, &[u8])],
    ) -> Result<FileRegistry, StorageError> {
        FileRegistry::open_in(Database::open(dir)?, loader, fixtures)
    }

    /// Like [`FileRegistry::open`], on a database already open (which the
    /// event store then shares).
    ///
    /// # Errors
    ///
    /// A [`StorageError`] when the catalog cannot be read.
    pub fn open_in(
        db: Arc<Database>,
        loader: Arc<dyn WorkbookLoader>,
        fixtures: &[(u64, &str, &[u8])],
    ) -> Result<FileRegistry, StorageError> {
        import_catalog_json(&db)?;
        seed_into(&db, fixtures)?;
        let catalog = read_catalog(&db)?;
        let registry = FileRegistry {
            db: db.clone(),
            loader,
            inner: RwLock::new(Inner { catalog, versions: BTreeMap::new() }),
            native: OnceLock::new(),
        };
        let current: Vec<FileMeta> =
            registry.read().catalog.files.iter().filter(|f| !f.deleted).cloned().collect();
        for meta in current {
            let (_, bytes) = db
                .file_version(meta.id, meta.version)?
                .ok_or(StorageError::MissingVersion { id: meta.id, version: meta.version })?;
            let version = registry.build(&meta, &bytes);
            if let Err(problems) = &version.workbook {
                tracing::error!(
                    file_id = meta.id,
                    problems = problems.len(),
                    "stored workbook no longer loads"
                );
            }
            registry.write().versions.insert((meta.id, meta.version), Arc::new(version));
        }
        Ok(registry)
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the catalog half
        // written (writes replace whole values), so a poisoned lock is usable.
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn build(&self, meta: &FileMeta, bytes: &[u8]) -> FileVersion {
        let uploaded =
            OffsetDateTime::parse(&meta.uploaded, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let (workbook, evaluator) = match self.loader.load(&meta.name, bytes).map(serving) {
            Ok((workbook, slot)) => (Ok(workbook), Some(slot)),
            Err(problems) => (Err(problems), None),
        };
        FileVersion {
            id: meta.id,
            name: meta.name.clone(),
            version: meta.version,
            uploaded,
            workbook,
            evaluator,
        }
    }

    /// Starts building native evaluators with `builder` in the background:
    /// for every current version now, and for every version stored later.
    /// Each keeps serving with the interpreter until its native evaluator
    /// is built and agrees with it. Starting twice changes nothing.
    ///
    /// # Errors
    ///
    /// When the worker thread cannot be started.
    pub fn start_native(&self, builder: Arc<dyn NativeBuilder>) -> std::io::Result<()> {
        if self.native.get().is_some() {
            return Ok(());
        }
        let worker = CompileWorker::start(builder)?;
        let worker = self.native.get_or_init(|| worker);
        for version in self.list() {
            if let Some(slot) = &version.evaluator {
                worker.submit(version.id, version.version, slot.clone());
            }
        }
        Ok(())
    }

    /// The current version of a file that is not deleted.
    pub fn current(&self, id: u64) -> Option<Arc<FileVersion>> {
        let inner = self.read();
        let meta = inner.catalog.files.iter().find(|f| f.id == id && !f.deleted)?;
        inner.versions.get(&(meta.id, meta.version)).cloned()
    }

    /// The current versions of every file that is not deleted, by id.
    pub fn list(&self) -> Vec<Arc<FileVersion>> {
        let inner = self.read();
        let live = inner.catalog.files.iter().filter(|f| !f.deleted);
        live.filter_map(|f| inner.versions.get(&(f.id, f.version)).cloned()).collect()
    }

    /// Stores a new file. Blocking: call it off the async workers.
    ///
    /// # Errors
    ///
    /// `InvalidWorkbook` listing every problem; `Internal` when storing fails.
    pub fn upload(&self, name: &str, bytes: &[u8]) -> Result<Arc<FileVersion>, ApiError> {
        let workbook = self.load(name, bytes)?;
        let mut inner = self.write();
        let id = inner.catalog.next_id.max(FIRST_UPLOAD_ID);
        inner.catalog.next_id = id + 1;
        let meta = FileMeta::first_version(id, name);
        self.store(&mut inner, meta, bytes, workbook)
    }

    /// Stores a new version of file `id`. Blocking: call it off the async workers.
    ///
    /// # Errors
    ///
    /// `FileNotFound`, `InvalidWorkbook` listing every problem, `Internal`.
    pub fn replace(&self, id: u64, name: &str, bytes: &[u8]) -> Result<Arc<FileVersion>, ApiError> {
        let version = {
            let inner = self.read();
            let meta = inner.catalog.files.iter().find(|f| f.id == id && !f.deleted);
            meta.map(|m| m.version + 1).ok_or_else(|| ApiError::FileNotFound(id.to_string()))?
        };
        let workbook = self.load(name, bytes)?;
        let mut inner = self.write();
        // A concurrent delete or replace may have won the race while this one
        // compiled; the later writer is refused rather than silently merged.
        let current = inner.catalog.files.iter().find(|f| f.id == id && !f.deleted);
        match current {
            None => return Err(ApiError::FileNotFound(id.to_string())),
            Some(m) if m.version + 1 != version => return Err(ApiError::Busy),
            Some(_) => {}
        }
        let meta =
            FileMeta { id, name: name.to_string(), version, uploaded: now_text(), deleted: false };
        self.store(&mut inner, meta, bytes, workbook)
    }

    /// Marks file `id` deleted; events bound to it keep their version.
    ///
    /// # Errors
    ///
    /// `FileNotFound`; `Internal` when the catalog cannot be written.
    pub fn delete(&self, id: u64) -> Result<(), ApiError> {
        let mut inner = self.write();
        let meta = inner.catalog.files.iter_mut().find(|f| f.id == id && !f.deleted);
        let meta = meta.ok_or_else(|| ApiError::FileNotFound(id.to_string()))?;
        meta.deleted = true;
        let row = FileRow::from(&*meta);
        self.db.put_file_row(&row).map_err(|e| internal(e.into()))
    }

    /// The workbook of any stored version of file `id` (current, replaced or
    /// deleted: events keep the version they were created with), loaded
    /// from the database unless it is the current one. Blocking.
    ///
    /// # Errors
    ///
    /// A sentence saying why the version cannot serve.
    pub fn version_workbook(&self, id: u64, version: u32) -> Result<Arc<LoadedWorkbook>, String> {
        let loaded = self.read().versions.get(&(id, version)).cloned();
        if let Some(loaded) = loaded {
            return loaded.workbook.clone().map_err(|p| no_longer_loads(id, version, &p));
        }
        let missing = || format!("file {id} version {version} is not stored");
        let stored = self.db.file_version(id, version).map_err(|e| e.to_string())?;
        let (name, bytes) = stored.ok_or_else(missing)?;
        self.loader
            .load(&name, &bytes)
            .map(Arc::new)
            .map_err(|problems| no_longer_loads(id, version, &problems))
    }

    fn load(
        &self,
        name: &str,
        bytes: &[u8],
    ) -> Result<(Arc<LoadedWorkbook>, Arc<EvaluatorSlot>), ApiError> {
        self.loader
            .load(name, bytes)
            .map(serving)
            .map_err(|problems| ApiError::invalid_workbook(&problems))
    }

    fn store(
        &self,
        inner: &mut Inner,
        meta: FileMeta,
        bytes: &[u8],
        (workbook, slot): (Arc<LoadedWorkbook>, Arc<EvaluatorSlot>),
    ) -> Result<Arc<FileVersion>, ApiError> {
        let next_id = Some(inner.catalog.next_id);
        self.db
            .put_file_version(&FileRow::from(&meta), bytes, next_id, false)
            .map_err(|e| internal(e.into()))?;
        inner.catalog.files.retain(|f| f.id != meta.id);
        inner.catalog.files.push(meta.clone());
        inner.catalog.files.sort_by_key(|f| f.id);
        let uploaded =
            OffsetDateTime::parse(&meta.uploaded, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let version = Arc::new(FileVersion {
            id: meta.id,
            name: meta.name,
            version: meta.version,
            uploaded,
            workbook: Ok(workbook),
            evaluator: Some(slot.clone()),
        });
        // Events hold their own version's workbook, so the registry keeps only
        // the current one.
        inner.versions.retain(|(id, _), _| *id != version.id);
        inner.versions.insert((version.id, version.version), version.clone());
        tracing::info!(file_id = version.id, version = version.version, "workbook stored");
        if let Some(worker) = self.native.get() {
            worker.submit(version.id, version.version, slot);
        }
        Ok(version)
    }
}

/// Seeds the fixture workbooks, as `(file id, name, bytes)`, into the data
/// directory: each fixture that was never seeded there, so a new directory
/// gets them all and a fixture an operator deleted is not brought back.
///
/// # Errors
///
/// A [`StorageError`] when the directory cannot be written.
pub fn seed_fixtures(data_dir: &Path, fixtures: &[(u64, &str, &[u8])]) -> Result<(), StorageError> {
    seed_into(&*Database::open(data_dir)?, fixtures)
}

fn seed_into(db: &Database, fixtures: &[(u64, &str, &[u8])]) -> Result<(), StorageError> {
    let catalog = read_catalog(db)?;
    for &(id, name, bytes) in fixtures {
        let taken = catalog.files.iter().any(|f| f.id == id);
        if catalog.seeded.contains(&id) || taken || id >= FIRST_UPLOAD_ID {
            continue;
        }
        let meta = FileMeta::first_version(id, name);
        db.put_file_version(&FileRow::from(&meta), bytes, None, true)?;
        tracing::info!(file_id = id, name, "fixture workbook seeded");
    }
    Ok(())
}

impl From<&FileMeta> for FileRow {
    fn from(meta: &FileMeta) -> FileRow {
        FileRow {
            id: meta.id,
            name: meta.name.clone(),
            version: meta.version,
            uploaded: meta.uploaded.clone(),
            deleted: meta.deleted,
        }
    }
}

impl From<FileRow> for FileMeta {
    fn from(row: FileRow) -> FileMeta {
        let FileRow { id, name, version, uploaded, deleted } = row;
        FileMeta { id, name, version, uploaded, deleted }
    }
}

fn read_catalog(db: &Database) -> Result<Catalog, StorageError> {
    let StoredCatalog { next_id, seeded, files } = db.catalog()?;
    Ok(Catalog {
        next_id: next_id.unwrap_or(FIRST_UPLOAD_ID),
        seeded,
        files: files.into_iter().map(FileMeta::from).collect(),
    })
}

fn no_longer_loads(id: u64, version: u32, problems: &[Diagnostic]) -> String {
    let first = problems.first().map(|p| format!(", first: {p}")).unwrap_or_default();
    format!("file {id} version {version} no longer loads ({} problems{first})", problems.len())
}

fn io_error(path: &Path, source: std::io::Error) -> StorageError {
    StorageError::Io { path: path.to_path_buf(), source }
}

fn internal(error: StorageError) -> ApiError {
    ApiError::Internal(error.to_string())
}

fn now_text() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}

/// Imports a data directory written before the database existed
/// (`catalog.json` and `files/<id>/<version>.xlsx`), once: only into a
/// database that holds no catalog yet. The old files are left in place.
fn import_catalog_json(db: &Database) -> Result<(), StorageError> {
    let Some(dir) = db.path().parent() else { return Ok(()) };
    let path = dir.join("catalog.json");
    let stored = db.catalog()?;
    if !path.exists() || !stored.files.is_empty() || stored.next_id.is_some() {
        return Ok(());
    }
    let text = std::fs::read(&path).map_err(|source| io_error(&path, source))?;
    let catalog: Catalog = serde_json::from_slice(&text)
        .map_err(|source| StorageError::Catalog { path: path.clone(), source })?;
    for meta in &catalog.files {
        for version in 1..=meta.version {
            let file = dir.join("files").join(meta.id.to_string()).join(format!("{version}.xlsx"));
            let bytes = match std::fs::read(&file) {
                Ok(bytes) => bytes,
                // Only the current version must exist; older ones may be gone.
                Err(_) if version < meta.version => continue,
                Err(source) => return Err(io_error(&file, source)),
            };
            let row = FileMeta { version, ..meta.clone() };
            let seeded = catalog.seeded.contains(&meta.id);
            db.put_file_version(&FileRow::from(&row), &bytes, Some(catalog.next_id), seeded)?;
        }
    }
    for &id in &catalog.seeded {
        if !catalog.files.iter().any(|f| f.id == id) {
            db.mark_seeded(id)?;
        }
    }
    tracing::info!(path = %path.display(), files = catalog.files.len(), "catalog.json imported");
    Ok(())
}
