//! Windows print queues (`winprinter:XP-58`): the receipt printer as the clerk knows it, by
//! the name Windows shows in 设备和打印机, printed to through the spooler with the `RAW`
//! datatype so our ESC/POS bytes reach the printer untouched (the vendor driver's own
//! rendering is bypassed). See `shared/HARDWARE.md`, "On Windows".
//!
//! The spooler gives no status back (`DLE EOT` replies do not come through it), so a queue is
//! a printer that never answers: the job is sent and staff are told paper-out cannot be seen.
//! Each `write_all` is one spooler document, so a receipt is never split between jobs.
//!
//! Written against `windows-sys` directly: no maintained crate wraps raw spooler printing
//! (the `printers` crate sends files through the driver, not RAW bytes, and the `escpos`
//! crate's `usbprint` driver needs the USB device path instead of the queue name).

use std::time::Duration;

use crate::transport::{Transport, TransportError};

/// The print queues Windows knows on this PC (local printers and connections to shared
/// ones), by the names it shows, for the settings screen's drop-down. Empty elsewhere and
/// when the spooler service is not running.
pub fn printer_queues() -> Vec<String> {
    imp::printer_queues()
}

/// A Windows print queue taking raw ESC/POS bytes.
pub struct SpoolerTransport {
    queue: String,
}

impl SpoolerTransport {
    /// Checks that the queue exists now (so a wrong name is reported before a job is built).
    pub fn open(queue: &str) -> Result<Self, TransportError> {
        imp::check_queue(queue)?;
        Ok(Self {
            queue: queue.to_string(),
        })
    }
}

impl Transport for SpoolerTransport {
    fn write_all(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), TransportError> {
        // The spooler takes the job into its spool file at once, whether or not the printer
        // is on: a stuck printer shows in the Windows print queue, not as a blocked write.
        imp::print_raw(&self.queue, "积分超市 小票", bytes)
    }

    fn read(&mut self, _buf: &mut [u8], _timeout: Duration) -> Result<usize, TransportError> {
        Ok(0)
    }

    fn can_read(&self) -> bool {
        false
    }
}

/// The error a clerk reads when a queue cannot be used, in Windows' own words: the names of
/// the Windows places to look (设备和打印机, 打印后台处理程序) and the Windows error number.
#[cfg_attr(not(any(windows, test)), allow(dead_code))]
fn queue_error(queue: &str, code: u32, what: &str) -> TransportError {
    let hint = match code {
        // ERROR_INVALID_PRINTER_NAME, ERROR_FILE_NOT_FOUND
        1801 | 2 => format!(
            "Windows 里没有名为“{queue}”的打印机，请打开“控制面板 → 设备和打印机”，照那里显示的名字选择小票打印机"
        ),
        // RPC_S_SERVER_UNAVAILABLE, ERROR_SERVICE_NOT_ACTIVE: the spooler service is stopped
        1722 | 1062 => "Windows 的“Print Spooler（打印后台处理程序）”服务没有运行，请在“服务”里启动它，或重启电脑".to_string(),
        // ERROR_ACCESS_DENIED
        5 => format!("没有使用打印机“{queue}”的权限，请让电脑管理员在打印机属性的“安全”页允许本账户打印"),
        _ => format!("Windows 打印机“{queue}”{what}失败（Windows 错误 {code}），请在“设备和打印机”里查看它是否脱机或暂停"),
    };
    TransportError::Open {
        target: format!("Windows 打印机“{queue}”"),
        source: std::io::Error::other(hint),
    }
}

#[cfg(windows)]
mod imp {
    use std::ptr::{null, null_mut};

    use windows_sys::Win32::Foundation::{ERROR_INSUFFICIENT_BUFFER, GetLastError};
    use windows_sys::Win32::Graphics::Printing::{
        ClosePrinter, DOC_INFO_1W, EndDocPrinter, EndPagePrinter, EnumPrintersW, OpenPrinterW,
        PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_4W,
        StartDocPrinterW, StartPagePrinter, WritePrinter,
    };

    use super::queue_error;
    use crate::transport::TransportError;

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    /// Reads a NUL-terminated UTF-16 string the spooler owns.
    ///
    /// SAFETY: `p` is null or points at a NUL-terminated UTF-16 string.
    unsafe fn from_wide(p: *const u16) -> String {
        if p.is_null() {
            return String::new();
        }
        let mut len = 0;
        // SAFETY: per the function's contract the string ends with a NUL.
        unsafe {
            while *p.add(len) != 0 {
                len += 1;
            }
            String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
        }
    }

    pub fn printer_queues() -> Vec<String> {
        let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
        let (mut needed, mut count) = (0u32, 0u32);
        // SAFETY: a size query: no buffer, the spooler writes the two counters only.
        let ok = unsafe { EnumPrintersW(flags, null(), 4, null_mut(), 0, &mut needed, &mut count) };
        // SAFETY: GetLastError has no preconditions.
        if ok == 0 && unsafe { GetLastError() } != ERROR_INSUFFICIENT_BUFFER || needed == 0 {
            return Vec::new();
        }
        // u64 words keep the buffer aligned for PRINTER_INFO_4W's pointers.
        let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
        // SAFETY: the buffer holds `needed` bytes, as the spooler asked.
        let ok = unsafe {
            EnumPrintersW(
                flags,
                null(),
                4,
                buf.as_mut_ptr().cast(),
                needed,
                &mut needed,
                &mut count,
            )
        };
        if ok == 0 {
            return Vec::new();
        }
        let infos = buf.as_ptr().cast::<PRINTER_INFO_4W>();
        let mut names: Vec<String> = (0..count as usize)
            // SAFETY: the spooler wrote `count` PRINTER_INFO_4W records at the buffer's start,
            // whose strings live later in the same buffer.
            .map(|i| unsafe { from_wide((*infos.add(i)).pPrinterName) })
            .filter(|n| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// An open printer handle, closed on every path.
    struct Printer(PRINTER_HANDLE);

    impl Printer {
        fn open(queue: &str) -> Result<Self, u32> {
            let name = wide(queue);
            let mut handle = PRINTER_HANDLE::default();
            // SAFETY: `name` is NUL-terminated; default access (PRINTER_ACCESS_USE) suffices.
            if unsafe { OpenPrinterW(name.as_ptr(), &mut handle, null()) } == 0 {
                // SAFETY: no preconditions.
                return Err(unsafe { GetLastError() });
            }
            Ok(Self(handle))
        }
    }

    impl Drop for Printer {
        fn drop(&mut self) {
            // SAFETY: the handle came from OpenPrinterW and is closed once.
            unsafe { ClosePrinter(self.0) };
        }
    }

    pub fn check_queue(queue: &str) -> Result<(), TransportError> {
        Printer::open(queue)
            .map(drop)
            .map_err(|code| queue_error(queue, code, "打开"))
    }

    pub fn print_raw(queue: &str, title: &str, bytes: &[u8]) -> Result<(), TransportError> {
        let printer = Printer::open(queue).map_err(|code| queue_error(queue, code, "打开"))?;
        let last = |what| {
            // SAFETY: no preconditions.
            queue_error(queue, unsafe { GetLastError() }, what)
        };
        let mut doc_name = wide(title);
        // "RAW": the bytes go to the printer as they are, not through the driver's renderer.
        let mut datatype = wide("RAW");
        let info = DOC_INFO_1W {
            pDocName: doc_name.as_mut_ptr(),
            pOutputFile: null_mut(),
            pDatatype: datatype.as_mut_ptr(),
        };
        // SAFETY: `info`'s strings outlive the call; level 1 takes a DOC_INFO_1W.
        if unsafe { StartDocPrinterW(printer.0, 1, &info) } == 0 {
            return Err(last("开始打印"));
        }
        let result = (|| {
            // SAFETY: a document is open on this handle.
            if unsafe { StartPagePrinter(printer.0) } == 0 {
                return Err(last("开始打印"));
            }
            let mut rest = bytes;
            while !rest.is_empty() {
                let chunk = &rest[..rest.len().min(64 * 1024)];
                let mut written = 0u32;
                // SAFETY: `chunk` is valid for its length; `written` receives the count.
                let ok = unsafe {
                    WritePrinter(
                        printer.0,
                        chunk.as_ptr().cast(),
                        chunk.len() as u32,
                        &mut written,
                    )
                };
                if ok == 0 || written == 0 {
                    return Err(last("发送"));
                }
                rest = &rest[written as usize..];
            }
            // SAFETY: a page is open on this handle.
            if unsafe { EndPagePrinter(printer.0) } == 0 {
                return Err(last("发送"));
            }
            Ok(())
        })();
        // The document is ended even after a failed write, so no half job stays queued open.
        // SAFETY: a document is open on this handle.
        let ended = unsafe { EndDocPrinter(printer.0) } != 0;
        result?;
        if !ended {
            return Err(last("结束打印"));
        }
        Ok(())
    }
}

#[cfg(not(windows))]
mod imp {
    use crate::transport::TransportError;

    pub fn printer_queues() -> Vec<String> {
        Vec::new()
    }

    pub fn check_queue(queue: &str) -> Result<(), TransportError> {
        Err(not_here(queue))
    }

    pub fn print_raw(queue: &str, _title: &str, _bytes: &[u8]) -> Result<(), TransportError> {
        Err(not_here(queue))
    }

    fn not_here(queue: &str) -> TransportError {
        TransportError::Open {
            target: format!("Windows 打印机“{queue}”"),
            source: std::io::Error::other(
                "Windows 打印机只能在 Windows 电脑上使用；这台电脑请选择串口、网络或设备文件打印机",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(windows))]
    #[test]
    fn a_windows_queue_off_windows_is_refused_in_words() {
        let err = SpoolerTransport::open("XP-58").err().expect("refused");
        let text = err.to_string();
        assert!(
            text.contains("XP-58") && text.contains("只能在 Windows"),
            "{text}"
        );
        assert!(printer_queues().is_empty());
    }

    #[test]
    fn a_missing_queue_names_the_windows_place_to_look() {
        let text = queue_error("XP-58", 1801, "打开").to_string();
        assert!(
            text.contains("设备和打印机") && text.contains("XP-58"),
            "{text}"
        );
        let other = queue_error("XP-58", 1234, "发送").to_string();
        assert!(other.contains("Windows 错误 1234"), "{other}");
    }
}
