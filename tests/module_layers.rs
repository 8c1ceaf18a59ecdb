//! The layers of DESIGN.md ("imports point down only; no cycle between top-level
//! modules"), checked on the source: every `crate::…` path in `src/**/*.rs`
//! (`use` lines, multi-line `use crate::{…}` groups, paths in code) is an edge
//! from the file's top-level module to the one it names.
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// The layers, top first. A module may use modules of its own layer or below.
const LAYERS: &[(&str, &[&str])] = &[
    ("commands", &["cli"]),
    ("application", &["app"]),
    ("front ends", &["http", "web", "exports"]),
    ("orchestration", &["agenda", "import"]),
    (
        "services",
        &[
            "reports",
            "reminders",
            "tasks",
            "meetings",
            "departments",
            "accounts",
        ],
    ),
    ("state", &["state"]),
    (
        "core",
        &[
            "domain", "entities", "minutes", "mail", "db", "clock", "config", "cache", "problem",
        ],
    ),
];

const FRONT_ENDS: &[&str] = &["http", "web", "exports"];
const ABOVE_SERVICES: &[&str] = &["http", "web", "exports", "app", "cli"];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rank(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to; `None` for the crate root.
fn top_level(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        name => Some(name.trim_end_matches(".rs").to_owned()),
    }
}

/// `code` with comments, string and char literals blanked out, so that only
/// real paths remain (doc links and strings that mention `crate::` do not count).
fn strip(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            // r"…" or r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('a', '\n', '"'), or a lifetime ('a): skip the former only.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

fn ident_at(chars: &[char], mut i: usize) -> (String, usize) {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    let start = i;
    while chars
        .get(i)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// The top-level modules `code` names as `crate::x…` or inside `crate::{x…, y…}`.
fn referenced(code: &str) -> BTreeSet<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i + 5 <= chars.len() {
        let is_crate = chars[i..i + 5].iter().collect::<String>() == "crate"
            && !ident_before(&chars, i)
            && (i == 0 || chars[i - 1] != '$');
        if !is_crate {
            i += 1;
            continue;
        }
        let mut j = i + 5;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if chars.get(j) != Some(&':') || chars.get(j + 1) != Some(&':') {
            i += 5;
            continue;
        }
        j += 2;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if chars.get(j) == Some(&'{') {
            // A group: the first name of every item at depth one.
            let mut depth = 0;
            let mut item_start = true;
            while j < chars.len() {
                match chars[j] {
                    '{' => {
                        depth += 1;
                        j += 1;
                        item_start = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        j += 1;
                        item_start = true;
                    }
                    c if c.is_whitespace() => j += 1,
                    _ if item_start && depth == 1 => {
                        let (name, end) = ident_at(&chars, j);
                        if !name.is_empty() && name != "self" {
                            found.insert(name);
                        }
                        item_start = false;
                        j = end.max(j + 1);
                    }
                    _ => j += 1,
                }
            }
        } else {
            let (name, end) = ident_at(&chars, j);
            if !name.is_empty() {
                found.insert(name);
            }
            j = end;
        }
        i = j;
    }
    found
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph = Graph::new();
    for file in &files {
        let Some(module) = top_level(&src, file) else {
            continue;
        };
        let code = fs::read_to_string(file).expect("readable source");
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(
            referenced(&strip(&code))
                .into_iter()
                .filter(|target| *target != module),
        );
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|target| modules.contains(target));
    }
    graph
}

/// A cycle of `graph`, as the path that closes it.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn edges(graph: &Graph) -> impl Iterator<Item = (&str, &str)> {
    graph
        .iter()
        .flat_map(|(from, to)| to.iter().map(move |to| (from.as_str(), to.as_str())))
}

#[test]
fn the_reader_sees_paths_and_not_comments_or_strings() {
    let code = r#"
        //! See [`crate::web`] for the pages.
        use crate::{
            domain::{Role, TaskStatus},
            tasks::{self, Actor},
        };
        use crate::state::AppState;
        /* crate::cli */
        fn f<'a>(x: &'a str) -> char {
            let _ = "crate::http";
            let _ = r"crate::app";
            let _ = crate::reports::overview;
            '"'
        }
        macro_rules! m { () => { $crate::exports::router() }; }
    "#;
    let found = referenced(&strip(code));
    let expected: BTreeSet<String> = ["domain", "tasks", "state", "reports"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(found, expected);
    let mut looped = Graph::new();
    looped.entry("a".into()).or_default().insert("b".into());
    looped.entry("b".into()).or_default().insert("c".into());
    looped.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        cycle(&looped),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

#[test]
fn top_level_modules_have_no_cycle() {
    let graph = graph();
    if let Some(cycle) = cycle(&graph) {
        panic!(
            "import cycle between top-level modules: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn imports_point_down_the_layers() {
    let graph = graph();
    let mut problems = Vec::new();
    for module in graph.keys() {
        if rank(module).is_none() {
            problems.push(format!("`{module}` is in no layer of this test"));
        }
    }
    for (from, to) in edges(&graph) {
        let (Some(from_rank), Some(to_rank)) = (rank(from), rank(to)) else {
            continue;
        };
        if to_rank < from_rank {
            problems.push(format!(
                "`{from}` ({}) imports `{to}` ({}), a layer above it",
                LAYERS[from_rank].0, LAYERS[to_rank].0
            ));
        }
        if FRONT_ENDS.contains(&from) && FRONT_ENDS.contains(&to) {
            problems.push(format!(
                "the front ends are siblings, but `{from}` imports `{to}`"
            ));
        }
        if rank(from) >= rank("agenda") && ABOVE_SERVICES.contains(&to) {
            problems.push(format!(
                "`{from}` is below the front ends but imports `{to}`"
            ));
        }
        if from == "minutes" {
            problems.push(format!("`minutes` is pure, but imports `{to}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
