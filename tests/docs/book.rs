//! The manual is an mdBook in docs/: `mdbook build docs` renders it without a warning, and every relative link
//! and `#anchor` in the built pages leads somewhere (a chapter renamed, a heading reworded or a page left out of
//! SUMMARY.md fails here). The README's links into the repository and the book lead somewhere too.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{repo_dir, run};

/// How scripts/test.sh installs the mdbook this test needs (the version book.toml is written for).
const INSTALL: &str = "cargo install mdbook --version 0.5.4 --locked --no-default-features --features search";

fn mdbook() -> Command {
    Command::new(std::env::var_os("MDBOOK").unwrap_or_else(|| "mdbook".into()))
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// Every value of `attribute="..."` in `html` (as written: entities and percent escapes not yet decoded).
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let pattern = format!(" {attribute}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&pattern) {
        rest = &rest[at + pattern.len()..];
        if let Some(end) = rest.find('"') {
            values.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    values
}

/// `%20` and the like as the characters they stand for, and the entities HTML attributes hold.
fn decode(text: &str) -> String {
    let text = text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `dir/relative` with `.` and `..` taken out; `None` when it climbs out of `root`.
fn resolve(root: &Path, dir: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    path.starts_with(root).then_some(path)
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("list {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// Every relative `href` and `src` in the HTML pages under `root` that leads to no file, or to an anchor the
/// page it names does not have, as one line each.
fn broken_links(root: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    html_files(root, &mut pages);
    pages.sort();
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let ids: BTreeMap<PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|page| (page.clone(), attribute_values(&read(page), "id").into_iter().map(decode).collect()))
        .collect();
    let mut broken = Vec::new();
    for page in &pages {
        // 404.html is served from any depth with a <base> of the site's root: its links are not relative to it.
        if page.file_name().is_some_and(|name| name == "404.html") {
            continue;
        }
        let html = read(page);
        let shown = page.strip_prefix(root).unwrap_or(page).display().to_string();
        for link in attribute_values(&html, "href").into_iter().chain(attribute_values(&html, "src")) {
            let link = decode(link);
            if link.contains(':') && !link.starts_with('#') || link.starts_with("//") || link.starts_with('/') {
                continue; // another site, or a scheme such as mailto: or javascript:
            }
            let link = link.split('?').next().unwrap_or_default();
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = if file.is_empty() {
                Some(page.clone())
            } else {
                resolve(root, page.parent().expect("a page's folder"), file).map(|path| {
                    if path.is_dir() {
                        path.join("index.html")
                    } else {
                        path
                    }
                })
            };
            match target {
                Some(target) if target.is_file() => {
                    if !anchor.is_empty() && ids.get(&target).is_some_and(|ids| !ids.contains(anchor)) {
                        broken.push(format!("{shown}: {link}: no id {anchor:?} in that page"));
                    }
                }
                _ => broken.push(format!("{shown}: {link}: no such file in the built book")),
            }
        }
    }
    broken
}

/// The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as dashes.
fn github_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every `[text](target)` of a Markdown file that is not a web address and leads to no file of the repository,
/// or to a heading the Markdown file it names does not have.
fn broken_markdown_links(file: &str) -> Vec<String> {
    let text = support::manual::read(file);
    let dir = repo_dir().join(file);
    let dir = dir.parent().expect("a file's folder");
    let mut broken = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(')') else { continue };
        let link = &rest[..end];
        if link.contains("://") || link.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
        let target = if path.is_empty() { repo_dir().join(file) } else { dir.join(path) };
        if !target.exists() {
            broken.push(format!("{file}: {link}: no such file"));
        } else if !anchor.is_empty() && target.extension().is_some_and(|e| e == "md") {
            let headings = std::fs::read_to_string(&target).unwrap_or_default();
            let found = headings
                .lines()
                .filter(|line| line.starts_with('#'))
                .any(|line| github_anchor(line.trim_start_matches('#')) == anchor);
            if !found {
                broken.push(format!("{file}: {link}: no heading with the anchor {anchor:?}"));
            }
        }
    }
    broken
}

#[test]
fn the_book_builds_and_every_link_in_it_resolves() {
    let version = mdbook().arg("--version").output();
    let Ok(version) = version.as_ref().map(|done| String::from_utf8_lossy(&done.stdout).into_owned()) else {
        panic!("mdbook is not installed: scripts/test.sh installs it ({INSTALL})");
    };
    let dest = scratch("book");
    let mut build = mdbook();
    build.arg("build").arg(repo_dir().join("docs")).arg("--dest-dir").arg(&dest);
    let done = run(&mut build, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{} could not build docs/:\n{}", version.trim(), done.output());
    let warnings: Vec<&str> =
        done.stderr.lines().filter(|line| line.contains("WARN") || line.contains("ERROR")).collect();
    assert!(warnings.is_empty(), "mdbook build warned:\n{}", warnings.join("\n"));
    assert!(dest.join("index.html").is_file(), "no index.html in {}", dest.display());

    let broken = broken_links(&dest);
    assert!(broken.is_empty(), "links in the built book that lead nowhere:\n{}", broken.join("\n"));
    let _ = std::fs::remove_dir_all(&dest);
}

#[test]
fn the_link_check_finds_a_missing_page_and_a_missing_anchor() {
    let root = scratch("links");
    std::fs::create_dir_all(root.join("sub")).expect("create sub/");
    std::fs::write(
        root.join("a.html"),
        r##"<h2 id="here">x</h2><a href="sub/b.html#there">b</a> <a href="#here">ok</a> <a href="#nowhere">"##,
    )
    .expect("write a.html");
    std::fs::write(
        root.join("sub/b.html"),
        r#"<a href="../a.html#gone">a</a> <a href="../c.html">c</a> <img src="x.png"> <a href="https://x.invalid/">"#,
    )
    .expect("write b.html");
    let broken = broken_links(&root);
    assert_eq!(
        broken,
        [
            "a.html: sub/b.html#there: no id \"there\" in that page",
            "a.html: #nowhere: no id \"nowhere\" in that page",
            "sub/b.html: ../a.html#gone: no id \"gone\" in that page",
            "sub/b.html: ../c.html: no such file in the built book",
            "sub/b.html: x.png: no such file in the built book",
        ],
        "{broken:#?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_readmes_links_lead_to_files_and_headings_of_the_repository() {
    let broken = broken_markdown_links("README.md");
    assert!(broken.is_empty(), "links in README.md that lead nowhere:\n{}", broken.join("\n"));
}
