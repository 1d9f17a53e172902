//! Our transports as `escpos` drivers. escpos builds every command and hands the bytes to
//! its `Driver`; the transport carries them with our timeouts (escpos's own serial and file
//! drivers have a fixed 5 s timeout, no flow control, or block forever reading `lp0`).

use std::cell::{Cell, RefCell};
use std::io;
use std::time::Duration;

use escpos::driver::Driver;
use escpos::errors::PrinterError;
use escpos::printer::Printer;

use crate::encode::protocol;
use crate::transport::{Transport, TransportError};

/// Any [`Transport`] as an escpos [`Driver`] (implemented for `&TransportDriver`, so the
/// caller keeps the driver to read replies while an escpos `Printer` writes through it).
/// `Driver` methods take no timeout: each write and read waits at most [`Self::set_timeout`].
pub struct TransportDriver<'t> {
    transport: RefCell<&'t mut dyn Transport>,
    timeout: Cell<Duration>,
    error: RefCell<Option<TransportError>>,
}

impl<'t> TransportDriver<'t> {
    pub fn new(transport: &'t mut dyn Transport, timeout: Duration) -> Self {
        Self {
            transport: RefCell::new(transport),
            timeout: Cell::new(timeout),
            error: RefCell::new(None),
        }
    }

    /// The bound of the next writes and reads (a write's bound is per stall, as in `Transport`).
    pub fn set_timeout(&self, timeout: Duration) {
        self.timeout.set(timeout);
    }

    pub fn can_read(&self) -> bool {
        self.transport.borrow().can_read()
    }

    /// An escpos printer writing through this transport, with the Chinese protocol.
    pub fn printer(&self) -> Printer<&Self> {
        Printer::new(self, protocol(), None)
    }

    /// The transport's own error behind the last `PrinterError` (escpos keeps only text), so
    /// the caller still tells a timeout from a closed connection.
    pub fn take_error(&self, fallback: PrinterError) -> TransportError {
        self.error
            .borrow_mut()
            .take()
            .unwrap_or_else(|| TransportError::Io(io::Error::other(fallback.to_string())))
    }

    fn fail(&self, e: TransportError) -> PrinterError {
        let text = e.to_string();
        *self.error.borrow_mut() = Some(e);
        PrinterError::Io(text)
    }
}

impl Driver for &TransportDriver<'_> {
    fn name(&self) -> String {
        "jifen transport".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        let timeout = self.timeout.get();
        let result = self.transport.borrow_mut().write_all(data, timeout);
        result.map_err(|e| self.fail(e))
    }

    /// `Ok(0)`: nothing came within the timeout.
    fn read(&self, buf: &mut [u8]) -> escpos::errors::Result<usize> {
        let timeout = self.timeout.get();
        let result = self.transport.borrow_mut().read(buf, timeout);
        result.map_err(|e| self.fail(e))
    }

    /// Nothing to do: `write` returns once the transport took every byte. (A serial port's
    /// flush is tcdrain, which waits forever while flow control holds the line.)
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}
