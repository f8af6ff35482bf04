//! The map of docs/architecture.md holds: every module of `src/` imports only modules of its
//! own layer or the layers below, and no two modules import each other, directly or round a
//! circle; and each of the three lower layers is a folder of `src/` holding its modules and
//! nothing else (`src/lib.rs` gives them their short paths). Read from the source as written
//! (a `crate::NAME` path outside comments; test modules too), so a new import that breaks the
//! map fails here, not in a review.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, bottom first, as docs/architecture.md draws them.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["text", "encode"]),
    ("data", &["fraction", "rules", "model"]),
    (
        "operations",
        &[
            "archive",
            "counting",
            "fingerprint",
            "tally",
            "sealed",
            "template",
            "json",
            "validate",
            "lifecycle",
            "teams",
            "edit",
            "history",
            "spreadsheet",
        ],
    ),
    (
        "documents and signing",
        &["signing", "documents", "scan", "summary"],
    ),
    ("app and command line", &["app", "cli"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// The folders of `src/` that are a layer each: base, data, operations (the upper two layers'
/// modules, documents, signing, app and cli, are folders of their own at the top).
const LAYER_FOLDERS: [(&str, usize); 3] = [("base", 0), ("data", 1), ("operations", 2)];

/// A file's top module, and the layer its folder puts it on (`None` at the top of `src/`).
fn module_of(rel: &Path) -> (String, Option<usize>) {
    let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    match LAYER_FOLDERS.iter().find(|(f, _)| *f == first) {
        Some((_, layer)) => {
            let second = parts.next().unwrap_or_default();
            (second.trim_end_matches(".rs").to_owned(), Some(*layer))
        }
        None => (first.trim_end_matches(".rs").to_owned(), None),
    }
}

/// Every file of `src/`, relative to it.
fn source_files() -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|f| f.strip_prefix(&src).unwrap().to_owned())
        .collect()
}

/// Each module sits in its layer's folder: a folder's files are its layer's modules, and a
/// module of a lower layer is not left at the top of `src/`.
#[test]
fn each_lower_layer_is_a_folder() {
    let mut wrong = Vec::new();
    for rel in source_files() {
        let (module, folder_layer) = module_of(&rel);
        if matches!(module.as_str(), "lib" | "main" | "bin") {
            continue;
        }
        let layer = layer_of(&module);
        let expected = layer.filter(|l| *l < LAYER_FOLDERS.len());
        if folder_layer != expected {
            wrong.push(format!(
                "src/{}: module {module} of layer {:?}, in the folder of {:?}",
                rel.display(),
                layer.map(|l| LAYERS[l].0),
                folder_layer.map(|l| LAYERS[l].0),
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "modules outside their layer's folder: {wrong:#?}"
    );
}

/// Each top module of `src/` and the top modules its code names as `crate::NAME`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    imports_of(false)
}

/// [`imports`], with the test modules' code too when `with_tests`.
fn imports_of(with_tests: bool) -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rel in source_files() {
        let (top, _) = module_of(&rel);
        if matches!(top.as_str(), "lib" | "main" | "bin") {
            continue;
        }
        let file = src.join(&rel);
        let text = fs::read_to_string(&file).unwrap();
        // The code above the test modules, or all of it.
        let code = if with_tests {
            text.as_str()
        } else {
            text.split("#[cfg(test)]").next().unwrap_or_default()
        };
        let names = graph.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    names.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn every_module_is_on_the_map() {
    let graph = imports();
    for module in graph.keys() {
        assert!(
            layer_of(module).is_some(),
            "src/{module} is on no layer of docs/architecture.md (tests/it/layers.rs LAYERS)"
        );
    }
    for (_, modules) in LAYERS {
        for m in *modules {
            assert!(graph.contains_key(*m), "LAYERS names {m}, which src/ lacks");
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_it() {
    upwards(imports());
}

/// Test modules neither: a fixture or a round trip that needs a higher layer is an
/// integration test (`tests/it`), so that a lower layer's unit tests build without the layers
/// above it.
#[test]
fn no_test_module_imports_a_layer_above_it() {
    upwards(imports_of(true));
}

fn upwards(graph: BTreeMap<String, BTreeSet<String>>) {
    let mut wrong = Vec::new();
    for (module, names) in graph {
        let Some(own) = layer_of(&module) else {
            continue;
        };
        for name in names {
            if let Some(theirs) = layer_of(&name)
                && theirs > own
            {
                wrong.push(format!(
                    "{module} ({}) imports {name} ({})",
                    LAYERS[own].0, LAYERS[theirs].0
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports upwards: {wrong:#?}");
}

/// A circle of imports reachable from `m`, if any, by depth-first search: a module met again
/// while it is on the path closes one.
fn circle_from<'a>(
    m: &'a str,
    graph: &'a BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
) -> Option<String> {
    if done.contains(m) {
        return None;
    }
    if let Some(at) = path.iter().position(|p| *p == m) {
        return Some([&path[at..], &[m]].concat().join(" → "));
    }
    path.push(m);
    for n in graph.get(m).into_iter().flatten() {
        if let Some(circle) = circle_from(n, graph, path, done) {
            return Some(circle);
        }
    }
    path.pop();
    done.insert(m);
    None
}

#[test]
fn no_circle_of_imports() {
    let graph = imports();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let circle = circle_from(m, &graph, &mut Vec::new(), &mut done);
        assert!(circle.is_none(), "a circle of imports: {}", circle.unwrap());
    }
    // The search finds a circle where there is one.
    let mut two: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    two.entry("a".into()).or_default().insert("b".into());
    two.entry("b".into()).or_default().insert("a".into());
    let found = circle_from("a", &two, &mut Vec::new(), &mut BTreeSet::new());
    assert_eq!(found.as_deref(), Some("a → b → a"));
}

/// The app's screens, one file each under `src/app/` (docs/architecture.md).
const SCREENS: &[&str] = &[
    "start", "setup", "entry", "ballot", "double", "results", "present", "scan", "audit", "docs",
    "import",
];

/// No screen of the app imports another: what two screens share lives in `widgets.rs`, and
/// the app (`mod.rs`) composes them, as the double-entry stage bar above the entry grid and
/// the ballot counter.
#[test]
fn screens_do_not_import_each_other() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut wrong = Vec::new();
    for screen in SCREENS {
        let text = fs::read_to_string(app.join(format!("{screen}.rs"))).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or_default();
            for other in SCREENS.iter().filter(|o| *o != screen) {
                if line.contains(&format!("super::{other}::"))
                    || line.contains(&format!("super::{other};"))
                    || line.contains(&format!("app::{other}::"))
                {
                    wrong.push(format!("src/app/{screen}.rs:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "screens importing screens: {wrong:#?}");
}
