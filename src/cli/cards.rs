//! `card issue|verify|print|revoke` and `cards --group`: the services, then the files.

use std::path::{Path, PathBuf};

use rust_i18n::t;

use clap::Subcommand;

use super::{Cli, CliResult, Failure, actor, now, output};
use crate::app::{self, Error};
use crate::core::HouseholdNo;
use crate::core::card::{CardFace, CardReason};
use crate::notice::card_sheet::{CARDS_PER_PAGE, SheetTitle, cards_pdf};
use crate::notice::{NoticeError, card_png::card_png};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum CardCommand {
    /// Issue a household's card (manager only); a card it had stops working
    Issue {
        household_id: HouseholdNo,
        /// FILE.png (one card, 300 dpi) or FILE.pdf (on an A4 sheet)
        #[arg(long)]
        out: PathBuf,
        /// first, lost, damaged, moved or other (default: first for a first card, else other)
        #[arg(long, value_parser = parse_card_reason)]
        reason: Option<CardReason>,
        /// Also print the card's digits on stdout (they are the household's credential)
        #[arg(long)]
        show_payload: bool,
    },
    /// Check a scanned card: exit 0 and its household, or exit 1 and why not
    Verify { payload: String },
    /// Save a household's current card again (manager only; same digits, nothing is issued)
    Print {
        household_id: HouseholdNo,
        /// FILE.png or FILE.pdf
        #[arg(long)]
        out: PathBuf,
        /// Also print the card's digits on stdout
        #[arg(long)]
        show_payload: bool,
    },
    /// Stop a household's card without a new one, e.g. when it moves away (manager only)
    Revoke {
        household_id: HouseholdNo,
        #[arg(long)]
        reason: String,
    },
}

fn parse_card_reason(text: &str) -> Result<CardReason, String> {
    CardReason::from_db(text.trim())
        .ok_or_else(|| "reason must be first, lost, damaged, moved or other".to_string())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Png,
    Pdf,
}

/// The file kind from the name, checked before anything is issued so that a typo in the
/// name never costs the household its working card.
pub(super) fn file_kind(out: &Path) -> CliResult<FileKind> {
    let extension = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("png") => Ok(FileKind::Png),
        Some("pdf") => Ok(FileKind::Pdf),
        _ => Err(Failure(
            t!("cli.card_bad_extension", file = out.display()).into(),
        )),
    }
}

fn rendered(result: Result<Vec<u8>, NoticeError>) -> CliResult<Vec<u8>> {
    result.map_err(|e| Failure(t!("cli.card_render_failed", error = e.to_string()).into()))
}

fn write(out: &Path, bytes: &[u8]) -> CliResult {
    std::fs::write(out, bytes).map_err(|e| {
        Failure(
            t!(
                "cli.file_unwritable",
                file = out.display(),
                error = e.to_string()
            )
            .into(),
        )
    })
}

pub(super) fn save_one(face: &CardFace, out: &Path, kind: FileKind) -> CliResult {
    let bytes = match kind {
        FileKind::Png => rendered(card_png(face))?,
        FileKind::Pdf => {
            let what: String = t!(
                "card.sheet.one",
                locale = crate::notice::CARD_LOCALE,
                number = face.household
            )
            .into();
            let title = SheetTitle {
                store_name: &face.store_name,
                what: &what,
                date: face.issued_on,
            };
            rendered(cards_pdf(std::slice::from_ref(face), &title))?
        }
    };
    write(out, &bytes)
}

pub(super) fn card(cli: &Cli, db: &mut Db, command: &CardCommand) -> CliResult {
    match command {
        CardCommand::Issue {
            household_id,
            out,
            reason,
            show_payload,
        } => {
            let kind = file_kind(out)?;
            let actor = actor(cli, db)?;
            let issued = app::cards::issue_card(db, &actor, household_id, *reason, now())?;
            // The card is issued (and the old one stopped) even if the file cannot be written:
            // that is said first, and `card print` makes the file again.
            output::card_issued(cli.json, &issued, out, *show_payload);
            save_one(&issued.face, out, kind)
        }
        CardCommand::Print {
            household_id,
            out,
            show_payload,
        } => {
            let kind = file_kind(out)?;
            let actor = actor(cli, db)?;
            let face = app::cards::print_card(db, &actor, household_id, now())?;
            save_one(&face, out, kind)?;
            output::card_saved(cli.json, &face, out, *show_payload);
            Ok(())
        }
        CardCommand::Verify { payload } => match app::cards::verify_card(db, payload) {
            Ok(holder) => {
                output::card_valid(cli.json, &holder);
                Ok(())
            }
            Err(error) => {
                if cli.json {
                    output::card_invalid(&error);
                }
                Err(error.into())
            }
        },
        CardCommand::Revoke {
            household_id,
            reason,
        } => {
            let actor = actor(cli, db)?;
            let serial = app::cards::revoke_card(db, &actor, household_id, reason, now())?;
            output::card_revoked(cli.json, household_id, serial);
            Ok(())
        }
    }
}

pub(super) fn group_sheet(
    cli: &Cli,
    db: &mut Db,
    group: &str,
    out: &Path,
    issue_missing: bool,
) -> CliResult {
    if file_kind(out)? != FileKind::Pdf {
        return Err(Failure(
            t!("cli.card_pdf_only", file = out.display()).into(),
        ));
    }
    let spec = group.parse().map_err(Error::Refused)?;
    let actor = actor(cli, db)?;
    let found = app::cards::group_cards(db, &actor, &spec, issue_missing, now())?;
    let store_name = found
        .cards
        .first()
        .map(|c| c.store_name.clone())
        .unwrap_or_default();
    let what: String = t!(
        "card.sheet.group",
        locale = crate::notice::CARD_LOCALE,
        group = format!("{}/{}", found.village, found.group)
    )
    .into();
    let title = SheetTitle {
        store_name: &store_name,
        what: &what,
        date: now().date(),
    };
    write(out, &rendered(cards_pdf(&found.cards, &title))?)?;
    let pages = found.cards.len().div_ceil(CARDS_PER_PAGE);
    output::group_cards(cli.json, &found, pages, out);
    Ok(())
}
