//! The small window of the first start after an upgrade: while the store is backed up and
//! migrated (`app::upgrade`, on its own thread), the clerk sees what is happening and that the
//! PC must stay on, instead of a program that seems not to open. Shown only when the store's
//! schema is older than this program's, so only once per upgrade.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use eframe::egui;
use rust_i18n::t;

use super::theme;
use crate::app::upgrade::{self as work, Stage, Upgraded};
use crate::store::upgrade::Schema;

/// What the worker thread reports.
pub enum Report {
    Stage(Stage),
    Finished(Result<Option<Upgraded>, String>),
}

/// How the upgrade ended: the backup and migration done (or nothing to do), or why not.
type Outcome = Result<Option<Upgraded>, String>;

/// The window's state: what it shows follows the reports.
pub struct UpgradeWindow {
    reports: Receiver<Report>,
    stage: Option<Stage>,
    finished: Option<Result<Option<Upgraded>, String>>,
    outcome: Arc<Mutex<Option<Outcome>>>,
}

impl UpgradeWindow {
    pub fn new(reports: Receiver<Report>) -> Self {
        Self {
            reports,
            stage: None,
            finished: None,
            outcome: Arc::default(),
        }
    }

    fn poll(&mut self) {
        while let Ok(report) = self.reports.try_recv() {
            match report {
                Report::Stage(stage) => self.stage = Some(stage),
                Report::Finished(result) => self.finished = Some(result),
            }
        }
    }

    /// Draws the window; returns true when it may close.
    pub fn show(&mut self, ui: &mut egui::Ui) -> bool {
        self.poll();
        ui.heading(t!("upgrade.heading"));
        ui.add_space(8.0);
        let (fraction, text) = match &self.stage {
            None => (0.0, t!("upgrade.starting").to_string()),
            Some(Stage::BackingUp { pages_done, pages }) => {
                let f = if *pages == 0 {
                    0.0
                } else {
                    *pages_done as f32 / *pages as f32
                };
                let percent = (f * 100.0).round().to_string();
                // The backup is the first half of the bar, the migrations the second.
                (
                    f * 0.5,
                    t!("upgrade.backing_up", percent = percent).to_string(),
                )
            }
            Some(Stage::Migrating { from, to }) => (
                0.75,
                t!("upgrade.migrating", from = from, to = to).to_string(),
            ),
        };
        match &self.finished {
            None => {
                ui.label(text);
                ui.add(egui::ProgressBar::new(fraction).animate(true));
                ui.add_space(8.0);
                ui.label(t!("upgrade.keep_on"));
                false
            }
            Some(Ok(_)) => true,
            Some(Err(error)) => {
                ui.colored_label(theme::DANGER, t!("upgrade.failed", error = error));
                ui.button(t!("upgrade.close")).clicked()
            }
        }
    }
}

impl eframe::App for UpgradeWindow {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut close = false;
        egui::CentralPanel::default().show(ui, |ui| close = self.show(ui));
        let working = self.finished.is_none();
        // Closing the window must not stop a backup or a migration half way.
        if working && ctx.input(|i| i.viewport().close_requested()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        if close || (!working && ctx.input(|i| i.viewport().close_requested())) {
            *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = self.finished.clone();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if working {
            // The worker does not know the window; look again soon.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }
}

/// Before the counter opens: if the store needs upgrading, back it up and migrate it behind
/// the progress window. Errors are the clerk's sentence; a store from a newer version is
/// refused before anything touches it.
pub fn run_if_needed(dir: &Path) -> Result<(), String> {
    match work::schema(dir).map_err(|e| e.to_string())? {
        Schema::Missing | Schema::Current => return Ok(()),
        Schema::Newer { store, program } => {
            return Err(t!("upgrade.newer", store = store, program = program).into());
        }
        Schema::Older { .. } => {}
    }
    let (tx, rx) = mpsc::channel();
    let data: PathBuf = dir.to_path_buf();
    let worker = std::thread::spawn(move || {
        let progress = tx.clone();
        let result = work::run(&data, crate::cli::now(), move |stage| {
            let _ = progress.send(Report::Stage(stage));
        })
        .map_err(|e| e.to_string());
        let _ = tx.send(Report::Finished(result));
    });
    let window = UpgradeWindow::new(rx);
    let outcome = window.outcome.clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([560.0, 220.0])
            .with_resizable(false)
            .with_title(t!("upgrade.title")),
        ..Default::default()
    };
    // eframe keeps its event loop for the counter's window that follows (run_and_return).
    let shown = eframe::run_native(
        "jifen-upgrade",
        options,
        Box::new(move |cc| {
            theme::install_fonts(&cc.egui_ctx);
            theme::install_style(&cc.egui_ctx);
            Ok(Box::new(window))
        }),
    );
    // Without a window (no display) the work still finishes: wait for it.
    let _ = worker.join();
    let taken = outcome.lock().unwrap_or_else(|e| e.into_inner()).take();
    match (taken, shown) {
        (Some(Ok(_)), _) => Ok(()),
        (Some(Err(e)), _) => Err(t!("upgrade.failed", error = e).into()),
        // The window could not open or was gone before the end: the schema tells the truth.
        (None, shown) => match work::schema(dir).map_err(|e| e.to_string())? {
            Schema::Current => Ok(()),
            _ => Err(shown.err().map(|e| e.to_string()).unwrap_or_else(|| {
                t!("upgrade.failed", error = t!("upgrade.unfinished")).to_string()
            })),
        },
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    #[test]
    fn the_window_says_which_step_and_ends_when_the_work_ends() {
        rust_i18n::set_locale("zh-CN");
        let (tx, rx) = mpsc::channel();
        let window = Arc::new(Mutex::new(UpgradeWindow::new(rx)));
        let closes = Arc::new(Mutex::new(false));
        let (w, c) = (window.clone(), closes.clone());
        let mut fonts = false;
        let mut h = Harness::builder()
            .with_size(egui::vec2(560.0, 220.0))
            .build_ui(move |ui| {
                if !std::mem::replace(&mut fonts, true) {
                    theme::install_fonts(ui.ctx());
                }
                *c.lock().unwrap() = w.lock().unwrap().show(ui);
            });
        tx.send(Report::Stage(Stage::BackingUp {
            pages_done: 30,
            pages: 60,
        }))
        .unwrap();
        // The bar is animated, so the UI never settles: step a few frames.
        h.run_steps(3);
        h.get_by_label_contains("备份数据（50%）");
        assert!(!*closes.lock().unwrap());
        tx.send(Report::Stage(Stage::Migrating { from: 10, to: 11 }))
            .unwrap();
        // The bar is animated, so the UI never settles: step a few frames.
        h.run_steps(3);
        h.get_by_label_contains("第 10 版 → 第 11 版");
        tx.send(Report::Finished(Ok(None))).unwrap();
        h.run_steps(3);
        assert!(
            *closes.lock().unwrap(),
            "the window closes when the work is done"
        );
    }
}
