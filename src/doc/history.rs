//! `Control de cambios`: one row per version of the procedure in the policy set, up to the one
//! documented (a document does not know its future), newest first as in the procedure's
//! "Historial de versiones"; what changed is the semantic diff (`pauta diff`) of each version
//! against the previous one, in sentences.

use super::build::Builder;
use crate::diff::model::{Change, ChangeKind, Group};
use crate::document::model::{Table, plain};
use crate::policy::model::Policy;
use crate::text::match_key;
use crate::wording::date;

/// Changes listed in a row; the rest are counted.
const SHOWN: usize = 12;

/// What the first version in pauta says.
pub const FIRST: &str = "Versión inicial en pauta: primera versión del procedimiento escrita como política.";

/// The versions of `policy`'s procedure in `all` up to `policy`, oldest first.
pub fn versions<'p>(all: &'p [Policy], policy: &Policy) -> Vec<&'p Policy> {
    let key = match_key(&policy.code);
    let mut versions: Vec<&Policy> = all
        .iter()
        .filter(|p| match_key(&p.code) == key && p.version <= policy.version)
        .collect();
    versions.sort_by_key(|p| p.version);
    versions
}

/// `"a" -> "b"` as the document writes it: `«a» → «b»`.
fn angled(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut open = false;
    for ch in text.chars() {
        if ch == '"' {
            out.push(if open { '»' } else { '«' });
            open = !open;
        } else {
            out.push(ch);
        }
    }
    out.replace(" -> ", " → ")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A change of the procedure's texts, without the (long) texts themselves.
fn text_change(change: &Change) -> String {
    let subject = angled(&change.subject);
    let what = match change.key {
        "text.objective" => "el objetivo".to_owned(),
        "text.scope" => "el alcance".to_owned(),
        "text.condition" => "una condición general".to_owned(),
        "text.definition" => format!("la {}", subject.replacen("definición ", "definición de ", 1)),
        "text.responsibility" => format!(
            "la responsabilidad de {}",
            subject.trim_start_matches("responsable ")
        ),
        _ => subject,
    };
    match change.kind {
        ChangeKind::Added => format!("Se incluyó {what}"),
        ChangeKind::Removed => format!("Se retiró {what}"),
        ChangeKind::Changed | ChangeKind::Renamed => format!("Se actualizó {what}"),
    }
}

/// One change as a sentence a process owner reads.
pub fn sentence(change: &Change) -> String {
    if change.group == Group::Texts {
        return text_change(change);
    }
    let subject = angled(&change.subject);
    match change.kind {
        ChangeKind::Added => format!("Se agregó {subject}"),
        ChangeKind::Removed => format!("Se retiró {subject}"),
        ChangeKind::Renamed => format!(
            "Se renombró {subject} {} como {}",
            angled(change.old.as_deref().unwrap_or("—")),
            angled(change.new.as_deref().unwrap_or("—"))
        ),
        ChangeKind::Changed => {
            let (old, new) = (
                change.old.as_deref().unwrap_or("—"),
                change.new.as_deref().unwrap_or("—"),
            );
            if old.chars().count() + new.chars().count() > 120 {
                format!("Cambió {subject}")
            } else {
                let unit = change
                    .unit
                    .as_deref()
                    .map_or_else(String::new, |u| format!(" {u}"));
                capitalised(&format!("{subject}: {} → {}{unit}", angled(old), angled(new)))
            }
        }
    }
}

/// What changed from `old` to `new`, in sentences: the changes of substance of `pauta diff`
/// but the effective date (its own column) and the `implícita` items (Anexo C).
pub fn summary(old: &Policy, new: &Policy) -> String {
    let changes: Vec<Change> = crate::diff::policy::changes(old, new)
        .into_iter()
        .filter(|c| c.group != Group::Gaps && c.key != "procedure.effective_from")
        .collect();
    if changes.is_empty() {
        return "Sin cambios de fondo respecto de la versión anterior.".to_owned();
    }
    let mut sentences: Vec<String> = changes
        .iter()
        .take(SHOWN)
        .map(|c| format!("{}.", sentence(c)))
        .collect();
    if changes.len() > SHOWN {
        sentences.push(format!("Otros {} cambio(s).", changes.len() - SHOWN));
    }
    sentences.join(" ")
}

/// The whole section.
pub fn section(b: &mut Builder, policy: &Policy, all: &[Policy]) {
    let versions = versions(all, policy);
    b.heading(2, "Control de cambios");
    b.paragraph(plain(
        "Versiones de este procedimiento escritas como política de pauta, de la más reciente a la más antigua. \
         Los cambios de cada versión salen de comparar su política con la de la versión anterior.",
    ));
    let mut table = Table::new(
        "control-de-cambios",
        &["Versión", "Vigente desde", "Descripción de cambios"],
    )
    .numeric(0);
    for (index, version) in versions.iter().enumerate().rev() {
        let description = match index.checked_sub(1).and_then(|i| versions.get(i)) {
            Some(previous) => summary(previous, version),
            None => FIRST.to_owned(),
        };
        table.row(&[
            version.version.to_string(),
            date(version.effective_from),
            description,
        ]);
    }
    b.table(table);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;

    fn v11() -> Policy {
        PolicySet::embedded()
            .ok()
            .and_then(|set| set.find("M1-3-06@11").cloned())
            .unwrap_or_else(|| panic!("the embedded v11 compiles"))
    }

    #[test]
    fn changes_read_as_sentences() {
        let old = v11();
        let mut new = old.clone();
        new.version = 12;
        new.effective_from = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
        assert_eq!(
            summary(&old, &new),
            "Sin cambios de fondo respecto de la versión anterior."
        );
        new.objective = Some("Otro objetivo.".to_owned());
        new.definitions.retain(|d| d.term != "ANS");
        if let Some(category) = new
            .categories
            .iter_mut()
            .find(|c| c.name == "Diseño de piezas comerciales")
        {
            category.ans.business_days = 4;
        }
        assert_eq!(
            summary(&old, &new),
            "Se actualizó el objetivo. Se retiró la definición de «ANS». ANS de «Diseño de piezas comerciales»: \
             5 → 4 días hábiles."
        );
    }

    #[test]
    fn the_history_stops_at_the_documented_version() {
        let old = v11();
        let mut new = old.clone();
        new.version = 12;
        let all = vec![new.clone(), old.clone()];
        let ids: Vec<u32> = versions(&all, &old).iter().map(|p| p.version).collect();
        assert_eq!(ids, [11]);
        let ids: Vec<u32> = versions(&all, &new).iter().map(|p| p.version).collect();
        assert_eq!(ids, [11, 12]);
    }
}
