//! A scanner switched to USB-COM (serial) mode feeds the same scan path as a keyboard-wedge
//! scanner: its payloads arrive on a channel from the reader thread and become scans.

use std::sync::mpsc::{Receiver, channel};

use jifen_hardware::{ScannerConfig, ScannerHandle, Suffix, start_scanner};
use rust_i18n::t;

use super::{Action, Banner, JifenApp, Tab};
use crate::app;

/// Most serial scanners leave the factory at 9600 baud; USB-CDC ones ignore the rate.
const SCANNER_BAUD: u32 = 9600;

pub struct SerialScanner {
    _handle: ScannerHandle,
    payloads: Receiver<String>,
}

impl JifenApp {
    /// Starts reading the serial scanner named in the settings, if any.
    pub(super) fn start_serial_scanner(&mut self) {
        let port = app::settings::get(&mut self.db, app::settings::SCANNER_PORT)
            .ok()
            .flatten()
            .unwrap_or_default();
        if port.trim().is_empty() {
            return;
        }
        let (tx, rx) = channel();
        let config = ScannerConfig {
            path: port.trim().to_string(),
            baud: SCANNER_BAUD,
            suffix: Suffix::CrLf,
        };
        match start_scanner(&config, tx) {
            Ok(handle) => {
                self.serial_scanner = Some(SerialScanner {
                    _handle: handle,
                    payloads: rx,
                })
            }
            Err(e) => {
                self.banner = Some(Banner::Problem(
                    t!("ui.scanner.failed", error = e.to_string()).to_string(),
                ))
            }
        }
    }

    /// Scans that arrived from the serial scanner since the last frame.
    pub(super) fn serial_scans(&mut self, actions: &mut Vec<Action>) {
        let Some(scanner) = &self.serial_scanner else {
            return;
        };
        let at_counter = self.actor.is_some() && self.tab == Tab::Counter;
        for payload in scanner.payloads.try_iter() {
            if at_counter {
                actions.push(Action::Scan(payload));
            }
        }
    }
}
