//! Printing from the app: every print happens after its commit, through the print worker; a
//! failure never touches the redemption, and the banner offers 重打 once the printer is fixed.

use rust_i18n::t;

use super::{Action, Banner, JifenApp};
use crate::app::print_worker::JobOutcome;
use crate::app::printing::JobKind;
use crate::app::{self, Actor};
use crate::core::ReceiptNo;

impl JifenApp {
    /// Starts printing through `worker` (the app does; tests may leave it off).
    pub fn with_printer(mut self, worker: app::print_worker::PrintWorkerHandle) -> Self {
        self.printer = Some(worker);
        self
    }

    /// Queues the receipt of a redemption just committed and says what became of it (so far:
    /// the print worker reports the end later).
    pub(super) fn print_receipt(
        &mut self,
        actor: &Actor,
        receipt_no: &ReceiptNo,
    ) -> super::counter::ReceiptOutcome {
        use super::counter::ReceiptOutcome;
        // A counter without a receipt printer just keeps its records; a receipt can still be
        // printed later from today's list once a printer is set up. The clerk is told so.
        let no_printer = app::settings::PrinterSettings::load(&mut self.db)
            .is_ok_and(|s| s.uri == jifen_hardware::PrinterUri::None);
        if no_printer {
            return if self.no_receipts_marked() {
                ReceiptOutcome::NotPrinted
            } else {
                ReceiptOutcome::NoPrinter
            };
        }
        let now = self.now();
        match app::printing::queue_receipt(&mut self.db, Some(actor), receipt_no, now) {
            Ok(_) => {
                self.wake_printer();
                ReceiptOutcome::Printing
            }
            Err(e) => {
                self.reprint_offer = Some(*receipt_no);
                ReceiptOutcome::Failed(e.to_string())
            }
        }
    }

    pub(super) fn wake_printer(&self) {
        if let Some(worker) = &self.printer {
            worker.wake();
        }
    }

    fn reprint_problem(&mut self, receipt_no: ReceiptNo, why: String) {
        self.banner = Some(Banner::Problem(
            t!("counter18.print_failed", number = receipt_no, reason = why).to_string(),
        ));
        self.reprint_offer = Some(receipt_no);
        if self
            .counter
            .last_receipt
            .as_ref()
            .is_some_and(|r| r.receipt_no == receipt_no)
        {
            self.counter.receipt_outcome = Some(super::counter::ReceiptOutcome::Failed(why));
        }
    }

    /// F7: the last receipt again (marked 重打), or the one whose print failed.
    pub(super) fn reprint_last(&mut self) {
        let last =
            self.reprint_offer
                .take()
                .or(self.counter.last_receipt.as_ref().map(|r| r.receipt_no));
        if let Some(receipt_no) = last {
            self.apply(Action::Reprint(receipt_no));
            if self
                .counter
                .last_receipt
                .as_ref()
                .is_some_and(|r| r.receipt_no == receipt_no)
            {
                self.counter.receipt_outcome = Some(super::counter::ReceiptOutcome::Printing);
            }
        }
    }

    /// What the print worker finished since the last frame.
    pub(super) fn poll_printer(&mut self) {
        let Some(worker) = &self.printer else { return };
        for event in worker.poll() {
            let receipt = matches!(event.kind, JobKind::Receipt | JobKind::Reprint)
                .then(|| event.reference.parse::<ReceiptNo>().ok())
                .flatten();
            match (event.outcome, receipt) {
                (JobOutcome::Failed(why), Some(no)) => self.reprint_problem(no, why),
                (JobOutcome::Failed(why), None) => {
                    self.banner = Some(Banner::Problem(
                        t!("ui.print.other_failed", reason = why).to_string(),
                    ))
                }
                (JobOutcome::Printed { note }, receipt) => {
                    let last = self.counter.last_receipt.as_ref().map(|r| r.receipt_no);
                    if receipt.is_some() && receipt == last {
                        self.counter.receipt_outcome =
                            Some(super::counter::ReceiptOutcome::Printed);
                        let printed = t!(
                            "counter18.receipt_printed_no",
                            number = receipt.map(|r| r.to_string()).unwrap_or_default()
                        )
                        .to_string();
                        self.banner = Some(Banner::Done(match note {
                            Some(note) => format!("{printed}（{note}）"),
                            None => printed,
                        }));
                    } else if let Some(note) = note {
                        self.banner = Some(Banner::Done(note));
                    }
                }
            }
        }
    }

    pub(super) fn apply_print(
        &mut self,
        action: Action,
        actor: &Actor,
    ) -> Result<Option<String>, String> {
        let now = self.now();
        match action {
            Action::Reprint(receipt_no) => {
                app::printing::queue_reprint(&mut self.db, actor, &receipt_no, now)
                    .map_err(|e| e.to_string())?;
                self.wake_printer();
                Ok(Some(
                    t!("ui.print.reprint_queued", number = receipt_no).to_string(),
                ))
            }
            Action::SaveSettings(changed) => {
                for (key, value) in &changed {
                    app::settings::set(&mut self.db, actor, key, value, now)
                        .map_err(|e| e.to_string())?;
                }
                self.apply_stored_preferences();
                self.refresh_printer_state();
                if let Ok(all) = app::settings::all(&mut self.db) {
                    // What was saved is now what the screen compares against.
                    self.settings.load(&all);
                }
                // Never "saved" for a printer choice that was not made.
                let unset = t!("counter_keys.printer_still_unset").to_string();
                match (changed.is_empty(), self.counter.printer_missing) {
                    (true, true) => {
                        Err(t!("counter_keys.nothing_changed_printer_unset").to_string())
                    }
                    (true, false) => Ok(Some(t!("counter_keys.nothing_changed").to_string())),
                    (false, missing) => {
                        let saved = t!("ui.settings.saved", count = changed.len()).to_string();
                        Ok(Some(if missing {
                            format!("{saved}。{unset}")
                        } else {
                            saved
                        }))
                    }
                }
            }
            Action::PrintTestPage => {
                app::printing::queue_test_page(&mut self.db, Some(actor), now)
                    .map_err(|e| e.to_string())?;
                self.wake_printer();
                Ok(Some(t!("ui.print.test_queued").to_string()))
            }
            other => {
                let ctx = self.ctx.clone();
                self.apply_notice(other, Some(&ctx), actor)
            }
        }
    }

    /// The idle lock and the language from the settings.
    pub(super) fn apply_stored_preferences(&mut self) {
        if let Ok(Some(minutes)) =
            app::settings::get(&mut self.db, app::settings::IDLE_LOCK_MINUTES)
            && let Ok(minutes) = minutes.parse::<f64>()
        {
            self.idle_lock_seconds = if minutes <= 0.0 {
                f64::INFINITY
            } else {
                minutes * 60.0
            };
        }
        if let Ok(Some(language)) = app::settings::get(&mut self.db, app::settings::LANGUAGE) {
            rust_i18n::set_locale(&language);
        }
    }
}
