//! The modules of `src/` import each other without a cycle: between the
//! top-level modules, and between the children of any one module. A cycle
//! makes two modules one in all but name (neither can be understood, tested
//! or moved without the other), so this test reads the source and names any.
//!
//! A reference is any `crate::a::b` or `super::b` path in the code (comments,
//! strings and `#[cfg(test)]` modules left out), grouped imports included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from the crate root: `["eval", "ops"]`.
type ModPath = Vec<String>;

/// The source of one file, and the module it is.
struct File {
    module: ModPath,
    code: String,
}

#[test]
fn no_module_cycles_in_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = cycles_in(&root);
    assert!(
        cycles.is_empty(),
        "modules that import each other in a circle:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn a_cycle_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |path: &str, text: &str| {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\nmod c;\n");
    write(
        "a.rs",
        "use crate::b::thing;\n// crate::c is only a comment\n",
    );
    write(
        "b/mod.rs",
        "mod x;\nmod y;\nuse crate::{a::{self, other}, c};\n",
    );
    write("b/x.rs", "use super::{y::f, z};\n");
    write("b/y.rs", "fn g() { super::x::h(); }\n");
    write(
        "c.rs",
        "const S: &str = \"crate::a\";\n#[cfg(test)]\nmod tests { use crate::a; }\n",
    );
    let cycles = cycles_in(src);
    assert_eq!(cycles, ["src: a -> b -> a", "src/b: x -> y -> x"]);
}

/// Every cycle, as `parent: a -> b -> a`, one per group of modules that
/// reach each other.
fn cycles_in(root: &Path) -> Vec<String> {
    let files = read_tree(root);
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let mut edges: BTreeSet<(ModPath, ModPath)> = BTreeSet::new();
    for f in &files {
        for target in references(&f.module, &f.code, &modules) {
            edges.insert((f.module.clone(), target));
        }
    }
    let mut found = Vec::new();
    let parents: BTreeSet<ModPath> = modules
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| m[..m.len() - 1].to_vec())
        .collect();
    for parent in parents {
        let depth = parent.len();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in &edges {
            let under = |m: &ModPath| m.len() > depth && m[..depth] == parent[..];
            if under(from) && under(to) && from[depth] != to[depth] {
                graph
                    .entry(from[depth].clone())
                    .or_default()
                    .insert(to[depth].clone());
            }
        }
        let name = if parent.is_empty() {
            "src".to_string()
        } else {
            format!("src/{}", parent.join("/"))
        };
        for cycle in find_cycles(&graph) {
            found.push(format!("{name}: {}", cycle.join(" -> ")));
        }
    }
    found
}

/// One cycle through each group of nodes that reach each other, starting
/// at the group's first node in name order: `[a, b, a]`.
fn find_cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in graph.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut cycles = Vec::new();
    for start in graph.keys() {
        if done.contains(start) || !reach(start).contains(start) {
            continue;
        }
        // The nodes on a cycle with `start`; the path walks from `start`
        // back to it through them (breadth first, so it is a shortest one).
        let group: BTreeSet<String> = reach(start)
            .into_iter()
            .filter(|n| reach(n).contains(start))
            .collect();
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.clone()]);
        'search: while let Some(n) = queue.pop_front() {
            for next in graph.get(&n).into_iter().flatten() {
                if !group.contains(next) || previous.contains_key(next) {
                    continue;
                }
                previous.insert(next.clone(), n.clone());
                if next == start {
                    break 'search;
                }
                queue.push_back(next.clone());
            }
        }
        let mut path = vec![start.clone()];
        let mut at = previous.get(start).cloned();
        while let Some(n) = at {
            path.push(n.clone());
            if &n == start {
                break;
            }
            at = previous.get(&n).cloned();
        }
        path.reverse();
        cycles.push(path);
        done.extend(group);
    }
    cycles
}

/// Every `.rs` file under `root` with its module path and its code (without
/// comments, strings, or `#[cfg(test)]` modules); files declared as test
/// modules (`#[cfg(test)] mod tests;`) are left out.
fn read_tree(root: &Path) -> Vec<File> {
    let mut paths = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                paths.push(p);
            }
        }
    }
    let mut files = Vec::new();
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    for p in &paths {
        let module = module_of(root, p);
        let (code, test_children) = without_tests(&code_only(&std::fs::read_to_string(p).unwrap()));
        let dir = if p
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs")
        {
            p.parent().unwrap().to_path_buf()
        } else {
            p.with_extension("")
        };
        for child in test_children {
            test_only.insert(dir.join(format!("{child}.rs")));
            test_only.insert(dir.join(&child).join("mod.rs"));
        }
        files.push((p.clone(), File { module, code }));
    }
    files
        .into_iter()
        .filter(|(p, _)| !test_only.contains(p))
        .map(|(_, f)| f)
        .collect()
}

/// `src/eval/ops.rs` is `[eval, ops]`, `src/eval/mod.rs` is `[eval]`, `src/lib.rs` is `[]`.
fn module_of(root: &Path, path: &Path) -> ModPath {
    let rel = path.strip_prefix(root).unwrap().with_extension("");
    let mut parts: ModPath = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) {
        parts.pop();
    }
    if parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main") {
        parts.clear();
    }
    parts
}

/// The code with comments, string literals and character literals blanked out.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
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
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && is_raw_string(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
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
        } else if c == '\'' && next == Some('\\') {
            // '\n', '\'', '\u{..}': past the escaped character, to the closing quote.
            i += 3;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether `r` at `i` starts a raw string (`r"`, `r#"`), not an identifier ending in r.
fn is_raw_string(chars: &[char], i: usize) -> bool {
    let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
    !ident_before && chars.get(i + 1 + hashes) == Some(&'"')
}

/// The code without its `#[cfg(test)] mod name { ... }` blocks, and the
/// names of the modules declared `#[cfg(test)] mod name;` (in files of their own).
fn without_tests(code: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::new();
    let mut children = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = rest[at + MARK.len()..].trim_start();
        let Some(decl) = after
            .strip_prefix("mod ")
            .or_else(|| after.strip_prefix("pub mod "))
        else {
            // A test-only item that is not a module: leave it in.
            out.push_str(MARK);
            rest = &rest[at + MARK.len()..];
            continue;
        };
        let name: String = decl
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let body = decl[name.len()..].trim_start();
        if let Some(after_semicolon) = body.strip_prefix(';') {
            children.push(name);
            rest = after_semicolon;
            continue;
        }
        // Skip the braced body.
        let mut depth = 0usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    (out, children)
}

/// The modules that `code` (the code of module `module`) refers to.
fn references(module: &ModPath, code: &str, modules: &BTreeSet<ModPath>) -> Vec<ModPath> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for keyword in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(keyword) {
            let start = from + at;
            from = start + keyword.len();
            let boundary = start == 0 || {
                let b = bytes[start - 1];
                !(b.is_ascii_alphanumeric() || b == b'_')
            };
            if !boundary {
                continue;
            }
            let mut base: ModPath = if keyword == "crate::" {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            let mut tail = &code[from..];
            // `super::super::x`
            if keyword == "super::" {
                while let Some(t) = tail.trim_start().strip_prefix("super::") {
                    base.pop();
                    tail = t;
                }
            }
            for path in paths_of(tail) {
                let mut target = base.clone();
                for segment in path {
                    target.push(segment);
                    if !modules.contains(&target) {
                        target.pop();
                        break;
                    }
                }
                found.push(target);
            }
        }
    }
    found
}

/// The paths a `use` tree or a path expression names: `a::b` is `[[a, b]]`,
/// `{a::{b, c}, d}` is `[[a, b], [a, c], [d]]`.
fn paths_of(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 1usize;
        let mut end = inner.len();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        return split_top_level(&inner[..end])
            .into_iter()
            .flat_map(paths_of)
            .collect();
    }
    let ident: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || ident == "self" {
        return vec![Vec::new()];
    }
    match text[ident.len()..].trim_start().strip_prefix("::") {
        Some(rest) => paths_of(rest)
            .into_iter()
            .map(|mut p| {
                p.insert(0, ident.clone());
                p
            })
            .collect(),
        None => vec![vec![ident]],
    }
}

/// The items of a braced list, split at its top-level commas.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in list.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items.into_iter().filter(|s| !s.trim().is_empty()).collect()
}
