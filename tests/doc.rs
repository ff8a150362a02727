//! `pauta doc`: the real binary renders every procedure version found under `policies/` (a new
//! `v<N>.pauta` is picked up without code changes) in Markdown and HTML, snapshotted in
//! `snapshots/doc__*`; the rendered text agrees with the compiled policy; `--output` writes the
//! file; an unknown version exits 2 with a Spanish message.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pauta::doc::markdown::{code_span, escape as md};
use pauta::policy::model::{Policy, Reasons};
use pauta::policy::{check_sources, read_paths};
use pauta::report::render_html::escape as html;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pauta() -> Command {
    let mut cmd = Command::cargo_bin("pauta").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(root());
    cmd
}

/// Exit code, stdout and stderr.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

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
    let (code, out, err) = run(pauta()
        .args(["doc", &policy.id(), "--format", format, "--policies"])
        .arg(root().join("policies")));
    assert_eq!(code, 0, "{}: {err}", policy.id());
    out
}

fn snapshot(name: &str, policy: &Policy, text: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        description => format!("pauta doc {}", policy.id()),
    }, {
        insta::assert_snapshot!(name, text);
    });
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
        for rule in &policy.rules {
            assert!(markdown.contains(&format!("«{}»", md(&rule.message))));
            assert!(page.contains(&format!("«{}»", html(&rule.message))));
            assert!(page.contains(&format!("<code>{}</code>", html(&rule.require.source))));
        }
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
    let (code, default, _) = run(pauta().arg("doc"));
    assert_eq!(code, 0);
    let latest = versions()
        .into_iter()
        .filter(|p| p.code == "M1-3-06")
        .max_by_key(|p| p.version)
        .unwrap_or_else(|| panic!("no M1-3-06 version"));
    let (_, explicit, _) = run(pauta().args(["doc", &latest.id(), "--format", "md"]));
    assert_eq!(default, explicit);
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("doc").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn output_writes_the_file_in_the_format_of_its_extension() {
    let dir = scratch("output");
    let page = dir.join("M1-3-06.html");
    let (code, out, err) = run(pauta().args(["doc", "--output"]).arg(&page));
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "nothing on stdout when --output is given: {out}");
    assert!(err.contains("escrito en"), "{err}");
    let written = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(written.starts_with("<!DOCTYPE html>"));

    let text = dir.join("M1-3-06.md");
    let (code, _, err) = run(pauta().args(["doc", "--format", "md", "--output"]).arg(&text));
    assert_eq!(code, 0, "{err}");
    let (_, stdout, _) = run(pauta().arg("doc"));
    assert_eq!(std::fs::read_to_string(&text).unwrap_or_default(), stdout);

    // --format wins over the extension.
    let forced = dir.join("forzado.html");
    let (code, _, _) = run(pauta().args(["doc", "--format", "md", "--output"]).arg(&forced));
    assert_eq!(code, 0);
    assert!(
        std::fs::read_to_string(&forced)
            .unwrap_or_default()
            .starts_with("# Procedimiento")
    );
}

#[test]
fn an_unwritable_output_exits_2_in_spanish() {
    let dir = scratch("unwritable");
    let (code, _, err) = run(pauta()
        .args(["doc", "--output"])
        .arg(dir.join("no/existe/doc.md")));
    assert_eq!(code, 2);
    assert!(err.contains("no se pudo escribir"), "{err}");
}

#[test]
fn an_unknown_version_exits_2_and_lists_the_available_ones() {
    let (code, out, err) = run(pauta().args(["doc", "M1-3-06@99"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no hay una política `M1-3-06@99`"), "{err}");
    let available: Vec<String> = versions().iter().map(Policy::id).collect();
    assert!(
        err.contains(&format!("disponibles: {}", available.join(", "))),
        "{err}"
    );

    let (code, _, err) = run(pauta().args(["doc", "X9-9-99"]));
    assert_eq!(code, 2);
    assert!(err.contains("no hay una política `X9-9-99`"), "{err}");
}

/// The README's excerpt is real output: every line of it (but the `…` cuts) is a line of
/// `pauta doc M1-3-06@11`.
#[test]
fn the_readme_excerpt_is_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let start = readme
        .find("$ pauta doc M1-3-06@11\n")
        .unwrap_or_else(|| panic!("README has no `pauta doc` excerpt"));
    let excerpt = &readme[start..];
    let excerpt = &excerpt[..excerpt.find("````").unwrap_or(excerpt.len())];
    let (_, output, _) = run(pauta().args(["doc", "M1-3-06@11"]));
    let lines: BTreeSet<&str> = output.lines().collect();
    for line in excerpt.lines().skip(1).filter(|l| *l != "…") {
        assert!(lines.contains(line), "README line not in the output: {line}");
    }
}
