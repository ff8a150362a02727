//! `banner inventory`: the banners published (a CSV of id, placement, from, until) against the
//! policy — never more than a placement's maximum in force on any date, no planned permanence over
//! the maximum, and which banners must come down on a given date.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::banner::{find_placement, month_rule, permanence_end};
use super::input::{self, find_column};
use super::{AssetError, Code, Counts, Finding, Location, read_file};
use crate::policy::model::BannerLimits;

/// Accepted headers of each inventory column (matched ignoring case and tildes).
pub const COLUMNS: [(&str, &[&str]); 4] = [
    ("id", &["id", "banner", "identificador", "nombre"]),
    ("placement", &["placement", "ubicación", "ubicacion"]),
    (
        "from",
        &["from", "desde", "inicio", "fecha inicio", "fecha de inicio"],
    ),
    (
        "until",
        &[
            "until",
            "hasta",
            "fin",
            "fecha fin",
            "fecha final",
            "fecha de fin",
        ],
    ),
];

/// One banner of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Banner id.
    pub id: String,
    /// Placement as the policy names it.
    pub placement: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub until: NaiveDate,
    /// Line in the file.
    pub line: u64,
}

/// A span of days when a placement holds more banners than allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overflow {
    /// Placement name.
    pub placement: String,
    /// First day of the span.
    pub from: NaiveDate,
    /// Last day of the span.
    pub until: NaiveDate,
    /// Banners in force during the span.
    pub banners: Vec<String>,
    /// The placement's maximum.
    pub max: u32,
}

/// The result of checking an inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InventoryReport {
    /// The file as given.
    pub file: String,
    /// `CODE@VERSION` of the policy applied.
    pub policy: String,
    /// The date the inventory is judged on.
    pub on: NaiveDate,
    /// Data rows read.
    pub rows: usize,
    /// Valid banners.
    pub entries: Vec<Entry>,
    /// Spans over a placement's maximum.
    pub overflows: Vec<Overflow>,
    /// Banners in force on `on`, per placement: (placement, count, maximum).
    pub in_force: Vec<(String, usize, Option<u32>)>,
    /// Ids of banners that must come down on `on` (ended, or over the maximum permanence).
    pub take_down: Vec<String>,
    /// Rules applied, in Spanish.
    pub rules: Vec<String>,
    /// Every problem found.
    pub findings: Vec<Finding>,
    /// Error and warning counts.
    pub counts: Counts,
}

/// Parse a date as `YYYY-MM-DD` (also `DD/MM/YYYY`, how Excel shows dates in Colombia).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// Check an inventory file on disk.
pub fn check_inventory(
    path: &Path,
    on: NaiveDate,
    limits: &BannerLimits,
    policy: &str,
) -> Result<InventoryReport, AssetError> {
    let bytes = read_file(path)?;
    Ok(check_inventory_bytes(
        &path.display().to_string(),
        bytes,
        on,
        limits,
        policy,
    ))
}

/// Check an inventory given its bytes.
pub fn check_inventory_bytes(
    name: &str,
    bytes: Vec<u8>,
    on: NaiveDate,
    limits: &BannerLimits,
    policy: &str,
) -> InventoryReport {
    let csv = input::decode(bytes);
    let mut findings = Vec::new();
    let (rows, entries) = read_entries(name, &csv, limits, &mut findings);
    let take_down = check_permanence(name, &entries, on, limits, &mut findings);
    let (overflows, in_force) = count_active_per_placement(name, &entries, on, limits, &mut findings);
    let mut rules = vec![
        "Un banner está vigente desde su fecha inicial hasta su fecha final, ambas incluidas.".to_string(),
    ];
    if let Some(months) = limits.max_months {
        rules.push(month_rule(months));
    }
    let counts = Counts::of(&findings);
    InventoryReport {
        file: name.to_string(),
        policy: policy.to_string(),
        on,
        rows,
        entries,
        overflows,
        in_force,
        take_down,
        rules,
        findings,
        counts,
    }
}

/// Where each inventory column is in the header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    id: usize,
    placement: usize,
    from: usize,
    until: usize,
}

/// Locate the columns in the header, with a B020 for each one missing; `None` when any is.
fn find_columns(name: &str, headers: &csv::StringRecord, findings: &mut Vec<Finding>) -> Option<Columns> {
    let mut columns = [None; 4];
    for (slot, (role, names)) in columns.iter_mut().zip(COLUMNS) {
        *slot = find_column(headers, names.iter().copied());
        if slot.is_none() {
            findings.push(Finding::new(
                Code::B020,
                format!(
                    "`{name}`: falta la columna «{role}» (se acepta {}). Agregue la columna al encabezado (línea 1).",
                    names.iter().map(|n| format!("«{n}»")).collect::<Vec<_>>().join(", ")
                ),
                Location::line(name, 1).with_column(role),
            ));
        }
    }
    let [Some(id), Some(placement), Some(from), Some(until)] = columns else {
        return None;
    };
    Some(Columns {
        id,
        placement,
        from,
        until,
    })
}

/// Read the data rows (counting them) into the valid banners, reporting every row that is not one.
fn read_entries(
    name: &str,
    csv: &input::CsvText,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) -> (usize, Vec<Entry>) {
    let mut reader = input::reader(csv);
    let headers = reader.headers().cloned().unwrap_or_default();
    let Some(columns) = find_columns(name, &headers, findings) else {
        return (0, Vec::new());
    };
    let mut rows = RowReader {
        name,
        headers,
        columns,
        limits,
        known: limits
            .placements
            .iter()
            .map(|p| format!("«{}» ({})", p.name, p.aliases.join(", ")))
            .collect(),
        seen: HashMap::new(),
    };
    let mut count = 0usize;
    let mut entries = Vec::new();
    let mut lines = input::LineCounter::new(csv);
    for record in reader.records() {
        count += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.of(e.position());
                findings.push(Finding::new(
                    Code::B021,
                    format!("`{name}` línea {line}: la fila no se pudo leer ({e}). Corrija la fila."),
                    Location::line(name, line),
                ));
                continue;
            }
        };
        let line = lines.of(record.position());
        entries.extend(rows.entry(&record, line, findings));
    }
    (count, entries)
}

/// What turning rows into banners needs: the header, the columns, the policy and the ids seen.
struct RowReader<'a> {
    name: &'a str,
    headers: csv::StringRecord,
    columns: Columns,
    limits: &'a BannerLimits,
    /// The policy's placements as messages list them.
    known: Vec<String>,
    /// Line where each id first appeared.
    seen: HashMap<String, u64>,
}

impl RowReader<'_> {
    /// The header of a column as written.
    fn header(&self, column: usize) -> String {
        self.headers.get(column).unwrap_or("").to_string()
    }

    /// A B021 for a bad cell of `line`.
    fn bad(&self, findings: &mut Vec<Finding>, line: u64, column: usize, what: String) {
        let name = self.name;
        findings.push(Finding::new(
            Code::B021,
            format!("`{name}` línea {line}, columna «{}»: {what}", self.header(column)),
            Location::line(name, line).with_column(&self.header(column)),
        ));
    }

    /// The banner of one row, or `None` after reporting why the row is not a valid, new banner.
    fn entry(&mut self, record: &csv::StringRecord, line: u64, findings: &mut Vec<Finding>) -> Option<Entry> {
        let name = self.name;
        let c = self.columns;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let id = field(c.id).to_string();
        if id.is_empty() {
            let what = "el identificador está vacío. Escriba un identificador único.".into();
            self.bad(findings, line, c.id, what);
        }
        let placement = find_placement(self.limits, field(c.placement));
        if placement.is_none() {
            let what = format!(
                "la ubicación «{}» no está en la política; use una de: {}.",
                field(c.placement),
                self.known.join("; ")
            );
            self.bad(findings, line, c.placement, what);
        }
        let from = parse_date(field(c.from));
        let until = parse_date(field(c.until));
        for (col, value, date) in [(c.from, field(c.from), from), (c.until, field(c.until), until)] {
            if date.is_none() {
                let what = format!(
                    "la fecha «{value}» no es válida. Escríbala como AAAA-MM-DD (p. ej. 2025-03-01)."
                );
                self.bad(findings, line, col, what);
            }
        }
        let (Some(placement), Some(from), Some(until)) = (placement, from, until) else {
            return None;
        };
        if id.is_empty() {
            return None;
        }
        if until < from {
            let what = format!("la fecha final {until} es anterior a la inicial {from}. Corrija las fechas.");
            self.bad(findings, line, c.until, what);
            return None;
        }
        if let Some(first) = self.seen.get(&id) {
            findings.push(Finding::new(
                Code::B022,
                format!(
                    "`{name}` línea {line}: el banner «{id}» ya aparece en la línea {first}. Dé a cada banner un identificador único."
                ),
                Location::line(name, line).with_column(&self.header(c.id)),
            ));
            return None;
        }
        self.seen.insert(id.clone(), line);
        Some(Entry {
            id,
            placement: placement.name.clone(),
            from,
            until,
            line,
        })
    }
}

/// Report planned permanence over the maximum, and return the ids that must come down on `on`.
fn check_permanence(
    name: &str,
    entries: &[Entry],
    on: NaiveDate,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let mut take_down = Vec::new();
    let Some(months) = limits.max_months else {
        return take_down;
    };
    for e in entries {
        let Some(latest) = permanence_end(e.from, months) else {
            continue;
        };
        if e.until > latest {
            findings.push(Finding::new(
                Code::B024,
                format!(
                    "`{name}` línea {}: el banner «{}» está programado del {} al {}, más de {months} meses (máximo hasta el {latest}). Adelante su fecha final.",
                    e.line, e.id, e.from, e.until
                ),
                Location::line(name, e.line),
            ));
        }
        if on > e.until {
            take_down.push(e.id.clone());
            findings.push(Finding::new(
                Code::B025,
                format!(
                    "`{name}` línea {}: la permanencia del banner «{}» terminó el {}; el {on} ya no debe estar publicado. Retírelo del portal.",
                    e.line, e.id, e.until
                ),
                Location::line(name, e.line),
            ));
        } else if on >= e.from && on > latest {
            take_down.push(e.id.clone());
            findings.push(Finding::new(
                Code::B026,
                format!(
                    "`{name}` línea {}: el {on} el banner «{}» lleva publicado desde el {}, más de {months} meses (máximo hasta el {latest}). Retírelo del portal.",
                    e.line, e.id, e.from
                ),
                Location::line(name, e.line),
            ));
        }
    }
    take_down
}

/// Banners in force per placement on `on`, and the spans when a placement holds over its maximum.
type ActivePerPlacement = (Vec<Overflow>, Vec<(String, usize, Option<u32>)>);

/// For every placement, count its banners in force on `on` and, where it has a maximum, find the
/// spans over it.
fn count_active_per_placement(
    name: &str,
    entries: &[Entry],
    on: NaiveDate,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) -> ActivePerPlacement {
    let mut overflows = Vec::new();
    let mut in_force = Vec::new();
    for placement in &limits.placements {
        let here: Vec<&Entry> = entries.iter().filter(|e| e.placement == placement.name).collect();
        in_force.push((
            placement.name.clone(),
            here.iter().filter(|e| e.from <= on && on <= e.until).count(),
            placement.max_active,
        ));
        if let Some(max) = placement.max_active {
            overflows.extend(find_overflows(name, &placement.name, &here, max, findings));
        }
    }
    (overflows, in_force)
}

/// The days where the set of banners in force changes: each first day and each day after a last.
fn change_days(here: &[&Entry]) -> Vec<NaiveDate> {
    let mut bounds: BTreeSet<NaiveDate> = BTreeSet::new();
    for e in here {
        bounds.insert(e.from);
        if let Some(next) = e.until.succ_opt() {
            bounds.insert(next);
        }
    }
    bounds.into_iter().collect()
}

/// Sweep the change days of one placement's banners: every span over `max` is a B023 and an
/// [`Overflow`].
fn find_overflows(
    name: &str,
    placement: &str,
    here: &[&Entry],
    max: u32,
    findings: &mut Vec<Finding>,
) -> Vec<Overflow> {
    let mut overflows = Vec::new();
    for pair in change_days(here).windows(2) {
        let [start, next] = pair else { continue };
        let active: Vec<&Entry> = here
            .iter()
            .copied()
            .filter(|e| e.from <= *start && *start <= e.until)
            .collect();
        if active.len() <= max as usize {
            continue;
        }
        let end = next.pred_opt().unwrap_or(*next);
        let ids: Vec<String> = active.iter().map(|e| e.id.clone()).collect();
        let lines: Vec<String> = active.iter().map(|e| e.line.to_string()).collect();
        let span = if end == *start {
            format!("el {start}")
        } else {
            format!("del {start} al {end}")
        };
        findings.push(Finding::new(
            Code::B023,
            format!(
                "`{name}`: {span} la ubicación «{placement}» tendría {} banners vigentes y el máximo es {max}: {} (líneas {}). Reprograme o retire {} de ellos.",
                active.len(),
                ids.join(", "),
                lines.join(", "),
                active.len() - max as usize
            ),
            Location::file(name).with_field(placement),
        ));
        overflows.push(Overflow {
            placement: placement.to_string(),
            from: *start,
            until: end,
            banners: ids,
            max,
        });
    }
    overflows
}
