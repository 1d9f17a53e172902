//! Lists the USB printers this machine sees, as the settings drop-down shows them, and with
//! `--test-page` prints the hardware test page to the first (or `usb:VID:PID` given).
//! The manual check for a real printer in `hardware/README.md` uses it:
//! `cargo run -p jifen-hardware --example usb_printers -- --test-page [usb:0483:5720]`.

use std::time::Duration;

use jifen_hardware::{PrinterProfile, PrinterUri, RasterFont, print_job, render, test_page, usb};

fn main() {
    let printers = match usb::printers() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    for p in &printers {
        println!("{}\t{}", p.uri, p.name);
    }
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("--test-page") {
        return;
    }
    let uri = match args.next() {
        Some(text) => PrinterUri::parse(&text).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        }),
        None => PrinterUri::Usb { device: None },
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts");
    let font = std::fs::read(dir.join("wqy-microhei.ttc"))
        .ok()
        .and_then(|f| RasterFont::primary_only(f).ok());
    let Some(font) = font else {
        eprintln!("bundled font missing: run from the source tree");
        std::process::exit(1)
    };
    let profile = PrinterProfile::mm58();
    let bytes = match render(&test_page(&profile), &profile, &font) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    };
    let result = jifen_hardware::open(&uri)
        .map_err(jifen_hardware::PrintError::from)
        .and_then(|mut t| print_job(t.as_mut(), &bytes, Duration::from_secs(3)));
    match result {
        Ok(outcome) => println!(
            "{} bytes sent; printer said: {}",
            outcome.bytes_sent, outcome.status
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}
