//! The counter's keyboard: a wedge scanner's bursts and the F-keys, read globally.

use eframe::egui;

use super::{Action, CARD_DIGITS_AT_LEAST, JifenApp, Tab};

impl JifenApp {
    /// Scanner bursts and F-keys, read globally while no text field has focus.
    pub(super) fn keyboard(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let typing = ctx.text_edit_focused();
        let (events, time) = ctx.input(|i| (i.events.clone(), i.time));
        if !events.is_empty() {
            self.last_activity = time;
        }
        if self.actor.is_none() {
            return;
        }
        let at_counter = self.tab == Tab::Counter;
        let asking = self.counter.discard.is_some();
        self.counter.scan_taken = false;
        for event in events {
            match event {
                // Every keystroke at the counter feeds the scan buffer, even into a text box:
                // a card scanned while F2 or F4 has focus is still a card scan.
                egui::Event::Text(text) if at_counter => self.scan.push_text(&text, time),
                egui::Event::Key {
                    key,
                    pressed: true,
                    repeat: false,
                    ..
                } => match key {
                    egui::Key::Enter if at_counter && asking => actions.push(Action::KeepBasket),
                    egui::Key::Enter if self.counter.confirming => actions.push(Action::Confirm),
                    egui::Key::Enter if at_counter => match self.scan.enter(time) {
                        Some(payload) if !typing => actions.push(Action::Scan(payload)),
                        // In a text box only a card-length burst counts: a person typing a
                        // household number into F2 means a search.
                        Some(payload) if payload.len() >= CARD_DIGITS_AT_LEAST => {
                            self.counter.scan_taken = true;
                            self.counter.strip_scan = Some(payload.clone());
                            actions.push(Action::Scan(payload));
                        }
                        _ => {}
                    },
                    egui::Key::F2 => self.counter.focus_search = true,
                    egui::Key::F4 => self.counter.focus_code = true,
                    egui::Key::F5 => actions.push(Action::ShowTab(Tab::Today)),
                    egui::Key::F6 => actions.push(Action::ShowTab(Tab::Counter)),
                    egui::Key::F7 if at_counter => actions.push(Action::ReprintLast),
                    egui::Key::F9 => actions.push(Action::Lock),
                    egui::Key::F12 if at_counter && !asking => actions.push(Action::AskConfirm),
                    egui::Key::Escape if asking => actions.push(Action::KeepBasket),
                    egui::Key::Escape if self.counter.confirming => {
                        actions.push(Action::CancelConfirm)
                    }
                    egui::Key::Escape if !typing => actions.push(Action::ClearCustomer),
                    _ => {}
                },
                _ => {}
            }
        }
        if time - self.last_activity > self.idle_lock_seconds {
            actions.push(Action::Lock);
        }
    }
}
