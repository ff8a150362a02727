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
    let mut reader = input::reader(&csv);
    let mut findings = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut rows = 0usize;
    let headers = reader.headers().cloned().unwrap_or_default();
    let mut columns = [None; 4];
    for (slot, (role, names)) in columns.iter_mut().zip(COLUMNS) {
        *slot = find_column(&headers, names.iter().copied());
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
    let known: Vec<String> = limits
        .placements
        .iter()
        .map(|p| format!("«{}» ({})", p.name, p.aliases.join(", ")))
        .collect();
    if let [Some(id_col), Some(place_col), Some(from_col), Some(until_col)] = columns {
        let header_names = |i: usize| headers.get(i).unwrap_or("").to_string();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut lines = input::LineCounter::new(&csv);
        for record in reader.records() {
            rows += 1;
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
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let mut bad = |column: usize, what: String| {
                findings.push(Finding::new(
                    Code::B021,
                    format!(
                        "`{name}` línea {line}, columna «{}»: {what}",
                        header_names(column)
                    ),
                    Location::line(name, line).with_column(&header_names(column)),
                ));
            };
            let id = field(id_col).to_string();
            if id.is_empty() {
                bad(
                    id_col,
                    "el identificador está vacío. Escriba un identificador único.".into(),
                );
            }
            let placement = find_placement(limits, field(place_col));
            if placement.is_none() {
                bad(
                    place_col,
                    format!(
                        "la ubicación «{}» no está en la política; use una de: {}.",
                        field(place_col),
                        known.join("; ")
                    ),
                );
            }
            let from = parse_date(field(from_col));
            let until = parse_date(field(until_col));
            for (col, value, date) in [
                (from_col, field(from_col), from),
                (until_col, field(until_col), until),
            ] {
                if date.is_none() {
                    bad(
                        col,
                        format!(
                            "la fecha «{value}» no es válida. Escríbala como AAAA-MM-DD (p. ej. 2025-03-01)."
                        ),
                    );
                }
            }
            let (Some(placement), Some(from), Some(until)) = (placement, from, until) else {
                continue;
            };
            if id.is_empty() {
                continue;
            }
            if until < from {
                bad(
                    until_col,
                    format!("la fecha final {until} es anterior a la inicial {from}. Corrija las fechas."),
                );
                continue;
            }
            if let Some(first) = seen.get(&id) {
                findings.push(Finding::new(
                    Code::B022,
                    format!(
                        "`{name}` línea {line}: el banner «{id}» ya aparece en la línea {first}. Dé a cada banner un identificador único."
                    ),
                    Location::line(name, line).with_column(&header_names(id_col)),
                ));
                continue;
            }
            seen.insert(id.clone(), line);
            entries.push(Entry {
                id,
                placement: placement.name.clone(),
                from,
                until,
                line,
            });
        }
    }

    // Planned permanence over the maximum, and what must come down on `on`.
    let mut take_down = Vec::new();
    if let Some(months) = limits.max_months {
        for e in &entries {
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
    }

    // Placements with a maximum: sweep the days where the set of banners in force changes.
    let mut overflows = Vec::new();
    let mut in_force = Vec::new();
    for placement in &limits.placements {
        let here: Vec<&Entry> = entries.iter().filter(|e| e.placement == placement.name).collect();
        in_force.push((
            placement.name.clone(),
            here.iter().filter(|e| e.from <= on && on <= e.until).count(),
            placement.max_active,
        ));
        let Some(max) = placement.max_active else {
            continue;
        };
        let mut bounds: BTreeSet<NaiveDate> = BTreeSet::new();
        for e in &here {
            bounds.insert(e.from);
            if let Some(next) = e.until.succ_opt() {
                bounds.insert(next);
            }
        }
        let bounds: Vec<NaiveDate> = bounds.into_iter().collect();
        for pair in bounds.windows(2) {
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
                    "`{name}`: {span} la ubicación «{}» tendría {} banners vigentes y el máximo es {max}: {} (líneas {}). Reprograme o retire {} de ellos.",
                    placement.name,
                    active.len(),
                    ids.join(", "),
                    lines.join(", "),
                    active.len() - max as usize
                ),
                Location::file(name).with_field(&placement.name),
            ));
            overflows.push(Overflow {
                placement: placement.name.clone(),
                from: *start,
                until: end,
                banners: ids,
                max,
            });
        }
    }

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
