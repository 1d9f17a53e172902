//! Bytes and wires for the counter: ESC/POS layout and encoding for cheap Chinese receipt
//! printers (GB18030 text, raster fallback for characters the printer lacks), the commands
//! built by the `escpos` crate, printer transports with timeouts (serial, TCP, file, USB),
//! status queries, a serial scanner reader, and a decoder of our own bytes for tests and
//! print preview. See `shared/HARDWARE.md` for the facts.
//!
//! This crate knows nothing of households or points: the app builds a [`Doc`].

pub mod commands;
pub mod decode;
pub mod doc;
pub mod driver;
pub mod encode;
pub mod layout;
pub mod profile;
pub mod qr;
pub mod raster;
pub mod scanner;
pub mod status;
pub mod text;
pub mod transport;
pub mod uri;
pub mod usb;

pub use decode::{Decoded, StyleChange, decode, preview_text};
pub use doc::{Align, Doc, Item, test_page};
pub use driver::TransportDriver;
pub use encode::{MemoryDriver, RenderError, render};
pub use profile::{Charset, HeadDots, Paper, PrinterProfile, ProfileError};
pub use raster::{Bitmap, FontError, RasterFont};
pub use scanner::{ScanError, ScannerConfig, ScannerHandle, Suffix, start_scanner};
pub use status::{PrintError, PrintOutcome, PrinterStatus, print_job, query_status};
pub use transport::{
    FileTransport, SerialTransport, TcpTransport, Transport, TransportError, open, serial_ports,
    transmit_time,
};
pub use uri::{Flow, PrinterUri, UriError};
pub use usb::{UsbError, UsbPrinter, UsbTransport};
