//! Talking to the printer: open it, ask its status, send, all bounded by the settings'
//! timeout; and why a job did not print, in the words staff read.

use std::time::Duration;

use jifen_hardware::transport::TransportError;
use jifen_hardware::{PrintError, PrinterStatus, open, print_job};
use rust_i18n::t;

use crate::app::settings::PrinterSettings;

/// Why a job did not print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintProblem {
    NoPrinter,
    /// Paper out, cover open, offline, error: nothing was sent.
    NotReady(PrinterStatus),
    Open {
        target: String,
        error: String,
    },
    Timeout(Duration),
    Closed,
    Io(String),
    /// What to print could not be built from the store.
    Document(String),
    /// The program stopped while the job was printing.
    Interrupted,
}

impl PrintProblem {
    pub fn message(&self, locale: &str) -> String {
        let status = |s: &PrinterStatus| -> String {
            let key = match s {
                PrinterStatus::PaperOut => "print.status.paper_out",
                PrinterStatus::CoverOpen => "print.status.cover_open",
                PrinterStatus::Offline => "print.status.offline",
                _ => "print.status.error",
            };
            t!(key, locale = locale).into()
        };
        match self {
            Self::NoPrinter => t!("print.failed.no_printer", locale = locale),
            Self::NotReady(s) => t!(
                "print.failed.not_ready",
                locale = locale,
                status = status(s)
            ),
            // The system's words ("No such file or directory (os error 2)") mean nothing to
            // a clerk: say what to check instead, by what kind of failure it was.
            // On Windows, a print queue or COM port failure is already a sentence for the
            // clerk, said the Windows way (the spooler, `platform::printer_open_error`): keep it
            // whole rather than the generic sentence below.
            Self::Open { error, .. }
                if cfg!(windows)
                    && error
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) =>
            {
                return error.clone();
            }
            Self::Open { target, error } => {
                let key = if error.contains("os error 2") || error.contains("not found") {
                    "setup.print.not_found"
                } else if error.contains("os error 13") || error.contains("denied") {
                    "setup.print.denied"
                } else {
                    "setup.print.cannot_open"
                };
                t!(key, locale = locale, target = target)
            }
            Self::Timeout(d) => {
                let seconds = format!("{:.1}", d.as_secs_f64());
                t!("print.failed.timeout", locale = locale, seconds = seconds)
            }
            Self::Closed => t!("print.failed.closed", locale = locale),
            Self::Io(_) => t!("setup.print.io", locale = locale),
            Self::Document(e) => t!("print.failed.document", locale = locale, error = e),
            Self::Interrupted => t!("print.failed.interrupted", locale = locale),
        }
        .into()
    }
}

impl From<TransportError> for PrintProblem {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::NoPrinter => Self::NoPrinter,
            TransportError::Open { target, source } => Self::Open {
                error: crate::platform::printer_open_error(&target, &source),
                target,
            },
            TransportError::Timeout(d) => Self::Timeout(d),
            TransportError::Closed => Self::Closed,
            TransportError::Io(e) => Self::Io(e.to_string()),
        }
    }
}

/// A job that went out, and what staff should know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Ready,
    /// The printer did not answer the status query: sent anyway, check the paper.
    StatusUnknown,
    PaperNearEnd,
}

impl Sent {
    pub fn note(self, locale: &str) -> Option<String> {
        match self {
            Sent::Ready => None,
            Sent::StatusUnknown => Some(t!("print.note.status_unknown", locale = locale).into()),
            Sent::PaperNearEnd => Some(t!("print.note.paper_near_end", locale = locale).into()),
        }
    }
}

/// Sends bytes to the printer of these settings: opens it, asks its status, sends, all
/// bounded by the settings' timeout. Needs no database (a test print before set-up).
pub fn send(settings: &PrinterSettings, bytes: &[u8]) -> Result<Sent, PrintProblem> {
    #[cfg(feature = "failpoints")]
    fail::fail_point!("print::send", |_| Err(PrintProblem::Io(
        "fault injected".into()
    )));
    let mut transport = open(&settings.uri)?;
    match print_job(transport.as_mut(), bytes, settings.timeout) {
        Ok(o) if o.status_unknown => Ok(Sent::StatusUnknown),
        Ok(o) if o.status == PrinterStatus::PaperNearEnd => Ok(Sent::PaperNearEnd),
        Ok(_) => Ok(Sent::Ready),
        Err(PrintError::NotReady(status)) => Err(PrintProblem::NotReady(status)),
        Err(PrintError::Transport(e)) => Err(e.into()),
    }
}

/// The settings screen's "test": opens the printer the clerk has chosen (saved or not) and
/// asks its status. `Unknown` is an answer too: many printers never reply, and print anyway.
pub fn probe(settings: &PrinterSettings) -> Result<PrinterStatus, PrintProblem> {
    let mut transport = open(&settings.uri)?;
    Ok(jifen_hardware::query_status(
        transport.as_mut(),
        settings.timeout,
    ))
}
