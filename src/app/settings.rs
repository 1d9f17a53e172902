//! Counter settings kept in the database: the receipt printer (address, paper, head, character
//! set, cutter, QR, drawer, timeout, receipt footer) as one typed value, and a few plain keys
//! the counter app reads (idle lock, language, scanner port). Reading is for anyone; changing
//! is for a manager, checked and audited.

use std::time::Duration;

use chrono::NaiveDateTime;
use jifen_hardware::{Charset, HeadDots, Paper, PrinterProfile, PrinterUri};
use rust_i18n::t;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::print::PRINT_LOCALE;
use crate::store::{Db, settings as stored};

pub const PRINTER_URI: &str = "printer.uri";
pub const PRINTER_PAPER_MM: &str = "printer.paper_mm";
pub const PRINTER_HEAD_DOTS: &str = "printer.head_dots";
/// `gbk` (most printers) or `gb2312` (old firmware without 堃 喆 昇).
pub const PRINTER_CHARSET: &str = "printer.charset";
pub const PRINTER_CUTTER: &str = "printer.cutter";
pub const PRINTER_NATIVE_QR: &str = "printer.native_qr";
pub const PRINTER_DRAWER_KICK: &str = "printer.drawer_kick";
/// Milliseconds a printer may take to answer or to accept data before the job fails.
pub const PRINTER_TIMEOUT_MS: &str = "printer.timeout_ms";
pub const RECEIPT_FOOTER: &str = "receipt.footer";
/// "1" when the manager decided this store gives no paper receipts (本店不打小票 / 不用打印机).
pub const RECEIPT_NOT_PRINTED: &str = "receipt.not_printed";
/// Minutes without input before the counter locks (0: never).
pub const IDLE_LOCK_MINUTES: &str = "counter.idle_lock_minutes";
/// `zh-CN` or `en`: the staff's screen language (printed paper is always Chinese).
pub const LANGUAGE: &str = "counter.language";
/// A scanner in USB-COM mode, e.g. `/dev/ttyACM0` or `COM4`; empty for a keyboard scanner.
pub const SCANNER_PORT: &str = "scanner.port";

const PRINTER_KEYS: [&str; 9] = [
    PRINTER_URI,
    PRINTER_PAPER_MM,
    PRINTER_HEAD_DOTS,
    PRINTER_CHARSET,
    PRINTER_CUTTER,
    PRINTER_NATIVE_QR,
    PRINTER_DRAWER_KICK,
    PRINTER_TIMEOUT_MS,
    RECEIPT_FOOTER,
];
const FOOTER_MAX_CHARS: usize = 120;
const VALUE_MAX_CHARS: usize = 500;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// The receipt printer as this counter is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterSettings {
    pub uri: PrinterUri,
    pub profile: PrinterProfile,
    pub footer: String,
    /// Bounds the status query and each stall while sending; the app never waits longer.
    pub timeout: Duration,
}

impl Default for PrinterSettings {
    /// No printer, 58 mm GBK, and the usual footer.
    fn default() -> Self {
        Self {
            uri: PrinterUri::None,
            profile: PrinterProfile::mm58(),
            footer: t!("print.footer_default", locale = PRINT_LOCALE).into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl PrinterSettings {
    /// The stored settings over the defaults.
    pub fn load(db: &mut Db) -> Result<Self> {
        db.read(|tx| Self::from_conn(tx))
    }

    pub(crate) fn from_conn(conn: &rusqlite::Connection) -> Result<Self> {
        let mut settings = Self::default();
        for key in PRINTER_KEYS {
            if let Some(value) = stored::get(conn, key)? {
                settings.apply(key, &value)?;
            }
        }
        Ok(settings)
    }

    /// A manager saves the printer settings as a whole (the settings screen's "save").
    pub fn save(&self, db: &mut Db, actor: &Actor, now: NaiveDateTime) -> Result<()> {
        actor.require(Action::ChangeSettings)?;
        let pairs = self.pairs();
        // Check everything the way a single `set` would, so what is saved loads back.
        let mut check = Self::default();
        for (key, value) in &pairs {
            check.apply(key, value)?;
        }
        db.write(|tx| {
            for (key, value) in &pairs {
                stored::put(tx, key, value, actor.id, now)?;
            }
            let detail: serde_json::Map<String, serde_json::Value> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            audit(
                tx,
                Some(actor.id),
                "change_printer_settings",
                detail.into(),
                now,
            )
        })
    }

    /// These settings with a printer address and paper width given on the command line
    /// (`--printer URI`, `--paper 58|80`), checked like stored ones; nothing is saved.
    pub fn with_overrides(mut self, uri: Option<&str>, paper_mm: Option<u32>) -> Result<Self> {
        if let Some(uri) = uri {
            self.apply(PRINTER_URI, uri)?;
        }
        if let Some(mm) = paper_mm {
            self.apply(PRINTER_PAPER_MM, &mm.to_string())?;
        }
        Ok(self)
    }

    /// These settings with the screen's values over them, checked like stored ones; nothing
    /// is saved (the settings screen's "test" before "save").
    pub fn with_pairs(mut self, pairs: &[(String, String)]) -> Result<Self> {
        for (key, value) in pairs {
            if PRINTER_KEYS.contains(&key.as_str()) {
                self.apply(key, value)?;
            }
        }
        Ok(self)
    }

    /// Each setting as it is stored.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let p = &self.profile;
        let charset = match p.charset {
            Charset::Gbk => "gbk",
            Charset::Gb2312Only => "gb2312",
        };
        vec![
            (PRINTER_URI, self.uri.to_string()),
            (PRINTER_PAPER_MM, p.paper.mm().to_string()),
            (PRINTER_HEAD_DOTS, p.dots().to_string()),
            (PRINTER_CHARSET, charset.to_string()),
            (PRINTER_CUTTER, p.cutter.to_string()),
            (PRINTER_NATIVE_QR, p.native_qr.to_string()),
            (PRINTER_DRAWER_KICK, p.drawer_kick.to_string()),
            (PRINTER_TIMEOUT_MS, self.timeout.as_millis().to_string()),
            (RECEIPT_FOOTER, self.footer.clone()),
        ]
    }

    /// Changes one setting from its stored text. A new paper width brings that paper's head
    /// width when the old one does not fit it; a head width must fit the paper.
    fn apply(&mut self, key: &str, value: &str) -> Result<(), Refusal> {
        let bad = |reason: String| bad_setting(key, value, reason);
        let v = value.trim();
        let p = &mut self.profile;
        match key {
            PRINTER_URI => self.uri = PrinterUri::parse(v).map_err(|_| bad(reason("uri")))?,
            PRINTER_PAPER_MM => {
                let paper = v.parse().ok().and_then(|mm| Paper::from_mm(mm).ok());
                let paper = paper.ok_or_else(|| bad(reason("paper")))?;
                if PrinterProfile::new(paper.mm(), p.dots()).is_err() {
                    p.dots = PrinterProfile::new(paper.mm(), default_dots(paper))
                        .map_err(|_| bad(reason("paper")))?
                        .dots;
                }
                p.paper = paper;
            }
            PRINTER_HEAD_DOTS => {
                let dots: Option<u32> = v.parse().ok();
                let fitting = dots.and_then(|d| PrinterProfile::new(p.paper.mm(), d).ok());
                p.dots = fitting.ok_or_else(|| bad(reason("paper")))?.dots;
            }
            PRINTER_CHARSET => {
                p.charset = match v.to_ascii_lowercase().as_str() {
                    "gbk" => Charset::Gbk,
                    "gb2312" => Charset::Gb2312Only,
                    _ => return Err(bad(reason("charset"))),
                }
            }
            PRINTER_CUTTER => p.cutter = yes_no(v).ok_or_else(|| bad(reason("yes_no")))?,
            PRINTER_NATIVE_QR => p.native_qr = yes_no(v).ok_or_else(|| bad(reason("yes_no")))?,
            PRINTER_DRAWER_KICK => {
                p.drawer_kick = yes_no(v).ok_or_else(|| bad(reason("yes_no")))?
            }
            PRINTER_TIMEOUT_MS => {
                let ms = number(v, 200, 60_000).map_err(bad)?;
                self.timeout = Duration::from_millis(ms);
            }
            RECEIPT_FOOTER => {
                if value.chars().count() > FOOTER_MAX_CHARS {
                    return Err(bad(too_long(FOOTER_MAX_CHARS)));
                }
                self.footer = value.trim().to_string();
            }
            _ => {}
        }
        Ok(())
    }
}

fn default_dots(paper: Paper) -> u32 {
    match paper {
        Paper::Mm58 => HeadDots::D384.dots(),
        Paper::Mm80 => HeadDots::D576.dots(),
    }
}

fn bad_setting(key: &str, value: &str, reason: String) -> Refusal {
    Refusal::BadSetting {
        key: key.to_string(),
        value: value.to_string(),
        reason,
    }
}

fn reason(which: &str) -> String {
    t!(format!("setting.reason.{which}")).into()
}

fn too_long(max: usize) -> String {
    t!("setting.reason.too_long", max = max).into()
}

fn yes_no(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Some(true),
        "false" | "no" | "0" | "off" => Some(false),
        _ => None,
    }
}

fn number(v: &str, min: u64, max: u64) -> Result<u64, String> {
    v.parse()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| t!("setting.reason.number", min = min, max = max).into())
}

/// Checks a value for a key that is not a printer setting; returns it as it will be stored.
fn check_plain(key: &str, value: &str) -> Result<String, Refusal> {
    let well_named = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if !well_named {
        return Err(bad_setting(key, value, reason("key")));
    }
    let v = value.trim();
    match key {
        IDLE_LOCK_MINUTES => number(v, 0, 240)
            .map(|n| n.to_string())
            .map_err(|r| bad_setting(key, value, r)),
        LANGUAGE => match v {
            "zh-CN" | "en" => Ok(v.to_string()),
            _ => Err(bad_setting(key, value, "zh-CN | en".into())),
        },
        _ if v.chars().count() > VALUE_MAX_CHARS => {
            Err(bad_setting(key, value, too_long(VALUE_MAX_CHARS)))
        }
        _ => Ok(v.to_string()),
    }
}

/// One stored setting, as text.
pub fn get(db: &mut Db, key: &str) -> Result<Option<String>> {
    db.read(|tx| Ok(stored::get(tx, key)?))
}

/// Every stored setting (keys never set are absent: their defaults apply).
pub fn all(db: &mut Db) -> Result<Vec<(String, String)>> {
    db.read(|tx| Ok(stored::all(tx)?))
}

/// A manager changes one setting. Printer keys are checked against the other printer
/// settings (a paper width brings its head width); every change is audited with the old value.
pub fn set(db: &mut Db, actor: &Actor, key: &str, value: &str, now: NaiveDateTime) -> Result<()> {
    actor.require(Action::ChangeSettings)?;
    let key = key.trim();
    db.write(|tx| {
        let before = stored::get(tx, key)?;
        let changed: Vec<(&str, String)> = if PRINTER_KEYS.contains(&key) {
            let old = PrinterSettings::from_conn(tx)?;
            let mut new = old.clone();
            new.apply(key, value)?;
            let old_pairs = old.pairs();
            new.pairs()
                .into_iter()
                .filter(|(k, v)| *k == key || !old_pairs.contains(&(*k, v.clone())))
                .collect()
        } else {
            vec![(key, check_plain(key, value)?)]
        };
        for (k, v) in &changed {
            stored::put(tx, k, v, actor.id, now)?;
        }
        let to: serde_json::Map<String, serde_json::Value> = changed
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        audit(
            tx,
            Some(actor.id),
            "change_setting",
            json!({ "key": key, "from": before, "to": to }),
            now,
        )
    })
}
