//! 设置村规 and 排兑换日 on the checklist: each village starts from one of a few rule sets (a
//! committee with its own document sets it from a file), and where the rules say "only on a
//! redemption day", the days are put on the calendar here.

use eframe::egui;
use rust_i18n::t;

use super::setup::SetupAction;
use crate::app::setup::RULE_PRESETS;
use crate::app::setup_queries::VillageRules;

#[derive(Default)]
pub struct RulesScreen {
    pub villages: Vec<VillageRules>,
    /// The day being typed for each village (YYYY-MM-DD).
    pub new_day: std::collections::HashMap<String, String>,
}

fn preset_name(text: &str) -> String {
    crate::core::policy::VillagePolicy::parse(text)
        .map(|p| p.name)
        .unwrap_or_default()
}

impl RulesScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SetupAction> {
        let mut action = None;
        ui.heading(t!("setup.rules.title").to_string());
        ui.label(t!("setup.rules.hint").to_string());
        egui::ScrollArea::vertical().show(ui, |ui| {
            for v in &self.villages {
                ui.separator();
                ui.label(egui::RichText::new(v.village.as_str()).strong().size(20.0));
                let current = if v.policy.is_empty() {
                    t!("setup.rules.none").to_string()
                } else {
                    v.policy.clone()
                };
                ui.label(t!("setup.rules.current", rules = current).to_string());
                ui.horizontal_wrapped(|ui| {
                    for (i, preset) in RULE_PRESETS.iter().enumerate() {
                        let name = preset_name(preset);
                        let chosen = name == v.policy;
                        if ui.add(egui::Button::selectable(chosen, name)).clicked() {
                            action = Some(SetupAction::SetRules {
                                village: v.village.clone(),
                                preset: i,
                            });
                        }
                    }
                });
                if v.only_on_day {
                    let days = if v.days.is_empty() {
                        t!("setup.rules.no_days").to_string()
                    } else {
                        v.days.join("、")
                    };
                    ui.label(t!("setup.rules.days", days = days).to_string());
                    ui.horizontal(|ui| {
                        let label = ui.label(
                            t!("setup.rules.new_day", village = v.village.as_str()).to_string(),
                        );
                        let day = self.new_day.entry(v.village.clone()).or_default();
                        ui.add(
                            egui::TextEdit::singleline(day)
                                .hint_text("2026-12-15")
                                .desired_width(140.0),
                        )
                        .labelled_by(label.id);
                        if ui.button(t!("setup.rules.plan").to_string()).clicked() {
                            action = Some(SetupAction::PlanDay {
                                village: v.village.clone(),
                                day: day.trim().to_string(),
                            });
                        }
                    });
                } else {
                    ui.label(t!("setup.rules.any_day").to_string());
                }
            }
        });
        action
    }
}
