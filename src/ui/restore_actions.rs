//! Applying what the restore screen asks for. The restore itself needs the store closed (the
//! file is swapped on disk; Windows refuses to move an open file): the app's connection and the
//! print worker's are closed first and reopened after, on the restored store or, on a refusal,
//! on the untouched one. Everyone signs in again on the restored store.

use std::path::Path;

use rust_i18n::t;

use super::restore::RestoreAction;
use super::{Banner, JifenApp, Tab};
use crate::app::{self, backup::RestoreRequest};
use crate::core::ReceiptNo;
use crate::store::Db;

impl JifenApp {
    pub(super) fn load_restore(&mut self) -> app::Result<()> {
        let Some(actor) = self.actor.clone() else {
            return Ok(());
        };
        self.restore = Default::default();
        self.restore.backups = app::restore_preview::backups(&actor, &self.data_dir())?;
        Ok(())
    }

    pub(super) fn apply_restore(&mut self, action: RestoreAction) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let dir = self.data_dir();
        match action {
            RestoreAction::PickFile => {
                let start = crate::platform::home_folder();
                self.restore.open_dialog(start);
            }
            RestoreAction::FileChosen(file) => {
                match app::restore_preview::preview(&actor, &dir, &file) {
                    Ok(preview) => {
                        self.restore.preview = Some(preview);
                        self.banner = None;
                    }
                    Err(e) => self.problem(e),
                }
            }
            RestoreAction::Cancel => {
                self.restore.preview = None;
                self.restore.pin.clear();
            }
            RestoreAction::Confirm {
                pin,
                reason,
                confirm_loss,
                last_receipt,
            } => {
                if let Err(sentence) =
                    self.restore_now(&actor, &dir, &pin, &reason, &confirm_loss, &last_receipt)
                {
                    self.restore.pin.clear();
                    self.banner = Some(Banner::Problem(sentence));
                }
            }
        }
    }

    /// Checks what the screen can check itself (so the clerk reads the screen's words, not the
    /// command line's), then restores with the store closed. `Err` is the sentence to show;
    /// nothing was written then.
    fn restore_now(
        &mut self,
        actor: &app::Actor,
        dir: &Path,
        pin: &str,
        reason: &str,
        confirm_loss: &str,
        last_receipt: &str,
    ) -> Result<(), String> {
        let Some(preview) = self.restore.preview.clone() else {
            return Ok(());
        };
        if reason.trim().is_empty() {
            return Err(t!("restore.need_reason").into());
        }
        if pin.is_empty() {
            return Err(t!("restore.need_pin").into());
        }
        let confirm = match preview.lost {
            0 => None,
            lost => match confirm_loss.trim().parse::<i64>() {
                Ok(n) if n == lost => Some(n),
                _ => return Err(t!("restore.wrong_loss", lost = lost).into()),
            },
        };
        let typed: Option<ReceiptNo> = match (preview.current_readable, last_receipt.trim()) {
            (true, _) => None,
            (false, "") => return Err(t!("restore.need_paper_receipt").into()),
            (false, text) => Some(
                text.parse()
                    .map_err(|_| t!("records.bad_receipt_no", value = text).to_string())?,
            ),
        };
        let request = RestoreRequest {
            file: &preview.file,
            manager: actor.id,
            pin,
            reason,
            confirm_loss: confirm,
            last_receipt: typed,
        };
        let now = self.now();
        let path = self.db.path().to_path_buf();
        // Close every connection to the store: ours (an empty one in its place) and the
        // print worker's.
        if let Some(printer) = self.printer.take() {
            printer.stop();
        }
        let placeholder = Db::open(Path::new(":memory:")).map_err(|e| e.to_string())?;
        drop(std::mem::replace(&mut self.db, placeholder));
        let outcome = app::restore_preview::restore_signed_in(actor, dir, &request, now);
        let reopened = Db::open(&path);
        match reopened {
            Ok(db) => self.db = db,
            Err(e) => {
                return Err(t!("restore.reopen_failed", error = e.to_string()).into());
            }
        }
        self.restart_printer();
        let restored = outcome.map_err(|e| e.to_string())?;
        // The restored store's staff, name and sessions: everyone signs in again.
        self.staff = app::queries::staff(&mut self.db).unwrap_or_default();
        if let Ok(Some(store)) = app::setup::store_info(&mut self.db) {
            self.store_name = store.name;
        }
        self.actor = None;
        self.signin = Default::default();
        self.counter.clear_customer();
        self.restore = Default::default();
        self.tab = Tab::Counter;
        let kept = restored
            .replaced
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.banner = Some(Banner::Done(
            t!(
                "restore.done",
                file = preview.file.display().to_string(),
                kept = kept
            )
            .into(),
        ));
        Ok(())
    }

    fn restart_printer(&mut self) {
        let ctx = self.ctx.clone();
        if let Ok(worker) =
            app::print_worker::PrintWorker::start_with_notify(self.db.path(), move || {
                ctx.request_repaint()
            })
        {
            self.printer = Some(worker);
        }
    }
}
