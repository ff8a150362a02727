//! The tools every comparison uses: the change collector, identity matching (by name ignoring
//! case, tildes and spaces, then renames through aliases), set differences and the
//! normalisation of rhai sources.

use super::model::{Change, ChangeKind, Group};
use super::render::line;
use crate::text::match_key;

/// Collects changes, rendering each line as it is added.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    list: Vec<Change>,
}

/// A change with no values yet.
fn change(group: Group, kind: ChangeKind, key: &'static str, subject: String) -> Change {
    Change {
        group,
        kind,
        key,
        subject,
        old: None,
        new: None,
        unit: None,
        detail: None,
        text: String::new(),
    }
}

impl Changes {
    /// Number of changes so far.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// The changes, grouped in print order (stable within a group).
    pub(crate) fn into_sorted(mut self) -> Vec<Change> {
        self.list.sort_by_key(|change| change.group);
        self.list
    }

    fn push(&mut self, mut change: Change) {
        change.detail = change.detail.filter(|d| !d.is_empty());
        change.text = line(&change);
        self.list.push(change);
    }

    /// An element only in the new version.
    pub(crate) fn added(&mut self, group: Group, key: &'static str, subject: String, detail: Option<String>) {
        self.push(Change {
            detail,
            ..change(group, ChangeKind::Added, key, subject)
        });
    }

    /// An element only in the old version.
    pub(crate) fn removed(
        &mut self,
        group: Group,
        key: &'static str,
        subject: String,
        detail: Option<String>,
    ) {
        self.push(Change {
            detail,
            ..change(group, ChangeKind::Removed, key, subject)
        });
    }

    /// An element under a new name.
    pub(crate) fn renamed(
        &mut self,
        group: Group,
        key: &'static str,
        subject: &str,
        old: &str,
        new: &str,
        detail: &str,
    ) {
        self.push(Change {
            old: Some(quote(old)),
            new: Some(quote(new)),
            detail: Some(detail.to_owned()),
            ..change(group, ChangeKind::Renamed, key, subject.to_owned())
        });
    }

    /// A value that differs (nothing is recorded when the shown texts are equal).
    pub(crate) fn changed(
        &mut self,
        group: Group,
        key: &'static str,
        subject: String,
        old: String,
        new: String,
        unit: Option<&str>,
    ) {
        if old != new {
            self.push(Change {
                old: Some(old),
                new: Some(new),
                unit: unit.map(str::to_owned),
                ..change(group, ChangeKind::Changed, key, subject)
            });
        }
    }

    /// Compares two values and records the change, shown with `show`, when they differ.
    pub(crate) fn value<T: PartialEq>(
        &mut self,
        group: Group,
        key: &'static str,
        subject: impl FnOnce() -> String,
        (old, new): (&T, &T),
        show: impl Fn(&T) -> String,
        unit: Option<&str>,
    ) {
        if old != new {
            self.changed(group, key, subject(), show(old), show(new), unit);
        }
    }

    /// Records the elements of a set added and removed (`+ razón "x" en …`), compared by
    /// match key; `subject` names one element.
    pub(crate) fn set(
        &mut self,
        group: Group,
        key: &'static str,
        (old, new): (&[String], &[String]),
        subject: impl Fn(&str) -> String,
    ) {
        let (added, removed) = set_delta(old, new);
        for item in removed {
            self.removed(group, key, subject(item), None);
        }
        for item in added {
            self.added(group, key, subject(item), None);
        }
    }
}

/// `"text"`.
pub(crate) fn quote(text: &str) -> String {
    format!("\"{text}\"")
}

/// `"a", "b"`.
pub(crate) fn quoted_list(items: &[String]) -> String {
    items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(", ")
}

/// `sí` or `no`.
pub(crate) fn yes_no(value: &bool) -> String {
    if *value { "sí" } else { "no" }.to_owned()
}

/// An optional value, or `—`.
pub(crate) fn or_dash<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map_or_else(|| "—".to_owned(), ToString::to_string)
}

/// Items of `new` not in `old` (in `new`'s order) and of `old` not in `new` (in `old`'s order),
/// compared by match key; repeated items count once.
pub(crate) fn set_delta<'a>(old: &'a [String], new: &'a [String]) -> (Vec<&'a str>, Vec<&'a str>) {
    let old_keys: Vec<String> = old.iter().map(|s| match_key(s)).collect();
    let new_keys: Vec<String> = new.iter().map(|s| match_key(s)).collect();
    let only = |items: &'a [String], keys: &[String], others: &[String]| {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for (item, key) in items.iter().zip(keys) {
            if !others.contains(key) && !seen.contains(&key.as_str()) {
                seen.push(key);
                out.push(item.as_str());
            }
        }
        out
    };
    (only(new, &new_keys, &old_keys), only(old, &old_keys, &new_keys))
}

/// Whether two lists hold the same items by match key, whatever their order.
pub(crate) fn same_set(old: &[String], new: &[String]) -> bool {
    let (added, removed) = set_delta(old, new);
    added.is_empty() && removed.is_empty()
}

/// A rhai source with insignificant whitespace removed: runs of whitespace outside string
/// literals are dropped, except one space between two word characters (`a || b` and `a||b`
/// are the same source; `"Grupo  de"` keeps its spaces).
pub(crate) fn normalise_code(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut pending_space = false;
    for ch in source.chars() {
        if let Some(open) = quote {
            out.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == open {
                quote = None;
            }
            continue;
        }
        if ch.is_whitespace() {
            pending_space = true;
            continue;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_';
        if pending_space && out.chars().next_back().is_some_and(word) && word(ch) {
            out.push(' ');
        }
        pending_space = false;
        if ch == '"' || ch == '\'' || ch == '`' {
            quote = Some(ch);
        }
        out.push(ch);
    }
    out
}

/// Old and new elements matched by identity.
#[derive(Debug)]
pub(crate) struct Pairing<'a, T> {
    /// Matched pairs, in old order, and whether the pair is a rename.
    pub(crate) pairs: Vec<(&'a T, &'a T, bool)>,
    /// Only in the old version.
    pub(crate) removed: Vec<&'a T>,
    /// Only in the new version.
    pub(crate) added: Vec<&'a T>,
}

/// Matches elements by name (match key); then an unmatched old element whose name is among an
/// unmatched new element's aliases, or the other way round, is a rename.
pub(crate) fn pair_by_name<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&T) -> &str,
    aliases: impl Fn(&T) -> &[String],
) -> Pairing<'a, T> {
    let mut new_used = vec![false; new.len()];
    let mut matched: Vec<Option<(usize, bool)>> = vec![None; old.len()];
    for (o, item) in old.iter().enumerate() {
        let key = match_key(name(item));
        if let Some(n) = (0..new.len()).find(|n| !new_used[*n] && match_key(name(&new[*n])) == key) {
            new_used[n] = true;
            matched[o] = Some((n, false));
        }
    }
    let knows = |item: &T, key: &str| aliases(item).iter().any(|a| match_key(a) == key);
    for (o, item) in old.iter().enumerate() {
        if matched[o].is_some() {
            continue;
        }
        let old_key = match_key(name(item));
        let found = (0..new.len()).find(|n| {
            !new_used[*n] && {
                let other = &new[*n];
                knows(other, &old_key) || knows(item, &match_key(name(other)))
            }
        });
        if let Some(n) = found {
            new_used[n] = true;
            matched[o] = Some((n, true));
        }
    }
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for (o, item) in old.iter().enumerate() {
        match matched[o] {
            Some((n, renamed)) => pairs.push((item, &new[n], renamed)),
            None => removed.push(item),
        }
    }
    let added = new
        .iter()
        .zip(&new_used)
        .filter(|(_, used)| !**used)
        .map(|(item, _)| item)
        .collect();
    Pairing {
        pairs,
        removed,
        added,
    }
}

/// A name and its aliases.
pub(crate) type Named<'a> = (&'a str, &'a [String]);

/// Reports the aliases added and removed of a matched element, leaving out the old and new
/// names of a rename (an old name kept as an alias is how a rename is written).
pub(crate) fn alias_changes(
    out: &mut Changes,
    group: Group,
    key: &'static str,
    owner: &str,
    (old, new): (Named<'_>, Named<'_>),
) {
    let names = [match_key(old.0), match_key(new.0)];
    let keep = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter(|a| !names.contains(&match_key(a)))
            .cloned()
            .collect()
    };
    let (old_aliases, new_aliases) = (keep(old.1), keep(new.1));
    out.set(group, key, (&old_aliases, &new_aliases), |alias| {
        format!("alias {} de {owner}", quote(alias))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn sets_compare_by_match_key_and_ignore_order() {
        let old = strings(&["Mal registrado", "Fuera del alcance"]);
        let new = strings(&["fuera del  alcance", "MAL REGISTRADO", "Listo"]);
        let (added, removed) = set_delta(&old, &new);
        assert_eq!(added, ["Listo"]);
        assert!(removed.is_empty());
        assert!(same_set(&old, &strings(&["Fuera del alcance", "Mal registrado"])));
    }

    #[test]
    fn code_whitespace_is_insignificant_outside_strings() {
        assert_eq!(
            normalise_code("caso.canales.contains(\"web\")  ||\n  caso.x"),
            normalise_code("caso.canales.contains(\"web\")||caso.x")
        );
        assert_ne!(
            normalise_code("caso.area != \"a  b\""),
            normalise_code("caso.area != \"a b\"")
        );
        assert_ne!(normalise_code("a b"), normalise_code("ab"));
    }

    #[derive(Debug)]
    struct Named(&'static str, Vec<String>);

    #[test]
    fn renames_are_found_through_aliases_in_either_direction() {
        let old = [
            Named("Infoserivicios", vec![]),
            Named("Web", vec![]),
            Named("Viejo", vec![]),
        ];
        let new = [
            Named("Infoservicios", strings(&["Infoserivicios"])),
            Named("WEB", vec![]),
            Named("Nuevo", vec![]),
        ];
        let pairing = pair_by_name(&old, &new, |n| n.0, |n| &n.1);
        let pairs: Vec<(&str, &str, bool)> = pairing.pairs.iter().map(|(o, n, r)| (o.0, n.0, *r)).collect();
        assert_eq!(
            pairs,
            [("Infoserivicios", "Infoservicios", true), ("Web", "WEB", false)]
        );
        assert_eq!(pairing.removed.iter().map(|n| n.0).collect::<Vec<_>>(), ["Viejo"]);
        assert_eq!(pairing.added.iter().map(|n| n.0).collect::<Vec<_>>(), ["Nuevo"]);

        let back = pair_by_name(&new[..1], &old[..1], |n| n.0, |n| &n.1);
        assert!(back.pairs.first().is_some_and(|(_, _, renamed)| *renamed));
    }
}
