//! The crate dependency rules of docs/decisions/0004-workspace-layout.md, checked against the resolved graph.
//!
//! Rules, in short: `siaga-domain`, `siaga-api` and `siaga-ipc` stay pure (no async runtime, database,
//! web server or UI framework anywhere below them, so they build for wasm32); only `siaga-app`
//! (src-tauri) reaches `tauri`; only `siaga-ui` reaches `leptos`; the UI sees the domain and its own IPC
//! types, never the central's wire types (`siaga-api`); and each workspace crate may depend only on the
//! workspace crates listed for it in [`ALLOWED_INTERNAL`]. A new crate fails the check until it is given
//! a rule.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// For each workspace crate, the workspace crates it may depend on (normal dependencies).
/// Mirrors the dependency direction of decision 0004: domain ← api ← (store, sync, central, sim,
/// analytics, video) ← desk ← app, with ipc (domain only) shared by the desk, the app and the UI; the UI
/// sees domain and ipc only.
pub const ALLOWED_INTERNAL: &[(&str, &[&str])] = &[
    ("siaga-domain", &[]),
    // The PMTiles format: a leaf like the domain, used by the desk (street extracts), the app (the
    // tile server) and the basemap generator.
    ("siaga-pmtiles", &[]),
    ("siaga-api", &["siaga-domain"]),
    ("siaga-ipc", &["siaga-domain"]),
    ("siaga-store", &["siaga-domain", "siaga-api", "siaga-audit"]),
    // TLS for every HTTP client: a leaf (rustls, reqwest).
    ("siaga-tls", &[]),
    // Signed desk updates: a pure leaf (manifest, signature, versions), used by the central and the desk.
    ("siaga-update", &[]),
    (
        "siaga-sync",
        &["siaga-domain", "siaga-api", "siaga-store", "siaga-tls"],
    ),
    // Letters as signed PDFs: pure, used by the central (issuing) and the desk (preview, checks).
    ("siaga-letter", &["siaga-domain"]),
    // The audit trail's hash chain: a pure leaf, used by the central (and the desk's own trail).
    ("siaga-audit", &[]),
    (
        "siaga-central",
        &[
            "siaga-domain",
            "siaga-api",
            "siaga-letter",
            "siaga-audit",
            "siaga-update",
        ],
    ),
    // The simulator plays the 110 app's reporters on video calls with the same call peer as the desk.
    (
        "siaga-sim",
        &["siaga-domain", "siaga-api", "siaga-video", "siaga-tls"],
    ),
    ("siaga-analytics", &["siaga-domain"]),
    ("siaga-video", &["siaga-domain", "siaga-api"]),
    (
        "siaga-desk",
        &[
            "siaga-domain",
            "siaga-api",
            "siaga-ipc",
            "siaga-store",
            "siaga-sync",
            "siaga-video",
            "siaga-pmtiles",
            "siaga-analytics",
            "siaga-letter",
            "siaga-audit",
            "siaga-tls",
            "siaga-update",
        ],
    ),
    (
        "siaga-app",
        &["siaga-domain", "siaga-ipc", "siaga-desk", "siaga-pmtiles"],
    ),
    ("siaga-ui", &["siaga-domain", "siaga-ipc"]),
    (
        "siaga-contract-tests",
        &[
            "siaga-domain",
            "siaga-api",
            "siaga-central",
            "siaga-letter",
            "siaga-audit",
            "siaga-tls",
            "siaga-update",
        ],
    ),
    (
        "siaga-fault-tests",
        &[
            "siaga-domain",
            "siaga-api",
            "siaga-store",
            "siaga-sync",
            "siaga-central",
            "siaga-tls",
        ],
    ),
    (
        "siaga-e2e",
        &[
            "siaga-domain",
            "siaga-api",
            "siaga-store",
            "siaga-central",
            "siaga-sim",
            "siaga-tls",
            // The calls' barcodes and the fake camera's stamped clip.
            "siaga-video",
        ],
    ),
    ("siaga-mapgen", &["siaga-domain", "siaga-pmtiles"]),
    // Fuzz targets over the decoders of outside input (cargo fuzz; decision 0017): the pure crates only.
    (
        "siaga-fuzz",
        &["siaga-domain", "siaga-api", "siaga-pmtiles", "siaga-analytics"],
    ),
    ("xtask", &[]),
];

/// Crates that must never be anywhere below the pure crates.
const IMPURE: &[&str] = &[
    "tokio", "mio", "sqlx", "axum", "hyper", "reqwest", "tauri", "leptos", "wry",
];
/// Crates that must stay pure.
const PURE: &[&str] = &["siaga-domain", "siaga-api", "siaga-ipc"];
/// Heavy frameworks and the one crate allowed to reach each.
const OWNED_FRAMEWORKS: &[(&str, &str)] = &[("tauri", "siaga-app"), ("leptos", "siaga-ui")];

/// The resolved dependency graph, by crate name (normal dependencies only: dev and build dependencies
/// never ship).
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Names of the workspace's own crates.
    pub workspace: BTreeSet<String>,
    /// Each crate's normal dependencies, by name (versions merged).
    pub edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Adds a normal dependency edge (used to build graphs by hand in tests).
    pub fn depend(&mut self, from: &str, to: &str) -> &mut Self {
        self.edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
        self
    }

    /// Everything `name` depends on, directly or not.
    pub fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.to_owned()];
        while let Some(next) = stack.pop() {
            for dep in self.edges.get(&next).into_iter().flatten() {
                if seen.insert(dep.clone()) {
                    stack.push(dep.clone());
                }
            }
        }
        seen
    }

    /// Reads the graph of the workspace at `root` with `cargo metadata`.
    pub fn from_cargo_metadata(root: &Path) -> Result<Graph> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(root)
            .output()
            .context("running cargo metadata")?;
        if !output.status.success() {
            bail!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let metadata: Metadata = serde_json::from_slice(&output.stdout).context("parsing cargo metadata")?;
        Ok(Graph::from_metadata(&metadata))
    }

    fn from_metadata(metadata: &Metadata) -> Graph {
        let names: BTreeMap<&str, &str> = metadata
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let mut graph = Graph {
            workspace: metadata
                .workspace_members
                .iter()
                .filter_map(|id| names.get(id.as_str()))
                .map(|n| n.to_string())
                .collect(),
            ..Graph::default()
        };
        for node in &metadata.resolve.nodes {
            let Some(from) = names.get(node.id.as_str()) else {
                continue;
            };
            for dep in &node.deps {
                let normal = dep.dep_kinds.iter().any(|k| k.kind.is_none());
                if let (true, Some(to)) = (normal, names.get(dep.pkg.as_str())) {
                    graph.depend(from, to);
                }
            }
        }
        graph
    }
}

/// Every broken rule, as a sentence naming the crates involved.
pub fn violations(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for krate in &graph.workspace {
        let Some((_, allowed)) = ALLOWED_INTERNAL.iter().find(|(name, _)| name == krate) else {
            found.push(format!("{krate}: a workspace crate with no rule; add it to ALLOWED_INTERNAL in xtask/src/deps.rs and to ARCHITECTURE.md"));
            continue;
        };
        for dep in graph.edges.get(krate).into_iter().flatten() {
            if graph.workspace.contains(dep) && !allowed.contains(&dep.as_str()) {
                found.push(format!("{krate} must not depend on {dep} (allowed: {allowed:?})"));
            }
        }
        let closure = graph.closure(krate);
        if PURE.contains(&krate.as_str()) {
            for impure in IMPURE.iter().filter(|c| closure.contains(**c)) {
                found.push(format!("{krate} must stay pure but pulls in {impure}"));
            }
        }
        for (framework, owner) in OWNED_FRAMEWORKS {
            if closure.contains(*framework) && krate != owner {
                found.push(format!("{krate} pulls in {framework}; only {owner} may"));
            }
        }
    }
    found
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    resolve: Resolve,
}

#[derive(Deserialize)]
struct Package {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    id: String,
    deps: Vec<NodeDep>,
}

#[derive(Deserialize)]
struct NodeDep {
    pkg: String,
    dep_kinds: Vec<DepKind>,
}

#[derive(Deserialize)]
struct DepKind {
    kind: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small healthy workspace shaped like ours.
    fn healthy() -> Graph {
        let mut graph = Graph::default();
        for name in ["siaga-domain", "siaga-api", "siaga-ipc", "siaga-ui", "siaga-app"] {
            graph.workspace.insert(name.to_owned());
        }
        graph
            .depend("siaga-domain", "serde")
            .depend("siaga-api", "siaga-domain")
            .depend("siaga-ipc", "siaga-domain")
            .depend("siaga-ui", "siaga-ipc")
            .depend("siaga-ui", "leptos")
            .depend("siaga-app", "siaga-ipc")
            .depend("siaga-app", "tauri")
            .depend("tauri", "tokio");
        graph
    }

    fn check(edit: impl FnOnce(&mut Graph), expect: &[&str]) {
        let mut graph = healthy();
        edit(&mut graph);
        let found = violations(&graph);
        assert_eq!(found.len(), expect.len(), "{found:#?}");
        for (got, want) in found.iter().zip(expect) {
            assert!(got.contains(want), "{got:?} should mention {want:?}");
        }
    }

    #[test]
    fn healthy_graph_passes() {
        check(|_| {}, &[]);
    }

    #[test]
    fn forbidden_edges_fail() {
        check(
            |g| {
                g.depend("siaga-domain", "siaga-api");
            },
            &["siaga-domain must not depend on siaga-api"],
        );
        check(
            |g| {
                g.depend("siaga-ui", "siaga-api");
            },
            &["siaga-ui must not depend on siaga-api"],
        );
        check(
            |g| {
                g.depend("serde", "tokio");
            },
            &[
                "siaga-api must stay pure but pulls in tokio",
                "siaga-domain must stay pure but pulls in tokio",
                "siaga-ipc must stay pure but pulls in tokio",
            ],
        );
        check(
            |g| {
                g.depend("siaga-api", "sqlx");
            },
            &["siaga-api must stay pure but pulls in sqlx"],
        );
        check(
            |g| {
                g.depend("siaga-ui", "tauri");
            },
            &["siaga-ui pulls in tauri"],
        );
        check(
            |g| {
                g.depend("siaga-app", "leptos");
            },
            &["siaga-app pulls in leptos"],
        );
    }

    #[test]
    fn a_new_crate_needs_a_rule() {
        check(
            |g| {
                g.workspace.insert("siaga-new".to_owned());
            },
            &["siaga-new: a workspace crate with no rule"],
        );
    }

    #[test]
    fn the_real_workspace_obeys_the_rules() {
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap();
        let root = Path::new(&manifest).parent().unwrap();
        let graph = Graph::from_cargo_metadata(root).unwrap();
        assert!(
            graph.workspace.contains("siaga-domain"),
            "metadata should list the workspace"
        );
        assert!(
            graph.closure("siaga-app").contains("tauri"),
            "the graph should be the resolved one"
        );
        assert_eq!(violations(&graph), Vec::<String>::new());
    }
}
