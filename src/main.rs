// On Windows the counter is a window, not a console program: no black console window opens
// behind it from the Start-menu shortcut. The command line still prints to the console it was
// started from (see `platform::init`, which says why one exe and not two).
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    jifen::platform::init();
    restore_default_sigpipe();
    jifen::cli::main()
}

/// `jifen ledger 101001 | head` should end quietly when `head` has read enough, as other
/// command-line tools do, instead of panicking on the closed pipe.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
