//! Measuring and cutting text the way the printer sees it: by GB18030 bytes, one ASCII
//! column per byte. `unicode-width` is wrong here (`·` `—` `×` print full-width).
//! Ours: escpos 0.20 measures and cuts text by bytes of its own encoder, with no notion of
//! which characters a printer's ROM font holds, so the text-or-raster choice per line is here.

use encoding_rs::GB18030;

use crate::doc::Align;
use crate::profile::{Charset, PrinterProfile};

/// What we print as text: `¥` (U+00A5) is 4 bytes in GB18030 and prints as "0 6", so it
/// becomes the full-width `￥` (A3 A4) every Chinese printer has. Tabs become a space and
/// other control characters are dropped: a stray ESC or LF inside a name would be taken
/// as a printer command.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '¥' => Some('￥'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The GB18030 bytes of one character (1, 2 or 4), or `None` where encoding_rs cannot
/// encode it (U+E5E5), so the caller never sees a `&#NNNN;` escape.
pub fn gb_bytes(c: char) -> Option<Vec<u8>> {
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = GB18030.encode(c.encode_utf8(&mut buf));
    (!had_errors).then(|| bytes.into_owned())
}

/// Print columns one character takes: 1 for ASCII, 2 for anything else. A 2-byte GB
/// character is printed 24 dots wide; a character we must draw as raster (4-byte Ext B,
/// emoji) is drawn in the same 24-dot cell, so it takes 2 columns too.
pub fn char_width(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Width of a string in ASCII columns (its GBK byte length for 1- and 2-byte characters).
pub fn gbk_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Can the printer's own font print this character as text?
pub fn fits(profile: &PrinterProfile, c: char) -> bool {
    // Private-use characters map to GBK's user-defined areas, which hold no glyphs.
    if ('\u{E000}'..='\u{F8FF}').contains(&c) {
        return false;
    }
    match gb_bytes(c).as_deref() {
        Some([b]) => (0x20..0x7f).contains(b),
        Some([lead, trail]) if !in_gbk_rom(*lead, *trail) => false,
        Some([lead, trail]) => match profile.charset {
            Charset::Gbk => true,
            Charset::Gb2312Only => (0xA1..=0xF7).contains(lead) && (0xA1..=0xFE).contains(trail),
        },
        _ => false,
    }
}

/// False for the 2-byte codes GB18030 filled in after GBK (GBK left them to private use),
/// so a GBK printer's ROM has no glyph there: € at A2E3, ǹ, ḿ, the ideographic
/// description characters, vertical forms, and the FE50–FEA0 row that holds Ext A
/// name characters such as 䶮 (FE9F). Those lines go out as raster instead.
fn in_gbk_rom(lead: u8, trail: u8) -> bool {
    !matches!(
        (lead, trail),
        (0xA2, 0xE3)
            | (0xA6, 0xD9..=0xDF | 0xEC..=0xED | 0xF3)
            | (0xA8, 0xBC | 0xBF)
            | (0xA9, 0x89..=0x95)
            | (0xFE, 0x50..=0xA0)
    )
}

/// True when every character of the line prints as text (else the line goes out as raster).
pub fn line_fits(profile: &PrinterProfile, line: &str) -> bool {
    line.chars().all(|c| fits(profile, c))
}

/// GB18030 bytes of a line that `line_fits`; any character that slipped through is left
/// out rather than encoded as a 4-byte sequence the printer would misprint.
pub fn encode_text(line: &str) -> Vec<u8> {
    line.chars()
        .filter_map(gb_bytes)
        .filter(|b| b.len() <= 2)
        .flatten()
        .collect()
}

/// Break text into lines of at most `width` columns, never inside a character. ASCII words
/// are kept whole when a space earlier on the line allows it; Chinese breaks anywhere.
/// `\n` forces a break. A width below 2 is taken as 2 so a Chinese character always fits.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(&normalize(paragraph), width, &mut lines);
    }
    lines
}

fn wrap_paragraph(text: &str, width: usize, out: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        out.push(String::new());
        return;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start;
        let mut used = 0;
        while end < chars.len() && used + char_width(chars[end]) <= width {
            used += char_width(chars[end]);
            end += 1;
        }
        if end < chars.len()
            && is_word(chars[end])
            && is_word(chars[end - 1])
            && let Some(space) = (start + 1..end).rev().find(|&i| chars[i] == ' ')
        {
            end = space;
        }
        let line: String = chars[start..end].iter().collect();
        out.push(line.trim_end().to_string());
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
}

/// The longest prefix of `text` that fits in `width` columns (never half a character).
pub fn truncate(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += char_width(c);
        if used > width {
            return &text[..i];
        }
    }
    text
}

/// Pad to exactly `width` columns with spaces, aligned; text wider than that is truncated
/// (callers wrap first, so this only guards the paper edge).
pub fn pad(text: &str, width: usize, align: Align) -> String {
    let text = truncate(text, width);
    let gap = width - gbk_width(text);
    let (left, right) = match align {
        Align::Left => (0, gap),
        Align::Right => (gap, 0),
        Align::Center => (gap / 2, gap - gap / 2),
    };
    format!("{}{}{}", " ".repeat(left), text, " ".repeat(right))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_is_gbk_bytes_not_unicode_width() {
        assert_eq!(gbk_width("大米 5kg"), 8);
        assert_eq!(gbk_width("×·—"), 6);
        assert_eq!(gb_bytes('·').map(|b| b.len()), Some(2));
    }

    #[test]
    fn yen_sign_becomes_fullwidth_yuan() {
        assert_eq!(normalize("¥12"), "￥12");
        assert_eq!(encode_text("￥"), vec![0xA3, 0xA4]);
    }

    #[test]
    fn charset_decides_what_prints_as_text() {
        let gbk = PrinterProfile::mm58();
        let old = PrinterProfile {
            charset: Charset::Gb2312Only,
            ..gbk
        };
        assert!(fits(&gbk, '堃') && !fits(&old, '堃'));
        assert!(fits(&old, '米') && fits(&old, '￥'));
        assert!(!fits(&gbk, '𠇔') && !fits(&gbk, '䶮') && !fits(&gbk, '€'));
    }

    #[test]
    fn wrap_keeps_words_and_characters_whole() {
        assert_eq!(wrap("大米大米大", 4), vec!["大米", "大米", "大"]);
        assert_eq!(wrap("a大", 2), vec!["a", "大"]);
        assert_eq!(wrap("hello world", 8), vec!["hello", "world"]);
        assert_eq!(wrap("", 8), vec![""]);
    }

    #[test]
    fn pad_aligns_by_columns() {
        assert_eq!(pad("米", 6, Align::Right), "    米");
        assert_eq!(pad("米", 5, Align::Center), " 米  ");
        assert_eq!(pad("大米油", 5, Align::Left), "大米 ");
    }
}
