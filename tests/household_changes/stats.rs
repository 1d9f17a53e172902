//! Every kind of change on the points notice of its period (变动情况) and on the household's
//! statistics page (家庭积分情况统计表, `notice household`), each in the same words.

use super::*;

/// One of each: split, new head, move to a group, merge, join, and a move away whose balance
/// the committee ended. Returns the store.
fn every_kind() -> Store {
    let mut s = crate::register::register_store("fuling", "fuling_items.xlsx");
    split(&mut s.db, &s.manager, &the_split(40), t0()).unwrap();
    change_head(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        "王二山",
        "户主年迈交给儿子",
        t0(),
    )
    .unwrap();
    let group = MoveTo::Group("第一组".parse().unwrap());
    let on = at(2026, 11, 15, 0, 0).date();
    mv(&mut s, &hh("102001"), &group, "搬到一组", None, on, t0()).unwrap();
    merge(
        &mut s.db,
        &s.manager,
        &hh("101002"),
        &hh("101009"),
        &committee(),
        "两户合并",
        t0(),
    )
    .unwrap();
    let join = Join {
        number: hh("109001"),
        head_name: "陈外来".into(),
        village: "青山村".into(),
        group: "第一组".parse().unwrap(),
        members: 2,
        phone: None,
        arrived: at(2026, 11, 2, 0, 0).date(),
        committee: committee(),
        reason: "居住满六个月，经两委同意".into(),
    };
    changes::join(&mut s.db, &s.manager, &join, t0()).unwrap();
    let c = committee();
    mv(
        &mut s,
        &hh("102001"),
        &MoveTo::Away,
        "迁往县城",
        Some(&c),
        t0().date(),
        t0(),
    )
    .unwrap();
    s
}

/// What each kind says, as the board and the statistics page word it.
const SPLIT: &str = "分户，分出 101009（户主 王小山），转出 40 分";
const HEAD: &str = "户主由 王大山 变更为 王二山";
const MOVE: &str = "由 第二组 迁入 第一组";
const MERGE: &str = "合户，并入 101009，转出 100 分";
const JOIN: &str = "常住户加入积分管理";
const AWAY: &str = "迁出本村，余额 100 分经村委会决定清零";

#[test]
fn every_kind_of_change_is_on_the_points_notice_of_its_period() {
    let mut s = every_kind();
    let notice =
        jifen::app::notices::points_notice(&mut s.db, crate::notices::period("2026-11"), None, 3)
            .unwrap();
    let lines: Vec<(String, String)> = notice
        .groups
        .iter()
        .flat_map(|g| {
            g.changes
                .iter()
                .map(|c| (c.number.to_string(), c.change.clone()))
        })
        .collect();
    let want = [
        ("101001", SPLIT),
        ("101001", HEAD),
        ("102001", MOVE),
        ("101002", MERGE),
        ("109001", JOIN),
        ("102001", AWAY),
    ];
    for (number, what) in want {
        assert!(
            lines.iter().any(|(n, c)| n == number && c == what),
            "{number} {what} missing from {lines:?}"
        );
    }
    assert_eq!(lines.len(), want.len(), "{lines:?}");
    // The committee's decisions carry their names; the ended balance is not listed again as
    // a correction.
    let away = notice
        .groups
        .iter()
        .flat_map(|g| &g.changes)
        .find(|c| c.change == AWAY)
        .unwrap();
    assert_eq!(
        (away.reason.as_str(), away.approved_by.as_str()),
        ("迁往县城", "王书记,李主任,赵组长")
    );
    assert!(
        notice.groups.iter().all(|g| g.corrections.is_empty()),
        "{:?}",
        notice
            .groups
            .iter()
            .map(|g| &g.corrections)
            .collect::<Vec<_>>()
    );
    // The printed notice says them under 变动情况.
    let doc = jifen::notice::group_notices::points_doc(&notice, t0().date());
    let text = jifen::notice::notice_text::notice_text(&doc);
    for what in [SPLIT, HEAD, MOVE, MERGE, JOIN, AWAY] {
        assert!(text.contains(what), "{what} not in {text}");
    }
    // October's notice has none of them.
    let october =
        jifen::app::notices::points_notice(&mut s.db, crate::notices::period("2026-10"), None, 3)
            .unwrap();
    assert!(october.groups.iter().all(|g| g.changes.is_empty()));
}

#[test]
fn every_kind_of_change_is_on_the_households_statistics_page() {
    let mut s = every_kind();
    let page = |s: &mut Store, number: &str, year: i32| {
        jifen::app::register::household_year(&mut s.db, &hh(number), year).unwrap()
    };
    let whats = |y: &jifen::app::register::HouseholdYear| -> Vec<String> {
        y.changes.iter().map(|c| c.change.clone()).collect()
    };
    // Each household's page lists the changes it took part in, the other side's included.
    assert_eq!(whats(&page(&mut s, "101001", 2026)), [SPLIT, HEAD]);
    assert_eq!(whats(&page(&mut s, "101009", 2026)), [SPLIT, MERGE]);
    assert_eq!(whats(&page(&mut s, "101002", 2026)), [MERGE]);
    assert_eq!(whats(&page(&mut s, "102001", 2026)), [MOVE, AWAY]);
    assert_eq!(whats(&page(&mut s, "109001", 2026)), [JOIN]);
    // Another year's page has none of them (that year's items imported to draw it).
    jifen::app::register::import_items(
        &mut s.db,
        &s.manager,
        &fixture("register/fuling_items.xlsx"),
        "青山村",
        2025,
        t0(),
    )
    .unwrap();
    assert!(page(&mut s, "101001", 2025).changes.is_empty());

    // The drawn page (what `notice household` prints and saves) shows them with reason and
    // committee, and says so when a year has none.
    let doc = jifen::notice::register::household_doc(&page(&mut s, "102001", 2026), t0().date());
    let text = jifen::notice::notice_text::notice_text(&doc);
    assert!(
        text.contains("变动情况")
            && text.contains(MOVE)
            && text.contains(AWAY)
            && text.contains("迁往县城")
            && text.contains("赵组长"),
        "{text}"
    );
    let doc = jifen::notice::register::household_doc(&page(&mut s, "101001", 2025), t0().date());
    assert!(notice_text_of(&doc).contains("本年无分户、合户、户主变更或迁移"));
}

fn notice_text_of(doc: &jifen::notice::document::NoticeDoc) -> String {
    jifen::notice::notice_text::notice_text(doc)
}

#[test]
fn notice_household_on_the_command_line_shows_the_households_changes() {
    let s = every_kind();
    let data = s.dir.path();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(["notice", "household", "101009", "--year", "2026"])
        .env_remove("JIFEN_DATA")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("家庭积分情况统计表") && text.contains(SPLIT) && text.contains(MERGE),
        "{text}"
    );
}
