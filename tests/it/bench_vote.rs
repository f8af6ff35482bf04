//! The benchmark vote of `benches/session.sh` (`n` cadres, 500 voters, a draft), read back as
//! a session: the one generator of it, shared by the tests (`tests/it/pdf_output.rs`) and
//! `benches/minutes.rs`, which includes this file.

use std::path::Path;
use std::process::Command;

use tinnhiem::model::Session;

/// Writes the vote of `n` cadres with `benches/session.sh` and reads it back.
pub fn session(n: u32) -> Session {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("s.ron");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/session.sh");
    let done = Command::new("bash")
        .arg(script)
        .arg(n.to_string())
        .arg(&file)
        .output()
        .expect("bash runs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = std::fs::read_to_string(&file).expect("the vote was written");
    tinnhiem::archive::from_str(&text).expect("the vote reads back")
}
