//! The document of a policy, section by section in the order of the ICETEX procedure format:
//! 1 objetivo, 2 alcance, 3 definiciones, 4 condiciones generales, 5 descripción de actividades,
//! 6 seguimiento y control, then the change control of every version in the policy set and the
//! annexes (A: the rules' expressions, B: commands and keys for the service desk, C: the gaps of
//! the written procedure). Each section lives in its own file; this one assembles them and writes
//! the header, the gaps and the colophon.

use super::{conditions, control, desk, flow, history, publication, rules, texts};
use crate::document::model::{Block, Document, Inline, Table, anchor, code, plain, text};
use crate::policy::PolicySet;
use crate::policy::model::Policy;

/// Appends headings and blocks; keeps the anchors unique.
pub struct Builder {
    blocks: Vec<Block>,
    anchors: Vec<String>,
}

impl Builder {
    fn new() -> Self {
        Self {
            blocks: Vec::new(),
            anchors: Vec::new(),
        }
    }

    /// A heading of `level` (2–4) with a unique anchor.
    pub fn heading(&mut self, level: u8, heading: &str) {
        let base = match anchor(heading) {
            empty if empty.is_empty() => "seccion".to_owned(),
            base => base,
        };
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.anchors.contains(&candidate) {
            candidate = format!("{base}-{counter}");
            counter += 1;
        }
        self.anchors.push(candidate.clone());
        self.blocks.push(Block::Heading {
            level,
            text: heading.to_owned(),
            anchor: candidate,
        });
    }

    /// Appends a paragraph of `inlines` to the current section.
    pub fn paragraph(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Paragraph(inlines));
    }

    /// A highlighted paragraph.
    pub fn note(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Note(inlines));
    }

    /// A bulleted list.
    pub fn bullets(&mut self, items: Vec<Vec<Inline>>) {
        self.blocks.push(Block::List {
            ordered: false,
            items,
        });
    }

    /// A numbered list.
    pub fn numbered(&mut self, items: Vec<Vec<Inline>>) {
        self.blocks.push(Block::List { ordered: true, items });
    }

    /// Appends `table` to the current section.
    pub fn table(&mut self, table: Table) {
        self.blocks.push(Block::Table(table));
    }

    /// Any block.
    pub fn block(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// The heading of the annex with the gaps.
pub const GAPS: &str = "Anexo C: Vacíos del procedimiento";

/// The document of `policy`, one of the versions of `set`: the calendar it names (its holiday
/// rules are listed when the set has it) and the earlier versions of its procedure (the change
/// control) come from the set. Later versions change nothing in it: publishing a version adds
/// its own document and leaves the others as they were.
pub fn document(policy: &Policy, set: &PolicySet) -> Document {
    let calendar = set.calendar(&policy.calendar);
    let versions = history::versions(&set.policies, policy);
    let previous = versions.iter().rev().nth(1).copied();
    let mut b = Builder::new();
    header(&mut b, policy);
    texts::objective(&mut b, policy);
    conditions::scope(&mut b, policy);
    texts::definitions(&mut b, policy);
    b.heading(2, "4. Condiciones generales");
    texts::conditions(&mut b, policy);
    texts::general_responsibilities(&mut b, policy);
    conditions::hours(&mut b, policy, calendar);
    if let Some(calendar) = calendar {
        conditions::calendar(&mut b, calendar);
    }
    conditions::ans(&mut b, policy);
    conditions::exceptions(&mut b, policy);
    publication::banner(&mut b, policy);
    publication::sms(&mut b, policy);
    publication::documents(&mut b, policy);
    rules::verifications(&mut b, policy);
    flow::section(&mut b, policy);
    control::section(&mut b, policy);
    history::section(&mut b, policy, &set.policies);
    rules::annex(&mut b, policy);
    desk::annex(&mut b, policy, previous);
    gaps(&mut b, policy);
    b.paragraph(plain(colophon(policy)));
    Document {
        title: title(policy),
        page_title: None,
        blocks: b.blocks,
    }
}

/// `Procedimiento M1-3-06 — Publicación…`: the document's title.
pub fn title(policy: &Policy) -> String {
    format!("Procedimiento {} — {}", policy.code, policy.name)
}

/// `Generado por pauta a partir de M1-3-06@11.`
pub fn colophon(policy: &Policy) -> String {
    format!("Generado por pauta a partir de {}.", policy.id())
}

fn header(b: &mut Builder, policy: &Policy) {
    b.paragraph(vec![text(format!(
        "Versión {}, vigente desde el {} ({}). Días hábiles según el calendario «{}».",
        policy.version,
        crate::wording::date(policy.effective_from),
        policy.effective_from,
        policy.calendar
    ))]);
    b.note(plain(format!(
        "Generado por pauta a partir de la política de esta versión: dice exactamente lo que pauta aplica al \
         evaluar casos, banners, listas SMS y documentos. No lo edite a mano: cambie el archivo de la política \
         y vuelva a generarlo (vea el {}).",
        desk::HEADING
    )));
}

fn gaps(b: &mut Builder, policy: &Policy) {
    b.heading(2, GAPS);
    if policy.gaps.is_empty() {
        b.paragraph(vec![
            text("La política no marca ningún ítem "),
            code("implícita"),
            text(": todo lo que aplica está escrito en el procedimiento."),
        ]);
        return;
    }
    b.paragraph(vec![
        text(
            "Donde el procedimiento escrito calla, es ambiguo o se contradice, la política hace explícita una \
             interpretación y la marca ",
        ),
        code("implícita"),
        text(format!(
            ", con un comentario que la justifica. El motor aplica estas {} interpretaciones:",
            policy.gaps.len()
        )),
    ]);
    let mut table = Table::new("vacios", &["#", "Ítem", "Interpretación", "Línea de la política"])
        .numeric(0)
        .numeric(3);
    for (index, gap) in policy.gaps.iter().enumerate() {
        let note = gap
            .note
            .clone()
            .unwrap_or_else(|| "(la política no da un comentario)".to_owned());
        table.push(vec![
            plain((index + 1).to_string()),
            vec![code(gap.item.clone())],
            plain(note),
            plain(gap.line.to_string()),
        ]);
    }
    b.table(table);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::model::Inline;
    use crate::policy::PolicySet;
    use crate::policy::model::Reasons;

    fn cell_text(cell: &[Inline]) -> String {
        cell.iter().map(Inline::as_str).collect()
    }

    fn tables(document: &Document, prefix: &str) -> Vec<Table> {
        document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) if t.id.starts_with(prefix) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    fn rows(tables: &[Table]) -> Vec<Vec<String>> {
        tables
            .iter()
            .flat_map(|t| &t.rows)
            .map(|r| r.iter().map(|c| cell_text(&c.content)).collect())
            .collect()
    }

    fn policies() -> PolicySet {
        PolicySet::embedded().unwrap_or_else(|e| panic!("embedded policies: {e}"))
    }

    #[test]
    fn every_category_appears_with_its_ans() {
        let set = policies();
        for policy in &set.policies {
            let document = document(policy, &set);
            let rows = rows(&tables(&document, "ans"));
            assert_eq!(rows.len(), policy.categories.len(), "{}", policy.id());
            for (category, row) in policy.categories.iter().zip(&rows) {
                assert_eq!(row[0], category.name);
                assert_eq!(row[1], category.description);
                let days = category.ans.business_days;
                let unit = if days == 1 {
                    "día hábil"
                } else {
                    "días hábiles"
                };
                assert!(row[2].starts_with(&format!("{days} {unit}")), "{row:?}");
            }
        }
    }

    #[test]
    fn every_gap_appears_with_its_comment_and_line() {
        let set = policies();
        for policy in &set.policies {
            let document = document(policy, &set);
            let rows = rows(&tables(&document, "vacios"));
            assert_eq!(rows.len(), policy.gaps.len(), "{}", policy.id());
            for (gap, row) in policy.gaps.iter().zip(&rows) {
                assert_eq!(row[1], gap.item);
                assert_eq!(Some(&row[2]), gap.note.as_ref());
                assert_eq!(row[3], gap.line.to_string());
            }
        }
    }

    #[test]
    fn every_transition_reason_has_its_flow_row() {
        let set = policies();
        for policy in &set.policies {
            let document = document(policy, &set);
            let rows = rows(&tables(&document, "flujo-"));
            let expected: usize = policy
                .transitions
                .iter()
                .map(|t| match &t.reasons {
                    Reasons::Any => 1,
                    Reasons::List(list) => list.len(),
                })
                .sum();
            assert_eq!(rows.len(), expected, "{}", policy.id());
            for transition in &policy.transitions {
                if let Reasons::List(list) = &transition.reasons {
                    for reason in list {
                        assert!(
                            rows.iter()
                                .any(|r| r[0] == transition.from && r[1] == transition.to && &r[2] == reason),
                            "{} -> {}: {reason}",
                            transition.from,
                            transition.to
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn anchors_are_unique() {
        let set = policies();
        for policy in &set.policies {
            let document = document(policy, &set);
            let mut anchors: Vec<&str> = document
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { anchor, .. } => Some(anchor.as_str()),
                    _ => None,
                })
                .collect();
            let count = anchors.len();
            anchors.sort_unstable();
            anchors.dedup();
            assert_eq!(anchors.len(), count);
        }
    }
}
