//! The dependency direction `src/README.md` states, checked on the source: each top-level
//! module of the library (a folder or a file under `src/`) uses only modules of lower layers.
//! The layers are the `layers` block of that README, read here, so the rule is written once.
//! Test modules (`#[cfg(test)] mod …` at the end of a file) may use anything and are skipped.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers of the README, top first: each a set of module names.
fn layers() -> Vec<BTreeSet<String>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/README.md"))
        .expect("src/README.md is readable");
    let block = readme
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("src/README.md has a ```layers block");
    block
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// The text of a file without its trailing test module.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if line.starts_with("#[cfg(test)]") {
            let item = lines[at + 1..]
                .iter()
                .find(|next| !next.starts_with("#[") && !next.starts_with(')') && !next.starts_with(' '));
            if item.is_some_and(|item| item.starts_with("mod ") || item.starts_with("pub(crate) mod ")) {
                break;
            }
        }
        kept.push(*line);
    }
    kept.join("\n")
}

/// The top-level module a file under `src/` belongs to (`cases` for `src/cases/run.rs`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().expect("a path under src/");
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_owned()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every top-level module's uses of other top-level modules (`crate::…` paths; `pauta::…` in the
/// binary's `cli/`), with the first file where each appears.
fn uses() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut found: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let module = module_of(relative);
        if module == "lib" || module == "main" {
            continue;
        }
        let text = without_tests(&std::fs::read_to_string(&file).expect("readable"));
        for line in text.lines().filter(|line| !line.trim_start().starts_with("//")) {
            for prefix in ["crate::", "pauta::"] {
                for (at, _) in line.match_indices(prefix) {
                    let name: String = line[at + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        found
                            .entry(module.clone())
                            .or_default()
                            .entry(name)
                            .or_insert_with(|| relative.display().to_string());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn dependencies_run_downhill_through_the_layers_of_src_readme() {
    let layers = layers();
    let layer_of = |module: &str| layers.iter().position(|layer| layer.contains(module));
    let mut problems = Vec::new();
    for (module, used) in uses() {
        let Some(own) = layer_of(&module) else {
            problems.push(format!("`{module}` is in no layer of src/README.md: place it"));
            continue;
        };
        for (other, file) in used {
            match layer_of(&other) {
                Some(layer) if layer > own => {}
                Some(_) => problems.push(format!(
                    "`{module}` uses `{other}` ({file}), which is not in a lower layer"
                )),
                None => problems.push(format!(
                    "`{other}` (used in {file}) is in no layer of src/README.md"
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "dependency direction broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_sees_a_use_that_runs_uphill() {
    let text = "use crate::cases::model::Case;\n#[cfg(test)]\nmod tests {\n    use crate::report::x;\n}\n";
    let kept = without_tests(text);
    assert!(kept.contains("crate::cases"));
    assert!(!kept.contains("crate::report"));
    assert!(layers().iter().any(|layer| layer.contains("rules")));
}

/// The longest a function of `src/` may be, in lines from `fn` to its closing brace, unless a
/// comment starting `// Long because` right above it (or above its doc comment) says why.
const LONGEST_FUNCTION: usize = 120;

/// Every function of `src/` longer than [`LONGEST_FUNCTION`] without a written reason, as
/// `file:line name (lines)`.
fn long_functions_without_reason() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let Some((indent, name)) = function_start(line) else {
                continue;
            };
            let end = lines[at..]
                .iter()
                .position(|l| l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}'))
                .map_or(lines.len(), |offset| at + offset);
            let length = end - at + 1;
            if length > LONGEST_FUNCTION && !has_reason(&lines[..at]) {
                let relative = file.strip_prefix(&src).expect("under src/").display().to_string();
                found.push(format!("src/{relative}:{} {name} ({length} lines)", at + 1));
            }
        }
    }
    found.sort();
    found
}

/// The indentation and name of a function whose body starts on this line.
fn function_start(line: &str) -> Option<(usize, String)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let rest = ["pub(crate) ", "pub(super) ", "pub "]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .unwrap_or(trimmed);
    let rest = rest.strip_prefix("const ").unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    if line.trim_end().ends_with(';') {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    Some((indent, name))
}

/// Whether the lines just above a function (its doc comment and attributes, then any comments)
/// hold a `// Long because` reason.
fn has_reason(above: &[&str]) -> bool {
    above
        .iter()
        .rev()
        .map(|line| line.trim_start())
        .take_while(|line| line.starts_with("//") || line.starts_with("#["))
        .any(|line| line.starts_with("// Long because"))
}

#[test]
fn no_function_is_longer_than_the_limit_without_a_reason() {
    let long = long_functions_without_reason();
    assert!(
        long.is_empty(),
        "functions over {LONGEST_FUNCTION} lines: split them into named steps, or write \
         `// Long because …` above them:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_reads_a_function_and_its_reason() {
    assert_eq!(
        function_start("    pub fn run(args: &Args) {"),
        Some((4, "run".to_owned()))
    );
    assert_eq!(function_start("    fn declared(&self);"), None);
    assert!(has_reason(&[
        "// Long because one arm per rule.",
        "/// Labels.",
        "#[must_use]"
    ]));
    assert!(!has_reason(&["// Long because of x.", "", "/// Labels."]));
}
