//! The store benchmark (`cargo bench --bench store`) runs here on a small store, to prove its
//! code still works: every figure of issues 10 and 23 is produced. Nothing here is timed.

#[path = "../benches/store.rs"]
#[allow(dead_code)]
mod figures;

#[test]
fn every_store_figure_is_measured_on_a_small_store() {
    let table = figures::run(&figures::Size::SMALL, None, None);
    figures::print_table(&table);
    let has = |what: &str| table.0.iter().any(|(w, _)| w.starts_with(what));
    for what in [
        "store",
        "scan to household",
        "conditions of the commit figures",
        "redemption commit (3 lines, synchronous=FULL)",
        "single-row fsync'd insert",
        "redemption / single insert",
        "redemption's own work (synchronous=OFF)",
        "automatic backup on its own connection",
        "redemption commit during that backup",
        "a month's points notice, one group",
        "check() of the whole store",
        "start-up to first frame (Db::open + JifenApp::new",
        "start-up to first frame, real binary",
        "peak memory",
    ] {
        assert!(has(what), "the bench did not measure {what:?}");
    }
    let real = table
        .0
        .iter()
        .find(|(w, _)| w.starts_with("start-up to first frame, real binary"))
        .map(|(_, figure)| figure.clone())
        .unwrap_or_default();
    // Where Xvfb is installed (CI, the developers' machines) the real binary must be timed.
    if which("xvfb-run") || std::env::var_os("DISPLAY").is_some() {
        assert!(real.contains("exec→exit"), "real binary not timed: {real}");
        assert!(has("start-up to first frame, real binary, a later start"));
        assert!(has("memory of that work"));
    }
    let check = table.0.iter().find(|(w, _)| w.starts_with("check()"));
    assert!(check.is_some_and(|(_, f)| f.contains("no faults")));
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
