//! Changes over time: the notice of each period, ranks before a move, dates, an upgrade.

use super::*;
fn notice_text(s: &mut Store, period: &str) -> (jifen::core::notices::PointsNotice, String) {
    let notice =
        jifen::app::notices::points_notice(&mut s.db, crate::notices::period(period), None, 3)
            .unwrap();
    let doc = jifen::notice::group_notices::points_doc(&notice, t0().date());
    let text = jifen::notice::notice_text::notice_text(&doc);
    (notice, text)
}

fn numbers_in(notice: &jifen::core::notices::PointsNotice, group: &str) -> Vec<String> {
    notice
        .groups
        .iter()
        .filter(|g| g.group == group)
        .flat_map(|g| g.households.iter().map(|h| h.number.to_string()))
        .collect()
}

#[test]
fn each_change_is_on_the_points_notice_of_its_period_and_past_notices_keep_the_old_group() {
    let mut s = small_store();
    let day = at(2026, 11, 15, 0, 0).date();
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
    mv(
        &mut s,
        &hh("101001"),
        &MoveTo::Group("第二组".parse().unwrap()),
        "搬到二组",
        None,
        day,
        t0(),
    )
    .unwrap();
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

    let (november, text) = notice_text(&mut s, "2026-11");
    assert!(numbers_in(&november, "第二组").contains(&"101001".to_string()));
    assert!(!numbers_in(&november, "第一组").contains(&"101001".to_string()));
    // Each change is listed under the group the household was in on its day: the move was
    // back-dated to the 15th, so the split and the new head of the 20th are 第二组's.
    let lines = |group: &str| -> Vec<String> {
        november
            .groups
            .iter()
            .filter(|g| g.group == group)
            .flat_map(|g| g.changes.iter().map(|c| c.change.clone()))
            .collect()
    };
    let (first_lines, second_lines) = (lines("第一组"), lines("第二组"));
    assert_eq!(
        (first_lines.len(), second_lines.len()),
        (2, 2),
        "{first_lines:?} {second_lines:?}"
    );
    assert!(
        second_lines
            .iter()
            .any(|c| c.contains("分出 101009") && c.contains("40 分")),
        "{second_lines:?}"
    );
    assert!(
        second_lines
            .iter()
            .any(|c| c.contains("王大山") && c.contains("王二山"))
    );
    assert!(
        first_lines
            .iter()
            .any(|c| c.contains("第一组") && c.contains("第二组"))
    );
    assert!(
        first_lines
            .iter()
            .any(|c| c.contains("并入 101009") && c.contains("100 分"))
    );
    let first = november
        .groups
        .iter()
        .find(|g| g.group == "第一组")
        .unwrap();
    assert!(
        text.contains("变动情况") && text.contains("长子成家分户") && text.contains("王书记"),
        "{text}"
    );
    // The transfer pairs are listed as changes, not again as corrections.
    assert!(first.corrections.is_empty(), "{:?}", first.corrections);

    // October's notice, made after the move, still shows 101001 in its old group, no changes.
    let (october, _) = notice_text(&mut s, "2026-10");
    assert!(numbers_in(&october, "第一组").contains(&"101001".to_string()));
    assert!(october.groups.iter().all(|g| g.changes.is_empty()));
}

#[test]
fn a_store_made_before_migration_019_gets_each_households_group_history() {
    let mut s = small_store();
    // A household the older build added through the app (signed, as every write is since
    // 012): 019's backfill must give it a group history too. Added before the file is turned
    // back, because today's app is the only way to write a signed household here.
    let added: Vec<Vec<String>> = [
        ["户号", "户主", "村", "村小组", "期初积分"],
        ["102002", "周老汉", "青山村", "第二组", "0"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    jifen::app::import::import_households_grid(
        &mut s.db,
        &s.manager,
        "households.csv",
        &added,
        t0(),
    )
    .unwrap();
    let path = s.path();
    drop(s.db);
    // Turn the file back into what the build before 019 wrote: every migration before 019.
    let conn = rusqlite::Connection::open(&path).unwrap();
    // 019 is the 18th migration (013 is a gap): version 17 re-runs it and every later one,
    // so the later ones' objects go too (020: the check mark; 021 rebuilds the ledgers again).
    conn.pragma_update(None, "user_version", 17).unwrap();
    conn.execute_batch(
        "DROP TRIGGER household_group_history_first; DROP TRIGGER household_group_history_follows;
         DROP TABLE household_change; DROP TABLE point_transfer; DROP TABLE household_group_history;
         DROP TABLE check_mark; DROP INDEX txn_signature_giving_keys; DROP INDEX audit_log_restores;",
    )
    .unwrap();
    drop(conn);
    s.db = jifen::store::Db::open(&path).unwrap();
    // The upgraded app starts afresh: the manager signs in again.
    s.manager = jifen::app::sign_in(&mut s.db, s.manager.id, "842619", t0()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM household_group_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(rows, 4, "one row per household");
    let faults = check(&mut s.db).unwrap();
    assert!(faults.is_empty(), "{faults:#?}");
    let day = t0().date();
    mv(
        &mut s,
        &hh("102002"),
        &MoveTo::Group("第一组".parse().unwrap()),
        "搬家",
        None,
        day,
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);
}

#[test]
fn ranks_for_a_month_before_a_move_stay_in_the_old_group() {
    let mut s = small_store();
    let sheet = s.dir.path().join("october.csv");
    std::fs::write(&sheet, "户号,得分\n101001,95\n101002,90\n102001,85\n").unwrap();
    let october = Period {
        year: 2026,
        month: 10,
    };
    jifen::app::import::import_scores(
        &mut s.db,
        &s.manager,
        &sheet,
        october,
        &["甲".into(), "乙".into(), "丙".into()],
        t0(),
    )
    .unwrap();
    let day = at(2026, 11, 15, 0, 0).date();
    mv(
        &mut s,
        &hh("101001"),
        &MoveTo::Group("第二组".parse().unwrap()),
        "搬到二组",
        None,
        day,
        t0(),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let group = |name: &str| -> i64 {
        conn.query_row(
            "SELECT id FROM village_group WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut first = jifen::store::rules::group_scores(&conn, group("第一组"), october).unwrap();
    first.sort();
    assert_eq!(
        first,
        vec![90, 95],
        "October's ranking is the one 第一组 was scored in"
    );
    assert_eq!(
        jifen::store::rules::group_scores(&conn, group("第二组"), october).unwrap(),
        vec![85]
    );
    assert!(jifen::store::rules::group_sheet_posted(&conn, group("第一组"), october).unwrap());
}

#[test]
fn a_move_dated_before_the_last_move_or_in_the_future_is_refused() {
    let mut s = small_store();
    let to = |g: &str| MoveTo::Group(g.parse().unwrap());
    mv(
        &mut s,
        &hh("101001"),
        &to("第二组"),
        "搬到二组",
        None,
        at(2026, 11, 15, 0, 0).date(),
        t0(),
    )
    .unwrap();
    let earlier = at(2026, 11, 10, 0, 0).date();
    let r = refusal(mv(
        &mut s,
        &hh("101001"),
        &to("第一组"),
        "搬回",
        None,
        earlier,
        t0(),
    ));
    assert_eq!(r, Refusal::HouseholdChange(ChangeRefusal::BadDate(earlier)));
    let later = at(2026, 11, 21, 0, 0).date();
    let r = refusal(mv(
        &mut s,
        &hh("101001"),
        &to("第一组"),
        "搬回",
        None,
        later,
        t0(),
    ));
    assert_eq!(r, Refusal::HouseholdChange(ChangeRefusal::BadDate(later)));
}
