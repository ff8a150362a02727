//! `pauta calendar --year YYYY`: the holidays and closures of a year and its business days.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Datelike, Weekday};
use pauta::calendar::model::MONDAY_TO_FRIDAY;
use pauta::calendar::{BusinessDays, DayKind};
use pauta::wording::weekday as spanish;

/// Flags of `pauta calendar`.
#[derive(clap::Args)]
pub struct Args {
    /// Año a listar.
    #[arg(long)]
    year: i32,
    /// Último año a listar (por defecto, el mismo `--year`).
    #[arg(long)]
    to: Option<i32>,
    /// Nombre del calendario (por defecto, el de la última versión de M1-3-06).
    #[arg(long)]
    calendar: Option<String>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: super::format::TextOrJson,
    /// Lo mismo que --format json.
    #[arg(long, hide = true)]
    json: bool,
    /// Carpeta de políticas (por defecto, las incluidas en el programa).
    #[arg(long)]
    policies: Option<PathBuf>,
}

/// Print the calendar of the years.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let set = super::load_policies(args.policies.as_ref())?;
    let policy = set.find("M1-3-06");
    let name = args
        .calendar
        .clone()
        .or_else(|| policy.map(|p| p.calendar.clone()))
        .ok_or_else(|| super::fail("U011", "indique el calendario con --calendar"))?;
    let names = set
        .calendars
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let calendar = set.calendar(&name).ok_or_else(|| {
        super::fail(
            "U011",
            format!("no existe el calendario `{name}`; disponibles: {names}"),
        )
    })?;
    // The workweek comes from the procedure that uses the calendar; Monday–Friday otherwise.
    let workweek: Vec<Weekday> = policy
        .filter(|p| pauta::text::match_key(&p.calendar) == pauta::text::match_key(&calendar.name))
        .map_or_else(|| MONDAY_TO_FRIDAY.to_vec(), |p| p.hours.workdays.clone());
    let last = args.to.unwrap_or(args.year);
    if last < args.year {
        return Err(super::fail(
            "U001",
            format!(
                "--to ({last}) debe ser igual o posterior a --year ({})",
                args.year
            ),
        ));
    }
    let index = BusinessDays::new(calendar, &workweek, args.year, last)?;
    let mut years = Vec::new();
    for year in args.year..=last {
        let days = index.non_business_days(year)?;
        let business = index.business_days_in_year(year)?;
        years.push((year, days.to_vec(), business));
    }
    if args.json || args.format == super::format::TextOrJson::Json {
        let value: Vec<_> = years
            .iter()
            .map(|(year, days, business)| {
                serde_json::json!({ "calendar": calendar.name, "year": year, "business_days": business, "days": days })
            })
            .collect();
        super::emit(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    let workweek_text = match (workweek.first(), workweek.last()) {
        (Some(a), Some(b)) => format!("{} a {}", spanish(*a), spanish(*b)),
        _ => String::new(),
    };
    let mut out = String::new();
    for (year, days, business) in &years {
        out.push_str(&format!(
            "Calendario \"{}\" ({}) — {year}\n",
            calendar.name, calendar.zone
        ));
        out.push_str(&format!(
            "{:<10}  {:<9}  {:<7}  {:<48}  norma\n",
            "fecha", "día", "tipo", "nombre"
        ));
        for day in days {
            let kind = match day.kind {
                DayKind::Holiday => "festivo",
                DayKind::Closure => "cierre",
            };
            let name = match day.nominal {
                Some(nominal) => format!(
                    "{} (del {})",
                    day.name,
                    pauta::wording::day_of_month(nominal.month(), nominal.day())
                ),
                None => day.name.clone(),
            };
            out.push_str(&format!(
                "{}  {:<9}  {:<7}  {:<48}  {}\n",
                day.date,
                spanish(day.date.weekday()),
                kind,
                name,
                day.legal_basis.as_deref().unwrap_or("")
            ));
        }
        let holidays = days.iter().filter(|d| d.kind == DayKind::Holiday).count();
        let closures = days.len() - holidays;
        out.push_str(&format!(
            "{holidays} festivos, {closures} cierres; {business} días hábiles ({workweek_text}).\n\n"
        ));
    }
    super::emit(out.trim_end())?;
    super::emit("\n")?;
    Ok(ExitCode::SUCCESS)
}
