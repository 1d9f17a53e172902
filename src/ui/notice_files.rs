//! Where a saved notice goes: named by kind, period and group (`积分公示-2026-09-青山村第一组.pdf`,
//! pages `-01`, `-02`…), and never over an existing file without asking: the default is the
//! next free name (`…(2).pdf`).

use std::path::{Path, PathBuf};

use rust_i18n::t;

use crate::app::notices::NoticeKind;

/// `积分公示-2026-09-青山村第一组`: what the notice is, for which period and group. Always in
/// Chinese, as the village files its papers; characters a file system refuses are dropped.
pub fn notice_stem(kind: NoticeKind, period: &str, group: &str) -> String {
    let kind_name = t!(
        format!("ui.notices.kind_{}", kind.as_str()),
        locale = "zh-CN"
    )
    .to_string();
    let mut parts = vec![kind_name, period.trim().to_string()];
    let group: String = group
        .trim()
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    if !group.is_empty() {
        parts.push(group);
    }
    parts.retain(|p| !p.is_empty());
    parts.join("-")
}

/// The files one save writes: one PDF, or one PNG per page (`-01`, `-02`… so they sort).
pub fn files_for(folder: &Path, stem: &str, png: bool, pages: usize) -> Vec<PathBuf> {
    if !png {
        return vec![folder.join(format!("{stem}.pdf"))];
    }
    crate::notice::notice_png::page_file_names(&folder.join(format!("{stem}.png")), pages)
}

/// The first of `stem`, `stem(2)`, `stem(3)`… whose files are all free.
pub fn free_stem(folder: &Path, stem: &str, png: bool, pages: usize) -> String {
    let taken = |s: &str| files_for(folder, s, png, pages).iter().any(|f| f.exists());
    if !taken(stem) {
        return stem.to_string();
    }
    (2..)
        .map(|n| format!("{stem}({n})"))
        .find(|s| !taken(s))
        .unwrap_or_else(|| stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_kind_period_and_group_and_pages_sort() {
        rust_i18n::set_locale("zh-CN");
        assert_eq!(
            notice_stem(NoticeKind::Points, "2026-09", "青山村/第一组"),
            "积分公示-2026-09-青山村第一组"
        );
        let dir = tempfile::tempdir().unwrap();
        let files = files_for(dir.path(), "积分公示-2026-09", true, 11);
        assert!(files[0].ends_with("积分公示-2026-09-01.png"));
        assert!(files[10].ends_with("积分公示-2026-09-11.png"));
        std::fs::write(dir.path().join("积分公示-2026-09.pdf"), b"x").unwrap();
        assert_eq!(
            free_stem(dir.path(), "积分公示-2026-09", false, 1),
            "积分公示-2026-09(2)"
        );
    }
}
