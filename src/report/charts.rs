//! The report's charts as inline SVG, for the HTML page (Markdown shows their numbers as
//! tables): compliance by category, results by week, and the business days used against those
//! available. Every text in them is escaped.

use super::format::percent;
use super::model::Report;
use crate::document::html::escape;

/// Colour of what meets the ANS.
const MET: &str = "#2e7d32";
/// Colour of what breaches it.
const BREACHED: &str = "#c62828";
const GRID: &str = "#9e9e9e";

/// Horizontal bars: compliance rate by category, each category's name above its bar.
pub fn category_chart(report: &Report) -> String {
    let left = 6.0;
    let bar_width = 560.0;
    let row_height = 32.0;
    let top = 18.0;
    let height = top + row_height * report.by_category.len() as f64 + 6.0;
    let width = 680.0;
    let mut svg = format!(
        "<svg id=\"grafico-categorias\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Cumplimiento por categoría\">\n"
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + bar_width * tick;
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{GRID}\" stroke-width=\"0.5\" stroke-dasharray=\"2,2\"/>\n<text x=\"{x:.1}\" y=\"11\" text-anchor=\"{}\">{:.0} %</text>\n",
            top - 4.0,
            height - 4.0,
            if tick == 0.0 { "start" } else { "middle" },
            tick * 100.0
        ));
    }
    for (index, row) in report.by_category.iter().enumerate() {
        let y = top + row_height * index as f64;
        let met_width = bar_width * row.rate;
        svg.push_str(&format!(
            "<g><title>{}: {} ({} de {})</title>\n<text x=\"{left:.1}\" y=\"{:.1}\">{}</text>\n<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{bar_width:.1}\" height=\"12\" fill=\"{BREACHED}\" fill-opacity=\"0.25\"/>\n<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{met_width:.1}\" height=\"12\" fill=\"{MET}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{} · n={}</text></g>\n",
            escape(&row.category),
            percent(row.rate),
            row.met,
            row.cases,
            y + 11.0,
            escape(&row.category),
            y + 15.0,
            y + 15.0,
            left + bar_width + 6.0,
            y + 25.0,
            escape(&percent(row.rate)),
            row.cases
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// A tick step of 1, 2 or 5 × 10ᵏ giving at most 5 steps up to `highest` (at least 1).
fn nice_step(highest: u64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude.saturating_mul(factor);
            if highest.div_ceil(step) <= 5 || step == u64::MAX {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Vertical bars with a y axis from 0 to `max`; `bars` are (label, [(value, colour)] stacked).
fn bar_chart(
    id: &str,
    aria: &str,
    bars: &[(String, Vec<(u64, &str)>)],
    marker_after: Option<usize>,
) -> String {
    let width = 680.0;
    let height = 220.0;
    let left = 40.0;
    let bottom = 40.0;
    let top = 24.0;
    let plot_height = height - bottom - top;
    let highest = bars
        .iter()
        .map(|(_, stack)| stack.iter().map(|(value, _)| *value).sum::<u64>())
        .max()
        .unwrap_or(0);
    let step = nice_step(highest);
    let steps = highest.div_ceil(step).max(1);
    let max = step * steps;
    let slot = (width - left - 10.0) / bars.len().max(1) as f64;
    let mut svg = format!(
        "<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">\n",
        escape(aria)
    );
    for index in 0..=steps {
        let value = step * index;
        let y = top + plot_height - plot_height * index as f64 / steps as f64;
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\" stroke-width=\"0.5\" stroke-dasharray=\"2,2\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            width - 10.0,
            left - 4.0,
            y + 3.0,
            value
        ));
    }
    for (index, (label, stack)) in bars.iter().enumerate() {
        let x = left + slot * index as f64 + slot * 0.15;
        let bar_width = slot * 0.7;
        let mut base = top + plot_height;
        let total: u64 = stack.iter().map(|(value, _)| *value).sum();
        for (value, colour) in stack {
            let h = plot_height * (*value as f64) / (max as f64);
            base -= h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{}: {value}</title></rect>\n",
                escape(label)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x + bar_width / 2.0,
            base - 3.0,
            x + bar_width / 2.0,
            height - bottom + 14.0,
            escape(label)
        ));
    }
    if let Some(after) = marker_after {
        let x = left + slot * (after as f64 + 1.0);
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#212121\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">límite del ANS</text>\n",
            top + plot_height,
            x + 4.0,
            top + 10.0
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#212121\" stroke-width=\"1\"/>\n</svg>\n",
        top + plot_height,
        width - 10.0,
        top + plot_height
    ));
    svg
}

/// Vertical bars: cases by the share of their available business days they used, with the
/// ANS limit marked.
pub fn usage_chart(report: &Report) -> String {
    let bars: Vec<(String, Vec<(u64, &str)>)> = report
        .usage
        .iter()
        .map(|bar| {
            let colour = if bar.within() { MET } else { BREACHED };
            (bar.label(), vec![(bar.cases, colour)])
        })
        .collect();
    let marker = report.usage.iter().rposition(|bar| bar.within());
    bar_chart(
        "grafico-uso-ans",
        "Días hábiles usados frente a los disponibles",
        &bars,
        marker,
    )
}

/// Stacked vertical bars: cases that meet and breach the ANS, week by week of the month.
pub fn week_chart(report: &Report) -> String {
    let bars: Vec<(String, Vec<(u64, &str)>)> = report
        .weeks
        .iter()
        .map(|week| {
            (
                format!(
                    "Semana {} ({}–{})",
                    week.week,
                    week.first_day.format("%d"),
                    week.last_day.format("%d")
                ),
                vec![(week.met, MET), (week.breached, BREACHED)],
            )
        })
        .collect();
    bar_chart("grafico-semanas", "Resultados por semana del mes", &bars, None)
}

/// The colour key of the charts, as HTML markup.
pub fn legend() -> String {
    format!(
        "<span style=\"color:{MET}\">■</span> cumple &#160; <span style=\"color:{BREACHED}\">■</span> incumple"
    )
}
