//! The manual's code blocks and tables, for the tests that run or compare them: the README and the book's
//! chapters in docs/src. A block or table the tests read is the one a vendor reads: never a copy.

use super::repo_dir;

/// The text of `file` (a path inside the repository, e.g. `docs/src/hostile-servers.md`).
pub fn read(file: &str) -> String {
    std::fs::read_to_string(repo_dir().join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"))
}

/// The code block right after `<!-- marker -->` in `file`, without its fences (and without its indentation,
/// inside a list).
pub fn code_block(file: &str, marker: &str) -> String {
    let text = read(file);
    let start = text.find(&format!("<!-- {marker} -->")).unwrap_or_else(|| panic!("no <!-- {marker} --> in {file}"));
    let mut lines = text[start..].lines().skip(1);
    let fence = lines.next().unwrap_or_else(|| panic!("{file}: nothing after <!-- {marker} -->"));
    assert!(fence.trim_start().starts_with("```"), "{file}: <!-- {marker} --> is not followed by a code block");
    let indent = fence.len() - fence.trim_start().len();
    lines.take_while(|l| l.trim_start() != "```").map(|l| format!("{}\n", l.get(indent..).unwrap_or(l))).collect()
}

/// The rows (first column, code without its backquotes, third column) of the first table after the line
/// `heading` (e.g. `## Hostile TLS servers`) in `file`.
pub fn table_rows(file: &str, heading: &str) -> Vec<(String, String, String)> {
    let text = read(file);
    let section =
        text.split(&format!("\n{heading}\n")).nth(1).unwrap_or_else(|| panic!("{file}: no {heading:?} section"));
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].to_owned(), cells[2].trim_matches('`').to_owned(), cells[3].to_owned())
        })
        .collect()
}
