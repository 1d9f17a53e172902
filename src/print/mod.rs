//! What goes to the receipt printer, as documents built from stored data: the redemption
//! receipt and its reprint, the donation slip, the closing report of a redemption day, the
//! card slip and the test page. Nothing here reads the database or the clock; `app::printing`
//! loads what was stored and the time of a reprint, and `jifen_hardware` turns a `Doc` into
//! bytes. Printed words are always Chinese, whatever the staff's language setting: the paper
//! is for villagers.

mod day_report;
mod layout;

use std::fmt;
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use jifen_hardware::RasterFont;
use serde::Serialize;

use crate::core::{Qty, StaffId};

pub use day_report::day_report;
pub use layout::{card_slip, donation_slip, receipt, reprint, session_report, test_page};

/// The locale of everything printed.
pub const PRINT_LOCALE: &str = "zh-CN";

/// The bundled fonts as the raster fallback draws them (parsed once per process), or `None`
/// if they cannot be read, which would be a broken build.
pub fn raster_font() -> Option<&'static RasterFont> {
    static FONT: OnceLock<Option<RasterFont>> = OnceLock::new();
    FONT.get_or_init(|| {
        use crate::notice::fonts::{MAIN_FONT, RARE_FONT};
        RasterFont::new(MAIN_FONT.to_vec(), RARE_FONT.to_vec()).ok()
    })
    .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Receipt,
    /// A receipt printed again: marked 重打 with the time it was asked for.
    Reprint,
    DonationSlip,
    SessionReport,
    TestPage,
    CardSlip,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::Receipt,
        JobKind::Reprint,
        JobKind::DonationSlip,
        JobKind::SessionReport,
        JobKind::TestPage,
        JobKind::CardSlip,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            JobKind::Receipt => "receipt",
            JobKind::Reprint => "reprint",
            JobKind::DonationSlip => "donation_slip",
            JobKind::SessionReport => "session_report",
            JobKind::TestPage => "test_page",
            JobKind::CardSlip => "card_slip",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_db() == text)
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_db())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    /// Taken by a printer worker (or `print_now`); left behind only by a crash.
    Printing,
    Printed,
    Failed,
}

impl JobStatus {
    pub fn as_db(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Printing => "printing",
            JobStatus::Printed => "printed",
            JobStatus::Failed => "failed",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        [
            JobStatus::Pending,
            JobStatus::Printing,
            JobStatus::Printed,
            JobStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_db() == text)
    }
}

/// A print job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    pub id: i64,
    pub kind: JobKind,
    /// Receipt number, donation reference (`D12`), session id, household number, or the
    /// paper width for a test page.
    pub reference: String,
    pub status: JobStatus,
    /// Why it failed, in Chinese.
    pub error: Option<String>,
    /// A remark on a printed job (the printer did not answer the status query).
    pub note: Option<String>,
    /// The printer address of the last attempt.
    pub printer: Option<String>,
    pub attempts: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: Option<StaffId>,
}

/// A donation as its receipt (捐赠回执) shows it, from the stored donation and its stock lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DonationSlip {
    pub store_name: String,
    /// `D12`.
    pub reference: String,
    pub donor: String,
    pub contact: Option<String>,
    pub received_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub staff_name: String,
    pub lines: Vec<DonatedGoods>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DonatedGoods {
    pub name: String,
    pub unit: String,
    pub qty: Qty,
}
