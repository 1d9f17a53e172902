//! The push at a day's close, on a thread of its own (issue 21): a push of a busy day, or to a
//! slow township line, takes seconds, and the counter must not wait for it. The thread has its
//! own connection to the store (the closing member's key held on it, like the print worker's)
//! and reports what it is doing through a shared state the manager's screen shows: pushing…,
//! done (the store's push log then says when and how much), or failed and why.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use chrono::NaiveDateTime;
use rust_i18n::t;

use super::push::{DEFAULT_BATCH_ROWS, Progress};
use super::service::{address, push_store};
use crate::app::Actor;
use crate::store::Db;

/// What the background push is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushState {
    /// Connecting and comparing, or sending: rows the township holds of the ledger being sent.
    Pushing {
        done: i64,
        total: i64,
    },
    Done {
        rows: i64,
    },
    /// Refused (a fork, a wrong login) or failed (no network): the sentence to show.
    Failed {
        why: String,
    },
}

impl PushState {
    /// The sentence for the manager's screen.
    pub fn describe(&self) -> String {
        match self {
            PushState::Pushing { done, total } if *total > 0 => t!(
                "township.background.pushing_rows",
                done = done,
                total = total
            )
            .into(),
            PushState::Pushing { .. } => t!("township.background.pushing").into(),
            PushState::Done { rows } => t!("township.background.done", rows = rows).into(),
            PushState::Failed { why } => t!("township.background.failed", why = why).into(),
        }
    }
}

/// A push running on its own thread.
pub struct BackgroundPush {
    state: Arc<Mutex<PushState>>,
    handle: Option<JoinHandle<()>>,
}

impl BackgroundPush {
    /// Starts pushing the store at `path` to `url` as `actor`; `notify` is called whenever the
    /// state changes (the app asks for a repaint).
    pub fn start(
        path: &Path,
        url: String,
        actor: &Actor,
        now: NaiveDateTime,
        notify: impl Fn() + Send + 'static,
    ) -> Result<BackgroundPush, String> {
        let mut db = Db::open(path).map_err(|e| crate::app::Error::Store(e).to_string())?;
        actor.act_on(&mut db);
        let staff = actor.id;
        let state = Arc::new(Mutex::new(PushState::Pushing { done: 0, total: 0 }));
        let shared = Arc::clone(&state);
        let handle = std::thread::spawn(move || {
            let set = |s: PushState| {
                if let Ok(mut held) = shared.lock() {
                    *held = s;
                }
                notify();
            };
            let progress = |p: Progress| {
                set(PushState::Pushing {
                    done: p.done,
                    total: p.total,
                })
            };
            let result = push_store(
                &mut db,
                &url,
                DEFAULT_BATCH_ROWS,
                Some(staff),
                now,
                progress,
            );
            set(match result {
                Ok(done) => PushState::Done {
                    rows: done.rows_added(),
                },
                Err(e) => PushState::Failed { why: e.to_string() },
            });
        });
        Ok(BackgroundPush {
            state,
            handle: Some(handle),
        })
    }

    pub fn state(&self) -> PushState {
        self.state
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn finished(&self) -> bool {
        !matches!(self.state(), PushState::Pushing { .. })
    }

    /// Waits for the push to end (tests, and the app's exit) and gives its last state.
    pub fn wait(mut self) -> PushState {
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        self.state()
    }
}

/// The session-close hook: starts the push in the background when a township address is set;
/// `None` when there is none. A push that cannot even start says why.
pub fn push_at_close(
    db: &mut Db,
    actor: &Actor,
    now: NaiveDateTime,
    notify: impl Fn() + Send + 'static,
) -> Option<Result<BackgroundPush, String>> {
    let url = address(db, None).ok()?;
    Some(BackgroundPush::start(db.path(), url, actor, now, notify))
}
