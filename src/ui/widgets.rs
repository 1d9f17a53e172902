//! Small shared pieces so every screen looks and reads the same.

use eframe::egui;

/// A labelled single-line text field (the label also names it for screen readers and tests).
pub fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(egui::TextEdit::singleline(value).desired_width(width))
            .labelled_by(label.id)
    })
    .inner
}

/// Parses "1001=2 1002=1" (or one code per line) as goods and quantities; `None` when malformed.
pub fn parse_lines(text: &str) -> Option<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for item in text
        .split([' ', '\n', ',', '，', '、'])
        .filter(|s| !s.trim().is_empty())
    {
        let (code, qty) = item.split_once(['=', '＝', '*', '×'])?;
        let qty = crate::core::parse_whole_number(qty)
            .ok()
            .filter(|q| *q > 0)?;
        out.push((code.trim().to_string(), qty));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_parse_the_way_staff_type_them() {
        assert_eq!(
            super::parse_lines("1001=2 1002×１"),
            Some(vec![("1001".into(), 2), ("1002".into(), 1)])
        );
        assert_eq!(super::parse_lines("1001"), None);
        assert_eq!(super::parse_lines("1001=0"), None);
    }
}
