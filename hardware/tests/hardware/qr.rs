//! QR codes: the native command carries the payload; the raster fallback scans.

use jifen_hardware::{Decoded, Doc, Item, PrinterProfile, decode, render};

use crate::common::{contains, font};

fn qr_doc(payload: &str) -> Doc {
    let mut doc = Doc::new();
    doc.push(Item::Qr(payload.into()));
    doc
}

#[test]
fn native_qr_is_model_2_level_m_module_6() {
    let bytes = render(
        &qr_doc("690123456789201234"),
        &PrinterProfile::mm58(),
        font(),
    )
    .expect("renders");
    assert!(
        contains(&bytes, &[0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0]),
        "model 2"
    );
    assert!(
        contains(&bytes, &[0x1D, 0x28, 0x6B, 3, 0, 49, 67, 6]),
        "module 6"
    );
    assert!(
        contains(&bytes, &[0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49]),
        "level M"
    );
    assert!(decode(&bytes).contains(&Decoded::Qr("690123456789201234".into())));
}

#[test]
fn raster_qr_fallback_scans_back_to_the_payload() {
    let payload = "690123456789201234";
    for base in [PrinterProfile::mm58(), PrinterProfile::mm80()] {
        let profile = PrinterProfile {
            native_qr: false,
            ..base
        };
        let decoded = decode(&render(&qr_doc(payload), &profile, font()).expect("renders"));
        assert!(!decoded.iter().any(|d| matches!(d, Decoded::Qr(_))));
        let bitmap = decoded
            .iter()
            .find_map(Decoded::bitmap)
            .expect("a raster QR");
        assert!(bitmap.width_dots() <= profile.dots() as usize);
        let mut img = rqrr::PreparedImage::prepare_from_bitmap(
            bitmap.width_dots(),
            bitmap.height(),
            |x, y| bitmap.get(x, y),
        );
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("scans");
        assert_eq!(content, payload);
    }
}

#[test]
fn a_payload_too_long_for_a_qr_is_printed_as_text() {
    let payload = "9".repeat(8000);
    let decoded =
        decode(&render(&qr_doc(&payload), &PrinterProfile::mm58(), font()).expect("renders"));
    assert!(
        decoded
            .iter()
            .any(|d| matches!(d, Decoded::Text(t) if t == &"9".repeat(32)))
    );
}
