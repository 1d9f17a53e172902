//! Every example line of README.md's `sh` blocks, run exactly as written.

use std::process::Command;

use super::{bin, root, text};

/// The command lines of README.md's `sh` blocks, in order, each with its line number.
fn readme_lines() -> Vec<(usize, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut inside = false;
    let mut out = Vec::new();
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            inside = !inside && trimmed == "```sh";
            continue;
        }
        if inside && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push((i + 1, trimmed.to_string()));
        }
    }
    out
}

#[test]
fn every_readme_example_runs_as_written() {
    let lines = readme_lines();
    assert!(lines.len() >= 7, "README's examples were found: {lines:?}");
    // `/tmp/jifen-demo` is shared by everyone on this machine: the examples' data folder is
    // a private one instead; every other word of every line is run as written.
    let private = tempfile::tempdir().unwrap();
    let mut exported: Vec<(String, String)> = Vec::new();
    let mut ran = 0;
    for (number, line) in &lines {
        assert!(
            !line.contains(['"', '\'', '\\', '$', '|', '>']),
            "README line {number} needs a shell: teach this test to run it: {line}"
        );
        let mut words = line.split_whitespace().peekable();
        if let Some(assignment) = line.strip_prefix("export ") {
            let (k, v) = assignment.split_once('=').unwrap();
            let v = if k == "JIFEN_DATA" {
                private.path().join("jifen-demo").display().to_string()
            } else {
                v.to_string()
            };
            exported.push((k.to_string(), v));
            continue;
        }
        let mut env = exported.clone();
        while let Some(w) = words.peek() {
            match w.split_once('=') {
                Some((k, v)) if k.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                    env.push((k.to_string(), v.to_string()));
                    words.next();
                }
                _ => break,
            }
        }
        let rest: Vec<&str> = words.collect();
        let args: Vec<&str> = match rest.as_slice() {
            // The test command itself, and `cargo run -- demo`, which opens the counter
            // window and waits for a person (`demo --seed-only` below seeds the same way).
            ["cargo", "test", ..] | ["cargo", "run", "--", "demo"] => continue,
            ["cargo", "run", "--", args @ ..] => args.to_vec(),
            ["jifen", args @ ..] => args.to_vec(),
            _ => panic!("README line {number} is not a jifen command: {line}"),
        };
        let mut command = Command::new(bin());
        command
            .current_dir(root())
            .args(&args)
            .env_remove("JIFEN_DATA")
            .env_remove("JIFEN_PIN");
        for (k, v) in &env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "README line {number}: {line}\n{}",
            text(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} README lines ran");
}
