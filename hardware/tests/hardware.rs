//! Integration tests of the hardware crate, one binary (link time): receipts rendered and
//! read back, real transports (pseudo-terminal pairs, loopback TCP, a file), QR codes,
//! the serial scanner, and properties that must hold for any input.

#[path = "hardware/common.rs"]
mod common;
#[path = "hardware/escpos_bytes.rs"]
mod escpos_bytes;
#[path = "hardware/golden.rs"]
mod golden;
#[path = "hardware/props.rs"]
mod props;
#[path = "hardware/qr.rs"]
mod qr;
#[path = "hardware/render.rs"]
mod render;
#[path = "hardware/scanner.rs"]
mod scanner;
#[path = "hardware/transports.rs"]
mod transports;
#[path = "hardware/usb.rs"]
mod usb;
