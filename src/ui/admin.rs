//! The screens beyond the counter (today, goods, households, stock, staff): loading their data
//! when shown, and applying what they ask for through the services.

use chrono::NaiveDate;
use eframe::egui;
use rust_i18n::t;

use super::{Action, Banner, JifenApp, Tab, widgets};
use crate::app::{
    self,
    stock::{Donation, ReceiveLine},
};
use crate::core::staff::Role;
use crate::core::{GoodsCode, Points, Qty};

impl JifenApp {
    /// Fetches what the current tab shows, fresh from the store.
    pub(super) fn load_tab(&mut self) {
        let today = self.now().date();
        let result = match self.tab {
            Tab::Today => {
                app::queries::receipts_on(&mut self.db, today).map(|r| self.today.receipts = r)
            }
            Tab::Counter | Tab::Goods => {
                app::queries::stock(&mut self.db, None, today).map(|s| self.counter.shelf = s)
            }
            Tab::Stock => self.load_stock(),
            Tab::Day => self.load_day(),
            Tab::Staff => self.load_staff(),
            Tab::Settings => app::settings::all(&mut self.db).map(|all| self.settings.load(&all)),
            Tab::Households | Tab::Notices => Ok(()),
            Tab::Register => {
                self.load_register_tab();
                Ok(())
            }
            Tab::Start | Tab::Imports | Tab::Cards | Tab::Rules => self.load_setup_tab(),
            Tab::Restore => self.load_restore(),
        };
        if let Err(e) = result {
            self.problem(e);
        }
    }

    pub(super) fn admin_ui(&mut self, ui: &mut egui::Ui, role: Role) -> Vec<Action> {
        let manager = role == Role::Manager;
        let action = match self.tab {
            Tab::Today => self.today.ui(ui, manager, role != Role::Auditor),
            Tab::Goods => self.goods.ui(ui, &self.counter.shelf, manager),
            Tab::Households => self.households.ui(ui, manager),
            Tab::Day => self.day.ui(ui, role != Role::Auditor),
            Tab::Stock => self.stock.ui(ui, &self.counter.shelf, role),
            Tab::Staff => {
                let me = self.actor.as_ref().map(|a| a.id);
                self.staff_screen.ui(ui, &self.staff, me)
            }
            Tab::Settings => self.settings.ui(ui),
            Tab::Notices => self.notices.ui(ui, manager),
            Tab::Register => self.register.ui(ui, manager).map(Action::Register),
            Tab::Counter => None,
            Tab::Start => super::start::checklist_ui(ui, &self.setup.checklist).map(Action::Setup),
            Tab::Imports => self.setup.imports.ui(ui).map(Action::Setup),
            Tab::Cards => self.setup.cards.ui(ui).map(Action::Setup),
            Tab::Rules => self.setup.rules.ui(ui).map(Action::Setup),
            Tab::Restore => self.restore.ui(ui).map(Action::Restore),
        };
        action.into_iter().collect()
    }

    pub(super) fn apply_admin(&mut self, action: Action) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let now = self.now();
        let outcome: Result<Option<String>, String> = match action {
            Action::SetPrice {
                code,
                points,
                from,
                approved_by,
                decision,
            } => (|| {
                let code: GoodsCode = code
                    .parse()
                    .map_err(|_| t!("ui.counter.unknown_code", code = code).to_string())?;
                let points = crate::core::parse_whole_number(&points)
                    .map_err(|_| t!("refusal.bad_number").to_string())?;
                let from = if from.is_empty() {
                    now.date()
                } else {
                    from.parse::<NaiveDate>()
                        .map_err(|_| t!("ui.bad_date").to_string())?
                };
                app::stock::set_price_decided(
                    &mut self.db,
                    &actor,
                    &code,
                    Points(points),
                    from,
                    &approved_by,
                    Some(decision.as_str()),
                    now,
                )
                .map_err(|e| e.to_string())?;
                self.goods.clear_price_form();
                self.goods.history = app::goods_admin::price_history(&mut self.db, &code)
                    .map_err(|e| e.to_string())?;
                self.goods.code = code.to_string();
                Ok(Some(
                    t!(
                        "goods18.price_set",
                        code = code,
                        points = points,
                        from = from
                    )
                    .to_string(),
                ))
            })(),
            Action::FindHouseholds(text) => {
                app::queries::search_households(&mut self.db, &text, 100)
                    .map(|found| {
                        self.households.results = found;
                        None
                    })
                    .map_err(|e| e.to_string())
            }
            Action::ShowLedger(number) => {
                self.show_household(&number);
                Ok(None)
            }
            Action::ReceiveDonation {
                donor,
                contact,
                lines,
            } => (|| {
                let lines = widgets::parse_lines(&lines)
                    .ok_or_else(|| t!("ui.stock.bad_lines").to_string())?;
                let lines = lines
                    .into_iter()
                    .map(|(code, qty)| {
                        let code = code
                            .parse()
                            .map_err(|_| t!("ui.counter.unknown_code", code = code).to_string())?;
                        Ok(ReceiveLine {
                            code,
                            qty: Qty(qty),
                            value: None,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                let donation = Donation {
                    donor,
                    contact: Some(contact).filter(|c| !c.trim().is_empty()),
                    received_on: now.date(),
                    lines,
                };
                let received = app::stock::receive_donation(&mut self.db, &actor, &donation, now)
                    .map_err(|e| e.to_string())?;
                let written = self.written_text(
                    "stock18.written_donation",
                    &received.reference,
                    &received.lines,
                );
                self.stock = Default::default();
                self.stock.last_written = Some(written.clone());
                Ok(Some(written))
            })(),
            Action::AddStaff { name, role, pin } => {
                app::setup::add_staff(&mut self.db, &actor, &name, role, &pin, now)
                    .map(|id| {
                        self.staff_screen = Default::default();
                        Some(t!("cli.staff_created", id = id).to_string())
                    })
                    .map_err(|e| e.to_string())
            }
            other => self.apply_stock(other, &actor),
        };
        match outcome {
            Ok(Some(done)) => self.banner = Some(Banner::Done(done)),
            Ok(None) => {}
            Err(problem) => {
                app::log::failure(self.db.path(), &problem, None, now);
                self.setup.detail = None;
                self.banner = Some(Banner::Problem(problem))
            }
        }
        self.load_tab();
    }
}
