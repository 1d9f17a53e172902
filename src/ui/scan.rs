//! Keyboard-wedge scanner input. A scanner types its digits as keystrokes and ends with Enter;
//! we read them globally while no text field has focus. egui gives no per-key timestamps, only
//! frame times, so a burst is recognised by its shape: digits, then Enter, with no long pause.

/// Shortest thing we accept as a scan: card payloads, 户号 and barcodes are all longer.
pub const MIN_SCAN_LEN: usize = 4;
/// A run of digits this long is a card (payloads are 24 digits), even right after typed text.
pub const CARD_BURST_LEN: usize = 20;
/// A pause longer than this between keystrokes starts a new burst: people pause, scanners don't.
pub const MAX_GAP_SECONDS: f64 = 1.0;

#[derive(Debug, Default)]
pub struct ScanBuffer {
    digits: String,
    last_key_at: Option<f64>,
    /// A letter arrived since the last Enter: a person typing (or an IME), so no scan.
    spoiled: bool,
}

impl ScanBuffer {
    /// Feeds typed text arriving at `time` (seconds).
    pub fn push_text(&mut self, text: &str, time: f64) {
        if self.last_key_at.is_some_and(|t| time - t > MAX_GAP_SECONDS) {
            self.digits.clear();
            self.spoiled = false;
        }
        self.last_key_at = Some(time);
        for c in text.chars() {
            if c.is_ascii_digit() {
                self.digits.push(c);
            } else {
                // What came before was typed by a person; a card burst may still follow.
                self.digits.clear();
                self.spoiled = true;
            }
        }
    }

    /// Enter ends a burst: returns the scanned digits when they look like a scan.
    pub fn enter(&mut self, time: f64) -> Option<String> {
        let stale = self.last_key_at.is_some_and(|t| time - t > MAX_GAP_SECONDS);
        let digits = std::mem::take(&mut self.digits);
        let spoiled = std::mem::take(&mut self.spoiled);
        self.last_key_at = None;
        // After a letter only a card-length run of digits counts: a person typing "10a1001"
        // is not a scan, a card scanned into a box after "王" is.
        let long_enough = if spoiled {
            digits.len() >= CARD_BURST_LEN
        } else {
            digits.len() >= MIN_SCAN_LEN
        };
        (!stale && long_enough).then_some(digits)
    }

    pub fn pending(&self) -> &str {
        &self.digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_digits_and_enter_is_a_scan() {
        let mut b = ScanBuffer::default();
        for (i, c) in "101001".chars().enumerate() {
            b.push_text(&c.to_string(), i as f64 * 0.01);
        }
        assert_eq!(b.enter(0.07).as_deref(), Some("101001"));
        assert_eq!(b.pending(), "");
    }

    #[test]
    fn short_slow_or_lettered_input_is_not() {
        let mut b = ScanBuffer::default();
        b.push_text("12", 0.0);
        assert_eq!(b.enter(0.1), None);
        b.push_text("1010", 0.0);
        b.push_text("01", 5.0);
        assert_eq!(b.enter(5.1), None, "a pause splits the burst");
        b.push_text("10a1001", 0.0);
        assert_eq!(b.enter(0.1), None);
    }

    #[test]
    fn a_card_burst_after_typed_text_is_still_a_scan() {
        let mut b = ScanBuffer::default();
        b.push_text("王", 0.0);
        b.push_text("151100000000000000000042", 0.05);
        assert_eq!(b.enter(0.1).as_deref(), Some("151100000000000000000042"));
    }
}
