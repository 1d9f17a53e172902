//! USB receipt printers reached straight on the bus, for the many cheap 58 mm printers that
//! are USB-only: on Linux through `escpos`'s `NativeUsbDriver` (pure-Rust `nusb`, no libusb,
//! no `/dev/usb/lp0`), on Windows through its `WindowsUsbPrintDriver` (the `usbprint.sys`
//! class driver; printers on a vendor driver with a print queue go through the spooler).
//!
//! escpos's drivers wait up to a fixed 5 s per transfer; [`UsbTransport`] runs each transfer on
//! a helper thread so the caller waits no longer than our timeout, like every other transport.

use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use escpos::driver::Driver;
use thiserror::Error;

use crate::transport::{Transport, TransportError, transmit_time};
use crate::uri::PrinterUri;

/// A USB printer present now, for the settings drop-down.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UsbPrinter {
    pub vendor_id: u16,
    pub product_id: u16,
    /// What the device calls itself ("Xprinter XP-58IIH"), else `USB 打印机 0483:5720`.
    pub name: String,
    /// The address to keep in the settings: `usb:0483:5720`.
    pub uri: PrinterUri,
}

impl UsbPrinter {
    /// `manufacturer` and `product` are the device's own strings, when it has them.
    pub fn new(
        vendor_id: u16,
        product_id: u16,
        manufacturer: Option<&str>,
        product: Option<&str>,
    ) -> Self {
        let words: Vec<&str> = [manufacturer, product]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let name = match words.as_slice() {
            // Many devices repeat the maker in the product string ("Xprinter" "Xprinter XP-58").
            [maker, product] if product.starts_with(maker) => (*product).to_string(),
            [] => format!("USB 打印机 {vendor_id:04x}:{product_id:04x}"),
            words => words.join(" "),
        };
        Self {
            vendor_id,
            product_id,
            name,
            uri: PrinterUri::Usb {
                device: Some((vendor_id, product_id)),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsbError {
    #[error("没有找到 USB 打印机：请插好打印机的 USB 线并打开电源，再刷新 (no USB printer found)")]
    NoneFound,
    #[error(
        "没有找到 USB 打印机 {vendor_id:04x}:{product_id:04x}：请检查 USB 线和电源，或重新选择打印机 \
         (USB printer {vendor_id:04x}:{product_id:04x} not found)"
    )]
    NotFound { vendor_id: u16, product_id: u16 },
    #[error("无法读取 USB 设备列表 (cannot list USB devices): {0}")]
    List(String),
    #[error(
        "无法打开 USB 打印机 {name}：{detail}。Linux 上请按 hardware/README.md 加 udev 规则 \
         (cannot open the USB printer)"
    )]
    Open { name: String, detail: String },
    #[error(
        "这台电脑的系统不能直接连接 USB 打印机，请改用打印队列或串口 (USB printers are not supported here)"
    )]
    Unsupported,
}

/// USB printers present now, named as they name themselves. No printer at all is
/// [`UsbError::NoneFound`], whose message tells the clerk what to check.
pub fn printers() -> Result<Vec<UsbPrinter>, UsbError> {
    found(platform::list()?)
}

/// The listing's rule, apart from the bus: none present is an error a clerk can act on.
pub fn found(printers: Vec<UsbPrinter>) -> Result<Vec<UsbPrinter>, UsbError> {
    if printers.is_empty() {
        Err(UsbError::NoneFound)
    } else {
        Ok(printers)
    }
}

/// The printer an address names among those present: that VID:PID, or the first one.
pub fn choose(present: &[UsbPrinter], device: Option<(u16, u16)>) -> Result<UsbPrinter, UsbError> {
    match device {
        None => present.first().cloned().ok_or(UsbError::NoneFound),
        Some((vendor_id, product_id)) => present
            .iter()
            .find(|p| (p.vendor_id, p.product_id) == (vendor_id, product_id))
            .cloned()
            .ok_or(UsbError::NotFound {
                vendor_id,
                product_id,
            }),
    }
}

/// Open the USB printer `usb:VID:PID` (or `usb:`) names.
pub fn open(device: Option<(u16, u16)>) -> Result<Box<dyn Transport>, TransportError> {
    let target = PrinterUri::Usb { device }.to_string();
    let fail = |e: UsbError| TransportError::Open {
        target: target.clone(),
        source: io::Error::new(io::ErrorKind::NotFound, e.to_string()),
    };
    let printer = choose(&platform::list().map_err(fail)?, device).map_err(fail)?;
    platform::open(&printer).map_err(fail)
}

/// How long escpos's own USB drivers may hold a transfer (their fixed timeout), plus a margin.
const DRIVER_LIMIT: Duration = Duration::from_secs(6);

/// An escpos USB driver (or a test double) as one of our transports. Writes and reads run on
/// a helper thread; the caller waits at most the timeout. A read still waiting when its
/// caller gave up is kept and asked again next time (a second read of the same endpoint
/// would find it busy); writes go to the other endpoint and need not wait for it.
pub struct UsbTransport<D> {
    driver: D,
    pending_read: Option<Receiver<escpos::errors::Result<Vec<u8>>>>,
    leftover: Vec<u8>,
}

impl<D: Driver + Clone + Send + 'static> UsbTransport<D> {
    pub fn new(driver: D) -> Self {
        Self {
            driver,
            pending_read: None,
            leftover: Vec::new(),
        }
    }
}

fn usb_io(e: escpos::errors::PrinterError) -> TransportError {
    TransportError::Io(io::Error::other(e.to_string()))
}

impl<D: Driver + Clone + Send + 'static> Transport for UsbTransport<D> {
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let driver = self.driver.clone();
        let data = bytes.to_vec();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(driver.write(&data).and_then(|()| driver.flush()));
        });
        // A bulk transfer reports no progress to us: bound the whole job, scaled like a
        // device file's so a slow but working printer is not cut off.
        let budget = timeout + transmit_time(bytes.len(), 9600);
        match rx.recv_timeout(budget) {
            Ok(result) => result.map_err(usb_io),
            Err(RecvTimeoutError::Timeout) => Err(TransportError::Timeout(budget)),
            Err(RecvTimeoutError::Disconnected) => Err(TransportError::Closed),
        }
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        if self.leftover.is_empty() {
            let rx = match self.pending_read.take() {
                Some(rx) => rx,
                None => {
                    let driver = self.driver.clone();
                    let (tx, rx) = mpsc::channel();
                    thread::spawn(move || {
                        let mut chunk = [0u8; 64];
                        let got = driver.read(&mut chunk).map(|n| chunk[..n].to_vec());
                        let _ = tx.send(got);
                    });
                    rx
                }
            };
            match rx.recv_timeout(timeout.min(DRIVER_LIMIT)) {
                Ok(got) => self.leftover = got.map_err(usb_io)?,
                Err(RecvTimeoutError::Timeout) => {
                    self.pending_read = Some(rx);
                    return Ok(0);
                }
                Err(RecvTimeoutError::Disconnected) => return Err(TransportError::Closed),
            }
        }
        let n = self.leftover.len().min(buf.len());
        buf[..n].copy_from_slice(&self.leftover[..n]);
        self.leftover.drain(..n);
        Ok(n)
    }

    /// USB printers answer `DLE EOT` on their bulk-in endpoint (some never do: "unknown").
    fn can_read(&self) -> bool {
        true
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::time::{Duration, Instant};

    use escpos::driver::NativeUsbDriver;
    use nusb::MaybeFuture;

    use super::{DRIVER_LIMIT, UsbError, UsbPrinter, UsbTransport};
    use crate::transport::Transport;

    /// USB interface class 7: printers.
    const PRINTER_CLASS: u8 = 7;

    /// ENOENT: no `/sys/bus/usb` at all (a machine or container without USB).
    const NO_USB_BUS: u32 = 2;

    pub fn list() -> Result<Vec<UsbPrinter>, UsbError> {
        let devices = match nusb::list_devices().wait() {
            Ok(devices) => devices,
            // No USB bus means no USB printer: say that, not "cannot list".
            Err(e) if e.os_error() == Some(NO_USB_BUS) => return Ok(Vec::new()),
            Err(e) => return Err(UsbError::List(e.to_string())),
        };
        Ok(devices
            .filter(|d| {
                d.class() == PRINTER_CLASS || d.interfaces().any(|i| i.class() == PRINTER_CLASS)
            })
            .map(|d| {
                UsbPrinter::new(
                    d.vendor_id(),
                    d.product_id(),
                    d.manufacturer_string(),
                    d.product_string(),
                )
            })
            .collect())
    }

    /// escpos claims the printer's interface (taking it from the kernel's `usblp`, so
    /// `/dev/usb/lp0` goes away until the printer is plugged in again). A read left waiting by
    /// the previous job holds the claim for up to escpos's 5 s: a busy printer is tried again
    /// until then.
    pub fn open(printer: &UsbPrinter) -> Result<Box<dyn Transport>, UsbError> {
        let until = Instant::now() + DRIVER_LIMIT;
        loop {
            match NativeUsbDriver::open(printer.vendor_id, printer.product_id) {
                Ok(driver) => return Ok(Box::new(UsbTransport::new(driver))),
                Err(e) => {
                    let detail = e.to_string();
                    let busy = detail.to_ascii_lowercase().contains("busy");
                    if !busy || Instant::now() >= until {
                        return Err(UsbError::Open {
                            name: printer.name.clone(),
                            detail,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }
}

#[cfg(windows)]
mod platform {
    use escpos::driver::WindowsUsbPrintDriver;

    use super::{UsbError, UsbPrinter, UsbTransport};
    use crate::transport::Transport;

    /// Printers on the `usbprint.sys` class driver. Windows gives only the device path here,
    /// so a printer is named by its VID:PID.
    pub fn list() -> Result<Vec<UsbPrinter>, UsbError> {
        let devices = WindowsUsbPrintDriver::list().map_err(|e| UsbError::List(e.to_string()))?;
        Ok(devices
            .into_iter()
            .filter_map(|d| Some(UsbPrinter::new(d.vendor_id?, d.product_id?, None, None)))
            .collect())
    }

    pub fn open(printer: &UsbPrinter) -> Result<Box<dyn Transport>, UsbError> {
        WindowsUsbPrintDriver::open_by_vid_pid(printer.vendor_id, printer.product_id)
            .map(|d| Box::new(UsbTransport::new(d)) as Box<dyn Transport>)
            .map_err(|e| UsbError::Open {
                name: printer.name.clone(),
                detail: e.to_string(),
            })
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod platform {
    use super::{UsbError, UsbPrinter};
    use crate::transport::Transport;

    pub fn list() -> Result<Vec<UsbPrinter>, UsbError> {
        Err(UsbError::Unsupported)
    }

    pub fn open(_printer: &UsbPrinter) -> Result<Box<dyn Transport>, UsbError> {
        Err(UsbError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xp58() -> UsbPrinter {
        UsbPrinter::new(0x0483, 0x5720, Some("Xprinter"), Some("Xprinter XP-58"))
    }

    #[test]
    fn a_printer_is_named_as_it_names_itself() {
        assert_eq!(xp58().name, "Xprinter XP-58");
        assert_eq!(xp58().uri.to_string(), "usb:0483:5720");
        let gp = UsbPrinter::new(0x0471, 0x0055, Some("Gprinter"), Some("GP-58"));
        assert_eq!(gp.name, "Gprinter GP-58");
        let bare = UsbPrinter::new(0x0416, 0x5011, None, Some("  "));
        assert_eq!(bare.name, "USB 打印机 0416:5011");
    }

    #[test]
    fn no_printer_present_says_what_to_do() {
        let e = found(Vec::new()).expect_err("none");
        assert_eq!(e, UsbError::NoneFound);
        assert!(
            e.to_string().starts_with("没有找到 USB 打印机：请插好"),
            "{e}"
        );
        assert_eq!(choose(&[], None), Err(UsbError::NoneFound));
    }

    #[test]
    fn an_address_picks_its_printer_or_the_first() {
        let gp = UsbPrinter::new(0x0471, 0x0055, None, Some("GP-58"));
        let present = [xp58(), gp.clone()];
        assert_eq!(choose(&present, None), Ok(xp58()));
        assert_eq!(choose(&present, Some((0x0471, 0x0055))), Ok(gp));
        let missing = choose(&present, Some((0x1fc9, 0x2016))).expect_err("absent");
        assert!(missing.to_string().contains("1fc9:2016"), "{missing}");
    }
}
