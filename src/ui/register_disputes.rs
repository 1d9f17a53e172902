//! 事件异议 on the register screen (issue 20): a household objects to one recorded event (its
//! number is shown with each event of the month), and the committee decides — rejected, or
//! upheld with the item or points it should have been, or the event withdrawn. The same
//! services as `event dispute` and `event decide`; the panel only asks.

use eframe::egui;
use rust_i18n::t;

use super::{Banner, JifenApp, widgets};
use crate::app::register::{self as reg, EventDecision};

/// What the panel holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisputePanel {
    pub event: String,
    pub objection: String,
    pub dispute: String,
    pub upheld: bool,
    pub item: String,
    pub points: String,
    pub withdraw: bool,
    pub note: String,
    pub committee: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeAction {
    Record(DisputePanel),
    Decide(DisputePanel),
}

impl DisputePanel {
    /// Folded under the grid; the decision part only for those who may decide (a manager).
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, may_decide: bool) -> Option<DisputeAction> {
        let mut action = None;
        egui::CollapsingHeader::new(t!("register34.title").to_string())
            .id_salt("register-disputes")
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    widgets::field(ui, &t!("register34.event"), &mut self.event, 60.0);
                    widgets::field(ui, &t!("register34.objection"), &mut self.objection, 300.0);
                    if ui.button(t!("register34.record").to_string()).clicked() {
                        action = Some(DisputeAction::Record(self.clone()));
                    }
                });
                if !may_decide {
                    return;
                }
                ui.separator();
                ui.horizontal(|ui| {
                    widgets::field(ui, &t!("register34.dispute"), &mut self.dispute, 60.0);
                    ui.selectable_value(
                        &mut self.upheld,
                        false,
                        t!("register34.rejected").to_string(),
                    );
                    ui.selectable_value(
                        &mut self.upheld,
                        true,
                        t!("register34.upheld").to_string(),
                    );
                });
                if self.upheld {
                    ui.horizontal(|ui| {
                        widgets::field(ui, &t!("register34.item"), &mut self.item, 60.0);
                        widgets::field(ui, &t!("register34.points"), &mut self.points, 50.0);
                        ui.checkbox(&mut self.withdraw, t!("register34.withdraw").to_string());
                    });
                }
                widgets::field(ui, &t!("register34.note"), &mut self.note, 300.0);
                widgets::field(ui, &t!("register34.committee"), &mut self.committee, 300.0);
                if ui.button(t!("register34.decide").to_string()).clicked() {
                    action = Some(DisputeAction::Decide(self.clone()));
                }
            });
        action
    }
}

fn names(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl JifenApp {
    pub(super) fn apply_register_dispute(&mut self, action: DisputeAction) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let now = self.now();
        let number = |text: &str| text.trim().parse::<i64>().ok();
        let outcome = match action {
            DisputeAction::Record(p) => {
                let Some(event) = number(&p.event) else {
                    self.banner = Some(Banner::Problem(
                        t!("register34.bad_number", value = p.event.trim()).to_string(),
                    ));
                    return;
                };
                reg::dispute_event(&mut self.db, &actor, event, &p.objection, now).map(|id| {
                    self.register.disputes.dispute = id.to_string();
                    self.register.disputes.objection.clear();
                    t!("days.dispute_recorded", id = id).to_string()
                })
            }
            DisputeAction::Decide(p) => {
                let Some(dispute) = number(&p.dispute) else {
                    self.banner = Some(Banner::Problem(
                        t!("register34.bad_number", value = p.dispute.trim()).to_string(),
                    ));
                    return;
                };
                let points = match p.points.trim() {
                    "" => None,
                    text => match crate::core::parse_whole_number(text) {
                        Ok(n) => Some(n),
                        Err(_) => {
                            self.banner = Some(Banner::Problem(
                                t!("register34.bad_number", value = text).to_string(),
                            ));
                            return;
                        }
                    },
                };
                let decision = EventDecision {
                    upheld: p.upheld,
                    item: Some(p.item.trim().to_string()).filter(|i| p.upheld && !i.is_empty()),
                    points: points.filter(|_| p.upheld),
                    withdraw: p.upheld && p.withdraw,
                    note: p.note.clone(),
                    committee: names(&p.committee),
                };
                reg::decide_event_dispute(&mut self.db, &actor, dispute, &decision, now).map(|d| {
                    t!(
                        "days.dispute_decided",
                        id = d.id,
                        decision = d.decision_words()
                    )
                    .to_string()
                })
            }
        };
        match outcome {
            Ok(message) => {
                // The grid shows the month's events and scores: read them again.
                if let Some(grid) = &self.register.grid {
                    let (group, period) = (
                        format!("{}/{}", grid.village, grid.group),
                        grid.period.clone(),
                    );
                    self.load_register(&group, &period);
                }
                self.banner = Some(Banner::Done(message));
            }
            Err(e) => self.problem(e),
        }
    }
}
