//! Applying what the staff tab and the sign-in screen's PIN change ask for, through the
//! services (issue 16).

use rust_i18n::t;

use super::{Action, Banner, JifenApp, Tab};
use crate::app;
use crate::core::StaffId;
use crate::core::staff::Role;

impl JifenApp {
    /// The staff list, and for a manager the latest refused sign-ins and lockouts.
    pub(super) fn load_staff(&mut self) -> app::Result<()> {
        self.staff = app::staff::list(&mut self.db)?;
        if let Some(actor) = self.actor.as_ref().filter(|a| a.role == Role::Manager) {
            self.staff_screen.events = app::staff::sign_in_events(&mut self.db, actor, 20)?;
        }
        Ok(())
    }

    pub(super) fn apply_staff(&mut self, action: Action) {
        let now = self.now();
        if let Action::ChangePin { staff, old, new } = action {
            return self.change_pin(staff, &old, &new);
        }
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let outcome = match action {
            Action::DisableStaff { staff, reason } => {
                app::staff::disable(&mut self.db, &actor, staff, &reason, now)
                    .map(|s| t!("staff.cli.disabled", id = s.id, name = s.name).to_string())
            }
            Action::EnableStaff(staff) => app::staff::enable(&mut self.db, &actor, staff, now)
                .map(|s| t!("staff.cli.enabled", id = s.id, name = s.name).to_string()),
            Action::ResetPin { staff, pin } => {
                app::staff::reset_pin(&mut self.db, &actor, staff, &pin, now)
                    .map(|()| t!("staff.cli.pin_reset", id = staff).to_string())
            }
            _ => return,
        };
        match outcome {
            Ok(done) => {
                self.staff_screen = Default::default();
                self.banner = Some(Banner::Done(done));
            }
            Err(e) => self.problem(e),
        }
        if let Err(e) = self.load_staff() {
            self.problem(e);
        }
    }

    /// A member changes their own PIN: signed in already (the staff tab, or a PIN that must
    /// change), or from the sign-in screen, where the current PIN signs them in first.
    fn change_pin(&mut self, staff: StaffId, old: &str, new: &str) {
        let now = self.now();
        let signed_in = self.actor.clone().filter(|a| a.id == staff);
        let from_signin = signed_in.is_none();
        let actor = match signed_in {
            Some(actor) => actor,
            None => match app::sign_in(&mut self.db, staff, old, now) {
                Ok(actor) => actor,
                Err(e) => return self.pin_problem(e.to_string()),
            },
        };
        match app::staff::change_own_pin(&mut self.db, &actor, old, new, now) {
            Ok(actor) => {
                self.signin.changing = false;
                self.signin.error = None;
                self.signin.change = Default::default();
                self.staff_screen.own_pin = Default::default();
                if from_signin || self.tab == Tab::Counter {
                    self.tab = Tab::for_role(actor.role)[0];
                }
                self.actor = Some(actor);
                self.banner = Some(Banner::Done(
                    t!("staff.cli.pin_changed", id = staff).to_string(),
                ));
                self.reload_shelf();
                if let Err(e) = self.load_staff() {
                    self.problem(e);
                }
            }
            Err(e) => {
                if from_signin && !actor.must_change_pin {
                    // The change failed: stay at the sign-in screen, nobody signed in.
                    self.db.sign_out(staff);
                } else if from_signin {
                    self.actor = Some(actor);
                }
                self.pin_problem(e.to_string());
            }
        }
    }

    fn pin_problem(&mut self, text: String) {
        if self.actor.is_some()
            && self.tab == Tab::Staff
            && !self.actor.as_ref().is_some_and(|a| a.must_change_pin)
        {
            self.staff_screen.own_pin.error = Some(text);
        } else {
            self.signin.error = Some(text);
        }
    }
}
