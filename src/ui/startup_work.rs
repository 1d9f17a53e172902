//! The start-up work (check, then the day's backup: `app::startup`) begun once the first frame
//! is on the screen, its progress in the status bar, and `--exit-after-first-frame`, which
//! times a start from the process's first instruction to its first frame (issue 23).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use eframe::egui;
use rust_i18n::t;

use super::{Banner, JifenApp};
use crate::app::startup::StartupEvent;

static PROCESS_START: OnceLock<Instant> = OnceLock::new();
static EXIT_AFTER_FIRST_FRAME: AtomicBool = AtomicBool::new(false);

/// Marks the process's start; called first thing in `cli::main`.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(Instant::now);
}

/// `--exit-after-first-frame`: close the window once the first frame is drawn.
pub fn exit_after_first_frame(yes: bool) {
    EXIT_AFTER_FIRST_FRAME.store(yes, Ordering::Relaxed);
}

/// The start-up work: not begun, running (with what it last said), or done.
#[derive(Default)]
pub(super) struct StartupWork {
    frames: u64,
    events: Option<Receiver<StartupEvent>>,
    /// What the status bar says while the work runs.
    pub(super) status: Option<String>,
}

impl JifenApp {
    /// Called at the start of every frame: begins the work on the second frame (the first is
    /// on the screen by then, so neither the check nor a gigabyte's backup delays it) and
    /// takes in what the work has said since.
    pub(super) fn startup_work(&mut self, ctx: &egui::Context) {
        self.startup.frames += 1;
        match self.startup.frames {
            1 => ctx.request_repaint(),
            2 if !EXIT_AFTER_FIRST_FRAME.load(Ordering::Relaxed) => self.begin_startup_work(),
            _ => {}
        }
        let Some(events) = &self.startup.events else {
            return;
        };
        let received: Vec<StartupEvent> = events.try_iter().collect();
        for event in received {
            self.startup_event(event);
        }
    }

    fn begin_startup_work(&mut self) {
        let path = self.db.path().to_path_buf();
        let now = self.now();
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = self.ctx.clone();
        std::thread::Builder::new()
            .name("start-up check and backup".into())
            .spawn(move || {
                crate::app::startup::run(&path, now, |event| {
                    let _ = tx.send(event);
                    ctx.request_repaint();
                })
            })
            .ok();
        self.startup.events = Some(rx);
        self.startup.status = Some(t!("startup.checking").to_string());
    }

    fn startup_event(&mut self, event: StartupEvent) {
        let status = &mut self.startup.status;
        match event {
            StartupEvent::Checking => *status = Some(t!("startup.checking").to_string()),
            StartupEvent::Verified(verified) => {
                let now = self.now();
                let actor = self.actor.clone();
                if let Err(e) =
                    crate::app::check_mark::passed(&mut self.db, actor.as_ref(), verified, now)
                {
                    // Without a new mark the next start checks from the older one.
                    crate::app::log::failure(
                        self.db.path(),
                        "check mark",
                        Some(&e.to_string()),
                        now,
                    );
                }
            }
            StartupEvent::Checked(None) => *status = None,
            StartupEvent::Checked(Some(sentence)) => {
                *status = None;
                self.banner = Some(Banner::Problem(sentence));
            }
            StartupEvent::BackingUp { done, total } => {
                let percent = (done * 100).checked_div(total).unwrap_or(0);
                *status = Some(t!("startup.backing_up", percent = percent).to_string());
            }
            StartupEvent::BackedUp(Ok(_)) => *status = None,
            StartupEvent::BackedUp(Err(sentence)) => {
                *status = None;
                // A damaged store's banner stays: it is the graver news.
                if !matches!(self.banner, Some(Banner::Problem(_))) {
                    self.banner = Some(Banner::Problem(sentence));
                }
            }
            StartupEvent::Finished => {
                *status = None;
                self.startup.events = None;
            }
        }
    }

    /// Whether the start-up work (check, the day's backup) is still to come or running: tests
    /// wait for it before looking at what it left.
    pub fn startup_running(&self) -> bool {
        self.startup.frames < 2 || self.startup.events.is_some()
    }

    /// The status bar's line for the start-up work, while it runs.
    pub(super) fn startup_status_ui(&self, ui: &mut egui::Ui) {
        if let Some(status) = &self.startup.status {
            // Words, no spinner: a spinner repaints every frame for as long as the work runs.
            ui.weak(status.as_str());
        }
    }

    /// Called at the end of every frame: with `--exit-after-first-frame`, says how long the
    /// first one took from the process's start (and the peak memory) and closes the window.
    pub(super) fn after_frame(&self, ctx: &egui::Context) {
        if self.startup.frames != 1 || !EXIT_AFTER_FIRST_FRAME.load(Ordering::Relaxed) {
            return;
        }
        let elapsed = PROCESS_START
            .get()
            .map(Instant::elapsed)
            .unwrap_or_default();
        println!(
            "first frame {:.1} ms after process start, peak memory {}",
            elapsed.as_secs_f64() * 1e3,
            peak_memory().unwrap_or_else(|| "unknown".into())
        );
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// The process's peak resident memory (VmHWM), where the system says it.
pub fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().to_string())
}
