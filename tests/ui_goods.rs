//! Issue 18: a price change names its approvers, starts today or later, shows old → new before
//! saving, and a later-starting price is posted as 将调整 on the price list.

use egui_kittest::kittest::{NodeT, Queryable};
use jifen::app::notices::{NoticeKind, NoticeRequest, document};
use jifen::core::Points;

use crate::common::*;
use crate::ui::{fill, harness, sign_in};

#[test]
fn a_future_dated_price_shows_old_to_new_needs_an_approver_and_is_posted_as_upcoming() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("商品价格").click();
    h.run();
    let field = h.get_by_role_and_label(eframe::egui::accesskit::Role::TextInput, "编码");
    field.focus();
    field.type_text("1003");
    h.run();
    fill(&mut h, "新积分价", "12");
    fill(&mut h, "生效日期", "2026-12-01");
    assert!(
        h.query_by_label("牙膏：10 分 → 12 分，2026-12-01 起")
            .is_some()
    );
    assert!(
        h.get_by_label("调整价格").accesskit_node().is_disabled(),
        "no approver, no price change"
    );
    fill(&mut h, "批准人", "王建华，李国强");
    fill(&mut h, "会议决定（可空）", "村两委会议 2026-11-18");
    h.get_by_label("调整价格").click();
    h.run();
    assert!(
        h.query_by_label_contains("1003 新积分价 12 分，2026-12-01 起生效")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("批准：王建华、李国强，依据：村两委会议 2026-11-18")
            .is_some()
    );
    assert_eq!(
        h.get_by_label("新积分价").value().as_deref(),
        Some(""),
        "the form clears"
    );
    // Today the old price holds; the price list posts the change ahead.
    let doc = document(
        &mut s.db,
        &NoticeRequest::new(NoticeKind::Prices, "2026-11".parse().unwrap()),
        t0(),
    )
    .unwrap();
    let text = jifen::notice::notice_text::notice_text(&doc);
    assert!(text.contains("将调整为 12 分（12-01 起）"), "{text}");
    let shelf = jifen::app::queries::stock(&mut s.db, Some(&code("1003")), t0().date()).unwrap();
    assert_eq!(shelf[0].price_points, Some(Points(10)));
}

#[test]
fn a_price_without_approver_or_backdated_is_refused_and_nothing_written() {
    let mut s = small_store();
    let before = content(&s.path());
    let set = |s: &mut Store, from, approved: &str| {
        jifen::app::stock::set_price_decided(
            &mut s.db,
            &s.manager,
            &code("1003"),
            Points(12),
            from,
            approved,
            None,
            t0(),
        )
        .unwrap_err()
        .to_string()
    };
    assert!(set(&mut s, t0().date(), " ").contains("请填写批准人"));
    assert!(set(&mut s, at(2026, 11, 1, 0, 0).date(), "王建华").contains("早于今天"));
    assert_eq!(content(&s.path()), before);
}
