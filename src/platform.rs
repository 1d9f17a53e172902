//! What differs between the counter PC's operating systems: where the data lives by default,
//! and on Windows, the console and how a start-up failure reaches the clerk.

use std::path::PathBuf;

/// The default data folder (when neither `--data` nor `$JIFEN_DATA` names one).
///
/// On Windows it is `%ProgramData%\Jifen` (usually `C:\ProgramData\Jifen`), not the
/// per-account `%LOCALAPPDATA%\Jifen`: a village counter PC is often used under more than one
/// Windows account (the clerk's, the village accountant's, an "Administrator" a technician set
/// up), and a per-account folder would silently give each account a different, empty store —
/// two ledgers for one supermarket. Jifen has its own staff sign-in, so the Windows account
/// is not who is recorded. The installer creates the folder and lets every local user write
/// in it (files created in `ProgramData` are otherwise writable only by their creator).
/// Elsewhere it stays the platform data folder (`~/.local/share/jifen`).
pub fn default_data_dir() -> PathBuf {
    #[cfg(windows)]
    {
        windows::program_data().join("Jifen")
    }
    #[cfg(not(windows))]
    {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("jifen")
    }
}

/// The user's own folder, where file dialogs start. On Windows it is `%USERPROFILE%`, read from
/// the environment: `dirs::home_dir` asks the shell (SHGetKnownFolderPath) and frees the answer
/// with `CoTaskMemFree` from combase.dll, a DLL Windows 7 does not have, so linking it would stop
/// jifen.exe from starting there (scripts/windows/check-win7-imports finds it).
pub fn home_folder() -> Option<PathBuf> {
    #[cfg(windows)]
    {
        std::env::var_os("USERPROFILE").map(PathBuf::from)
    }
    #[cfg(not(windows))]
    {
        dirs::home_dir()
    }
}

/// Called first in `main`. On Windows: joins the console of the program that started us, if
/// any (see `windows::attach_parent_console`), and makes a panic visible when there is none.
pub fn init() {
    #[cfg(windows)]
    windows::init();
}

/// A failure the program ends with. Printed to stderr; on Windows, when there is no console
/// to print to (the counter started from its shortcut), also shown in a message box, since
/// otherwise the clerk would see the program simply not open.
pub fn report_failure(message: &str) {
    eprintln!("{message}");
    #[cfg(windows)]
    windows::show_if_no_console(message);
}

/// Why a printer could not be opened, in the words of the system the clerk sits at. On
/// Windows a serial port is named the way Device Manager names it (`COM3`, under
/// 端口 (COM 和 LPT)), and "in use" is said too: a vendor's tool often holds the port.
pub fn printer_open_error(target: &str, error: &std::io::Error) -> String {
    let is_com_port = match (target.get(..3), target.get(3..)) {
        (Some(com), Some(n)) => {
            com.eq_ignore_ascii_case("com")
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if cfg!(windows) && is_com_port {
        // serialport reports a missing port and one another program holds open (Windows
        // answers ACCESS_DENIED then) alike, as "no device": say both.
        match error.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                return format!(
                    "这台电脑没有串口 {target}，或它正被别的程序（例如打印机厂家的设置工具）占用：请在“设备管理器 → 端口 (COM 和 LPT)”里看打印机用的是哪个 COM 口，关掉占用它的程序，再到设置里选它"
                );
            }
            _ => {}
        }
    }
    error.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_com_port_is_named_as_device_manager_names_it() {
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "not found");
        let text = printer_open_error("COM3", &missing);
        if cfg!(windows) {
            assert!(
                text.contains("设备管理器") && text.contains("COM3"),
                "{text}"
            );
        } else {
            assert_eq!(text, "not found");
        }
        // Not a COM port: the system's own words.
        assert_eq!(printer_open_error("/dev/ttyUSB0", &missing), "not found");
        assert_eq!(printer_open_error("“打印机”", &missing), "not found");
    }
}

#[cfg(windows)]
mod windows {
    use std::os::windows::io::IntoRawHandle;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicBool, Ordering};

    use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
        STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, SetStdHandle,
    };
    use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};

    /// Whether we print to a console (attached, or stdout/stderr handed to us redirected).
    static HAVE_OUTPUT: AtomicBool = AtomicBool::new(false);

    pub fn program_data() -> PathBuf {
        std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"))
    }

    fn valid(h: HANDLE) -> bool {
        !h.is_null() && h != INVALID_HANDLE_VALUE
    }

    pub fn init() {
        attach_parent_console();
        if !HAVE_OUTPUT.load(Ordering::Relaxed) {
            let default = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                default(info);
                show_if_no_console(&format!(
                    "积分超市出了程序错误，请把这段话拍照发给技术员：\n{info}"
                ));
            }));
        }
    }

    /// The exe is built for the Windows subsystem (`windows_subsystem = "windows"` in
    /// main.rs), so the counter opens from its shortcut with no black console window behind
    /// it. The command line still prints where it was started: we attach to the parent's
    /// console. We chose this over a second, console-subsystem binary because the installer
    /// then ships one 50 MB program, the shortcut and scripts name the same `jifen.exe` the
    /// manual (CLI.md) names, and the version can never differ between two files. The cost:
    /// an interactive `cmd.exe` does not wait for a Windows-subsystem program, so its prompt
    /// comes back before the output; in a `.bat` file (which does wait) or with
    /// `start /wait jifen check` the output and `%ERRORLEVEL%` are as on Linux.
    ///
    /// Handles the parent already gave us (output redirected to a file or a pipe, as scripts
    /// and Wine do) are kept; only missing ones are pointed at the console.
    fn attach_parent_console() {
        let kinds: [STD_HANDLE; 3] = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
        // SAFETY: GetStdHandle has no preconditions.
        let before = kinds.map(|k| unsafe { GetStdHandle(k) });
        let inherited = valid(before[1]) || valid(before[2]);
        // SAFETY: no preconditions; fails harmlessly when the parent has no console.
        let attached = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } != 0;
        if attached {
            for (kind, old) in kinds.into_iter().zip(before) {
                let h = if valid(old) {
                    old
                } else {
                    let name = if kind == STD_INPUT_HANDLE {
                        "CONIN$"
                    } else {
                        "CONOUT$"
                    };
                    match std::fs::OpenOptions::new()
                        .read(true)
                        .write(true)
                        .open(name)
                    {
                        // Owned by the process from now on, as the std handles are.
                        Ok(f) => f.into_raw_handle() as HANDLE,
                        Err(_) => continue,
                    }
                };
                // SAFETY: `h` is a valid handle the process keeps open.
                unsafe { SetStdHandle(kind, h) };
            }
        }
        HAVE_OUTPUT.store(attached || inherited, Ordering::Relaxed);
    }

    pub fn show_if_no_console(message: &str) {
        if HAVE_OUTPUT.load(Ordering::Relaxed) {
            return;
        }
        let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
        let (text, title) = (wide(message), wide("积分超市"));
        // SAFETY: both strings are NUL-terminated and outlive the call; no owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            )
        };
    }
}
