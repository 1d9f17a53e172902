//! 积分台账: the fast entry grid the scoring group fills in at month end — one village group's
//! households down, the village's items across — keyboard only. Arrows (Enter: next household) move,
//! Space marks an item at its points, digits type points (an item scored within a range),
//! Backspace clears, F12 saves the marked cells as events in one go.

use eframe::egui;
use rust_i18n::t;

use super::widgets;

/// One column: an item of the village's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridItem {
    pub number: i64,
    pub name: String,
    pub min: i64,
    pub max: i64,
    pub negative: bool,
}

/// A loaded month: who, what, and the cells typed so far.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryGrid {
    pub village: String,
    pub group: String,
    pub period: String,
    pub items: Vec<GridItem>,
    /// (household number, head, the month's score so far)
    pub households: Vec<(String, String, i64)>,
    pub cells: Vec<Vec<String>>,
    pub cursor: (usize, usize),
    pub approved: bool,
    /// Each household's events of the month already recorded, one line each.
    pub recorded: Vec<Vec<String>>,
}

impl EntryGrid {
    pub fn new(
        village: String,
        group: String,
        period: String,
        items: Vec<GridItem>,
        households: Vec<(String, String, i64)>,
        approved: bool,
    ) -> Self {
        let cells = vec![vec![String::new(); items.len()]; households.len()];
        let households_len = households.len();
        EntryGrid {
            village,
            group,
            period,
            items,
            households,
            cells,
            cursor: (0, 0),
            approved,
            recorded: vec![Vec::new(); households_len],
        }
    }

    /// The filled cells as (household, item number, points).
    pub fn entries(&self) -> Vec<(String, i64, i64)> {
        let mut out = Vec::new();
        for (r, row) in self.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Ok(points) = cell.trim().parse::<i64>() {
                    out.push((self.households[r].0.clone(), self.items[c].number, points));
                }
            }
        }
        out
    }

    fn key(&mut self, key: egui::Key) -> bool {
        let (rows, cols) = (self.households.len(), self.items.len());
        if rows == 0 || cols == 0 {
            return false;
        }
        let (r, c) = self.cursor;
        match key {
            egui::Key::ArrowDown | egui::Key::Enter => self.cursor.0 = (r + 1).min(rows - 1),
            egui::Key::ArrowUp => self.cursor.0 = r.saturating_sub(1),
            egui::Key::ArrowRight => self.cursor.1 = (c + 1).min(cols - 1),
            egui::Key::ArrowLeft => self.cursor.1 = c.saturating_sub(1),
            egui::Key::Home => self.cursor.1 = 0,
            egui::Key::Space => {
                let cell = &mut self.cells[r][c];
                *cell = if cell.is_empty() {
                    self.items[c].min.to_string()
                } else {
                    String::new()
                };
            }
            egui::Key::Backspace | egui::Key::Delete => self.cells[r][c].clear(),
            _ => return false,
        }
        true
    }

    fn digit(&mut self, text: &str) {
        let (r, c) = self.cursor;
        if self.cells.is_empty() || self.items.is_empty() {
            return;
        }
        for ch in text.chars().filter(char::is_ascii_digit) {
            let cell = &mut self.cells[r][c];
            if cell.len() < 3 {
                cell.push(ch);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum RegisterAction {
    Load {
        group: String,
        period: String,
    },
    Save {
        group: String,
        period: String,
        date: String,
        entries: Vec<(String, i64, i64)>,
    },
    /// The scoring group approves the month (at least three names, the first its leader).
    Approve {
        group: String,
        period: String,
        approvers: String,
    },
    /// A dispute about one event, recorded or decided (`register_disputes`).
    Dispute(super::register_disputes::DisputeAction),
}

#[derive(Default)]
pub struct RegisterScreen {
    pub group: String,
    pub period: String,
    /// The date the grid's events are recorded on (default: the month's last day, or today).
    pub date: String,
    pub grid: Option<EntryGrid>,
    /// The scoring group's names for the approval, comma-separated.
    pub approvers: String,
    /// 事件异议 (issue 20), under the approval.
    pub disputes: super::register_disputes::DisputePanel,
    focused_once: bool,
}

impl RegisterScreen {
    /// Sets the month shown first.
    pub fn default_period(&mut self, period: String, date: String) {
        if self.period.is_empty() {
            self.period = period;
        }
        if self.date.is_empty() {
            self.date = date;
        }
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, may_approve: bool) -> Option<RegisterAction> {
        let mut action = None;
        ui.heading(t!("ui.register.title").to_string());
        ui.horizontal(|ui| {
            let group = widgets::field(ui, &t!("ui.register.group"), &mut self.group, 180.0);
            if !self.focused_once {
                group.request_focus();
                self.focused_once = true;
            }
            let period = widgets::field(ui, &t!("ui.register.period"), &mut self.period, 90.0);
            let date = widgets::field(ui, &t!("ui.register.date"), &mut self.date, 130.0);
            let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (group.lost_focus() || period.lost_focus() || date.lost_focus()) && entered {
                action = Some(RegisterAction::Load {
                    group: self.group.clone(),
                    period: self.period.clone(),
                });
            }
        });
        ui.label(t!("ui.register.keys").to_string());
        let Some(grid) = &mut self.grid else {
            return action;
        };
        if !ui.ctx().text_edit_focused() {
            let events = ui.input(|i| i.events.clone());
            for event in events {
                match event {
                    egui::Event::Text(text) => grid.digit(&text),
                    egui::Event::Key {
                        key: egui::Key::F12,
                        pressed: true,
                        ..
                    }
                    | egui::Event::Key {
                        key: egui::Key::S,
                        pressed: true,
                        modifiers: egui::Modifiers { ctrl: true, .. },
                        ..
                    } => {
                        action = Some(RegisterAction::Save {
                            group: format!("{}/{}", grid.village, grid.group),
                            period: grid.period.clone(),
                            date: self.date.clone(),
                            entries: grid.entries(),
                        });
                    }
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => {
                        grid.key(key);
                    }
                    _ => {}
                }
            }
        }
        if may_approve && !grid.approved {
            ui.horizontal(|ui| {
                let field =
                    widgets::field(ui, &t!("ui.register.approvers"), &mut self.approvers, 320.0);
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(t!("ui.register.approve").to_string()).clicked() || entered {
                    action = Some(RegisterAction::Approve {
                        group: format!("{}/{}", grid.village, grid.group),
                        period: grid.period.clone(),
                        approvers: self.approvers.clone(),
                    });
                }
            });
        }
        action = action.or(self
            .disputes
            .ui(ui, may_approve)
            .map(RegisterAction::Dispute));
        grid_ui(ui, grid);
        action
    }
}

fn grid_ui(ui: &mut egui::Ui, grid: &EntryGrid) {
    let marked = grid.entries().len();
    let state = if grid.approved {
        t!("ui.register.approved")
    } else {
        t!("ui.register.open")
    };
    ui.label(
        t!(
            "ui.register.summary",
            group = format!("{}/{}", grid.village, grid.group),
            period = grid.period,
            marked = marked,
            state = state
        )
        .to_string(),
    );
    let (cr, cc) = grid.cursor;
    if let (Some(h), Some(item)) = (grid.households.get(cr), grid.items.get(cc)) {
        let worth = if item.min == item.max {
            item.min.to_string()
        } else {
            format!("{}-{}", item.min, item.max)
        };
        ui.label(
            t!(
                "ui.register.cursor",
                head = h.1,
                household = h.0,
                item = format!("{}.{}", item.number, item.name),
                points = worth
            )
            .to_string(),
        );
        let lines = &grid.recorded[cr];
        let text = if lines.is_empty() {
            t!("ui.register.no_events").to_string()
        } else {
            lines.join("；")
        };
        ui.label(
            egui::RichText::new(t!("ui.register.recorded", events = text).to_string()).small(),
        );
    }
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("register_grid")
                .striped(true)
                .min_col_width(34.0)
                .show(ui, |ui| {
                    ui.label(t!("ui.register.household").to_string());
                    ui.label(t!("ui.register.month_score").to_string());
                    for item in &grid.items {
                        let short: String = item.name.chars().take(4).collect();
                        ui.label(egui::RichText::new(format!("{}\n{short}", item.number)).small())
                            .on_hover_text(&item.name);
                    }
                    ui.end_row();
                    for (r, (number, head, score)) in grid.households.iter().enumerate() {
                        ui.label(format!("{number} {head}"));
                        ui.label(score.to_string());
                        for c in 0..grid.items.len() {
                            let text = &grid.cells[r][c];
                            let here = (r, c) == grid.cursor;
                            let rich = egui::RichText::new(if text.is_empty() {
                                "·".to_string()
                            } else {
                                text.clone()
                            })
                            .monospace();
                            let response = if here {
                                ui.label(
                                    rich.background_color(egui::Color32::from_rgb(255, 220, 120))
                                        .strong(),
                                )
                            } else if grid.items[c].negative && !text.is_empty() {
                                ui.label(rich.color(egui::Color32::from_rgb(200, 30, 30)))
                            } else {
                                ui.label(rich)
                            };
                            if here {
                                response.scroll_to_me(None);
                            }
                        }
                        ui.end_row();
                    }
                });
        });
}
