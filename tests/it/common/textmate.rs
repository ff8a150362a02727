//! A minimal TextMate engine, the subset of vscode-textmate that the editor grammar
//! (`editors/vscode/syntaxes/pauta.tmLanguage.json`) uses, for `editor_grammar.rs` to tokenise
//! policies with it: `patterns`, `repository` + `include`, `match` + `captures`, `begin`/`end`
//! with their captures, `contentName`, captures with `patterns`; any other key fails the load.
//! It runs over `fancy-regex`, which like Oniguruma has look-around. Lines are fed with their
//! `\n`, as vscode-textmate does, and `^`/`$` are line anchors as in Oniguruma. The grammar may
//! only use the regex subset both engines read alike (checked by [`lint_regex`]). When the grammar
//! was written, this engine's scopes were compared character by character with vscode-textmate
//! and vscode-oniguruma on every shipped and broken policy, and were identical.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use fancy_regex::Regex;
use serde_json::Value;

/// Captures of a `match`, `begin` or `end`: group number to scope and nested patterns.
type Captures = BTreeMap<usize, Capture>;

#[derive(Debug)]
struct Capture {
    name: Option<String>,
    patterns: Vec<usize>,
}

#[derive(Debug)]
enum Rule {
    Match {
        regex: Regex,
        name: Option<String>,
        captures: Captures,
    },
    Region {
        begin: Regex,
        end: Regex,
        name: Option<String>,
        content_name: Option<String>,
        begin_captures: Captures,
        end_captures: Captures,
        patterns: Vec<usize>,
    },
    /// A rule with only `patterns`.
    Group(Vec<usize>),
    /// `include: "#name"`.
    Include(String),
}

/// A loaded TextMate grammar; rules live in one arena and refer to each other by index.
pub struct Grammar {
    scope_name: String,
    rules: Vec<Rule>,
    top: Vec<usize>,
    repository: HashMap<String, usize>,
}

/// An open `begin`/`end` region: its rule, the scopes of its delimiters and of its content.
struct Frame {
    rule: usize,
    outer: Vec<String>,
    inner: Vec<String>,
}

/// One token of a tokenised text: 0-based line, byte range in the line, text and scopes
/// (outermost first, starting with `source.pauta`).
#[derive(Debug, Clone)]
pub struct Token {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub scopes: Vec<String>,
}

/// A match: byte ranges of its groups (group 0 is the whole match).
type Groups = Vec<Option<(usize, usize)>>;

const RULE_KEYS: [&str; 11] = [
    "match",
    "name",
    "captures",
    "begin",
    "end",
    "beginCaptures",
    "endCaptures",
    "contentName",
    "patterns",
    "include",
    "comment",
];

/// Regex escapes and flags whose meaning differs between Oniguruma and Rust's engines, or that
/// Oniguruma reads differently: `\b`/`\w` (what a word character is, around accented letters),
/// `(?m)` (in Oniguruma it makes `.` match newlines), `(?s)`/`(?x)`.
pub fn lint_regex(source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(e @ ('b' | 'B' | 'w' | 'W')) = chars.next()
        {
            problems.push(format!("`\\{e}` in {source:?}"));
        }
    }
    for flag in ["(?m", "(?s", "(?x"] {
        if source.contains(flag) {
            problems.push(format!("`{flag}` in {source:?}"));
        }
    }
    problems
}

impl Grammar {
    /// Loads the grammar of a `.tmLanguage.json`; a key outside the subset fails the load.
    pub fn load(value: &Value) -> Self {
        let mut grammar = Grammar {
            scope_name: value["scopeName"]
                .as_str()
                .expect("the grammar has a scopeName")
                .to_string(),
            rules: Vec::new(),
            top: Vec::new(),
            repository: HashMap::new(),
        };
        let top = value["patterns"]
            .as_array()
            .expect("the grammar has top-level patterns");
        grammar.top = top.iter().map(|rule| grammar.load_rule(rule)).collect();
        let repository = value["repository"]
            .as_object()
            .expect("the grammar has a repository");
        for (name, rule) in repository {
            let id = grammar.load_rule(rule);
            grammar.repository.insert(name.clone(), id);
        }
        grammar
    }

    fn regex(source: &str) -> Regex {
        let problems = lint_regex(source);
        assert!(
            problems.is_empty(),
            "regex outside the portable subset: {problems:?}"
        );
        // Oniguruma's `^` and `$` always match at line boundaries; Rust's need `(?m)`.
        Regex::new(&format!("(?m){source}")).unwrap_or_else(|e| panic!("bad regex {source:?}: {e}"))
    }

    fn load_captures(&mut self, value: Option<&Value>) -> Captures {
        let Some(value) = value else {
            return Captures::new();
        };
        let object = value.as_object().expect("captures are an object");
        object
            .iter()
            .map(|(group, capture)| {
                let group: usize = group.parse().expect("capture keys are group numbers");
                let capture = capture.as_object().expect("a capture is an object");
                for key in capture.keys() {
                    assert!(
                        key == "name" || key == "patterns",
                        "unsupported capture key `{key}`"
                    );
                }
                let name = capture
                    .get("name")
                    .map(|n| n.as_str().expect("a name is text").to_string());
                let patterns = self.load_patterns(capture.get("patterns"));
                (group, Capture { name, patterns })
            })
            .collect()
    }

    fn load_patterns(&mut self, value: Option<&Value>) -> Vec<usize> {
        value
            .map(|v| v.as_array().expect("patterns are a list"))
            .into_iter()
            .flatten()
            .map(|rule| self.load_rule(rule))
            .collect()
    }

    fn load_rule(&mut self, value: &Value) -> usize {
        let object = value.as_object().expect("a rule is an object");
        for key in object.keys() {
            assert!(RULE_KEYS.contains(&key.as_str()), "unsupported rule key `{key}`");
        }
        let text = |key: &str| {
            object
                .get(key)
                .map(|v| v.as_str().expect("text value").to_string())
        };
        let name = text("name");
        let rule = if let Some(include) = text("include") {
            let local = include
                .strip_prefix('#')
                .expect("only `#name` includes are supported");
            Rule::Include(local.to_string())
        } else if let Some(source) = text("match") {
            Rule::Match {
                regex: Self::regex(&source),
                name,
                captures: self.load_captures(object.get("captures")),
            }
        } else if let Some(begin) = text("begin") {
            let end = text("end").expect("a `begin` rule has an `end`");
            assert!(object.get("captures").is_none(), "use beginCaptures/endCaptures");
            Rule::Region {
                begin: Self::regex(&begin),
                end: Self::regex(&end),
                name,
                content_name: text("contentName"),
                begin_captures: self.load_captures(object.get("beginCaptures")),
                end_captures: self.load_captures(object.get("endCaptures")),
                patterns: self.load_patterns(object.get("patterns")),
            }
        } else {
            assert!(name.is_none(), "a rule with only `patterns` cannot have a name");
            Rule::Group(self.load_patterns(object.get("patterns")))
        };
        self.rules.push(rule);
        self.rules.len() - 1
    }

    /// The `match` and `begin` rules of a pattern list, includes and groups resolved, in order.
    fn flatten(&self, ids: &[usize], out: &mut Vec<usize>, depth: usize) {
        assert!(depth < 32, "include cycle");
        for &id in ids {
            match &self.rules[id] {
                Rule::Include(name) => {
                    let target = *self
                        .repository
                        .get(name)
                        .unwrap_or_else(|| panic!("no repository `{name}`"));
                    self.flatten(&[target], out, depth + 1);
                }
                Rule::Group(patterns) => self.flatten(patterns, out, depth + 1),
                Rule::Match { .. } | Rule::Region { .. } => out.push(id),
            }
        }
    }

    /// Repository entries no pattern reaches (dead rules).
    pub fn unused_repository_entries(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<usize> = self.top.clone();
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            let captures = |c: &Captures| c.values().flat_map(|c| c.patterns.clone()).collect::<Vec<_>>();
            match &self.rules[id] {
                Rule::Include(name) => todo.extend(self.repository.get(name)),
                Rule::Group(patterns) => todo.extend(patterns),
                Rule::Match { captures: c, .. } => todo.extend(captures(c)),
                Rule::Region {
                    begin_captures,
                    end_captures,
                    patterns,
                    ..
                } => {
                    todo.extend(patterns);
                    todo.extend(captures(begin_captures));
                    todo.extend(captures(end_captures));
                }
            }
        }
        self.repository
            .iter()
            .filter(|(_, id)| !seen.contains(id))
            .map(|(name, _)| name.clone())
            .collect()
    }

    fn search(regex: &Regex, text: &str, pos: usize) -> Option<Groups> {
        let captures = regex
            .captures_from_pos(text, pos)
            .unwrap_or_else(|e| panic!("regex {regex} failed: {e}"))?;
        Some(
            (0..captures.len())
                .map(|i| captures.get(i).map(|m| (m.start(), m.end())))
                .collect(),
        )
    }

    /// Tokenise `text[pos..]` with the pattern list `root` (or the open region on `stack`),
    /// appending `(start, end, scopes)` runs to `out`. This is vscode-textmate's loop: at each
    /// position the match that starts first wins; on a tie, the region's `end`, then pattern order.
    fn scan(
        &self,
        text: &str,
        mut pos: usize,
        root: &[usize],
        base: &[String],
        stack: &mut Vec<Frame>,
        out: &mut Vec<(usize, usize, Vec<String>)>,
    ) {
        let mut stalled = 0;
        while pos < text.len() {
            let (scopes, patterns, end) = match stack.last() {
                Some(frame) => match &self.rules[frame.rule] {
                    Rule::Region { patterns, end, .. } => {
                        (frame.inner.clone(), patterns.as_slice(), Some(end))
                    }
                    _ => unreachable!("only regions are pushed"),
                },
                None => (base.to_vec(), root, None),
            };
            let mut candidates = Vec::new();
            self.flatten(patterns, &mut candidates, 0);

            // (start, rule or None for the region's end, groups)
            let mut best: Option<(usize, Option<usize>, Groups)> = None;
            if let Some(end) = end
                && let Some(groups) = Self::search(end, text, pos)
            {
                best = Some((groups[0].expect("group 0").0, None, groups));
            }
            for id in candidates {
                if best.as_ref().is_some_and(|(start, _, _)| *start == pos) {
                    break;
                }
                let regex = match &self.rules[id] {
                    Rule::Match { regex, .. } => regex,
                    Rule::Region { begin, .. } => begin,
                    _ => unreachable!("flattened"),
                };
                if let Some(groups) = Self::search(regex, text, pos) {
                    let start = groups[0].expect("group 0").0;
                    if best.as_ref().is_none_or(|(best_start, _, _)| start < *best_start) {
                        best = Some((start, Some(id), groups));
                    }
                }
            }

            let Some((start, rule, groups)) = best else {
                out.push((pos, text.len(), scopes));
                break;
            };
            if start > pos {
                out.push((pos, start, scopes.clone()));
            }
            let end_of_match = groups[0].expect("group 0").1;
            match rule {
                None => {
                    let frame = stack.pop().expect("an open region");
                    let Rule::Region { end_captures, .. } = &self.rules[frame.rule] else {
                        unreachable!("only regions are pushed")
                    };
                    self.emit(text, &groups, &frame.outer, end_captures, out);
                }
                Some(id) => match &self.rules[id] {
                    Rule::Match { name, captures, .. } => {
                        let mut own = scopes.clone();
                        own.extend(name.clone());
                        self.emit(text, &groups, &own, captures, out);
                    }
                    Rule::Region {
                        name,
                        content_name,
                        begin_captures,
                        ..
                    } => {
                        let mut outer = scopes.clone();
                        outer.extend(name.clone());
                        self.emit(text, &groups, &outer, begin_captures, out);
                        let mut inner = outer.clone();
                        inner.extend(content_name.clone());
                        stack.push(Frame {
                            rule: id,
                            outer,
                            inner,
                        });
                    }
                    _ => unreachable!("flattened"),
                },
            }
            if end_of_match == pos {
                stalled += 1;
                assert!(
                    stalled < 64,
                    "the grammar does not advance at byte {pos} of {text:?}"
                );
            } else {
                stalled = 0;
            }
            pos = end_of_match;
        }
    }

    /// Emit the runs of one match: the whole match gets `scopes`, each capture adds its name, and
    /// a capture with `patterns` is tokenised again with them (seeing the line up to its end).
    fn emit(
        &self,
        text: &str,
        groups: &Groups,
        scopes: &[String],
        captures: &Captures,
        out: &mut Vec<(usize, usize, Vec<String>)>,
    ) {
        let (start, end) = groups[0].expect("group 0");
        let mut per_byte = vec![scopes.to_vec(); end - start];
        for (&group, capture) in captures {
            let Some(&Some((from, to))) = groups.get(group) else {
                continue;
            };
            if from == to {
                continue;
            }
            if let Some(name) = &capture.name {
                for scopes in &mut per_byte[from - start..to - start] {
                    scopes.push(name.clone());
                }
            }
            if !capture.patterns.is_empty() {
                let base = per_byte[from - start].clone();
                let mut runs = Vec::new();
                self.scan(
                    &text[..to],
                    from,
                    &capture.patterns,
                    &base,
                    &mut Vec::new(),
                    &mut runs,
                );
                for (run_start, run_end, run_scopes) in runs {
                    for scopes in &mut per_byte[run_start - start..run_end - start] {
                        scopes.clone_from(&run_scopes);
                    }
                }
            }
        }
        let mut run_start = start;
        for offset in 1..=per_byte.len() {
            if offset == per_byte.len() || per_byte[offset] != per_byte[offset - 1] {
                out.push((run_start, start + offset, per_byte[offset - 1].clone()));
                run_start = start + offset;
            }
        }
    }

    /// Tokenise a whole text line by line, regions carrying over from one line to the next.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let base = vec![self.scope_name.clone()];
        let mut stack = Vec::new();
        let mut tokens = Vec::new();
        for (line_number, line) in text.split('\n').enumerate() {
            let line = format!("{line}\n");
            let mut runs = Vec::new();
            self.scan(&line, 0, &self.top, &base, &mut stack, &mut runs);
            tokens.extend(runs.into_iter().map(|(start, end, scopes)| Token {
                line: line_number,
                start,
                end,
                text: line[start..end].to_string(),
                scopes,
            }));
        }
        tokens
    }
}
