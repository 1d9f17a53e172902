//! Printer addresses as staff type them in settings and on the command line:
//! `serial:/dev/ttyUSB0?baud=9600&flow=hardware`, `tcp:192.168.1.50:9100`,
//! `file:/dev/usb/lp0`, `usb:0483:5720` (or `usb:`, the first USB printer), `none`.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Serial flow control: cheap printers use DTR/DSR or RTS/CTS ("hardware") or XON/XOFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Flow {
    #[default]
    None,
    Hardware,
    Software,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrinterUri {
    Serial {
        path: String,
        baud: u32,
        flow: Flow,
    },
    Tcp {
        host: String,
        port: u16,
    },
    File {
        path: String,
    },
    /// A USB printer reached on the bus (not through `/dev/usb/lp0` or a print queue): the
    /// vendor and product id `lsusb` shows, or `None` for the first printer-class device.
    Usb {
        device: Option<(u16, u16)>,
    },
    /// A Windows print queue by the name Windows shows (`winprinter:XP-58`), printed RAW
    /// through the spooler (see `spooler.rs`).
    WinPrinter {
        queue: String,
    },
    None,
}

pub const DEFAULT_BAUD: u32 = 9600;
pub const DEFAULT_TCP_PORT: u16 = 9100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UriError {
    #[error("empty printer address; use serial:, tcp:, file:, usb:, winprinter: or none")]
    Empty,
    #[error(
        "unknown printer address kind in {0:?}; use serial:, tcp:, file:, usb:, winprinter: or none"
    )]
    Scheme(String),
    #[error("USB printer {0:?} is not usb:VID:PID (4 hex digits each, as lsusb shows) or usb:")]
    Usb(String),
    #[error("printer address {0:?} names no device or host")]
    MissingTarget(String),
    #[error("baud rate {0:?} is not a number from 1200 to 921600")]
    Baud(String),
    #[error("flow control {0:?} is not none, hardware or software")]
    Flow(String),
    #[error("unknown serial option {0:?}; use baud= or flow=")]
    Option(String),
    #[error("TCP port {0:?} is not a number from 1 to 65535")]
    Port(String),
    #[error("host {0:?} is not a valid printer host name or address")]
    Host(String),
}

impl PrinterUri {
    pub fn parse(input: &str) -> Result<Self, UriError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(UriError::Empty);
        }
        if input.eq_ignore_ascii_case("none") {
            return Ok(Self::None);
        }
        let (scheme, rest) = input
            .split_once(':')
            .ok_or_else(|| UriError::Scheme(input.to_string()))?;
        match scheme.to_ascii_lowercase().as_str() {
            "serial" => parse_serial(rest, input),
            "tcp" => parse_tcp(rest, input),
            "file" if rest.is_empty() => Err(UriError::MissingTarget(input.to_string())),
            "file" => Ok(Self::File {
                path: rest.to_string(),
            }),
            "usb" => parse_usb(rest),
            "winprinter" if rest.trim().is_empty() => {
                Err(UriError::MissingTarget(input.to_string()))
            }
            "winprinter" => Ok(Self::WinPrinter {
                queue: rest.trim().to_string(),
            }),
            _ => Err(UriError::Scheme(input.to_string())),
        }
    }
}

fn parse_serial(rest: &str, input: &str) -> Result<PrinterUri, UriError> {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err(UriError::MissingTarget(input.to_string()));
    }
    let mut baud = DEFAULT_BAUD;
    let mut flow = Flow::None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("baud", v)) => {
                baud = v
                    .parse()
                    .ok()
                    .filter(|b| (1200..=921_600).contains(b))
                    .ok_or_else(|| UriError::Baud(v.to_string()))?;
            }
            Some(("flow", v)) => {
                flow = match v {
                    "none" => Flow::None,
                    "hardware" | "rtscts" | "dtrdsr" => Flow::Hardware,
                    "software" | "xonxoff" => Flow::Software,
                    _ => return Err(UriError::Flow(v.to_string())),
                }
            }
            _ => return Err(UriError::Option(pair.to_string())),
        }
    }
    Ok(PrinterUri::Serial {
        path: path.to_string(),
        baud,
        flow,
    })
}

/// `usb:0483:5720` (hex, with or without `0x`), or `usb:` for the first printer found.
fn parse_usb(rest: &str) -> Result<PrinterUri, UriError> {
    if rest.is_empty() {
        return Ok(PrinterUri::Usb { device: None });
    }
    let hex = |s: &str| {
        let s = s.trim_start_matches("0x").trim_start_matches("0X");
        (!s.is_empty() && s.len() <= 4)
            .then(|| u16::from_str_radix(s, 16).ok())
            .flatten()
    };
    match rest.split_once(':') {
        Some((v, p)) => match (hex(v), hex(p)) {
            (Some(vendor), Some(product)) => Ok(PrinterUri::Usb {
                device: Some((vendor, product)),
            }),
            _ => Err(UriError::Usb(rest.to_string())),
        },
        None => Err(UriError::Usb(rest.to_string())),
    }
}

fn parse_tcp(rest: &str, input: &str) -> Result<PrinterUri, UriError> {
    let rest = rest.trim_start_matches("//");
    if rest.is_empty() {
        return Err(UriError::MissingTarget(input.to_string()));
    }
    // `[::1]:9100` for IPv6; otherwise the last colon separates the port.
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or_else(|| UriError::Host(rest.to_string()))?;
        match after {
            "" => (host, None),
            p => (
                host,
                Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| UriError::Host(rest.to_string()))?,
                ),
            ),
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if !valid_host {
        return Err(UriError::Host(host.to_string()));
    }
    let port = match port {
        None => DEFAULT_TCP_PORT,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| UriError::Port(p.to_string()))?,
    };
    Ok(PrinterUri::Tcp {
        host: host.to_string(),
        port,
    })
}

impl FromStr for PrinterUri {
    type Err = UriError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for PrinterUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Serial { path, baud, flow } => {
                write!(f, "serial:{path}?baud={baud}")?;
                match flow {
                    Flow::None => Ok(()),
                    Flow::Hardware => write!(f, "&flow=hardware"),
                    Flow::Software => write!(f, "&flow=software"),
                }
            }
            Self::Tcp { host, port } if host.contains(':') => write!(f, "tcp:[{host}]:{port}"),
            Self::Tcp { host, port } => write!(f, "tcp:{host}:{port}"),
            Self::File { path } => write!(f, "file:{path}"),
            Self::Usb { device: None } => write!(f, "usb:"),
            Self::Usb {
                device: Some((vendor, product)),
            } => write!(f, "usb:{vendor:04x}:{product:04x}"),
            Self::WinPrinter { queue } => write!(f, "winprinter:{queue}"),
            Self::None => write!(f, "none"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_examples_parse() {
        assert_eq!(
            PrinterUri::parse("serial:/dev/ttyUSB0?baud=9600"),
            Ok(PrinterUri::Serial {
                path: "/dev/ttyUSB0".into(),
                baud: 9600,
                flow: Flow::None
            })
        );
        assert_eq!(
            PrinterUri::parse("tcp:192.168.1.50"),
            Ok(PrinterUri::Tcp {
                host: "192.168.1.50".into(),
                port: 9100
            })
        );
        assert_eq!(
            PrinterUri::parse("file:/dev/usb/lp0"),
            Ok(PrinterUri::File {
                path: "/dev/usb/lp0".into()
            })
        );
        assert_eq!(PrinterUri::parse(" none "), Ok(PrinterUri::None));
    }

    #[test]
    fn windows_forms_parse_and_round_trip() {
        let queue = PrinterUri::parse("winprinter:XP-58C (副本 1)").expect("parses");
        assert_eq!(
            queue,
            PrinterUri::WinPrinter {
                queue: "XP-58C (副本 1)".into()
            }
        );
        assert_eq!(queue.to_string(), "winprinter:XP-58C (副本 1)");
        assert_eq!(
            PrinterUri::parse(r"file:\\localhost\XP-58"),
            Ok(PrinterUri::File {
                path: r"\\localhost\XP-58".into()
            })
        );
        assert!(matches!(
            PrinterUri::parse("winprinter: "),
            Err(UriError::MissingTarget(_))
        ));
    }

    #[test]
    fn options_and_round_trip() {
        let uri = PrinterUri::parse("serial:COM3?baud=19200&flow=software").expect("parses");
        assert_eq!(uri.to_string(), "serial:COM3?baud=19200&flow=software");
        let v6 = PrinterUri::parse("tcp:[::1]:9101").expect("parses");
        assert_eq!(v6.to_string(), "tcp:[::1]:9101");
    }

    #[test]
    fn usb_addresses_name_a_device_or_the_first_printer() {
        let xp58 = PrinterUri::parse("usb:0483:5720").expect("parses");
        assert_eq!(
            xp58,
            PrinterUri::Usb {
                device: Some((0x0483, 0x5720))
            }
        );
        assert_eq!(xp58.to_string(), "usb:0483:5720");
        assert_eq!(
            PrinterUri::parse("USB:0x1FC9:0x2016"),
            Ok(PrinterUri::Usb {
                device: Some((0x1fc9, 0x2016))
            })
        );
        let first = PrinterUri::parse("usb:").expect("parses");
        assert_eq!(first, PrinterUri::Usb { device: None });
        assert_eq!(first.to_string(), "usb:");
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        assert_eq!(PrinterUri::parse(""), Err(UriError::Empty));
        assert!(matches!(
            PrinterUri::parse("lpt:1"),
            Err(UriError::Scheme(_))
        ));
        assert_eq!(PrinterUri::parse("usb:1"), Err(UriError::Usb("1".into())));
        assert!(matches!(
            PrinterUri::parse("usb:0483:57200"),
            Err(UriError::Usb(_))
        ));
        assert_eq!(
            PrinterUri::parse("serial:/dev/ttyS0?baud=fast"),
            Err(UriError::Baud("fast".into()))
        );
        assert!(matches!(
            PrinterUri::parse("serial:/dev/ttyS0?flow=maybe"),
            Err(UriError::Flow(_))
        ));
        assert_eq!(
            PrinterUri::parse("tcp:host:99999"),
            Err(UriError::Port("99999".into()))
        );
        assert!(matches!(
            PrinterUri::parse("tcp:"),
            Err(UriError::MissingTarget(_))
        ));
        assert!(matches!(
            PrinterUri::parse("file:"),
            Err(UriError::MissingTarget(_))
        ));
    }
}
