//! Finding the token libraries installed on this computer, so that signing asks nobody what a
//! PKCS#11 library is: the library the user chose before, the modules p11-kit registers on
//! Linux, and the known file names of the Vietnamese CAs' and common tokens' drivers
//! ([`KNOWN`], with where each name comes from).
//!
//! Nothing is loaded here: a library is *found* (a file at a known place); listing its tokens
//! loads it ([`super::list_tokens`]), on the caller's worker thread. A name that is a guess is
//! marked so ([`Evidence`]) and never presented as the vendor's word.
//!
//! Only 64-bit libraries can be loaded by the 64-bit app: on 64-bit Windows those are in
//! `System32`. A driver installed only in 32-bit form (`SysWOW64`) is not looked for, since it
//! could not be used.

use std::path::{Path, PathBuf};

/// How sure a row of [`KNOWN`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The vendor's or distribution's own files: its documentation, its package's file list.
    Vendor,
    /// Public material made with the vendor's software (an installer script, the library list an
    /// integration passes to the vendor's signing plugin), not the vendor's own manual.
    Listing,
    /// Our inference, not read anywhere: kept visible so that it is checked first when a
    /// library is not found.
    Unverified,
}

/// Where a library file is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In Windows' system folder (`%SystemRoot%\System32`), where the CAs' installers copy their
    /// drivers (Windows also searches there for a library named without a folder).
    System32(&'static str),
    /// Under `%ProgramFiles%`, at this path.
    ProgramFiles(&'static str),
    /// In each of Linux's library folders ([`Places::linux`]), at this relative path.
    Lib(&'static str),
}

impl Place {
    /// The library's file name, without folders.
    #[must_use]
    pub fn file_name(&self) -> &'static str {
        let path = match self {
            Place::System32(p) | Place::ProgramFiles(p) | Place::Lib(p) => p,
        };
        path.rsplit(['/', '\\']).next().unwrap_or(path)
    }
}

/// A token driver we know the file names of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownLibrary {
    /// Who makes or issues the token, as a secretary knows it: "VNPT-CA".
    pub vendor: &'static str,
    /// The file names and where they are.
    pub places: &'static [Place],
    /// Where the names come from.
    pub source: &'static str,
    /// How sure that source is.
    pub evidence: Evidence,
}

/// Every library name looked for, with its source: the one table (the user guide's "Ký bằng thiết bị
/// ký số" shows it, checked by a test). Newest versions first within a row: the first found is
/// listed first.
pub const KNOWN: &[KnownLibrary] = &[
    KnownLibrary {
        vendor: "VNPT-CA",
        places: &[
            Place::System32("vnptca_p11_v10.dll"),
            Place::System32("vnptca_p11_v9.dll"),
            Place::System32("vnptca_p11_v8.dll"),
            Place::System32("vnptca_p11_v7.dll"),
            Place::System32("vnptca_p11_v6.dll"),
            Place::System32("vnpt-ca_csp11.dll"),
            Place::System32("vnpt-ca_v34.dll"),
            Place::System32("vnpt-ca_cl_v1.dll"),
        ],
        source: "the library lists that web integrations pass to VNPT's and BKAV's signing \
                 plugins (BkavCA Signer Plugin's sample script, 2018); the System32 folder from \
                 VNPT Software's Token Manager installer script, which copies its drivers there",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "Viettel-CA",
        places: &[
            Place::System32("viettel-ca_v6.dll"),
            Place::System32("viettel-ca_v5.dll"),
            Place::System32("viettel-ca_v4.dll"),
            Place::System32("viettel-ca_v3.dll"),
            Place::System32("viettel-ca_v2.dll"),
            Place::System32("viettel-ca_v1.dll"),
            Place::System32("viettel-ca.dll"),
        ],
        source: "the test page of Viettel-CA's Sign Plugin (signplugin_viettel-ca_v5), which \
                 passes viettel-ca_v6/v5/v4/v2.dll; v1, v3 and the bare name from BkavCA \
                 Signer Plugin's sample script; the folder is Windows' search for a bare name",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "BKAV-CA",
        places: &[
            Place::System32("BkavCA.dll"),
            Place::System32("BkavCAv2S.dll"),
            Place::System32("bkavcaetoken_p11.dll"),
            Place::System32("bkavcaetoken.dll"),
        ],
        source: "BkavCA Signer Plugin's sample script (BKAV, 2018), its library list \
                 (which of these is a PKCS#11 library rather than a CSP is not verified)",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "FPT-CA",
        places: &[
            Place::System32("fptca_v3.dll"),
            Place::System32("fpt-ca.dll"),
            Place::System32("fpt-ca-stx.dll"),
            Place::System32("fpt_ca.dll"),
        ],
        source: "BkavCA Signer Plugin's sample script (BKAV, 2018), its library list",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "CA2 (Nacencomm)",
        places: &[
            Place::System32("CA2_csp11.dll"),
            Place::System32("CA2_v34.dll"),
            Place::System32("ca2_ace_csp11.dll"),
        ],
        source: "BkavCA Signer Plugin's sample script (BKAV, 2018), its library list",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "Bit4id (Ban Cơ yếu Chính phủ)",
        places: &[
            Place::System32("bit4xpki.dll"),
            Place::Lib("libbit4xpki.so"),
        ],
        source: "a provincial guide (Tuyên Quang, 2023) installs the Ban Cơ yếu's special-use \
                 tokens with Bit4id's xpki middleware or SafeNet's; bit4xpki is that \
                 middleware's library in public integration code (System32, /usr/lib)",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "SafeNet eToken (Ban Cơ yếu Chính phủ…)",
        places: &[
            Place::System32("eTPKCS11.dll"),
            Place::Lib("libeTPkcs11.so"),
        ],
        source: "SafeNet Authentication Client (Thales), as its install notes use it \
                 (System32, /usr/lib); the Ban Cơ yếu's guide above installs it for SafeNet \
                 tokens",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "ePass2003 (Feitian)",
        places: &[Place::System32("eps2003csp11.dll")],
        source: "Feitian's ePass2003 middleware as public integration code loads it from \
                 System32 (its Linux name is not known: not guessed)",
        evidence: Evidence::Listing,
    },
    KnownLibrary {
        vendor: "OpenSC",
        places: &[
            Place::ProgramFiles(r"OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll"),
            Place::Lib("opensc-pkcs11.so"),
            Place::Lib("pkcs11/opensc-pkcs11.so"),
        ],
        source: "OpenSC's Windows installer folder; Debian's opensc-pkcs11 package file list \
                 (checked on Debian 13)",
        evidence: Evidence::Vendor,
    },
    KnownLibrary {
        vendor: "SoftHSM2",
        places: &[Place::Lib("softhsm/libsofthsm2.so")],
        source: "Debian's softhsm2 package file list (checked on Debian 13): a software token \
                 for tests, not a device",
        evidence: Evidence::Vendor,
    },
];

/// How a library was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The user chose it before ("Chọn tệp thư viện khác…"), remembered in their data folder.
    Chosen,
    /// Registered with p11-kit, under this module name.
    P11Kit(String),
    /// At a known place of [`KNOWN`].
    Known,
}

/// A token library found on this computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLibrary {
    /// The file.
    pub path: PathBuf,
    /// What a person reads: the vendor of [`KNOWN`] whose file name this is, else the
    /// p11-kit module's name, else the file's name.
    pub name: String,
    /// How it was found.
    pub origin: Origin,
}

/// The file in the user's data folder that remembers the library they chose ("Chọn tệp thư
/// viện khác…"): a preference of this computer, never of an archive.
pub const CHOSEN_FILE: &str = "token-library.txt";

/// The library remembered in `data_dir` ([`CHOSEN_FILE`]), if any.
#[must_use]
pub fn chosen_in(data_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(data_dir.join(CHOSEN_FILE)).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
}

/// Where to look: the folders of this computer, or of a fake tree in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// Windows' `System32`, if this is Windows.
    pub system32: Option<PathBuf>,
    /// Windows' `Program Files` folders.
    pub program_files: Vec<PathBuf>,
    /// Linux's library folders, searched for [`Place::Lib`].
    pub lib_dirs: Vec<PathBuf>,
    /// p11-kit's module configuration folders, the one that wins first (user, then `/etc`,
    /// then the packages').
    pub p11kit_configs: Vec<PathBuf>,
    /// Where p11-kit loads a module given without a folder from.
    pub p11kit_module_dirs: Vec<PathBuf>,
    /// The library the user chose before.
    pub chosen: Option<PathBuf>,
}

impl Places {
    /// Windows' places under `system_root` (`C:\Windows`) and `program_files`.
    #[must_use]
    pub fn windows(system_root: &Path, program_files: &[PathBuf]) -> Self {
        Self {
            system32: Some(system_root.join("System32")),
            program_files: program_files.to_vec(),
            ..Self::default()
        }
    }

    /// Linux's places under `root` (`/`), with the user's p11-kit folder `user_config`
    /// (`~/.config/pkcs11/modules`) if any. The multiarch folder is this build's
    /// (`x86_64-linux-gnu`), as Debian and Ubuntu name it.
    #[must_use]
    pub fn linux(root: &Path, user_config: Option<PathBuf>) -> Self {
        let multiarch = format!("usr/lib/{}-linux-gnu", std::env::consts::ARCH);
        let lib_dirs: Vec<PathBuf> = [&multiarch, "usr/lib64", "usr/lib", "usr/local/lib"]
            .iter()
            .map(|d| root.join(d))
            .collect();
        Self {
            p11kit_module_dirs: lib_dirs.iter().map(|d| d.join("pkcs11")).collect(),
            lib_dirs,
            p11kit_configs: user_config
                .into_iter()
                .chain(["etc/pkcs11/modules", "usr/share/p11-kit/modules"].map(|d| root.join(d)))
                .collect(),
            ..Self::default()
        }
    }

    /// This computer's places, with the library chosen before.
    #[must_use]
    pub fn this_computer(chosen: Option<PathBuf>) -> Self {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let mut places = if cfg!(windows) {
            let root = env("SystemRoot").unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
            let program_files: Vec<PathBuf> = env("ProgramFiles")
                .into_iter()
                .chain(env("ProgramW6432"))
                .collect();
            Self::windows(&root, &program_files)
        } else {
            let user = env("XDG_CONFIG_HOME")
                .or_else(|| env("HOME").map(|h| h.join(".config")))
                .map(|c| c.join("pkcs11/modules"));
            Self::linux(Path::new("/"), user)
        };
        places.chosen = chosen;
        places
    }
}

/// The token libraries at `places`: the one chosen before first, then p11-kit's modules, then
/// the known names ([`KNOWN`]) in the table's order; each file once, however often found.
#[must_use]
pub fn discover(places: &Places) -> Vec<FoundLibrary> {
    let mut found: Vec<FoundLibrary> = Vec::new();
    let mut add = |path: PathBuf, origin: Origin| {
        if !path.is_file() {
            return;
        }
        let real = dunce::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let same = |f: &FoundLibrary| dunce::canonicalize(&f.path).unwrap_or(f.path.clone());
        if found.iter().any(|f| same(f) == real) {
            return;
        }
        let name = vendor_of(&path).map_or_else(
            || match &origin {
                Origin::P11Kit(module) => module.clone(),
                _ => file_name(&path),
            },
            str::to_owned,
        );
        found.push(FoundLibrary { path, name, origin });
    };
    if let Some(chosen) = &places.chosen {
        add(chosen.clone(), Origin::Chosen);
    }
    for (name, path) in p11kit_modules(places) {
        add(path, Origin::P11Kit(name));
    }
    for known in KNOWN {
        for place in known.places {
            for path in candidates(place, places) {
                add(path, Origin::Known);
            }
        }
    }
    found
}

/// The paths `place` stands for at `places`.
fn candidates(place: &Place, places: &Places) -> Vec<PathBuf> {
    match place {
        Place::System32(name) => places.system32.iter().map(|d| d.join(name)).collect(),
        Place::ProgramFiles(rel) => places
            .program_files
            .iter()
            .map(|d| rel.split('\\').fold(d.clone(), |p, part| p.join(part)))
            .collect(),
        Place::Lib(rel) => places.lib_dirs.iter().map(|d| d.join(rel)).collect(),
    }
}

/// The vendor of [`KNOWN`] whose library has this file name (any case: Windows ignores it).
fn vendor_of(path: &Path) -> Option<&'static str> {
    let name = file_name(path).to_lowercase();
    KNOWN
        .iter()
        .find(|k| {
            k.places
                .iter()
                .any(|p| p.file_name().to_lowercase() == name)
        })
        .map(|k| k.vendor)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// p11-kit's modules as (name, library), the first configuration folder winning for a name,
/// in the names' order; trust-policy modules (the system's CA roots, not tokens) left out.
fn p11kit_modules(places: &Places) -> Vec<(String, PathBuf)> {
    let mut seen: Vec<String> = Vec::new();
    let mut modules = Vec::new();
    for dir in &places.p11kit_configs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "module"))
            .collect();
        files.sort();
        for file in files {
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let config = ModuleConfig::parse(&text);
            if config.trust_policy {
                continue;
            }
            if let Some(path) = config
                .module
                .and_then(|m| module_path(&m, &places.p11kit_module_dirs))
            {
                modules.push((name, path));
            }
        }
    }
    modules
}

/// What a p11-kit module file says that matters here (pkcs11.conf(5)).
#[derive(Debug, Default, PartialEq, Eq)]
struct ModuleConfig {
    /// `module:` the library, absolute or relative to p11-kit's module folder.
    module: Option<String>,
    /// `trust-policy: yes`: a source of trust anchors, not of keys.
    trust_policy: bool,
}

impl ModuleConfig {
    /// `name: value` lines; `#` starts a comment line; the rest is ignored.
    fn parse(text: &str) -> Self {
        let mut config = Self::default();
        for line in text.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim() {
                "module" if !value.is_empty() => config.module = Some(value.to_owned()),
                "trust-policy" => {
                    config.trust_policy = matches!(value, "yes" | "true" | "on" | "1");
                }
                _ => {}
            }
        }
        config
    }
}

/// A module's library: as written when absolute, else in the first module folder that has it.
fn module_path(module: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    let path = Path::new(module);
    if path.is_absolute() {
        return Some(path.to_owned());
    }
    dirs.iter().map(|d| d.join(path)).find(|p| p.is_file())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"not loaded").unwrap();
    }

    /// Every row says where its names come from, no file name is in two rows (a name would
    /// be shown under the wrong vendor), and each place's name fits its system.
    #[test]
    fn the_table_is_sourced_and_unambiguous() {
        let mut names: Vec<(String, &str)> = Vec::new();
        for k in KNOWN {
            assert!(!k.vendor.is_empty() && k.source.len() > 20, "{k:?}");
            assert!(!k.places.is_empty(), "{k:?}");
            for p in k.places {
                let name = p.file_name().to_lowercase();
                match p {
                    Place::System32(_) | Place::ProgramFiles(_) => {
                        assert!(name.ends_with(".dll"), "{p:?}");
                    }
                    Place::Lib(_) => assert!(name.ends_with(".so"), "{p:?}"),
                }
                let other = names.iter().find(|(n, v)| *n == name && *v != k.vendor);
                assert!(other.is_none(), "{name} in two rows");
                names.push((name, k.vendor));
            }
        }
        for vendor in ["VNPT-CA", "Viettel-CA", "BKAV-CA", "FPT-CA", "OpenSC"] {
            assert!(KNOWN.iter().any(|k| k.vendor == vendor), "{vendor}");
        }
        assert!(KNOWN.iter().any(|k| k.vendor.contains("Ban Cơ yếu")));
    }

    /// The user guide's table (docs/huong-dan-su-dung.md) names every vendor and file of [`KNOWN`] on the vendor's row: the
    /// user's list and the code's never drift apart.
    #[test]
    fn the_table_matches_the_readme() {
        let readme = include_str!("../../../docs/huong-dan-su-dung.md");
        for k in KNOWN {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", k.vendor)))
                .unwrap_or_else(|| panic!("the user guide has no row for {}", k.vendor));
            for p in k.places {
                assert!(
                    row.contains(p.file_name()),
                    "{} not on {}'s row",
                    p.file_name(),
                    k.vendor
                );
            }
        }
    }

    /// On a fake Windows: the CAs' drivers in System32 and OpenSC under Program Files are
    /// found by vendor, in the table's order; a file of another name and a 32-bit copy in
    /// SysWOW64 are not.
    #[test]
    fn windows_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Windows");
        let pf = dir.path().join("Program Files");
        touch(&root.join("System32/viettel-ca_v6.dll"));
        touch(&root.join("System32/vnptca_p11_v8.dll"));
        touch(&root.join("System32/khac.dll"));
        touch(&root.join("SysWOW64/eTPKCS11.dll"));
        touch(&pf.join("OpenSC Project/OpenSC/pkcs11/opensc-pkcs11.dll"));
        let found = discover(&Places::windows(&root, std::slice::from_ref(&pf)));
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["VNPT-CA", "Viettel-CA", "OpenSC"]);
        assert!(found.iter().all(|f| f.origin == Origin::Known));
        assert_eq!(found[0].path, root.join("System32/vnptca_p11_v8.dll"));
    }

    /// On a fake Linux: p11-kit's modules come first, an absolute module path and a relative
    /// one (in the module folder) both found; /etc overrides a package's file of the same
    /// name; a trust-policy module and a module whose library is missing are left out; a
    /// library found by p11-kit and by the table is listed once, by its vendor's name.
    #[test]
    fn linux_p11kit_and_table() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let multiarch = format!("usr/lib/{}-linux-gnu", std::env::consts::ARCH);
        let softhsm = root.join(&multiarch).join("softhsm/libsofthsm2.so");
        touch(&softhsm);
        touch(&root.join(&multiarch).join("pkcs11/opensc-pkcs11.so"));
        touch(&root.join("usr/lib/libeTPkcs11.so"));
        touch(&root.join("opt/vendor/libvendor.so"));
        touch(&root.join("opt/old/libold.so"));
        let share = root.join("usr/share/p11-kit/modules");
        let etc = root.join("etc/pkcs11/modules");
        std::fs::create_dir_all(&share).unwrap();
        std::fs::create_dir_all(&etc).unwrap();
        let write = |p: PathBuf, text: String| std::fs::write(p, text).unwrap();
        write(
            share.join("softhsm2.module"),
            format!("# comment\n\nmodule: {}\n", softhsm.display()),
        );
        write(
            share.join("opensc.module"),
            "module: opensc-pkcs11.so\n".into(),
        );
        write(
            share.join("p11-kit-trust.module"),
            "module: opensc-pkcs11.so\ntrust-policy: yes\n".into(),
        );
        write(share.join("gone.module"), "module: /khong/co.so\n".into());
        let old = root.join("opt/old/libold.so");
        write(
            share.join("vendor.module"),
            format!("module: {}\n", old.display()),
        );
        let new = root.join("opt/vendor/libvendor.so");
        write(
            etc.join("vendor.module"),
            format!("module:{}\n", new.display()),
        );

        let found = discover(&Places::linux(root, None));
        let got: Vec<(&str, &Origin)> =
            found.iter().map(|f| (f.name.as_str(), &f.origin)).collect();
        assert_eq!(
            got,
            [
                ("vendor", &Origin::P11Kit("vendor".into())),
                ("OpenSC", &Origin::P11Kit("opensc".into())),
                ("SoftHSM2", &Origin::P11Kit("softhsm2".into())),
                ("SafeNet eToken (Ban Cơ yếu Chính phủ…)", &Origin::Known),
            ]
        );
        assert!(found.iter().all(|f| f.path != old));
    }

    /// The library chosen before comes first, named by its vendor when known; one that is
    /// gone is not listed; nothing is found where nothing is.
    #[test]
    fn chosen_library() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = dir.path().join("Tải về/vnptca_p11_v10.dll");
        touch(&chosen);
        let mut places = Places::windows(&dir.path().join("Windows"), &[]);
        places.chosen = Some(chosen.clone());
        let found = discover(&places);
        assert_eq!(
            found,
            [FoundLibrary {
                path: chosen,
                name: "VNPT-CA".into(),
                origin: Origin::Chosen
            }]
        );
        places.chosen = Some(dir.path().join("xoa.dll"));
        assert!(discover(&places).is_empty());
        assert!(discover(&Places::linux(dir.path(), None)).is_empty());
    }

    /// A module file's lines: spaces around the colon, comments, other settings.
    #[test]
    fn module_config_lines() {
        let c = ModuleConfig::parse("# x\n module :  a b.so \nmanaged: yes\ntrust-policy: no\n");
        assert_eq!(c.module.as_deref(), Some("a b.so"));
        assert!(!c.trust_policy);
        assert_eq!(ModuleConfig::parse("module:\n"), ModuleConfig::default());
    }
}
