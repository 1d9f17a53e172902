//! The printer worker: one thread with its own database connection that prints pending jobs
//! oldest first. The counter queues a job (one short transaction), calls `wake`, and goes on
//! serving; it learns how the job went from `PrintEvent`s and can offer 重打 on a failure.
//! Every printer call is bounded by the printer settings' timeout, so a dead printer delays
//! only the worker, never the counter.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::Result;
use super::printing::{self, JobKind, PrintJob};
use crate::store::Db;

/// How often the worker looks for jobs queued by another program (the command line, a second
/// counter window) without being woken.
const POLL: Duration = Duration::from_secs(2);

/// How a job ended, in the staff's language (the stored job has it in Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Sent to the printer; the note says what to check (the printer did not answer, paper low).
    Printed { note: Option<String> },
    /// Not printed, and why: offer 重打 once it is fixed.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintEvent {
    pub job_id: i64,
    pub kind: JobKind,
    /// Receipt number, donation reference, session id…
    pub reference: String,
    pub outcome: JobOutcome,
}

enum Command {
    Wake,
    Stop,
}

pub struct PrintWorker;

impl PrintWorker {
    /// Opens its own connection to the database at `db_path` and starts the thread. Jobs a
    /// stopped program left half-printed are failed first (nobody knows if they came out),
    /// and again whenever the worker looks for work.
    pub fn start(db_path: &Path) -> Result<PrintWorkerHandle> {
        Self::spawn(db_path, None)
    }

    /// As `start`, calling `notify` after each event (e.g. egui's `request_repaint`).
    pub fn start_with_notify(
        db_path: &Path,
        notify: impl Fn() + Send + 'static,
    ) -> Result<PrintWorkerHandle> {
        Self::spawn(db_path, Some(Box::new(notify)))
    }

    fn spawn(db_path: &Path, notify: Option<Box<dyn Fn() + Send>>) -> Result<PrintWorkerHandle> {
        let mut db = Db::open(db_path)?;
        printing::fail_interrupted(&mut db)?;
        let (commands, inbox) = mpsc::channel();
        let (outbox, events) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("jifen-printer".into())
            .spawn(move || run(db, inbox, outbox, notify))
            .map_err(|e| crate::store::StoreError::Invariant(format!("printer thread: {e}")))?;
        Ok(PrintWorkerHandle {
            commands,
            events,
            thread: Some(thread),
        })
    }
}

/// The counter's hold on the worker. Dropping it asks the worker to stop after the job in hand.
pub struct PrintWorkerHandle {
    commands: Sender<Command>,
    events: Receiver<PrintEvent>,
    thread: Option<JoinHandle<()>>,
}

impl PrintWorkerHandle {
    /// Look for pending jobs now (call after queueing one). Never blocks.
    pub fn wake(&self) {
        let _ = self.commands.send(Command::Wake);
    }

    /// Events as they come, for a caller that wants to wait (`recv_timeout`).
    pub fn events(&self) -> &Receiver<PrintEvent> {
        &self.events
    }

    /// Events since the last poll; never blocks (call once per frame).
    pub fn poll(&self) -> Vec<PrintEvent> {
        self.events.try_iter().collect()
    }

    /// Stops the worker and waits for it: at most the job in hand, which the printer
    /// timeouts bound.
    pub fn stop(mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for PrintWorkerHandle {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
    }
}

fn run(
    mut db: Db,
    commands: Receiver<Command>,
    events: Sender<PrintEvent>,
    notify: Option<Box<dyn Fn() + Send>>,
) {
    loop {
        // A busy database is no reason to stop: both are tried again at the next wake or poll.
        let _ = printing::fail_interrupted(&mut db);
        loop {
            match commands.try_recv() {
                Ok(Command::Stop) | Err(TryRecvError::Disconnected) => return,
                Ok(Command::Wake) | Err(TryRecvError::Empty) => {}
            }
            let Ok(Some(job)) = printing::claim(&mut db, None) else {
                break;
            };
            let event = print_one(&mut db, job);
            let _ = events.send(event);
            if let Some(notify) = &notify {
                notify();
            }
        }
        match commands.recv_timeout(POLL) {
            Ok(Command::Wake) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn print_one(db: &mut Db, job: PrintJob) -> PrintEvent {
    let (result, _recorded) = printing::run_claimed(db, &job, None);
    let locale = rust_i18n::locale();
    let outcome = match result {
        Ok(sent) => JobOutcome::Printed {
            note: sent.note(&locale),
        },
        Err(problem) => JobOutcome::Failed(problem.message(&locale)),
    };
    PrintEvent {
        job_id: job.id,
        kind: job.kind,
        reference: job.reference,
        outcome,
    }
}
