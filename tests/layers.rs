//! The layers point one way (see the module doc of `src/lib.rs`): every file under `src/` is
//! read, each path into another top-level module (`use crate::…`, `crate::x::` inline,
//! `crate::{x, y}` groups, and `super::` chains that climb out of the module) is collected,
//! and an arrow the table below does not allow fails the test, naming the file, the line and
//! the import. Comments and string literals are skipped, so prose about a module is no arrow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module may import. A module missing here fails the test, so a new
/// one gets its place in the layers when it is added.
fn may_import(from: &str) -> Option<&'static [&'static str]> {
    // Each layer may use every layer listed after it. `config` sits above `domain` because
    // a setting is checked with a domain rule (the organisation's handle).
    const LAYERS: &[&str] = &[
        "node",
        "demo",
        "web",
        "app",
        "federation",
        "config",
        "domain",
        "db",
        "private_files",
    ];
    let below = |layer: &str| {
        LAYERS
            .iter()
            .position(|l| *l == layer)
            .map(|i| &LAYERS[i + 1..])
    };
    Some(match from {
        // The commands use everything; `node` and `demo` everything but the commands
        // (`demo` starts nodes, `node` is started by `demo`).
        "cli" | "node" | "demo" => LAYERS,
        other => below(other)?,
    })
}

/// One path from a file into another top-level module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    line: usize,
    target: String,
    text: String,
}

/// The module path of a file under `src/`: `src/web/ui/page.rs` is `web::ui::page`, a
/// `mod.rs` is its folder. `None` for the crate root files, which import nothing.
fn module_path(file: &str) -> Option<Vec<String>> {
    let rel = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        return None;
    }
    Some(parts)
}

/// The source with comments, string and character literals blanked out (newlines kept, so
/// line numbers stay true).
fn code_only(source: &str) -> Vec<char> {
    let s: Vec<char> = source.chars().collect();
    let mut out = s.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in out.iter_mut().take(to.min(s.len())).skip(from) {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < s.len() {
        let next = s.get(i + 1).copied();
        if s[i] == '/' && next == Some('/') {
            let end = (i..s.len()).find(|&j| s[j] == '\n').unwrap_or(s.len());
            blank(&mut out, i, end);
            i = end;
        } else if s[i] == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < s.len() && depth > 0 {
                if s[j] == '/' && s.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 1;
                } else if s[j] == '*' && s.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 1;
                }
                j += 1;
            }
            blank(&mut out, i, j);
            i = j;
        } else if s[i] == 'r'
            && (i == 0 || !ident(s[i - 1]) || s[i - 1] == 'b')
            && matches!(next, Some('"') | Some('#'))
        {
            // A raw string: r"…", r#"…"#, br"…".
            let hashes = (i + 1..s.len()).take_while(|&j| s[j] == '#').count();
            if s.get(i + 1 + hashes) != Some(&'"') {
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = i + 2 + hashes;
            let end = (body..s.len())
                .find(|&j| s[j..].starts_with(&close))
                .map_or(s.len(), |j| j + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if s[i] == '"' {
            let mut j = i + 1;
            while j < s.len() && s[j] != '"' {
                j += if s[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if s[i] == '\'' {
            // A character literal ('a', '\n', '\u{1F600}'), or else a lifetime, left alone.
            let end = if next == Some('\\') {
                (i + 3..s.len()).find(|&j| s[j] == '\'').map(|j| j + 1)
            } else if s.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Words and punctuation of the code, each with its line.
fn tokens(code: &[char]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < code.len() {
        let c = code[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < code.len() && (code[i].is_alphanumeric() || code[i] == '_') {
                i += 1;
            }
            out.push((code[start..i].iter().collect(), line));
        } else if c == ':' && code.get(i + 1) == Some(&':') {
            out.push(("::".into(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The first names inside a `{ … }` group starting at `open`: `{a::b, c}` gives `a` and `c`.
fn group_heads(toks: &[(String, usize)], open: usize) -> Vec<String> {
    let (mut depth, mut heads, mut expect) = (0, Vec::new(), true);
    for (t, _) in &toks[open..] {
        match t.as_str() {
            "{" => {
                depth += 1;
                expect = depth == 1;
            }
            "}" => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            "," if depth == 1 => expect = true,
            t if expect && depth == 1 && is_ident(t) => {
                heads.push(t.to_string());
                expect = false;
            }
            _ => expect = false,
        }
    }
    heads
}

/// Every path in `source` (the file `file`) that leads into another top-level module.
fn imports(file: &str, source: &str) -> Vec<Import> {
    let Some(path) = module_path(file) else {
        return vec![];
    };
    let toks = tokens(&code_only(source));
    // The import as written, up to the end of its line or statement.
    let text = |from: usize| -> String {
        let mut out = String::new();
        let line = toks[from].1;
        for (j, (t, l)) in toks.iter().enumerate().skip(from).take(24) {
            if *l != line || t == ";" {
                break;
            }
            let prev = toks[j.saturating_sub(1)].0.as_str();
            if j > from && is_ident(t) && (is_ident(prev) || prev == ",") {
                out.push(' ');
            }
            out.push_str(t);
        }
        out
    };
    let (mut found, mut inline_mods, mut depth) = (Vec::new(), Vec::<usize>::new(), 0usize);
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].0.as_str();
        let at = |k: usize| toks.get(k).map(|(t, _)| t.as_str());
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                while inline_mods.last().is_some_and(|&d| d >= depth) {
                    inline_mods.pop();
                }
            }
            // `mod name {`: the code inside is one level deeper for `super::`.
            "mod" if at(i + 1).is_some_and(is_ident) && at(i + 2) == Some("{") => {
                inline_mods.push(depth);
            }
            _ => {}
        }
        // Where a path leaves the module: `crate::` always; `super::` repeated as often as
        // the module is deep (or deeper) reaches the crate root too.
        let root_after =
            if t == "crate" && at(i + 1) == Some("::") && at(i.wrapping_sub(1)) != Some("$") {
                Some(i + 2)
            } else if t == "super" && at(i.wrapping_sub(1)) != Some("::") {
                let mut j = i;
                let mut climbs = 0;
                while at(j) == Some("super") && at(j + 1) == Some("::") {
                    climbs += 1;
                    j += 2;
                }
                (climbs >= path.len() + inline_mods.len()).then_some(j)
            } else {
                None
            };
        if let Some(k) = root_after {
            let targets = match at(k) {
                Some("{") => group_heads(&toks, k),
                Some(name) if is_ident(name) => vec![name.to_string()],
                _ => vec![],
            };
            for target in targets {
                if target != path[0] && target != "self" {
                    found.push(Import {
                        line: toks[i].1,
                        target,
                        text: text(i),
                    });
                }
            }
        }
        i += 1;
    }
    found
}

/// The imports of `file` that the table refuses, as readable lines.
fn violations(file: &str, source: &str) -> Vec<String> {
    let Some(path) = module_path(file) else {
        return vec![];
    };
    let from = path[0].as_str();
    let Some(allowed) = may_import(from) else {
        return vec![format!(
            "{file}: module `{from}` has no place in the layer table of tests/layers.rs"
        )];
    };
    imports(file, source)
        .into_iter()
        .filter(|imp| !allowed.contains(&imp.target.as_str()))
        .map(|imp| {
            format!(
                "{file}:{}: `{from}` must not import `{}` ({})",
                imp.line, imp.target, imp.text
            )
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_import_points_up_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    assert!(files.len() > 100, "src/ should hold the crate's files");
    let (mut bad, mut graph) = (Vec::new(), BTreeMap::<String, BTreeSet<String>>::new());
    for file in &files {
        let rel = file
            .strip_prefix(root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let source = std::fs::read_to_string(file).expect("read a source file");
        if let Some(path) = module_path(&rel) {
            let arrows = graph.entry(path[0].clone()).or_default();
            arrows.extend(imports(&rel, &source).into_iter().map(|i| i.target));
        }
        bad.extend(violations(&rel, &source));
    }
    // The graph as found, for the record (`-- --nocapture` shows it).
    for (from, to) in &graph {
        eprintln!(
            "{from} -> {}",
            to.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
    // Positive control on the real tree: the checker sees the arrows that are there.
    assert!(graph["web"].contains("app") && graph["app"].contains("federation"));
    assert!(graph["federation"].contains("domain") && graph["domain"].contains("db"));
}

#[test]
fn the_checker_reports_an_upward_import_in_every_spelling() {
    let cases = [
        ("src/domain/x.rs", "use crate::web::ACTIVITY_JSON;\n", "web"),
        (
            "src/federation/a.rs",
            "use crate::{db::Store, app::publishing};",
            "app",
        ),
        (
            "src/federation/a/b.rs",
            "use crate::{\n  domain::{x, y},\n  web::z,\n};",
            "web",
        ),
        (
            "src/db/a.rs",
            "fn f() { let _ = crate::domain::posts::x(); }",
            "domain",
        ),
        ("src/app/a.rs", "fn f() { crate::cli::run() }", "cli"),
        ("src/federation/x.rs", "use super::super::web::X;", "web"),
        (
            "src/federation/mod.rs",
            "mod inner { fn f() { super::super::app::g() } }",
            "app",
        ),
        ("src/node/a.rs", "use crate::cli::Cli;", "cli"),
    ];
    for (file, source, target) in cases {
        let found = violations(file, source);
        assert_eq!(found.len(), 1, "{file}: {source:?} gave {found:?}");
        assert!(
            found[0].contains(&format!("must not import `{target}`")),
            "{found:?}"
        );
        assert!(
            found[0].starts_with(file),
            "the report names the file: {found:?}"
        );
    }
    // The line is the import's own.
    let found = violations("src/db/a.rs", "//! doc\n\nuse crate::app::x;\n");
    assert!(found[0].starts_with("src/db/a.rs:3:"), "{found:?}");
    // A module not in the table is refused rather than let through.
    assert_eq!(violations("src/extra/a.rs", "").len(), 1);
}

#[test]
fn the_checker_lets_through_what_is_no_upward_import() {
    let fine = [
        // Downward and sideways-within-a-module imports.
        (
            "src/web/api/x.rs",
            "use crate::app::publishing;\nuse crate::web::JsonBody;",
        ),
        (
            "src/app/x.rs",
            "use crate::federation::{outbound, FedData};",
        ),
        // Prose and strings name modules without importing them.
        (
            "src/domain/x.rs",
            "// see crate::web::ui\n/* crate::app */ const S: &str = \"crate::web\";",
        ),
        (
            "src/domain/x.rs",
            "const R: &str = r#\"use crate::web::X;\"#; const C: char = '\"';",
        ),
        // `super::` that stays inside the module, in a file and in an inline `mod tests`.
        (
            "src/web/ui/admin/moderation/lists.rs",
            "use super::super::{done, federation};",
        ),
        (
            "src/federation/signatures/verify.rs",
            "mod tests { use super::super::sign_request; }",
        ),
        (
            "src/federation/mod.rs",
            "mod tests { use super::same_origin; }",
        ),
        // `pub(crate)` and lifetimes are not paths.
        (
            "src/db/x.rs",
            "pub(crate) fn f<'a>(x: &'a str) -> &'a str { x }",
        ),
    ];
    for (file, source) in fine {
        assert_eq!(
            violations(file, source),
            Vec::<String>::new(),
            "{file}: {source:?}"
        );
    }
}
