//! Compares two compiled procedure versions element by element, by identity (names ignoring
//! case, tildes and spaces; renames through aliases), never by position: order, comments, line
//! numbers and formatting never produce a change.

use chrono::Weekday;

use super::compare::{
    Changes, alias_changes, normalise_code, or_dash, pair_by_name, quote, quoted_list, same_set, yes_no,
};
use super::model::{Change, Group};
use crate::policy::model::{
    AfterHours, Ans, AutoClose, BannerLimits, Category, Clock, Definition, DocumentRules, ExceptionRegime,
    Placement, Policy, Reasons, Responsibility, Rule, RuleSeverity, Sampling, SmsLimits, State, Subject,
    Transition,
};
use crate::text::match_key;
use crate::wording::weekday;

/// Every difference of substance between two procedure versions, grouped in print order
/// (the calendars they use are compared by [`super::calendar::changes`]).
pub fn changes(old: &Policy, new: &Policy) -> Vec<Change> {
    let mut out = Changes::default();
    compare(old, new, &mut out);
    out.into_sorted()
}

/// Records every difference of substance between `old` and `new`.
pub(crate) fn compare(old: &Policy, new: &Policy, out: &mut Changes) {
    procedure(old, new, out);
    texts(old, new, out);
    hours(old, new, out);
    let renamed_states = states(&old.states, &new.states, out);
    channels(old, new, out);
    transitions(old, new, &renamed_states, out);
    auto_close(old.auto_close.as_ref(), new.auto_close.as_ref(), out);
    categories(&old.categories, &new.categories, out);
    exceptions(old.exceptions.as_ref(), new.exceptions.as_ref(), out);
    banner(old.banner.as_ref(), new.banner.as_ref(), out);
    sms(old.sms.as_ref(), new.sms.as_ref(), out);
    documents(old.documents.as_ref(), new.documents.as_ref(), out);
    sampling(old.sampling.as_ref(), new.sampling.as_ref(), out);
    rules(&old.rules, &new.rules, out);
    gaps(old, new, out);
}

/// `1 día hábil`, `5 días hábiles`.
pub(crate) fn business_days(n: u32) -> &'static str {
    if n == 1 { "día hábil" } else { "días hábiles" }
}

fn procedure(old: &Policy, new: &Policy, out: &mut Changes) {
    let g = Group::Procedure;
    if match_key(&old.code) != match_key(&new.code) {
        out.changed(
            g,
            "procedure.code",
            "código".into(),
            quote(&old.code),
            quote(&new.code),
            None,
        );
    }
    out.changed(
        g,
        "procedure.name",
        "nombre".into(),
        quote(&old.name),
        quote(&new.name),
        None,
    );
    out.value(
        g,
        "procedure.effective_from",
        || "vigente desde".into(),
        (&old.effective_from, &new.effective_from),
        ToString::to_string,
        None,
    );
    if match_key(&old.calendar) != match_key(&new.calendar) {
        out.changed(
            g,
            "procedure.calendar",
            "calendario".into(),
            quote(&old.calendar),
            quote(&new.calendar),
            None,
        );
    }
}

/// The objective, scope, definitions (by term), general conditions and responsibilities (by
/// role and numeral); texts are compared as written (their runs of spaces are already one).
fn texts(old: &Policy, new: &Policy, out: &mut Changes) {
    let g = Group::Texts;
    for (key, subject, a, b) in [
        ("text.objective", "objetivo", &old.objective, &new.objective),
        ("text.scope", "alcance", &old.scope, &new.scope),
    ] {
        match (a, b) {
            (None, Some(text)) => out.added(g, key, subject.into(), Some(quote(text))),
            (Some(text), None) => out.removed(g, key, subject.into(), Some(quote(text))),
            (Some(x), Some(y)) => out.changed(g, key, subject.into(), quote(x), quote(y), None),
            (None, None) => {}
        }
    }

    let pairing = pair_by_name(
        &old.definitions,
        &new.definitions,
        |d| &d.term,
        |_: &Definition| -> &[String] { &[] },
    );
    for definition in &pairing.removed {
        let subject = format!("definición {}", quote(&definition.term));
        out.removed(g, "text.definition", subject, Some(quote(&definition.text)));
    }
    for (a, b, _) in &pairing.pairs {
        let subject = format!("definición {}", quote(&b.term));
        out.changed(
            g,
            "text.definition",
            subject,
            quote(&a.text),
            quote(&b.text),
            None,
        );
    }
    for definition in &pairing.added {
        let subject = format!("definición {}", quote(&definition.term));
        out.added(g, "text.definition", subject, Some(quote(&definition.text)));
    }

    out.set(g, "text.condition", (&old.conditions, &new.conditions), |text| {
        format!("condición {}", quote(text))
    });

    let same_place = |a: &Responsibility, b: &Responsibility| {
        match_key(&a.role) == match_key(&b.role) && a.section == b.section
    };
    let same = |a: &Responsibility, b: &Responsibility| same_place(a, b) && a.text == b.text;
    let label = |r: &Responsibility| match &r.section {
        Some(section) => format!("responsable {} (numeral {section})", quote(&r.role)),
        None => format!("responsable {}", quote(&r.role)),
    };
    let old_only: Vec<&Responsibility> = old
        .responsibilities
        .iter()
        .filter(|a| !new.responsibilities.iter().any(|b| same(a, b)))
        .collect();
    let mut new_only: Vec<&Responsibility> = new
        .responsibilities
        .iter()
        .filter(|b| !old.responsibilities.iter().any(|a| same(a, b)))
        .collect();
    for a in old_only {
        match new_only.iter().position(|b| same_place(a, b)) {
            Some(index) => {
                let b = new_only.remove(index);
                out.changed(
                    g,
                    "text.responsibility",
                    label(b),
                    quote(&a.text),
                    quote(&b.text),
                    None,
                );
            }
            None => out.removed(g, "text.responsibility", label(a), Some(quote(&a.text))),
        }
    }
    for b in new_only {
        out.added(g, "text.responsibility", label(b), Some(quote(&b.text)));
    }
}

/// `lunes a viernes` for a run of consecutive days, else the days listed.
pub(crate) fn workdays_text(days: &[Weekday]) -> String {
    let consecutive = days.windows(2).all(|w| w[0].succ() == w[1]);
    match (days.first(), days.last()) {
        (Some(first), Some(last)) if consecutive && days.len() > 2 => {
            format!("{} a {}", weekday(*first), weekday(*last))
        }
        _ => days.iter().map(|d| weekday(*d)).collect::<Vec<_>>().join(", "),
    }
}

fn hours(old: &Policy, new: &Policy, out: &mut Changes) {
    let g = Group::Hours;
    let (a, b) = (&old.hours, &new.hours);
    let mut old_days = a.workdays.clone();
    let mut new_days = b.workdays.clone();
    old_days.sort_by_key(Weekday::num_days_from_monday);
    new_days.sort_by_key(Weekday::num_days_from_monday);
    out.value(
        g,
        "hours.workdays",
        || "días de atención".into(),
        (&old_days, &new_days),
        |days| workdays_text(days),
        None,
    );
    let span = |h: &crate::policy::model::BusinessHours| {
        format!("{}–{}", h.opens.format("%H:%M"), h.closes.format("%H:%M"))
    };
    out.changed(
        g,
        "hours.time",
        "horario de recepción".into(),
        span(a),
        span(b),
        None,
    );
    out.value(
        g,
        "hours.after_hours",
        || "fuera de horario".into(),
        (&a.after_hours, &b.after_hours),
        |rule| match rule {
            AfterHours::NextBusinessDay => "siguiente día hábil".into(),
        },
        None,
    );
    if let (Some(x), Some(y)) = (&old.exceptions, &new.exceptions) {
        out.value(
            g,
            "exceptions.received_before",
            || "las excepciones se reciben el mismo día si llegan antes de".into(),
            (&x.received_before, &y.received_before),
            |t| t.format("%H:%M").to_string(),
            None,
        );
    }
}

fn clock_flags(state: &State) -> String {
    let mut flags = Vec::new();
    if state.initial {
        flags.push("inicial");
    }
    flags.push(match state.clock {
        Clock::Runs => "corre",
        Clock::Paused => "pausa",
        Clock::Final => "final",
    });
    if state.solution {
        flags.push("solución");
    }
    if state.excluded {
        flags.push("excluido");
    }
    flags.join(", ")
}

/// Compares the states; returns the renames (old name key → new name) for the transitions.
fn states(old: &[State], new: &[State], out: &mut Changes) -> Vec<(String, String)> {
    let g = Group::States;
    let pairing = pair_by_name(old, new, |s| &s.name, |s| &s.aliases);
    let mut renames = Vec::new();
    for state in &pairing.removed {
        out.removed(
            g,
            "state",
            format!("estado {}", quote(&state.name)),
            Some(clock_flags(state)),
        );
    }
    for (a, b, renamed) in &pairing.pairs {
        if *renamed {
            out.renamed(
                g,
                "state",
                "estado",
                &a.name,
                &b.name,
                &rename_detail(&a.name, &b.aliases),
            );
        }
        if match_key(&a.name) != match_key(&b.name) {
            renames.push((match_key(&a.name), b.name.clone()));
        }
        let subject = format!("estado {}", quote(&b.name));
        alias_changes(
            out,
            g,
            "state.alias",
            &subject,
            ((&a.name, &a.aliases), (&b.name, &b.aliases)),
        );
        out.changed(g, "state.flags", subject, clock_flags(a), clock_flags(b), None);
    }
    for state in &pairing.added {
        let mut detail = clock_flags(state);
        if !state.aliases.is_empty() {
            detail.push_str(&format!(", alias {}", quoted_list(&state.aliases)));
        }
        out.added(g, "state", format!("estado {}", quote(&state.name)), Some(detail));
    }
    renames
}

/// Why a pair was taken as a rename.
fn rename_detail(old_name: &str, new_aliases: &[String]) -> String {
    if new_aliases.iter().any(|a| match_key(a) == match_key(old_name)) {
        "renombrado; el nombre anterior queda como alias".into()
    } else {
        "renombrado; el nombre nuevo era un alias".into()
    }
}

fn channels(old: &Policy, new: &Policy, out: &mut Changes) {
    let g = Group::Channels;
    let find = |list: &[crate::policy::model::Channel], key: &str| {
        list.iter().find(|c| match_key(&c.key) == match_key(key)).cloned()
    };
    for channel in &old.channels {
        match find(&new.channels, &channel.key) {
            None => out.removed(
                g,
                "channel",
                format!("canal {}", channel.key),
                Some(quote(&channel.label)),
            ),
            Some(other) => out.changed(
                g,
                "channel.label",
                format!("nombre del canal {}", channel.key),
                quote(&channel.label),
                quote(&other.label),
                None,
            ),
        }
    }
    for channel in &new.channels {
        if find(&old.channels, &channel.key).is_none() {
            out.added(
                g,
                "channel",
                format!("canal {}", channel.key),
                Some(quote(&channel.label)),
            );
        }
    }
}

/// The transitions between one pair of states, merged (a pair may be declared several times).
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    /// `None`: any reason.
    reasons: Option<Vec<String>>,
    sections: Vec<String>,
}

fn edges(transitions: &[Transition], renames: &[(String, String)]) -> Vec<Edge> {
    let rename = |name: &str| {
        let key = match_key(name);
        renames
            .iter()
            .find(|(old, _)| *old == key)
            .map_or_else(|| name.to_owned(), |(_, new)| new.clone())
    };
    let mut edges: Vec<Edge> = Vec::new();
    for transition in transitions.iter().filter(|t| !t.automatic) {
        let (from, to) = (rename(&transition.from), rename(&transition.to));
        let position = edges
            .iter()
            .position(|e| match_key(&e.from) == match_key(&from) && match_key(&e.to) == match_key(&to));
        let index = match position {
            Some(index) => index,
            None => {
                edges.push(Edge {
                    from,
                    to,
                    reasons: Some(Vec::new()),
                    sections: Vec::new(),
                });
                edges.len() - 1
            }
        };
        let Some(edge) = edges.get_mut(index) else {
            continue;
        };
        match (&transition.reasons, edge.reasons.as_mut()) {
            (Reasons::Any, _) => edge.reasons = None,
            (Reasons::List(list), Some(reasons)) => {
                for reason in list {
                    if !reasons.iter().any(|r| match_key(r) == match_key(reason)) {
                        reasons.push(reason.clone());
                    }
                }
            }
            (Reasons::List(_), None) => {}
        }
        if let Some(section) = &transition.section
            && !edge.sections.contains(section)
        {
            edge.sections.push(section.clone());
        }
    }
    for edge in &mut edges {
        edge.sections.sort();
    }
    edges
}

fn reasons_text(reasons: &Option<Vec<String>>) -> String {
    match reasons {
        None => "cualquier razón".into(),
        Some(list) if list.is_empty() => "sin razones".into(),
        Some(list) if list.len() == 1 => format!("razón {}", quoted_list(list)),
        Some(list) => format!("razones {}", quoted_list(list)),
    }
}

fn transitions(old: &Policy, new: &Policy, renames: &[(String, String)], out: &mut Changes) {
    let g = Group::Transitions;
    let old_edges = edges(&old.transitions, renames);
    let new_edges = edges(&new.transitions, &[]);
    let same =
        |a: &Edge, b: &Edge| match_key(&a.from) == match_key(&b.from) && match_key(&a.to) == match_key(&b.to);
    let arrow = |e: &Edge| format!("{} -> {}", quote(&e.from), quote(&e.to));
    for a in &old_edges {
        let Some(b) = new_edges.iter().find(|b| same(a, b)) else {
            out.removed(
                g,
                "transition",
                format!("transición {}", arrow(a)),
                Some(reasons_text(&a.reasons)),
            );
            continue;
        };
        match (&a.reasons, &b.reasons) {
            (Some(x), Some(y)) => out.set(g, "transition.reason", (x, y), |reason| {
                format!("razón {} en {}", quote(reason), arrow(b))
            }),
            (x, y) => out.changed(
                g,
                "transition.reasons",
                format!("razones de {}", arrow(b)),
                reasons_text(x),
                reasons_text(y),
                None,
            ),
        }
        out.changed(
            g,
            "transition.section",
            format!("numeral de {}", arrow(b)),
            or_dash(&(!a.sections.is_empty()).then(|| a.sections.join(", "))),
            or_dash(&(!b.sections.is_empty()).then(|| b.sections.join(", "))),
            None,
        );
    }
    for b in new_edges.iter().filter(|b| !old_edges.iter().any(|a| same(a, b))) {
        out.added(
            g,
            "transition",
            format!("transición {}", arrow(b)),
            Some(reasons_text(&b.reasons)),
        );
    }
}

fn auto_close_text(close: &AutoClose) -> String {
    let unit = if close.business_days {
        business_days(close.after_days)
    } else if close.after_days == 1 {
        "día calendario"
    } else {
        "días calendario"
    };
    format!(
        "{} -> {} tras {} {unit}",
        quote(&close.from),
        quote(&close.to),
        close.after_days
    )
}

fn auto_close(old: Option<&AutoClose>, new: Option<&AutoClose>, out: &mut Changes) {
    let g = Group::AutoClose;
    match (old, new) {
        (None, None) => {}
        (Some(a), None) => out.removed(
            g,
            "auto_close",
            "cierre automático".into(),
            Some(auto_close_text(a)),
        ),
        (None, Some(b)) => out.added(
            g,
            "auto_close",
            "cierre automático".into(),
            Some(format!("{}, razón {}", auto_close_text(b), quote(&b.reason))),
        ),
        (Some(a), Some(b)) => {
            let states = |c: &AutoClose| format!("{} -> {}", quote(&c.from), quote(&c.to));
            if match_key(&states(a)) != match_key(&states(b)) {
                out.changed(
                    g,
                    "auto_close.states",
                    "cierre automático".into(),
                    states(a),
                    states(b),
                    None,
                );
            }
            let term = |c: &AutoClose| {
                let unit = if c.business_days { "hábiles" } else { "calendario" };
                format!("{} días {unit}", c.after_days)
            };
            out.changed(
                g,
                "auto_close.after",
                "plazo del cierre automático".into(),
                term(a),
                term(b),
                None,
            );
            if match_key(&a.reason) != match_key(&b.reason) {
                out.changed(
                    g,
                    "auto_close.reason",
                    "razón del cierre automático".into(),
                    quote(&a.reason),
                    quote(&b.reason),
                    None,
                );
            }
        }
    }
}

fn ans_text(ans: &Ans) -> String {
    let mut text = format!("{} {}", ans.business_days, business_days(ans.business_days));
    if ans.counts_reception_day {
        text.push_str(" (cuenta el día de recepción)");
    }
    text
}

/// ANS changes of one owner (`"X"` or `las excepciones`).
fn ans(owner: &str, a: &Ans, b: &Ans, out: &mut Changes) {
    let g = Group::Ans;
    out.value(
        g,
        "ans.business_days",
        || format!("ANS de {owner}"),
        (&a.business_days, &b.business_days),
        ToString::to_string,
        Some(business_days(b.business_days)),
    );
    out.value(
        g,
        "ans.counts_reception_day",
        || format!("ANS de {owner}: cuenta el día de recepción"),
        (&a.counts_reception_day, &b.counts_reception_day),
        yes_no,
        None,
    );
}

fn category_detail(category: &Category) -> String {
    let mut parts = Vec::new();
    if !category.aliases.is_empty() {
        parts.push(format!("alias {}", quoted_list(&category.aliases)));
    }
    parts.push(format!("ANS {}", ans_text(&category.ans)));
    if !category.channels.is_empty() {
        parts.push(format!("canales {}", category.channels.join(", ")));
    }
    parts.join(", ")
}

fn categories(old: &[Category], new: &[Category], out: &mut Changes) {
    let g = Group::Categories;
    let pairing = pair_by_name(old, new, |c| &c.name, |c| &c.aliases);
    for category in &pairing.removed {
        out.removed(
            g,
            "category",
            format!("categoría {}", quote(&category.name)),
            Some(format!("ANS {}", ans_text(&category.ans))),
        );
    }
    for (a, b, renamed) in &pairing.pairs {
        if *renamed {
            out.renamed(
                g,
                "category",
                "categoría",
                &a.name,
                &b.name,
                &rename_detail(&a.name, &b.aliases),
            );
        }
        let subject = format!("categoría {}", quote(&b.name));
        alias_changes(
            out,
            g,
            "category.alias",
            &subject,
            ((&a.name, &a.aliases), (&b.name, &b.aliases)),
        );
        out.changed(
            g,
            "category.description",
            format!("descripción de {}", quote(&b.name)),
            quote(&a.description),
            quote(&b.description),
            None,
        );
        if !same_set(&a.channels, &b.channels) {
            out.changed(
                g,
                "category.channels",
                format!("canales de {}", quote(&b.name)),
                a.channels.join(", "),
                b.channels.join(", "),
                None,
            );
        }
        ans(&quote(&b.name), &a.ans, &b.ans, out);
    }
    for category in &pairing.added {
        out.added(
            g,
            "category",
            format!("categoría {}", quote(&category.name)),
            Some(category_detail(category)),
        );
    }
}

fn exceptions(old: Option<&ExceptionRegime>, new: Option<&ExceptionRegime>, out: &mut Changes) {
    let g = Group::Exceptions;
    let regime = |r: &ExceptionRegime| {
        format!(
            "ANS {}, recibidas antes de {}, {} tipo(s)",
            ans_text(&r.ans),
            r.received_before.format("%H:%M"),
            r.types.len()
        )
    };
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(a), None) => {
            out.removed(g, "exceptions", "régimen de excepciones".into(), Some(regime(a)));
            return;
        }
        (None, Some(b)) => {
            out.added(g, "exceptions", "régimen de excepciones".into(), Some(regime(b)));
            return;
        }
        (Some(a), Some(b)) => (a, b),
    };
    ans("las excepciones", &a.ans, &b.ans, out);
    let pairing = pair_by_name(&a.types, &b.types, |t| &t.name, |t| &t.aliases);
    for kind in &pairing.removed {
        out.removed(
            g,
            "exception_type",
            format!("tipo de excepción {}", quote(&kind.name)),
            None,
        );
    }
    for (x, y, renamed) in &pairing.pairs {
        if *renamed {
            out.renamed(
                g,
                "exception_type",
                "tipo de excepción",
                &x.name,
                &y.name,
                &rename_detail(&x.name, &y.aliases),
            );
        }
        let subject = format!("tipo de excepción {}", quote(&y.name));
        alias_changes(
            out,
            g,
            "exception_type.alias",
            &subject,
            ((&x.name, &x.aliases), (&y.name, &y.aliases)),
        );
    }
    for kind in &pairing.added {
        let detail = (!kind.aliases.is_empty()).then(|| format!("alias {}", quoted_list(&kind.aliases)));
        out.added(
            g,
            "exception_type",
            format!("tipo de excepción {}", quote(&kind.name)),
            detail,
        );
    }
}

fn placement_text(p: &Placement) -> String {
    let mut text = format!("{}x{}", p.width, p.height);
    if let Some(max) = p.max_active {
        text.push_str(&format!(", máximo {max} vigentes"));
    }
    text
}

/// The banner limits: present in one version only, or their changes.
fn banner(old: Option<&BannerLimits>, new: Option<&BannerLimits>, out: &mut Changes) {
    let g = Group::Banner;
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return out.removed(g, "banner", "límites de banners".into(), None),
        (None, Some(_)) => return out.added(g, "banner", "límites de banners".into(), None),
        (Some(a), Some(b)) => (a, b),
    };
    banner_files(a, b, out);
    banner_placements(a, b, out);
    banner_words(a, b, out);
}

/// The accepted formats and the maximum weight of a banner file.
fn banner_files(a: &BannerLimits, b: &BannerLimits, out: &mut Changes) {
    let g = Group::Banner;
    if !same_set(&a.formats, &b.formats) {
        out.changed(
            g,
            "banner.formats",
            "formatos de banner".into(),
            a.formats.join(", "),
            b.formats.join(", "),
            None,
        );
    }
    let weight = |l: &BannerLimits| match (&l.max_weight_text, l.max_bytes) {
        (Some(text), Some(bytes)) => format!("{text} ({bytes} bytes)"),
        (None, Some(bytes)) => format!("{bytes} bytes"),
        _ => "sin límite".into(),
    };
    if a.max_bytes != b.max_bytes {
        out.changed(
            g,
            "banner.max_bytes",
            "peso máximo de banner".into(),
            weight(a),
            weight(b),
            None,
        );
    }
}

/// The placements, paired by name or alias: removed, renamed, resized or with another limit of
/// active banners, and added.
fn banner_placements(a: &BannerLimits, b: &BannerLimits, out: &mut Changes) {
    let g = Group::Banner;
    let pairing = pair_by_name(&a.placements, &b.placements, |p| &p.name, |p| &p.aliases);
    for p in &pairing.removed {
        out.removed(
            g,
            "banner.placement",
            format!("ubicación {}", quote(&p.name)),
            Some(placement_text(p)),
        );
    }
    for (x, y, renamed) in &pairing.pairs {
        if *renamed {
            out.renamed(
                g,
                "banner.placement",
                "ubicación",
                &x.name,
                &y.name,
                &rename_detail(&x.name, &y.aliases),
            );
        }
        let subject = format!("ubicación {}", quote(&y.name));
        alias_changes(
            out,
            g,
            "banner.placement.alias",
            &subject,
            ((&x.name, &x.aliases), (&y.name, &y.aliases)),
        );
        out.changed(
            g,
            "banner.placement.size",
            format!("medidas de {subject}"),
            format!("{}x{}", x.width, x.height),
            format!("{}x{}", y.width, y.height),
            None,
        );
        out.value(
            g,
            "banner.placement.max_active",
            || format!("máximo de banners vigentes en {subject}"),
            (&x.max_active, &y.max_active),
            |m| m.map_or_else(|| "sin límite".into(), |m| m.to_string()),
            None,
        );
    }
    for p in &pairing.added {
        out.added(
            g,
            "banner.placement",
            format!("ubicación {}", quote(&p.name)),
            Some(placement_text(p)),
        );
    }
}

/// How long a banner may stay published and how many words each of its texts may have.
fn banner_words(a: &BannerLimits, b: &BannerLimits, out: &mut Changes) {
    let g = Group::Banner;
    out.value(
        g,
        "banner.max_months",
        || "permanencia máxima".into(),
        (&a.max_months, &b.max_months),
        |m| m.map_or_else(|| "sin límite".into(), |m| format!("{m} meses")),
        None,
    );
    let limit = |m: &Option<u32>| m.map_or_else(|| "sin límite".into(), |m| m.to_string());
    for (key, field, x, y) in [
        ("banner.words.title", "título", a.words.title, b.words.title),
        (
            "banner.words.description",
            "descripción",
            a.words.description,
            b.words.description,
        ),
        (
            "banner.words.call_to_action",
            "llamado a la acción",
            a.words.call_to_action,
            b.words.call_to_action,
        ),
    ] {
        out.value(g, key, || format!("palabras del {field}"), (&x, &y), limit, None);
    }
}

fn sms(old: Option<&SmsLimits>, new: Option<&SmsLimits>, out: &mut Changes) {
    let g = Group::Sms;
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return out.removed(g, "sms", "límites de campañas SMS".into(), None),
        (None, Some(_)) => return out.added(g, "sms", "límites de campañas SMS".into(), None),
        (Some(a), Some(b)) => (a, b),
    };
    for column in &a.columns {
        let subject = format!("columna {}", column.role);
        match b
            .columns
            .iter()
            .find(|c| match_key(&c.role) == match_key(&column.role))
        {
            None => out.removed(g, "sms.column", subject, Some(quote(&column.name))),
            Some(other) => {
                if match_key(&column.name) != match_key(&other.name) {
                    out.changed(
                        g,
                        "sms.column.name",
                        format!("encabezado de la {subject}"),
                        quote(&column.name),
                        quote(&other.name),
                        None,
                    );
                }
                alias_changes(
                    out,
                    g,
                    "sms.column.alias",
                    &subject,
                    ((&column.name, &column.aliases), (&other.name, &other.aliases)),
                );
            }
        }
    }
    for column in &b.columns {
        if !a
            .columns
            .iter()
            .any(|c| match_key(&c.role) == match_key(&column.role))
        {
            out.added(
                g,
                "sms.column",
                format!("columna {}", column.role),
                Some(quote(&column.name)),
            );
        }
    }
    out.value(
        g,
        "sms.max_length",
        || "longitud máxima del mensaje".into(),
        (&a.max_length, &b.max_length),
        |m| m.map_or_else(|| "sin límite".into(), |m| format!("{m} caracteres")),
        None,
    );
    out.value(
        g,
        "sms.no_accents",
        || "sin tildes".into(),
        (&a.no_accents, &b.no_accents),
        yes_no,
        None,
    );
    out.changed(
        g,
        "sms.accents_allowed",
        "caracteres con diacrítico permitidos".into(),
        quote(&a.accents_allowed),
        quote(&b.accents_allowed),
        None,
    );
    out.value(
        g,
        "sms.id_digits",
        || "dígitos de la cédula".into(),
        (&a.id_digits, &b.id_digits),
        |d| d.map_or_else(|| "sin límite".into(), |(min, max)| format!("{min} a {max}")),
        None,
    );
    out.value(
        g,
        "sms.id_no_leading_zero",
        || "cédula sin cero inicial".into(),
        (&a.id_no_leading_zero, &b.id_no_leading_zero),
        yes_no,
        None,
    );
}

fn documents(old: Option<&DocumentRules>, new: Option<&DocumentRules>, out: &mut Changes) {
    let g = Group::Documents;
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return out.removed(g, "documents", "reglas de documentos".into(), None),
        (None, Some(_)) => return out.added(g, "documents", "reglas de documentos".into(), None),
        (Some(a), Some(b)) => (a, b),
    };
    let lists = [
        (
            "documents.formats",
            "formatos de documento",
            &a.formats,
            &b.formats,
        ),
        (
            "documents.keep_metadata",
            "metadatos que se conservan",
            &a.keep_metadata,
            &b.keep_metadata,
        ),
        (
            "documents.accessibility",
            "accesibilidad revisada",
            &a.accessibility,
            &b.accessibility,
        ),
    ];
    for (key, subject, x, y) in lists {
        if !same_set(x, y) {
            out.changed(g, key, subject.into(), or_empty(x), or_empty(y), None);
        }
    }
    for (key, subject, x, y) in [
        (
            "documents.no_password",
            "sin contraseña",
            a.no_password,
            b.no_password,
        ),
        (
            "documents.searchable",
            "texto buscable",
            a.searchable,
            b.searchable,
        ),
        (
            "documents.no_metadata",
            "sin metadatos",
            a.no_metadata,
            b.no_metadata,
        ),
    ] {
        out.value(g, key, || subject.into(), (&x, &y), yes_no, None);
    }
}

fn or_empty(list: &[String]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.join(", ")
    }
}

/// A fraction as a percentage in Spanish, without float noise (`0.95` → `95 %`, `0.025` →
/// `2,5 %`): the one Spanish number form of [`crate::wording`].
fn percent(value: f64) -> String {
    crate::wording::percent(value)
}

fn sampling(old: Option<&Sampling>, new: Option<&Sampling>, out: &mut Changes) {
    let g = Group::Sampling;
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return out.removed(g, "sampling", "muestreo mensual".into(), None),
        (None, Some(_)) => return out.added(g, "sampling", "muestreo mensual".into(), None),
        (Some(a), Some(b)) => (a, b),
    };
    out.changed(
        g,
        "sampling.confidence",
        "nivel de confianza".into(),
        percent(a.confidence),
        percent(b.confidence),
        None,
    );
    out.changed(
        g,
        "sampling.margin",
        "margen de error".into(),
        percent(a.margin),
        percent(b.margin),
        None,
    );
    let plain = |v: f64| ((v * 10_000.0).round() / 10_000.0).to_string();
    out.changed(
        g,
        "sampling.proportion",
        "proporción esperada".into(),
        plain(a.proportion),
        plain(b.proportion),
        None,
    );
}

fn severity(s: &RuleSeverity) -> String {
    match s {
        RuleSeverity::Error => "error",
        RuleSeverity::Warning => "aviso",
    }
    .into()
}

fn subject(s: &Subject) -> String {
    match s {
        Subject::Case => "caso",
        Subject::Banner => "banner",
        Subject::Sms => "sms",
        Subject::Document => "documento",
    }
    .into()
}

fn code(source: &str) -> String {
    format!("`{}`", source.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn rules(old: &[Rule], new: &[Rule], out: &mut Changes) {
    let g = Group::Rules;
    let find = |list: &'_ [Rule], name: &str| -> Option<usize> {
        list.iter().position(|r| match_key(&r.name) == match_key(name))
    };
    for a in old {
        let name = quote(&a.name);
        let Some(b) = find(new, &a.name).and_then(|i| new.get(i)) else {
            out.removed(
                g,
                "rule",
                format!("regla {name}"),
                Some(format!(
                    "{}, sobre {}",
                    severity(&a.severity),
                    subject(&a.subject)
                )),
            );
            continue;
        };
        out.value(
            g,
            "rule.severity",
            || format!("severidad de la regla {name}"),
            (&a.severity, &b.severity),
            severity,
            None,
        );
        out.value(
            g,
            "rule.subject",
            || format!("sujeto de la regla {name}"),
            (&a.subject, &b.subject),
            subject,
            None,
        );
        let when = |r: &Rule| r.when.as_ref().map(|w| normalise_code(&w.source));
        if when(a) != when(b) {
            let show = |r: &Rule| r.when.as_ref().map_or_else(|| "—".into(), |w| code(&w.source));
            out.changed(
                g,
                "rule.when",
                format!("`cuando` de la regla {name}"),
                show(a),
                show(b),
                None,
            );
        }
        if normalise_code(&a.require.source) != normalise_code(&b.require.source) {
            out.changed(
                g,
                "rule.require",
                format!("`exige` de la regla {name}"),
                code(&a.require.source),
                code(&b.require.source),
                None,
            );
        }
        out.changed(
            g,
            "rule.message",
            format!("mensaje de la regla {name}"),
            quote(&a.message),
            quote(&b.message),
            None,
        );
    }
    for b in new.iter().filter(|b| find(old, &b.name).is_none()) {
        let mut detail = format!("{}, sobre {}", severity(&b.severity), subject(&b.subject));
        if let Some(when) = &b.when {
            detail.push_str(&format!(", cuando {}", code(&when.source)));
        }
        detail.push_str(&format!(
            ", exige {}, mensaje {}",
            code(&b.require.source),
            quote(&b.message)
        ));
        out.added(g, "rule", format!("regla {}", quote(&b.name)), Some(detail));
    }
}

/// The identity of a gap item: its text without numbers (`banner: peso máximo KiB`), so an
/// `implícita` item whose value changed is still the same interpretation.
fn gap_identity(item: &str) -> String {
    match_key(&item.replace(|c: char| c.is_ascii_digit(), ""))
}

/// Items marked `implícita` added or removed. An item whose only difference is a number is the
/// same interpretation with another value, already reported in its own group.
fn gaps(old: &Policy, new: &Policy, out: &mut Changes) {
    let g = Group::Gaps;
    let items = |p: &Policy| p.gaps.iter().map(|g| g.item.clone()).collect::<Vec<_>>();
    let (old_items, new_items) = (items(old), items(new));
    let (added, removed) = super::compare::set_delta(&old_items, &new_items);
    let mut added: Vec<&str> = added;
    for item in removed {
        let identity = gap_identity(item);
        if let Some(index) = added.iter().position(|a| gap_identity(a) == identity) {
            added.remove(index);
        } else {
            out.removed(g, "gap", format!("implícita: {item}"), None);
        }
    }
    for item in added {
        out.added(g, "gap", format!("implícita: {item}"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::model::ChangeKind;
    use crate::policy::PolicySet;

    fn v11() -> Policy {
        PolicySet::embedded()
            .ok()
            .and_then(|set| set.find("M1-3-06@11").cloned())
            .unwrap_or_else(|| panic!("the embedded v11 compiles"))
    }

    fn lines(old: &Policy, new: &Policy) -> Vec<String> {
        changes(old, new).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn identical_and_reordered_policies_have_no_changes() {
        let old = v11();
        let mut new = old.clone();
        new.categories.reverse();
        new.states.reverse();
        new.transitions.reverse();
        new.rules.reverse();
        new.gaps.reverse();
        for gap in &mut new.gaps {
            gap.line += 3;
            gap.note = Some("otro comentario".into());
        }
        for rule in &mut new.rules {
            rule.line += 7;
            rule.require.source = format!("  {}  ", rule.require.source);
        }
        if let Some(regime) = new.exceptions.as_mut() {
            regime.types.reverse();
        }
        assert!(lines(&old, &new).is_empty(), "{:#?}", lines(&old, &new));
    }

    #[test]
    fn ans_change_is_one_line_in_the_ans_group() {
        let old = v11();
        let mut new = old.clone();
        if let Some(c) = new
            .categories
            .iter_mut()
            .find(|c| c.name == "Diseño de piezas comerciales")
        {
            c.ans.business_days = 4;
        }
        let changes = changes(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].group, Group::Ans);
        assert_eq!(
            changes[0].text,
            "~ ANS de \"Diseño de piezas comerciales\": 5 → 4 días hábiles"
        );
    }

    #[test]
    fn a_name_moved_to_the_aliases_is_a_rename() {
        let old = v11();
        let mut new = old.clone();
        if let Some(c) = new
            .categories
            .iter_mut()
            .find(|c| c.name == "Divulgación de información por Infoserivicios")
        {
            c.name = "Divulgación de información por Infoservicios".into();
            c.aliases = vec!["Divulgación de información por Infoserivicios".into()];
        }
        let changes = changes(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].kind, ChangeKind::Renamed);
    }

    #[test]
    fn renamed_states_carry_their_transitions() {
        let old = v11();
        let mut new = old.clone();
        for state in &mut new.states {
            if state.name == "Suspendido" {
                state.name = "En espera".into();
                state.aliases.push("Suspendido".into());
            }
        }
        for t in &mut new.transitions {
            for end in [&mut t.from, &mut t.to] {
                if end == "Suspendido" {
                    *end = "En espera".into();
                }
            }
        }
        let changes = lines(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert!(changes[0].contains("\"Suspendido\" → \"En espera\""));
    }

    #[test]
    fn reasons_are_compared_as_sets() {
        let old = v11();
        let mut new = old.clone();
        if let Some(t) = new
            .transitions
            .iter_mut()
            .find(|t| t.from == "En proceso" && t.to == "Solucionado")
        {
            t.reasons = Reasons::List(vec!["solución  entregada".into(), "Listo".into()]);
        }
        assert_eq!(
            lines(&old, &new),
            ["+ razón \"Listo\" en \"En proceso\" -> \"Solucionado\""]
        );
    }
}
