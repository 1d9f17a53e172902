//! The bundled CJK fonts and per-character fallback between them: WenQuanYi Micro Hei for
//! almost everything, the Noto Sans CJK SC subset for rare name characters it lacks (Ext A/B,
//! such as 䶮 and 𠇔), so that no head of household's name is printed as a box.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};

use super::NoticeError;

pub static MAIN_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
pub static RARE_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-RareSubset.otf");

/// Which bundled font draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Main,
    Rare,
}

impl Face {
    pub fn data(self) -> &'static [u8] {
        match self {
            Face::Main => MAIN_FONT,
            Face::Rare => RARE_FONT,
        }
    }
}

pub struct Fonts {
    main: FontRef<'static>,
    rare: FontRef<'static>,
}

impl Fonts {
    /// The fonts, parsed once per process.
    pub fn get() -> Result<&'static Fonts, NoticeError> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    main: FontRef::try_from_slice_and_index(MAIN_FONT, 0).ok()?,
                    rare: FontRef::try_from_slice_and_index(RARE_FONT, 0).ok()?,
                })
            })
            .as_ref()
            .ok_or(NoticeError::Font)
    }

    pub fn font(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::Main => &self.main,
            Face::Rare => &self.rare,
        }
    }

    /// The main font when it has the character, else the rare one when it has it. A character
    /// neither has stays with the main font (and shows as its missing-glyph box).
    pub fn face_for(&self, c: char) -> Face {
        if self.main.glyph_id(c).0 != 0 || self.rare.glyph_id(c).0 == 0 {
            Face::Main
        } else {
            Face::Rare
        }
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.main.glyph_id(c).0 != 0 || self.rare.glyph_id(c).0 != 0
    }

    /// Splits text into runs that one font draws.
    pub fn runs<'a>(&self, text: &'a str) -> Vec<(Face, &'a str)> {
        let mut runs: Vec<(Face, &'a str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<Face> = None;
        for (at, c) in text.char_indices() {
            let face = self.face_for(c);
            match current {
                Some(f) if f == face => {}
                Some(f) => {
                    runs.push((f, &text[start..at]));
                    start = at;
                    current = Some(face);
                }
                None => current = Some(face),
            }
        }
        if let Some(f) = current {
            runs.push((f, &text[start..]));
        }
        runs
    }

    /// Width of a run in ems (multiply by the font size).
    pub fn run_width_em(&self, face: Face, text: &str) -> f32 {
        let font = self.font(face);
        let units = font.units_per_em().unwrap_or(1000.0);
        text.chars()
            .map(|c| font.h_advance_unscaled(font.glyph_id(c)))
            .sum::<f32>()
            / units
    }

    pub fn width_em(&self, text: &str) -> f32 {
        self.runs(text)
            .iter()
            .map(|(face, run)| self.run_width_em(*face, run))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_name_characters_fall_back_to_noto() {
        let fonts = Fonts::get().unwrap();
        assert_eq!(fonts.face_for('王'), Face::Main);
        assert_eq!(fonts.face_for('𠇔'), Face::Rare);
        assert!(fonts.has_glyph('䶮') && fonts.has_glyph('𠇔'));
        assert_eq!(
            fonts.runs("李𠇔家"),
            vec![(Face::Main, "李"), (Face::Rare, "𠇔"), (Face::Main, "家")]
        );
        assert!(fonts.width_em("青山村") > 2.9);
    }
}
