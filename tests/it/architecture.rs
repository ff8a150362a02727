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
