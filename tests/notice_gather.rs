//! One group's points notice reads only that group (issue 23) and says exactly what the whole
//! store's notice says of that group: scores, year totals, balances, corrections, honour roll.

use jifen::app::cards::GroupSpec;
use jifen::app::notices::points_notice;

#[test]
fn each_groups_notice_equals_its_section_of_the_whole_stores_notice() {
    let mut s = crate::notices::busy_demo();
    for period in ["2026-11", "2026-Q4", "2026", "2026-09"] {
        let period = crate::notices::period(period);
        let whole = points_notice(&mut s.db, period, None, 3).unwrap();
        assert!(whole.groups.len() > 1);
        let mut corrected = 0;
        for section in &whole.groups {
            let spec = GroupSpec {
                village: Some(section.village.clone()),
                group: section.group.clone(),
            };
            let one = points_notice(&mut s.db, period, Some(&spec), 3).unwrap();
            assert_eq!(
                one.groups,
                vec![section.clone()],
                "{period:?} {}",
                section.group
            );
            assert_eq!(one.committees, whole.committees);
            corrected += section.corrections.len();
        }
        if period == crate::notices::period("2026-11") {
            assert!(corrected > 0, "the busy demo has a correction in November");
        }
    }
}
