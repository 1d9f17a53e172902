//! Cards (积分卡) in the app: issue the missing cards of a village group, print the group's A4
//! sheet (saved as a PDF and opened in the system's viewer), reissue one lost card with why.

use eframe::egui;
use rust_i18n::t;

use super::setup::SetupAction;
use crate::core::card::CardReason;

#[derive(Default)]
pub struct CardsScreen {
    /// Each group as 村/组, with (households, with a card).
    pub groups: Vec<(String, usize, usize)>,
    pub group: String,
    pub household: String,
    pub reason: Option<CardReason>,
    /// The last PDF saved, to say where it is.
    pub saved: Option<String>,
}

const REISSUE_REASONS: [CardReason; 3] = [CardReason::Lost, CardReason::Damaged, CardReason::Other];

fn reason_label(r: CardReason) -> String {
    t!(format!("setup.cards.reason_{}", r.as_db())).to_string()
}

impl CardsScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SetupAction> {
        let mut action = None;
        ui.heading(t!("setup.cards.title").to_string());
        ui.label(t!("setup.cards.hint").to_string());
        ui.add_space(8.0);
        egui::Grid::new("card_groups")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for (group, households, with_card) in &self.groups {
                    let chosen = self.group == *group;
                    if ui
                        .add(egui::Button::selectable(chosen, group.as_str()))
                        .clicked()
                    {
                        self.group = group.clone();
                    }
                    ui.label(
                        t!(
                            "setup.cards.group_count",
                            households = households,
                            with_card = with_card
                        )
                        .to_string(),
                    );
                    ui.end_row();
                }
            });
        if self.groups.is_empty() {
            ui.label(t!("setup.cards.no_groups").to_string());
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let enabled = !self.group.is_empty();
            let issue = egui::Button::new(t!("setup.cards.issue_missing").to_string())
                .min_size(egui::vec2(220.0, 40.0));
            if ui.add_enabled(enabled, issue).clicked() {
                action = Some(SetupAction::IssueMissingCards(self.group.clone()));
            }
            let print = egui::Button::new(t!("setup.cards.print_sheet").to_string())
                .min_size(egui::vec2(220.0, 40.0));
            if ui.add_enabled(enabled, print).clicked() {
                action = Some(SetupAction::PrintGroupCards(self.group.clone()));
            }
        });
        if let Some(saved) = &self.saved {
            ui.label(t!("setup.cards.saved", file = saved.as_str()).to_string());
        }
        ui.separator();
        ui.label(egui::RichText::new(t!("setup.cards.reissue_title").to_string()).strong());
        super::widgets::field(ui, &t!("setup.cards.household"), &mut self.household, 160.0);
        ui.horizontal(|ui| {
            ui.label(t!("setup.cards.reason").to_string());
            for r in REISSUE_REASONS {
                if ui
                    .add(egui::Button::selectable(
                        self.reason == Some(r),
                        reason_label(r),
                    ))
                    .clicked()
                {
                    self.reason = Some(r);
                }
            }
        });
        let ready = !self.household.trim().is_empty() && self.reason.is_some();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(t!("setup.cards.reissue").to_string()),
            )
            .clicked()
            && let Some(reason) = self.reason
        {
            action = Some(SetupAction::ReissueCard {
                household: self.household.trim().to_string(),
                reason,
            });
        }
        action
    }
}
