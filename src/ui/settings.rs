//! Settings (managers), all as widgets: the receipt printer chosen by kind (a serial port from
//! the ports found, a network address, a device file, a Windows shared printer) and tested
//! with one click; paper as two buttons; character set, cutter and QR as check boxes with a
//! line saying what each means; the scanner port, idle lock and language. Nothing the clerk
//! types is an address like `serial:COM3?baud=9600` or a `true`: the screen writes those.

use eframe::egui;
use jifen_hardware::PrinterUri;
use jifen_hardware::uri::{DEFAULT_BAUD, DEFAULT_TCP_PORT};
use rust_i18n::t;

use super::Action;
use super::setup::SetupAction;
use crate::app::settings as keys;

/// The ways a receipt printer is connected. Another transport (USB by vendor and product id,
/// a Windows print queue by name) adds a variant here, its label key, and its `choices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterKind {
    /// Nothing decided yet: no printer stored and the store not marked 本店不打小票. The
    /// counter warns until the manager picks one (`None` included); never offered as a choice.
    Unset,
    /// 不用打印机: the store gives no paper receipts (saved as `receipt.not_printed` = 1, the
    /// same mark the counter's 本店不打小票 button sets).
    None,
    Serial,
    Network,
    Device,
    WindowsShare,
    /// A USB printer reached on the bus (`usb:VID:PID`).
    Usb,
    /// A Windows print queue, printed RAW through the spooler (`winprinter:NAME`).
    WindowsQueue,
}

impl PrinterKind {
    pub fn key(self) -> &'static str {
        match self {
            PrinterKind::Unset => "unset",
            PrinterKind::None => "none",
            PrinterKind::Serial => "serial",
            PrinterKind::Network => "network",
            PrinterKind::Device => "device",
            PrinterKind::WindowsShare => "share",
            PrinterKind::Usb => "usb",
            PrinterKind::WindowsQueue => "queue",
        }
    }
}

/// The printer kinds offered, in the drop-down's order.
pub fn printer_kinds() -> Vec<PrinterKind> {
    vec![
        PrinterKind::None,
        PrinterKind::Serial,
        PrinterKind::Network,
        PrinterKind::Device,
        PrinterKind::Usb,
        PrinterKind::WindowsQueue,
        PrinterKind::WindowsShare,
    ]
}

/// What a kind offers to pick from, found on this computer now: the serial ports for a
/// serial printer, the printer device files for a device. Empty where nothing can be listed.
pub fn choices(kind: PrinterKind) -> Vec<String> {
    match kind {
        PrinterKind::Serial => jifen_hardware::transport::serial_ports(),
        PrinterKind::Device => device_files(),
        // Each USB printer as "usb:VID:PID 名称"; the address is the first word.
        PrinterKind::Usb => jifen_hardware::usb::printers()
            .map(|found| {
                found
                    .iter()
                    .map(|p| format!("{} {}", p.uri, p.name))
                    .collect()
            })
            .unwrap_or_default(),
        PrinterKind::WindowsQueue => jifen_hardware::printer_queues(),
        _ => Vec::new(),
    }
}

/// Printer device files (`/dev/usb/lp0`…) on Linux; none elsewhere.
fn device_files() -> Vec<String> {
    let Ok(dir) = std::fs::read_dir("/dev/usb") else {
        return Vec::new();
    };
    let mut found: Vec<String> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.path().display().to_string())
        .filter(|p| p.contains("/lp"))
        .collect();
    found.sort();
    found
}

const BAUDS: [u32; 5] = [9600, 19200, 38400, 57600, 115200];
/// How a Windows shared printer is reached as a file.
const SHARE_PREFIX: &str = r"\\localhost\";

pub struct SettingsScreen {
    pub kind: PrinterKind,
    pub serial_port: String,
    pub baud: u32,
    pub host: String,
    pub tcp_port: String,
    pub device: String,
    pub share: String,
    /// `usb:` (the first printer found) or `usb:VID:PID`.
    pub usb: String,
    pub queue: String,
    pub paper_mm: u32,
    pub gb2312_only: bool,
    pub cutter: bool,
    pub native_qr: bool,
    pub footer: String,
    pub scanner_port: String,
    pub idle_minutes: u32,
    pub language: String,
    /// What the printer answered to the last test, as a sentence.
    pub test_answer: Option<String>,
    /// The ports and devices found when the screen was opened.
    pub found: Vec<(PrinterKind, Vec<String>)>,
    loaded: Vec<(String, String)>,
}

impl Default for SettingsScreen {
    fn default() -> Self {
        SettingsScreen {
            kind: PrinterKind::Unset,
            serial_port: String::new(),
            baud: DEFAULT_BAUD,
            host: String::new(),
            tcp_port: DEFAULT_TCP_PORT.to_string(),
            device: String::new(),
            share: String::new(),
            usb: "usb:".into(),
            queue: String::new(),
            paper_mm: 58,
            gb2312_only: false,
            cutter: false,
            native_qr: true,
            footer: String::new(),
            scanner_port: String::new(),
            idle_minutes: 10,
            language: "zh-CN".into(),
            test_answer: None,
            found: Vec::new(),
            loaded: Vec::new(),
        }
    }
}

fn stored<'a>(all: &'a [(String, String)], key: &str) -> Option<&'a str> {
    all.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

impl SettingsScreen {
    /// The screen from the stored settings (defaults where none are stored).
    pub fn load(&mut self, all: &[(String, String)]) {
        let mut s = SettingsScreen::default();
        let uri = stored(all, keys::PRINTER_URI).and_then(|u| PrinterUri::parse(u).ok());
        // Exactly the counter's warning: no printer and not marked means not chosen yet.
        let marked = stored(all, keys::RECEIPT_NOT_PRINTED) == Some("1");
        match uri.unwrap_or(PrinterUri::None) {
            PrinterUri::None if marked => s.kind = PrinterKind::None,
            PrinterUri::None => s.kind = PrinterKind::Unset,
            PrinterUri::Serial { path, baud, .. } => {
                (s.kind, s.serial_port, s.baud) = (PrinterKind::Serial, path, baud)
            }
            PrinterUri::Tcp { host, port } => {
                (s.kind, s.host, s.tcp_port) = (PrinterKind::Network, host, port.to_string())
            }
            PrinterUri::File { path } => match path.strip_prefix(SHARE_PREFIX) {
                Some(name) => (s.kind, s.share) = (PrinterKind::WindowsShare, name.to_string()),
                None => (s.kind, s.device) = (PrinterKind::Device, path),
            },
            usb @ PrinterUri::Usb { .. } => (s.kind, s.usb) = (PrinterKind::Usb, usb.to_string()),
            PrinterUri::WinPrinter { queue } => {
                (s.kind, s.queue) = (PrinterKind::WindowsQueue, queue)
            }
        }
        let yes = |key, default| stored(all, key).map_or(default, |v| v == "true");
        s.paper_mm = stored(all, keys::PRINTER_PAPER_MM)
            .and_then(|v| v.parse().ok())
            .unwrap_or(58);
        s.gb2312_only = stored(all, keys::PRINTER_CHARSET) == Some("gb2312");
        s.cutter = yes(keys::PRINTER_CUTTER, false);
        s.native_qr = yes(keys::PRINTER_NATIVE_QR, true);
        s.footer = stored(all, keys::RECEIPT_FOOTER).unwrap_or("").to_string();
        s.scanner_port = stored(all, keys::SCANNER_PORT).unwrap_or("").to_string();
        s.idle_minutes = stored(all, keys::IDLE_LOCK_MINUTES)
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        s.language = stored(all, keys::LANGUAGE).unwrap_or("zh-CN").to_string();
        s.found = printer_kinds()
            .into_iter()
            .map(|k| (k, choices(k)))
            .collect();
        s.loaded = s.pairs();
        *self = s;
    }

    /// The printer address the widgets describe.
    pub fn uri(&self) -> String {
        match self.kind {
            PrinterKind::Unset | PrinterKind::None => "none".into(),
            PrinterKind::Serial => format!("serial:{}?baud={}", self.serial_port.trim(), self.baud),
            PrinterKind::Network => format!("tcp:{}:{}", self.host.trim(), self.tcp_port.trim()),
            PrinterKind::Device => format!("file:{}", self.device.trim()),
            PrinterKind::WindowsShare => format!("file:{SHARE_PREFIX}{}", self.share.trim()),
            PrinterKind::Usb if self.usb.trim().is_empty() => "usb:".into(),
            PrinterKind::Usb => self.usb.trim().to_string(),
            PrinterKind::WindowsQueue => format!("winprinter:{}", self.queue.trim()),
        }
    }

    /// Every setting the screen shows, as stored.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let yes = |b: bool| if b { "true" } else { "false" }.to_string();
        let mut pairs = vec![
            (keys::PRINTER_URI.into(), self.uri()),
            (keys::PRINTER_PAPER_MM.into(), self.paper_mm.to_string()),
            (
                keys::PRINTER_CHARSET.into(),
                if self.gb2312_only { "gb2312" } else { "gbk" }.into(),
            ),
            (keys::PRINTER_CUTTER.into(), yes(self.cutter)),
            (keys::PRINTER_NATIVE_QR.into(), yes(self.native_qr)),
            (keys::RECEIPT_FOOTER.into(), self.footer.clone()),
            (
                keys::SCANNER_PORT.into(),
                self.scanner_port.trim().to_string(),
            ),
            (
                keys::IDLE_LOCK_MINUTES.into(),
                self.idle_minutes.to_string(),
            ),
            (keys::LANGUAGE.into(), self.language.clone()),
        ];
        if self.kind == PrinterKind::None {
            pairs.push((keys::RECEIPT_NOT_PRINTED.into(), "1".into()));
        }
        pairs
    }

    fn found(&self, kind: PrinterKind) -> &[String] {
        self.found
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            // Save at the top: on a 768-pixel screen it is never scrolled out of sight.
            ui.horizontal(|ui| {
                ui.heading(t!("ui.settings.title").to_string());
                ui.add_space(24.0);
                let save = egui::Button::new(t!("ui.settings.save").to_string())
                    .min_size(egui::vec2(160.0, 36.0));
                if ui.add(save).clicked() {
                    let changed: Vec<(String, String)> = self
                        .pairs()
                        .into_iter()
                        .filter(|kv| !self.loaded.contains(kv))
                        .collect();
                    action = Some(Action::SaveSettings(changed));
                }
                ui.add_space(24.0);
                if ui.button(t!("restore.open_screen").to_string()).clicked() {
                    action = Some(Action::ShowTab(super::Tab::Restore));
                }
            });
            self.printer_ui(ui, &mut action);
            ui.separator();
            self.paper_ui(ui);
            ui.separator();
            self.counter_ui(ui);
        });
        action
    }

    fn printer_ui(&mut self, ui: &mut egui::Ui, action: &mut Option<Action>) {
        ui.label(
            egui::RichText::new(t!("setup.settings.printer").to_string())
                .strong()
                .size(18.0),
        );
        ui.horizontal_wrapped(|ui| {
            for kind in printer_kinds() {
                let text = t!(format!("setup.settings.kind_{}", kind.key())).to_string();
                if ui
                    .add(egui::Button::selectable(self.kind == kind, text))
                    .clicked()
                {
                    self.kind = kind;
                    self.test_answer = None;
                }
            }
        });
        match self.kind {
            PrinterKind::Unset => {
                ui.colored_label(
                    super::theme::DANGER,
                    t!("counter_keys.printer_unset").to_string(),
                );
            }
            PrinterKind::None => {
                ui.label(t!("setup.settings.none_hint").to_string());
            }
            PrinterKind::Serial => {
                let ports = self.found(PrinterKind::Serial).to_vec();
                ui.horizontal(|ui| {
                    let label = ui.label(t!("setup.settings.serial_port").to_string());
                    let shown = if self.serial_port.is_empty() {
                        t!("setup.settings.choose").to_string()
                    } else {
                        self.serial_port.clone()
                    };
                    egui::ComboBox::from_id_salt("serial_port")
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for p in &ports {
                                ui.selectable_value(&mut self.serial_port, p.clone(), p);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    let label = ui.label(t!("setup.settings.baud").to_string());
                    egui::ComboBox::from_id_salt("baud")
                        .selected_text(self.baud.to_string())
                        .show_ui(ui, |ui| {
                            for b in BAUDS {
                                ui.selectable_value(&mut self.baud, b, b.to_string());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                if ports.is_empty() {
                    ui.label(t!("setup.settings.no_ports").to_string());
                }
                ui.label(t!("setup.settings.baud_hint").to_string());
            }
            PrinterKind::Network => {
                ui.horizontal(|ui| {
                    super::widgets::field(ui, &t!("setup.settings.host"), &mut self.host, 200.0);
                    super::widgets::field(
                        ui,
                        &t!("setup.settings.tcp_port"),
                        &mut self.tcp_port,
                        80.0,
                    );
                });
                ui.label(t!("setup.settings.network_hint").to_string());
            }
            PrinterKind::Device => {
                let devices = self.found(PrinterKind::Device).to_vec();
                ui.horizontal(|ui| {
                    super::widgets::field(
                        ui,
                        &t!("setup.settings.device"),
                        &mut self.device,
                        320.0,
                    );
                    for d in &devices {
                        if ui.button(d).clicked() {
                            self.device = d.clone();
                        }
                    }
                });
                ui.label(t!("setup.settings.device_hint").to_string());
            }
            PrinterKind::WindowsShare => {
                super::widgets::field(ui, &t!("setup.settings.share"), &mut self.share, 240.0);
                ui.label(t!("setup.settings.share_hint").to_string());
            }
            PrinterKind::Usb => self.pick_ui(ui, PrinterKind::Usb),
            PrinterKind::WindowsQueue => self.pick_ui(ui, PrinterKind::WindowsQueue),
        }
        ui.horizontal(|ui| {
            if ui.button(t!("setup.settings.test").to_string()).clicked() {
                *action = Some(Action::Setup(SetupAction::TestPrinter(self.pairs())));
            }
            if ui.button(t!("ui.settings.test_page").to_string()).clicked() {
                *action = Some(Action::PrintTestPage);
            }
        });
        if let Some(answer) = &self.test_answer {
            ui.label(egui::RichText::new(answer.as_str()).size(18.0));
        }
    }

    /// A USB printer or a Windows print queue: picked from those found on this computer.
    fn pick_ui(&mut self, ui: &mut egui::Ui, kind: PrinterKind) {
        let found = self.found(kind).to_vec();
        let (value, label) = match kind {
            PrinterKind::Usb => (&mut self.usb, t!("settings_more.usb")),
            _ => (&mut self.queue, t!("settings_more.queue")),
        };
        ui.horizontal_wrapped(|ui| {
            super::widgets::field(ui, &label, value, 200.0);
            for entry in &found {
                // A USB entry is "usb:VID:PID 名称": the address is its first word.
                let pick = match kind {
                    PrinterKind::Usb => entry.split(' ').next().unwrap_or(entry),
                    _ => entry.as_str(),
                };
                if ui.button(entry).clicked() {
                    *value = pick.to_string();
                }
            }
        });
        let hint = match (kind, found.is_empty()) {
            (PrinterKind::Usb, true) => t!("settings_more.no_usb"),
            (PrinterKind::Usb, false) => t!("settings_more.usb_hint"),
            (_, true) => t!("settings_more.no_queues"),
            (_, false) => t!("settings_more.queue_hint"),
        };
        ui.label(hint.to_string());
    }

    fn paper_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(t!("setup.settings.paper").to_string());
            for mm in [58, 80] {
                let text = t!("setup.settings.paper_mm", mm = mm).to_string();
                let button = egui::Button::selectable(self.paper_mm == mm, text)
                    .min_size(egui::vec2(100.0, 36.0));
                if ui.add(button).clicked() {
                    self.paper_mm = mm;
                }
            }
        });
        check(ui, &mut self.gb2312_only, "gb2312");
        check(ui, &mut self.cutter, "cutter");
        check(ui, &mut self.native_qr, "native_qr");
        super::widgets::field(ui, &t!("setup.settings.footer"), &mut self.footer, 420.0);
    }

    fn counter_ui(&mut self, ui: &mut egui::Ui) {
        let ports = self.found(PrinterKind::Serial).to_vec();
        ui.horizontal(|ui| {
            let label = ui.label(t!("setup.settings.scanner").to_string());
            let shown = if self.scanner_port.is_empty() {
                t!("setup.settings.scanner_keyboard").to_string()
            } else {
                self.scanner_port.clone()
            };
            egui::ComboBox::from_id_salt("scanner_port")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.scanner_port,
                        String::new(),
                        t!("setup.settings.scanner_keyboard").to_string(),
                    );
                    for p in &ports {
                        ui.selectable_value(&mut self.scanner_port, p.clone(), p);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label(t!("setup.settings.idle").to_string());
            ui.add(egui::DragValue::new(&mut self.idle_minutes).range(0..=240))
                .labelled_by(label.id);
            ui.label(t!("setup.settings.idle_hint").to_string());
        });
        ui.horizontal(|ui| {
            let label = ui.label(t!("setup.settings.language").to_string());
            let name = |code: &str| if code == "en" { "English" } else { "中文" };
            egui::ComboBox::from_id_salt("language")
                .selected_text(name(&self.language))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.language, "zh-CN".to_string(), "中文");
                    ui.selectable_value(&mut self.language, "en".to_string(), "English");
                })
                .response
                .labelled_by(label.id);
        });
    }
}

/// A check box with its one-line explanation.
fn check(ui: &mut egui::Ui, value: &mut bool, key: &str) {
    ui.checkbox(value, t!(format!("setup.settings.{key}")).to_string());
    ui.indent(key, |ui| {
        ui.label(egui::RichText::new(t!(format!("setup.settings.{key}_hint")).to_string()).weak())
    });
}
