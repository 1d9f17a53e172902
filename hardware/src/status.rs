//! Asking the printer how it is (`DLE EOT n`) before a job, and sending the job only when
//! it can print. Many printers never answer; that is "unknown", and the job goes anyway.
//! The requests are escpos's; the policy is ours: escpos reads a reply with its driver's
//! fixed timeout and has no notion of "no answer means print anyway".

use std::fmt;
use std::time::{Duration, Instant};

use escpos::printer::Printer;
use escpos::utils::RealTimeStatusRequest;
use thiserror::Error;

use crate::driver::TransportDriver;
use crate::transport::{Transport, TransportError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterStatus {
    Ready,
    PaperOut,
    PaperNearEnd,
    CoverOpen,
    Offline,
    Error,
    /// No answer (many printers, and every device file): print and say we could not check.
    Unknown,
}

impl PrinterStatus {
    /// Sending a job now would lose it or jam: hold it and tell staff why.
    pub fn blocks_printing(self) -> bool {
        matches!(
            self,
            Self::PaperOut | Self::CoverOpen | Self::Offline | Self::Error
        )
    }

    /// What staff at the counter read.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Ready => "打印机就绪",
            Self::PaperOut => "打印机缺纸",
            Self::PaperNearEnd => "打印纸将尽",
            Self::CoverOpen => "打印机上盖未关",
            Self::Offline => "打印机离线",
            Self::Error => "打印机故障",
            Self::Unknown => "打印机未回应状态查询",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::PaperOut => "paper out",
            Self::PaperNearEnd => "paper near end",
            Self::CoverOpen => "cover open",
            Self::Offline => "offline",
            Self::Error => "printer error",
            Self::Unknown => "status unknown",
        }
    }
}

impl fmt::Display for PrinterStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.zh(), self.en())
    }
}

/// A real-time status byte always has the form `0xx1xx10`.
fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

/// From the replies to `DLE EOT 1`, `2` and `4`. The specific causes come first because
/// a printer also reports itself offline while out of paper or with the cover open.
pub fn classify(printer: Option<u8>, offline: Option<u8>, paper: Option<u8>) -> PrinterStatus {
    let Some(printer) = printer else {
        return PrinterStatus::Unknown;
    };
    let bit = |reply: Option<u8>, mask: u8| reply.is_some_and(|r| r & mask != 0);
    if bit(paper, 0b0110_0000) || bit(offline, 0b0010_0000) {
        PrinterStatus::PaperOut
    } else if bit(offline, 0b0000_0100) {
        PrinterStatus::CoverOpen
    } else if bit(offline, 0b0100_0000) {
        PrinterStatus::Error
    } else if printer & 0b0000_1000 != 0 {
        PrinterStatus::Offline
    } else if bit(paper, 0b0000_1100) {
        PrinterStatus::PaperNearEnd
    } else {
        PrinterStatus::Ready
    }
}

/// Ask `DLE EOT 1, 2, 4`, all within `timeout`. No answer to the first → `Unknown`
/// (later questions are then not asked, so a silent printer costs one timeout, not three).
/// Call only between jobs: a real-time command inside image data would be printed.
pub fn query_status(transport: &mut dyn Transport, timeout: Duration) -> PrinterStatus {
    query(&TransportDriver::new(transport, timeout), timeout)
}

/// The requests are escpos's (`DLE EOT n` and a NUL, which printers ignore); the policy is
/// ours: one deadline for all three, silence is "unknown", not an error.
fn query(driver: &TransportDriver<'_>, timeout: Duration) -> PrinterStatus {
    if !driver.can_read() {
        return PrinterStatus::Unknown;
    }
    let deadline = Instant::now() + timeout;
    drain(driver);
    let mut printer = driver.printer();
    let mut replies = [None; 3];
    let requests = [
        RealTimeStatusRequest::Printer,
        RealTimeStatusRequest::OfflineCause,
        RealTimeStatusRequest::RollPaperSensor,
    ];
    for (slot, request) in replies.iter_mut().zip(requests) {
        *slot = ask(&mut printer, driver, request, deadline);
        if slot.is_none() {
            break;
        }
    }
    classify(replies[0], replies[1], replies[2])
}

/// Throw away bytes left from an earlier late answer so they are not taken for this one.
fn drain(driver: &TransportDriver<'_>) {
    use escpos::driver::Driver;
    let mut buf = [0u8; 64];
    driver.set_timeout(Duration::from_millis(1));
    for _ in 0..16 {
        match (&driver).read(&mut buf) {
            Ok(n) if n > 0 => continue,
            _ => return,
        }
    }
}

fn ask(
    printer: &mut Printer<&TransportDriver<'_>>,
    driver: &TransportDriver<'_>,
    request: RealTimeStatusRequest,
    deadline: Instant,
) -> Option<u8> {
    use escpos::driver::Driver;
    driver.set_timeout(deadline.saturating_duration_since(Instant::now()));
    // `send_status` sends the queued request now (escpos queues commands until a flush).
    printer.real_time_status(request).ok()?.send_status().ok()?;
    let mut byte = [0u8; 1];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        driver.set_timeout(left);
        match (&driver).read(&mut byte) {
            Ok(1) if is_status_byte(byte[0]) => return Some(byte[0]),
            Ok(_) => {} // noise, or nothing yet: keep waiting until the deadline
            Err(_) => return None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintOutcome {
    /// What the printer said before the job.
    pub status: PrinterStatus,
    /// The printer did not answer: the job was sent without knowing it could print.
    pub status_unknown: bool,
    pub bytes_sent: usize,
}

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("{}，未发送打印任务 ({}; job not sent)", .0.zh(), .0.en())]
    NotReady(PrinterStatus),
    #[error("打印失败 (print failed): {0}")]
    Transport(#[from] TransportError),
}

/// Send a job, checking the printer first when it can answer. On paper out, cover open,
/// offline or error nothing is sent, so the job can be retried whole once it is fixed.
/// `timeout` bounds the status query and each stall while sending.
pub fn print_job(
    transport: &mut dyn Transport,
    bytes: &[u8],
    timeout: Duration,
) -> Result<PrintOutcome, PrintError> {
    let driver = TransportDriver::new(transport, timeout);
    let status = query(&driver, timeout);
    if status.blocks_printing() {
        return Err(PrintError::NotReady(status));
    }
    driver.set_timeout(timeout);
    let mut printer = driver.printer();
    if let Err(e) = printer.custom(bytes).and_then(|p| p.print()) {
        return Err(PrintError::Transport(driver.take_error(e)));
    }
    Ok(PrintOutcome {
        status,
        status_unknown: status == PrinterStatus::Unknown,
        bytes_sent: bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bits_per_hardware_notes() {
        assert_eq!(
            classify(Some(0x12), Some(0x12), Some(0x12)),
            PrinterStatus::Ready
        );
        assert_eq!(
            classify(Some(0x1A), Some(0x32), Some(0x72)),
            PrinterStatus::PaperOut
        );
        assert_eq!(
            classify(Some(0x1A), Some(0x16), Some(0x12)),
            PrinterStatus::CoverOpen
        );
        assert_eq!(
            classify(Some(0x1A), Some(0x12), Some(0x12)),
            PrinterStatus::Offline
        );
        assert_eq!(
            classify(Some(0x1A), Some(0x52), Some(0x12)),
            PrinterStatus::Error
        );
        assert_eq!(
            classify(Some(0x12), Some(0x12), Some(0x1E)),
            PrinterStatus::PaperNearEnd
        );
        assert_eq!(classify(None, None, None), PrinterStatus::Unknown);
        assert_eq!(classify(Some(0x12), None, None), PrinterStatus::Ready);
    }

    #[test]
    fn only_status_shaped_bytes_count() {
        assert!(is_status_byte(0x12) && is_status_byte(0x72) && is_status_byte(0x1E));
        assert!(!is_status_byte(0x00) && !is_status_byte(b'A'));
    }

    #[test]
    fn paper_out_message_is_chinese_first() {
        let msg = PrintError::NotReady(PrinterStatus::PaperOut).to_string();
        assert!(msg.starts_with("打印机缺纸"), "{msg}");
    }
}
