//! What one physical printer can do. The layout and the encoder read only this, so a
//! counter with a different printer changes a setting, not code.
//! Ours: escpos's `PrinterOptions` know only characters per line, not head dots, charset,
//! cutter, drawer or native QR.

use std::fmt;

use thiserror::Error;

/// Paper roll width. Only the two sizes sold for counter printers in China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    Mm58,
    Mm80,
}

/// Printable dots across the head. 80 mm heads come as 576 or (cheaper ones) 512 dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadDots {
    D384,
    D512,
    D576,
}

/// Which 2-byte GB characters the printer's ROM font holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    /// Full GBK (most printers): any character GB18030 encodes in 1 or 2 bytes.
    Gbk,
    /// Older firmware with only GB2312 glyphs (no 堃 喆 昇): lead 0xA1–0xF7, trail 0xA1–0xFE.
    Gb2312Only,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrinterProfile {
    pub paper: Paper,
    pub dots: HeadDots,
    pub charset: Charset,
    /// Only a printer with a cutter gets `GS V`; without one we feed so the paper can be torn.
    pub cutter: bool,
    /// Pulse the cash-drawer pin for `Item::DrawerKick`; off unless a drawer is wired.
    pub drawer_kick: bool,
    /// Use the printer's own `GS ( k` QR; cheap firmware lacks it, then draw the QR as raster.
    pub native_qr: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    #[error("paper width must be 58 or 80 mm, not {0}")]
    Paper(u32),
    #[error("print head width must be 384, 512 or 576 dots, not {0}")]
    Dots(u32),
    #[error("{dots} dots do not fit {paper} paper")]
    Mismatch { paper: Paper, dots: u32 },
}

impl Paper {
    pub fn from_mm(mm: u32) -> Result<Self, ProfileError> {
        match mm {
            58 => Ok(Self::Mm58),
            80 => Ok(Self::Mm80),
            other => Err(ProfileError::Paper(other)),
        }
    }

    pub fn mm(self) -> u32 {
        match self {
            Self::Mm58 => 58,
            Self::Mm80 => 80,
        }
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} mm", self.mm())
    }
}

impl HeadDots {
    pub fn from_dots(dots: u32) -> Result<Self, ProfileError> {
        match dots {
            384 => Ok(Self::D384),
            512 => Ok(Self::D512),
            576 => Ok(Self::D576),
            other => Err(ProfileError::Dots(other)),
        }
    }

    pub fn dots(self) -> u32 {
        match self {
            Self::D384 => 384,
            Self::D512 => 512,
            Self::D576 => 576,
        }
    }
}

impl PrinterProfile {
    /// XP-58 class: 384 dots, GBK, no cutter.
    pub fn mm58() -> Self {
        Self {
            paper: Paper::Mm58,
            dots: HeadDots::D384,
            charset: Charset::Gbk,
            cutter: false,
            drawer_kick: false,
            native_qr: true,
        }
    }

    /// XP-80 class: 576 dots, GBK, with a cutter.
    pub fn mm80() -> Self {
        Self {
            paper: Paper::Mm80,
            dots: HeadDots::D576,
            charset: Charset::Gbk,
            cutter: true,
            drawer_kick: false,
            native_qr: true,
        }
    }

    /// Defaults for a paper width, with the head width checked against it
    /// (a 384-dot head is 58 mm; 512 and 576 are 80 mm).
    pub fn new(paper_mm: u32, dots: u32) -> Result<Self, ProfileError> {
        let paper = Paper::from_mm(paper_mm)?;
        let head = HeadDots::from_dots(dots)?;
        let fits = matches!(
            (paper, head),
            (Paper::Mm58, HeadDots::D384) | (Paper::Mm80, HeadDots::D512 | HeadDots::D576)
        );
        if !fits {
            return Err(ProfileError::Mismatch { paper, dots });
        }
        let base = match paper {
            Paper::Mm58 => Self::mm58(),
            Paper::Mm80 => Self::mm80(),
        };
        Ok(Self { dots: head, ..base })
    }

    pub fn dots(&self) -> u32 {
        self.dots.dots()
    }

    /// ASCII columns in font A (12 dots each): 32, 42 or 48. A Chinese character takes two.
    pub fn columns(&self) -> usize {
        (self.dots() / 12) as usize
    }
}

impl Default for PrinterProfile {
    fn default() -> Self {
        Self::mm58()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_head_width() {
        assert_eq!(PrinterProfile::mm58().columns(), 32);
        assert_eq!(PrinterProfile::mm80().columns(), 48);
        assert_eq!(PrinterProfile::new(80, 512).map(|p| p.columns()), Ok(42));
    }

    #[test]
    fn a_58mm_roll_cannot_have_an_80mm_head() {
        assert!(matches!(
            PrinterProfile::new(58, 576),
            Err(ProfileError::Mismatch { .. })
        ));
        assert_eq!(PrinterProfile::new(57, 384), Err(ProfileError::Paper(57)));
        assert_eq!(PrinterProfile::new(80, 500), Err(ProfileError::Dots(500)));
    }
}
