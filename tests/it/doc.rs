//! `pauta doc`: the real binary renders every procedure version found under `policies/` (a new
//! `v<N>.pauta` is picked up without code changes) in Markdown and HTML, snapshotted in
//! `snapshots/doc__*`; the rendered text agrees with the compiled policy, in the order of the
//! ICETEX format (objetivo, alcance, definiciones, condiciones, actividades with their
//! responsables, control), rules by their message with the rhai source only in an annex; the
//! change control lists every version of a folder; a policy without texts gets no invented ones;
//! printed on A4 a heading stays with its table; `--output` writes the file; an unknown version
//! exits 2 with a Spanish message.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pauta::document::html::escape as html;
use pauta::document::markdown::{code_span, escape as md};
use pauta::policy::model::{Policy, Reasons, RuleSeverity};
use pauta::policy::{check_sources, read_paths};

use crate::common::run::Pauta;
use crate::common::{pinned_dir, root, scratch};

/// Every procedure version of the shipped `policies/` folder, compiled.
fn versions() -> Vec<Policy> {
    let files = read_paths(&[root().join("policies")]).unwrap_or_default();
    let report = check_sources(&files, &[]);
    assert!(
        !report.policies.is_empty(),
        "no procedure version under policies/"
    );
    report.policies
}

/// `pauta doc CODE@VERSION --format FORMAT` on the shipped folder.
fn doc(policy: &Policy, format: &str) -> String {
    Pauta::new(["doc", &policy.id(), "--format", format, "--policies"])
        .arg(root().join("policies"))
        .run()
        .success()
        .stdout
}

fn snapshot(name: &str, policy: &Policy, text: &str) {
    crate::common::snap::described(name, &format!("pauta doc {}", policy.id()), text);
}

#[test]
fn doc_of_every_policy_version_in_markdown_and_html() {
    for policy in versions() {
        let base = format!("doc__{}_v{}", policy.code, policy.version);
        snapshot(&format!("{base}_md"), &policy, &doc(&policy, "md"));
        snapshot(&format!("{base}_html"), &policy, &doc(&policy, "html"));
    }
}

fn ans_text(days: u32) -> String {
    if days == 1 {
        "1 día hábil".to_owned()
    } else {
        format!("{days} días hábiles")
    }
}

/// The published document cannot disagree with the engine: every category with its ANS, every
/// transition reason, every gap and every rule message is in the Markdown and HTML tables.
#[test]
fn the_document_says_what_the_compiled_policy_enforces() {
    for policy in versions() {
        let markdown = doc(&policy, "md");
        let page = doc(&policy, "html");
        let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with("| ")).collect();
        for category in &policy.categories {
            let ans = ans_text(category.ans.business_days);
            let prefix = format!("| {} | {} | {ans}", md(&category.name), md(&category.description));
            assert!(
                rows.iter().any(|r| r.starts_with(&prefix)),
                "{}: no ANS row `{prefix}`",
                policy.id()
            );
            let cells = format!(
                "<tr><td>{}</td><td>{}</td><td>{ans}",
                html(&category.name),
                html(&category.description)
            );
            assert!(page.contains(&cells), "{}: no ANS row `{cells}`", policy.id());
        }
        for transition in &policy.transitions {
            let reasons = match &transition.reasons {
                Reasons::Any => vec!["cualquier razón (el procedimiento no la escribe)".to_owned()],
                Reasons::List(list) => list.clone(),
            };
            for reason in reasons {
                let row = format!(
                    "| {} | {} | {} |",
                    md(&transition.from),
                    md(&transition.to),
                    md(&reason)
                );
                assert!(
                    rows.iter().any(|r| r.starts_with(&row)),
                    "{}: no flow row `{row}`",
                    policy.id()
                );
                let cells = format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td>",
                    html(&transition.from),
                    html(&transition.to),
                    html(&reason)
                );
                assert!(page.contains(&cells), "{}: no flow row `{cells}`", policy.id());
            }
        }
        for gap in &policy.gaps {
            let item = code_span(&gap.item, true);
            assert!(
                rows.iter()
                    .any(|r| r.contains(&item) && r.ends_with(&format!("| {} |", gap.line))),
                "{}: gap `{}` missing",
                policy.id(),
                gap.item
            );
            assert!(page.contains(&format!("<code>{}</code>", html(&gap.item))));
        }
        // Rules by their severity and message in the body; their rhai source only in Anexo A.
        let annex_md = markdown.find("\n## Anexo A: expresiones de las reglas\n");
        let annex_html = page.find("id=\"anexo-a-expresiones-de-las-reglas\"");
        for rule in &policy.rules {
            let word = match rule.severity {
                RuleSeverity::Error => "Error",
                RuleSeverity::Warning => "Aviso",
            };
            let line = format!("| **{word}:** {} |", md(&rule.message));
            assert!(
                rows.iter().any(|r| r.starts_with(&line)),
                "{}: no verification row `{line}`",
                policy.id()
            );
            assert!(page.contains(&format!(
                "<td><strong>{word}:</strong> {}</td>",
                html(&rule.message)
            )));
            let sources = std::iter::once(&rule.require).chain(&rule.when);
            for source in sources {
                let span = code_span(&source.source, false);
                let first = markdown.find(&span).unwrap_or_else(|| panic!("no `{span}`"));
                assert!(
                    annex_md.is_some_and(|annex| first > annex),
                    "{span} before Anexo A"
                );
                let code = format!("<code>{}</code>", html(&source.source));
                let first = page.find(&code).unwrap_or_else(|| panic!("no {code}"));
                assert!(
                    annex_html.is_some_and(|annex| first > annex),
                    "{code} before Anexo A"
                );
            }
        }
    }
}

/// The document of v11 is the procedure: its sections in the order of the ICETEX format, with
/// the objetivo, alcance, definiciones, condiciones and responsables the policy quotes.
#[test]
fn the_v11_document_reads_as_the_procedure() {
    let policy = versions()
        .into_iter()
        .find(|p| p.id() == "M1-3-06@11")
        .unwrap_or_else(|| panic!("no M1-3-06@11 under policies/"));
    let markdown = doc(&policy, "md");
    let page = doc(&policy, "html");
    let headings = [
        "## 1. Objetivo",
        "## 2. Alcance",
        "## 3. Definiciones",
        "## 4. Condiciones generales",
        "### Responsables",
        "### Acuerdos de nivel de servicio (ANS)",
        "### Verificaciones",
        "## 5. Descripción de actividades",
        "### 5.1 Diagrama de flujo de estados",
        "### 5.2 Actividades",
        "## 6. Seguimiento y control",
        "## Control de cambios",
        "## Anexo A: expresiones de las reglas",
        "## Anexo B: para la mesa de servicios",
        "## Anexo C: Vacíos del procedimiento",
    ];
    let mut last = 0;
    for heading in headings {
        let at = markdown
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("no `{heading}`"));
        assert!(at > last, "`{heading}` out of order");
        last = at;
    }
    let section = |heading: &str| {
        let start = markdown.find(&format!("\n{heading}\n")).unwrap_or_default();
        let rest = &markdown[start + heading.len() + 2..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_owned()
    };

    let objective = policy
        .objective
        .as_deref()
        .unwrap_or_else(|| panic!("v11 has no objetivo"));
    assert!(
        objective.starts_with("Establecer los lineamientos"),
        "{objective}"
    );
    assert!(section("## 1. Objetivo").contains(&md(objective)));
    assert!(page.contains(&format!("<p>{}</p>", html(objective))));
    let scope = policy
        .scope
        .as_deref()
        .unwrap_or_else(|| panic!("v11 has no alcance"));
    assert!(scope.starts_with("Inicia con la solicitud"), "{scope}");
    assert!(section("## 2. Alcance").contains(&md(scope)));

    let definitions = section("## 3. Definiciones");
    assert_eq!(policy.definitions.len(), 10);
    for definition in &policy.definitions {
        let item = format!("- **{}:** {}\n", md(&definition.term), md(&definition.text));
        assert!(definitions.contains(&item), "no definition `{item}`");
    }
    let conditions = section("## 4. Condiciones generales");
    assert!(!policy.conditions.is_empty());
    for condition in &policy.conditions {
        assert!(
            conditions.contains(&format!("- {}\n", md(condition))),
            "{condition}"
        );
    }

    // Every responsable in its place: numeral 4 in the general conditions, 5.x with its
    // activity, 6 in the control.
    let activities = section("## 5. Descripción de actividades");
    let control = section("## 6. Seguimiento y control");
    assert!(policy.responsibilities.len() >= 10);
    for responsibility in &policy.responsibilities {
        let (role, said) = (md(&responsibility.role), md(&responsibility.text));
        match responsibility.section.as_deref().map(|s| &s[..1]) {
            Some("5") => {
                let numeral = responsibility.section.clone().unwrap_or_default();
                let heading = format!("#### Actividad {numeral}\n");
                let start = activities
                    .find(&heading)
                    .unwrap_or_else(|| panic!("no {heading}"));
                let body = &activities[start + heading.len()..];
                let body = &body[..body.find("\n#### ").unwrap_or(body.len())];
                assert!(
                    body.contains(&format!("Responsable: **{role}**")),
                    "{numeral}: {role}"
                );
                assert!(body.contains(&said), "{numeral}: {said}");
            }
            Some("6") => {
                assert!(control.contains(&format!("Responsable: **{role}**")), "{role}");
                assert!(control.contains(&said), "{said}");
            }
            _ => assert!(conditions.contains(&format!("| {role} | {said} |")), "{role}"),
        }
    }
    // The flow table of an activity follows its text.
    let activity = &activities[activities.find("#### Actividad 5.2.4").unwrap_or_default()..];
    let text = activity.find("Soluciona el caso").unwrap_or(usize::MAX);
    let table = activity
        .find("| En proceso | Solucionado | Solución entregada |")
        .unwrap_or(0);
    assert!(text < table, "the flow table of 5.2.4 follows its text");

    // Command-line jargon is only in Anexo B (the colophon names the policy, not a command).
    let body = &markdown[..markdown.find("\n## Anexo A").unwrap_or(markdown.len())];
    for jargon in [
        "pauta doc",
        "pauta evaluate",
        "pauta report",
        "pauta banner",
        "pauta sms",
        "pauta document",
        "--",
    ] {
        assert!(
            !body.contains(&format!("`{jargon}")),
            "`{jargon}` before the annexes"
        );
    }
    let desk = section("## Anexo B: para la mesa de servicios");
    for command in [
        "`pauta doc M1-3-06@11`",
        "`pauta evaluate ",
        "`pauta report ",
        "`pauta banner check ",
        "`pauta sms check ",
        "`pauta document check ",
    ] {
        assert!(desk.contains(command), "Anexo B lacks {command}");
    }
}

/// The pinned folder copied to a scratch folder, where `pauta new-version` adds a v12 that
/// `edit` changes.
fn folder_with_v12(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = scratch("doc", name);
    for sub in ["M1-3-06", "calendarios"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap_or_else(|e| panic!("{e}"));
    }
    for file in ["M1-3-06/v11.pauta", "calendarios/colombia.pauta"] {
        std::fs::copy(pinned_dir().join(file), dir.join(file)).unwrap_or_else(|e| panic!("{e}"));
    }
    Pauta::new([
        "new-version",
        "M1-3-06",
        "--from-date",
        "2027-01-04",
        "--policies",
    ])
    .arg(&dir)
    .run()
    .success();
    let v12 = dir.join("M1-3-06/v12.pauta");
    let text = std::fs::read_to_string(&v12).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&v12, edit(text)).unwrap_or_else(|e| panic!("{e}"));
    Pauta::new(["check"]).arg(&dir).run().success();
    dir
}

/// The rows of the Markdown change control table.
fn change_rows(markdown: &str) -> Vec<String> {
    let start = markdown
        .find("\n## Control de cambios\n")
        .unwrap_or_else(|| panic!("no change control"));
    markdown[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| Versión |"))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(str::to_owned)
        .collect()
}

/// The change control has one row per version of the folder, newest first, with what changed
/// in words; the document of the older version stops at itself, so publishing a version leaves
/// the documents of the others as they were.
#[test]
fn the_change_control_lists_every_version_of_the_folder() {
    let before = Pauta::new(["doc", "M1-3-06@11", "--format", "md"])
        .pinned()
        .run()
        .success()
        .stdout;
    let dir = folder_with_v12("two_versions", |text| {
        let from = "categoría \"Diseño de piezas comerciales\" {";
        let start = text.find(from).unwrap_or_else(|| panic!("no `{from}`"));
        let end = start + text[start..].find("ans 5 días hábiles").unwrap_or_default();
        let changed = format!(
            "{}{}",
            &text[..end],
            &text[end..].replacen("ans 5 días", "ans 4 días", 1)
        );
        format!(
            "{changed}\nobjetivo \"Establecer los lineamientos para gestionar las solicitudes.\"\n\
             definición \"ANS\" \"Acuerdo de Nivel de Servicio.\"\n"
        )
    });
    let latest = Pauta::new(["doc", "M1-3-06", "--format", "md", "--policies"])
        .arg(&dir)
        .run()
        .success()
        .stdout;
    assert_eq!(
        change_rows(&latest),
        [
            "| 12 | 4 de enero de 2027 | Se incluyó el objetivo. Se incluyó la definición de «ANS». ANS de «Diseño \
             de piezas comerciales»: 5 → 4 días hábiles. |",
            "| 11 | 24 de diciembre de 2021 | Versión inicial en pauta: primera versión del procedimiento escrita \
             como política. |",
        ]
    );
    assert!(latest.contains("`pauta diff M1-3-06@11 M1-3-06@12`"));

    let older = Pauta::new(["doc", "M1-3-06@11", "--format", "md", "--policies"])
        .arg(&dir)
        .run()
        .success()
        .stdout;
    assert_eq!(older, before, "a later version changes nothing in v11's document");
    let rows = change_rows(&older);
    assert_eq!(
        rows.len(),
        1,
        "a version's change control stops at itself: {rows:?}"
    );
    assert!(rows[0].starts_with("| 11 | 24 de diciembre de 2021 | Versión inicial en pauta"));

    Pauta::new(["doc", "--format", "html", "--policies"])
        .arg(&dir)
        .run()
        .success()
        .stdout_has("<tr><td class=\"n\">12</td><td>4 de enero de 2027</td>")
        .stdout_has("<tr><td class=\"n\">11</td><td>24 de diciembre de 2021</td>");
}

/// A policy that quotes none of the procedure's texts (the pinned v11, written before them)
/// still checks clean, and its document says nothing where they would go: no objetivo, no
/// definiciones, no responsables.
#[test]
fn a_policy_without_texts_gets_none_invented() {
    Pauta::new(["check"]).arg(pinned_dir()).run().success();
    let markdown = Pauta::new(["doc", "M1-3-06@11", "--format", "md"])
        .pinned()
        .run()
        .success()
        .stdout;
    for absent in [
        "## 1. Objetivo",
        "## 3. Definiciones",
        "### Responsables",
        "Responsable: ",
        "#### Actividad ",
    ] {
        assert!(!markdown.contains(absent), "`{absent}` in a policy without texts");
    }
    for present in [
        "## 2. Alcance",
        "## 4. Condiciones generales",
        "#### Numeral 5.2.4",
        "## 6. Seguimiento y control",
    ] {
        assert!(markdown.contains(present), "no `{present}`");
    }
}

/// The sections of the page a heading opens: `(classes, inner HTML)`, in order.
fn kept_together(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(open) = rest.find("<section class=\"") {
        let after = &rest[open + "<section class=\"".len()..];
        let classes = after[..after.find('"').unwrap_or_default()].to_owned();
        let body = &after[after.find(">\n").map_or(0, |i| i + 2)..];
        let close = body
            .find("</section>")
            .unwrap_or_else(|| panic!("unclosed section"));
        out.push((classes, body[..close].to_owned()));
        rest = &body[close..];
    }
    out
}

/// Printed on A4, a heading never ends a page apart from its table or diagram: every heading is
/// in a section that keeps it with what it introduces (its first table or figure when it has
/// one), and that section does not break when it fits on a page.
#[test]
fn headings_stay_with_their_tables_when_printed() {
    for policy in versions() {
        let page = doc(&policy, "html");
        assert!(page.contains("@page { size: A4;"));
        assert!(page.contains("section.junto { break-inside: avoid; }"));
        let main = &page[page.find("</nav>").unwrap_or_default()..];
        let headings = ["<h2 ", "<h3 ", "<h4 "]
            .iter()
            .map(|h| main.matches(h).count())
            .sum::<usize>();
        let sections = kept_together(main);
        let kept = sections
            .iter()
            .map(|(_, inner)| {
                ["<h2 ", "<h3 ", "<h4 "]
                    .iter()
                    .map(|h| inner.matches(h).count())
                    .sum::<usize>()
            })
            .sum::<usize>();
        assert_eq!(
            kept,
            headings,
            "{}: a heading outside a kept section",
            policy.id()
        );
        for (classes, inner) in &sections {
            assert!(classes == "junto" || classes == "junto largo", "{classes}");
            assert!(
                inner.starts_with("<h"),
                "a section starts with its heading: {inner:.80}"
            );
            let last_heading = inner.rfind("</h").unwrap_or_default();
            let content = &inner[last_heading..];
            assert!(
                ["<table", "<figure", "<ul>", "<ol>", "<p"]
                    .iter()
                    .any(|tag| content.contains(tag)),
                "{}: a heading with nothing after it: {inner:.120}",
                policy.id()
            );
        }
        // What follows a section up to the next heading holds no table or figure its heading
        // introduced outside the section.
        let mut rest = main;
        while let Some(end) = rest.find("</section>") {
            let (inner_start, after) = (rest[..end].rfind("<section").unwrap_or_default(), &rest[end..]);
            let inner = &rest[inner_start..end];
            let until = after.find("<section").unwrap_or(after.len());
            if !inner.contains("<table") && !inner.contains("<figure") {
                assert!(
                    !after[..until].contains("<table") && !after[..until].contains("<figure"),
                    "{}: a table apart from its heading after {inner:.120}",
                    policy.id()
                );
            }
            rest = &after["</section>".len()..];
        }
        assert!(
            page.contains("<section class=\"junto\">\n<h3 id=\"acuerdos-de-nivel-de-servicio-ans\">")
                || page.contains(
                    "<section class=\"junto largo\">\n<h3 id=\"acuerdos-de-nivel-de-servicio-ans\">"
                )
        );
    }
}

/// A minimal well-formedness check: every element closed in order, every `&` an entity, no
/// script, no external resource (the SVG namespace is a name, not a request).
fn assert_well_formed(page: &str) {
    let body = page.trim_start_matches("<!DOCTYPE html>\n");
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag near {rest:.40}"));
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop();
            assert_eq!(top.as_deref(), Some(name.trim()), "closing </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or_default();
            stack.push(name.to_owned());
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    for (at, _) in body.match_indices('&') {
        let entity = &body[at..body.len().min(at + 8)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "bare & at `{entity}`"
        );
    }
    assert!(!page.contains("<script"));
    let external = page.matches("http").count();
    let namespace = page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(external, namespace, "the page must not load anything");
}

#[test]
fn html_is_self_contained_and_well_formed_with_one_box_per_state_and_one_arrow_per_pair() {
    for policy in versions() {
        let page = doc(&policy, "html");
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
        assert_well_formed(&page);
        assert_eq!(page.matches("<svg").count(), 1);
        assert_eq!(page.matches("<g class=\"estado\"").count(), policy.states.len());
        let pairs: BTreeSet<(&str, &str)> = policy
            .transitions
            .iter()
            .map(|t| (t.from.as_str(), t.to.as_str()))
            .collect();
        assert_eq!(page.matches("<path class=\"transicion").count(), pairs.len());
        assert!(page.contains(&format!("Generado por pauta a partir de {}", policy.id())));
    }
}

#[test]
fn markdown_has_a_mermaid_state_diagram() {
    for policy in versions() {
        let markdown = doc(&policy, "md");
        let start = markdown
            .find("```mermaid\nstateDiagram-v2\n")
            .unwrap_or_else(|| panic!("{}: no Mermaid block", policy.id()));
        let block = &markdown[start..];
        let end = block[3..].find("```").map_or(block.len(), |e| e + 3);
        let block = &block[..end];
        assert_eq!(block.matches("    state \"").count(), policy.states.len());
        assert_eq!(block.matches("    [*] --> ").count(), 1);
        let finals = policy
            .states
            .iter()
            .filter(|s| s.clock == pauta::policy::model::Clock::Final)
            .count();
        assert_eq!(block.matches(" --> [*]\n").count(), finals);
        assert!(markdown.ends_with(&format!("Generado por pauta a partir de {}.\n", policy.id())));
    }
}

#[test]
fn the_default_is_the_latest_version_of_m1_3_06() {
    let default = Pauta::new(["doc"]).run().success().stdout;
    let latest = versions()
        .into_iter()
        .filter(|p| p.code == "M1-3-06")
        .max_by_key(|p| p.version)
        .unwrap_or_else(|| panic!("no M1-3-06 version"));
    Pauta::new(["doc", &latest.id(), "--format", "md"])
        .run()
        .stdout_is(&default);
}

#[test]
fn output_writes_the_file_in_the_format_of_its_extension() {
    let dir = scratch("doc", "output");
    let page = dir.join("M1-3-06.html");
    Pauta::new(["doc", "--output"])
        .arg(&page)
        .run()
        .success()
        .stdout_is("")
        .stderr_has("escrito en");
    let written = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(written.starts_with("<!DOCTYPE html>"));

    let text = dir.join("M1-3-06.md");
    Pauta::new(["doc", "--format", "md", "--output"])
        .arg(&text)
        .run()
        .success();
    let stdout = Pauta::new(["doc"]).run().stdout;
    assert_eq!(std::fs::read_to_string(&text).unwrap_or_default(), stdout);

    // --format wins over the extension.
    let forced = dir.join("forzado.html");
    Pauta::new(["doc", "--format", "md", "--output"])
        .arg(&forced)
        .run()
        .success();
    assert!(
        std::fs::read_to_string(&forced)
            .unwrap_or_default()
            .starts_with("# Procedimiento")
    );
}

#[test]
fn an_unwritable_output_exits_2_in_spanish() {
    let dir = scratch("doc", "unwritable");
    Pauta::new(["doc", "--output"])
        .arg(dir.join("no/existe/doc.md"))
        .run()
        .failure(2)
        .stderr_has("no se pudo escribir");
}

#[test]
fn an_unknown_version_exits_2_and_lists_the_available_ones() {
    let err = Pauta::new(["doc", "M1-3-06@99"])
        .run()
        .failure(2)
        .stdout_is("")
        .stderr_has("no hay una política `M1-3-06@99`")
        .stderr;
    let available: Vec<String> = versions().iter().map(Policy::id).collect();
    assert!(
        err.contains(&format!("disponibles: {}", available.join(", "))),
        "{err}"
    );

    Pauta::new(["doc", "X9-9-99"])
        .run()
        .failure(2)
        .stderr_has("no hay una política `X9-9-99`");
}
