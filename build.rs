//! Embeds the icon, version information and manifest into the Windows executables (with
//! mingw's windres when cross-building from Linux). Other targets need nothing built.

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u16>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    for (bin, kind) in [("tinnhiem", "APP"), ("tinnhiem-cli", "CLI")] {
        // Numbers and flags only: windres passes them through a shell that eats quotes.
        let defines = [
            format!("VERSION_MAJOR={major}"),
            format!("VERSION_MINOR={minor}"),
            format!("VERSION_PATCH={patch}"),
            format!("VERSION_TEXT={major}.{minor}.{patch}"),
            format!("TINNHIEM_{kind}=1"),
        ];
        embed_resource::compile_for("packaging/windows/tinnhiem.rc", [bin], &defines)
            .manifest_required()
            .unwrap_or_else(|e| panic!("Windows resources for {bin}: {e}"));
    }
}
