//! Line breaking for notices: Chinese breaks between any two characters, a run of Latin
//! letters or digits (a receipt number, "5kg") stays whole unless it alone is too wide, and
//! closing punctuation never starts a line (避头).

use super::fonts::Fonts;

/// Characters that must not begin a line.
const NO_LINE_START: &str = "，。、；：？！）》」』】〕…％,.;:?!)]}%·～";

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._/:+×%#@&'".contains(c)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0x20000..=0x3FFFF)
}

/// Splits text into pieces that may not be broken: words of Latin letters and digits (with
/// the unit a number is counted in: "80包", "10个"), single spaces, single other characters.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_digit = false;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        if is_word_char(c) {
            start.get_or_insert(at);
            last_digit = c.is_ascii_digit();
            continue;
        }
        match start.take() {
            Some(s) if last_digit && is_ideograph(c) => out.push(&text[s..end]),
            Some(s) => {
                out.push(&text[s..at]);
                out.push(&text[at..end]);
            }
            None => out.push(&text[at..end]),
        }
        last_digit = false;
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Breaks `text` into lines no wider than `width` mm at `size` mm, the first line `indent` mm
/// narrower. `\n` forces a break. Never returns no lines.
pub fn wrap(fonts: &Fonts, text: &str, size: f32, width: f32, indent: f32) -> Vec<String> {
    let measure = |s: &str| fonts.width_em(s) * size;
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        let room = |lines: &Vec<String>| {
            if lines.is_empty() {
                width - indent
            } else {
                width
            }
        };
        for token in tokens(paragraph) {
            let w = measure(token);
            let no_start = token.chars().all(|c| NO_LINE_START.contains(c));
            if used + w <= room(&lines) + 0.01 || (no_start && !line.is_empty()) {
                line.push_str(token);
                used += w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                used = 0.0;
            }
            if token == " " {
                continue;
            }
            if w <= room(&lines) {
                line.push_str(token);
                used = w;
                continue;
            }
            // A word wider than a whole line: break it between characters.
            for c in token.chars() {
                let cw = measure(c.encode_utf8(&mut [0; 4]));
                if used + cw > room(&lines) && !line.is_empty() {
                    lines.push(std::mem::take(&mut line).trim_end().to_string());
                    used = 0.0;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Columns a string takes in a monospaced terminal or text file: 2 for a Chinese character.
pub fn text_columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0..=0x10FF => 1,
            0x2010..=0x2027 | 0x2030..=0x205E => 1,
            _ => 2,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_whole_and_chinese_breaks_anywhere() {
        let fonts = Fonts::get().unwrap();
        assert_eq!(tokens("大米 5kg×2"), ["大", "米", " ", "5kg×2"]);
        assert_eq!(tokens("衣架 80包、"), ["衣", "架", " ", "80包", "、"]);
        let lines = wrap(fonts, "青山米业有限公司捐赠大米", 4.0, 17.0, 0.0);
        assert_eq!(lines, ["青山米业", "有限公司", "捐赠大米"]);
        let lines = wrap(fonts, "单号 2026-000123", 4.0, 30.0, 0.0);
        assert_eq!(lines, ["单号", "2026-000123"]);
        assert_eq!(wrap(fonts, "", 4.0, 20.0, 0.0), [""]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let fonts = Fonts::get().unwrap();
        let lines = wrap(fonts, "一二三四，五六", 4.0, 16.5, 0.0);
        assert_eq!(lines[0], "一二三四，");
        assert!(lines.iter().all(|l| !l.starts_with('，')));
    }

    #[test]
    fn an_indent_narrows_the_first_line_only() {
        let fonts = Fonts::get().unwrap();
        let lines = wrap(fonts, "一二三四五六七八", 4.0, 16.5, 8.0);
        assert_eq!(lines, ["一二", "三四五六", "七八"]);
    }

    #[test]
    fn chinese_takes_two_text_columns() {
        assert_eq!(text_columns("大米 5kg"), 8);
        assert_eq!(text_columns("—"), 1);
    }
}
