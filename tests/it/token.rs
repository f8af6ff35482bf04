//! PKCS#11 tokens against SoftHSM2, a real PKCS#11 library: tokens made by `softhsm2-util`,
//! keys and certificates by openssl, imported with OpenSC's `pkcs11-tool`, as a CA's software
//! would put them on a USB token.
//!
//! SoftHSM reads `SOFTHSM2_CONF` once, at `C_Initialize`, and a library is initialised once per
//! process; setting the variable from a test would need `unsafe` (edition 2024), which the
//! crate forbids. So each test runs its body in a child process of this test binary, started
//! with its own configuration and token directory: the parent fails if the child does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use der::Encode;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use signature::Verifier;
use tinnhiem::signing::KeyKind;
use tinnhiem::signing::token::{
    self, AuthPin, KeyChoice, KeyPresence, TokenChoice, TokenError, TokenSigner,
};
use x509_cert::Certificate;

/// Set in the child: the token directory its configuration points to.
const CHILD: &str = "TINNHIEM_TEST_SOFTHSM_DIR";
const PIN: &str = "123456";
const SO_PIN: &str = "12345678";

/// SoftHSM2's library where distributions install it. `tests/run.sh` installs it; a test never
/// skips for want of it.
fn softhsm_module() -> PathBuf {
    let candidates = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so",
        "/usr/lib/pkcs11/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("SoftHSM2 not found in {candidates:?}: install softhsm2 (tests/run.sh does)")
        })
}

/// A SoftHSM2 instance of one test: its directory (for the key files too) and the library.
struct Hsm {
    dir: PathBuf,
    module: PathBuf,
}

/// Runs `body` in a child process with a SoftHSM configuration of its own (see the module
/// comment). `name` is the test's path in this binary, e.g. "token::sign_ec_p256".
fn in_softhsm(name: &str, body: fn(&Hsm)) {
    if let Some(dir) = std::env::var_os(CHILD) {
        body(&Hsm {
            dir: PathBuf::from(dir),
            module: softhsm_module(),
        });
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("SOFTHSM2_CONF", &conf)
        .env(CHILD, dir.path())
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{name} failed in its SoftHSM child:\n{text}"
    );
    // A misspelt name would run nothing and pass.
    assert!(text.contains("1 passed"), "{name} did not run:\n{text}");
}

/// Runs a tool, failing with its output if it fails.
fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A key algorithm for openssl.
#[derive(Clone, Copy)]
enum Alg {
    Rsa(u32),
    P256,
}

/// A key and its certificate as files (DER).
struct Pair {
    key_pem: PathBuf,
    cert_pem: PathBuf,
    key_der: PathBuf,
    cert_der: PathBuf,
}

impl Hsm {
    /// A new token with the user PIN [`PIN`].
    fn init_token(&self, label: &str) {
        run(Command::new("softhsm2-util").args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ]));
    }

    /// A key made by openssl, as `name.key.pem`.
    fn key(&self, name: &str, alg: Alg) -> PathBuf {
        let path = self.dir.join(format!("{name}.key.pem"));
        let mut cmd = Command::new("openssl");
        cmd.arg("genpkey");
        match alg {
            Alg::Rsa(bits) => cmd
                .args(["-algorithm", "RSA", "-pkeyopt"])
                .arg(format!("rsa_keygen_bits:{bits}")),
            Alg::P256 => cmd.args(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
        };
        run(cmd.arg("-out").arg(&path));
        path
    }

    /// A key and certificate for `subject`, issued by `issuer` or self-signed.
    fn pair(&self, name: &str, alg: Alg, subject: &str, issuer: Option<&Pair>) -> Pair {
        let key_pem = self.key(name, alg);
        let cert_pem = self.dir.join(format!("{name}.crt.pem"));
        let mut cmd = Command::new("openssl");
        cmd.args([
            "req", "-new", "-utf8", "-days", "365", "-subj", subject, "-key",
        ])
        .arg(&key_pem)
        .arg("-out")
        .arg(&cert_pem);
        match issuer {
            None => {
                cmd.args(["-x509", "-addext", "basicConstraints=critical,CA:TRUE"]);
            }
            Some(ca) => {
                cmd.args(["-x509", "-CA"])
                    .arg(&ca.cert_pem)
                    .arg("-CAkey")
                    .arg(&ca.key_pem);
            }
        }
        run(&mut cmd);
        let key_der = self.dir.join(format!("{name}.key.der"));
        let cert_der = self.dir.join(format!("{name}.crt.der"));
        run(Command::new("openssl")
            .args(["pkey", "-outform", "DER", "-in"])
            .arg(&key_pem)
            .arg("-out")
            .arg(&key_der));
        run(Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert_pem)
            .arg("-out")
            .arg(&cert_der));
        Pair {
            key_pem,
            cert_pem,
            key_der,
            cert_der,
        }
    }

    /// Writes a file onto `token` as an object of `kind` ("privkey", "cert").
    fn import(&self, token: &str, file: &Path, kind: &str, id: &str, label: &str) {
        run(Command::new("pkcs11-tool")
            .arg("--module")
            .arg(&self.module)
            .args([
                "--token-label",
                token,
                "--login",
                "--pin",
                PIN,
                "--write-object",
            ])
            .arg(file)
            .args(["--type", kind, "--id", id, "--label", label]));
    }

    /// Puts a key and its certificate on `token` under one id and label.
    fn import_pair(&self, token: &str, pair: &Pair, id: &str, label: &str) {
        self.import(token, &pair.key_der, "privkey", id, label);
        self.import(token, &pair.cert_der, "cert", id, label);
    }

    /// Opens with the right PIN.
    fn open(
        &self,
        token: Option<&TokenChoice>,
        key: Option<&KeyChoice>,
    ) -> Result<TokenSigner, TokenError> {
        token::open(&self.module, token, key, AuthPin::from(PIN))
    }
}

/// A certificate's subject as text.
fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate.subject.to_string()
}

/// Verifies a PKCS#1 v1.5 SHA-256 signature with the certificate's key.
fn verify_rsa(cert: &Certificate, message: &[u8], sig: &[u8]) {
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    let key = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
    VerifyingKey::<sha2::Sha256>::new(key)
        .verify(message, &Signature::try_from(sig).unwrap())
        .unwrap();
}

/// Verifies a DER ECDSA SHA-256 signature with openssl and the certificate's key.
fn verify_with_openssl(dir: &Path, cert: &Certificate, message: &[u8], sig: &[u8]) {
    let cert_path = dir.join("verify.crt.der");
    let pub_path = dir.join("verify.pub.pem");
    let msg_path = dir.join("verify.msg");
    let sig_path = dir.join("verify.sig");
    fs::write(&cert_path, cert.to_der().unwrap()).unwrap();
    fs::write(&msg_path, message).unwrap();
    fs::write(&sig_path, sig).unwrap();
    run(Command::new("openssl")
        .args(["x509", "-inform", "DER", "-noout", "-pubkey", "-in"])
        .arg(&cert_path)
        .arg("-out")
        .arg(&pub_path));
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(&pub_path)
        .arg("-signature")
        .arg(&sig_path)
        .arg(&msg_path)
        .output()
        .unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verified OK"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const LEAF: &str = "/C=VN/O=Chi bộ Khu dân cư số 4/CN=Phạm Văn Đức";
const CA: &str = "/C=VN/O=Nhà cung cấp thử/CN=CA thử nghiệm";

/// The list shows each initialised token with its certificates, read without a PIN.
#[test]
fn list_shows_tokens_and_certificates() {
    in_softhsm("token::list_shows_tokens_and_certificates", |h| {
        h.init_token("VNPT-CA");
        h.init_token("Trống");
        let ca = h.pair("ca", Alg::Rsa(2048), CA, None);
        let leaf = h.pair("leaf", Alg::Rsa(2048), LEAF, Some(&ca));
        h.import_pair("VNPT-CA", &leaf, "a1b2", "Phạm Văn Đức");
        h.import("VNPT-CA", &ca.cert_der, "cert", "ca01", "CA");

        let mut tokens = token::list_tokens(&h.module).unwrap();
        tokens.sort_by(|a, b| a.label.cmp(&b.label));
        assert_eq!(tokens.len(), 2, "{tokens:#?}");
        let (empty, vnpt) = (&tokens[0], &tokens[1]);
        assert_eq!(empty.label, "Trống");
        assert!(empty.certificates.is_empty());
        assert_eq!(vnpt.label, "VNPT-CA");
        assert_eq!(vnpt.manufacturer, "SoftHSM project");
        assert_eq!(vnpt.model, "SoftHSM v2");
        assert!(!vnpt.serial.is_empty());
        assert_ne!(vnpt.slot, empty.slot);

        let mut certs = vnpt.certificates.clone();
        certs.sort_by(|a, b| a.id_hex.cmp(&b.id_hex));
        assert_eq!(certs.len(), 2);
        let own = &certs[0];
        assert_eq!(own.label, "Phạm Văn Đức");
        assert_eq!(own.id_hex, "a1b2");
        // SoftHSM hides private keys until login, as USB tokens do.
        assert_eq!(own.key, KeyPresence::Unknown);
        let d = own.details.as_ref().unwrap();
        assert_eq!(d.common_name, "Phạm Văn Đức");
        assert!(d.subject.contains("CN=Phạm Văn Đức"), "{}", d.subject);
        assert!(d.issuer.contains("CN=CA thử nghiệm"), "{}", d.issuer);
        assert_eq!(d.issuer_name, "CA thử nghiệm");
        let year = 365 * 24 * 3600;
        assert_eq!((d.not_after - d.not_before).as_secs(), year);
        assert_eq!(certs[1].id_hex, "ca01");
        assert_eq!(
            certs[1].details.as_ref().unwrap().common_name,
            "CA thử nghiệm"
        );
    });
}

/// RSA 2048: the one token and key are taken unasked, the CA comes as the chain, and the
/// signature verifies with the certificate's key.
#[test]
fn sign_rsa_2048_with_chain() {
    in_softhsm("token::sign_rsa_2048_with_chain", |h| {
        h.init_token("Viettel-CA");
        let ca = h.pair("ca", Alg::Rsa(2048), CA, None);
        let other_ca = h.pair("other", Alg::Rsa(2048), "/CN=CA khác", None);
        let leaf = h.pair("leaf", Alg::Rsa(2048), LEAF, Some(&ca));
        h.import_pair("Viettel-CA", &leaf, "01", "Phạm Văn Đức");
        h.import("Viettel-CA", &ca.cert_der, "cert", "02", "CA");
        h.import("Viettel-CA", &other_ca.cert_der, "cert", "03", "CA khác");

        let signer = h.open(None, None).unwrap();
        assert_eq!(signer.kind(), KeyKind::Rsa);
        assert!(subject(signer.certificate()).contains("CN=Phạm Văn Đức"));
        let chain: Vec<String> = signer.chain().iter().map(subject).collect();
        assert_eq!(chain.len(), 1, "{chain:?}");
        assert!(chain[0].contains("CN=CA thử nghiệm"), "{chain:?}");
        let message = "Biên bản kiểm phiếu".as_bytes();
        let sig = signer.sign_sha256(message).unwrap();
        assert_eq!(sig.len(), 256);
        verify_rsa(signer.certificate(), message, &sig);
        // Twice on one login: the PIN is asked once per signer.
        let again = signer.sign_sha256(b"x").unwrap();
        verify_rsa(signer.certificate(), b"x", &again);
        assert!(format!("{signer:?}").contains("Phạm Văn Đức"));
    });
}

/// RSA 3072 and 4096 keys sign too, chosen by CKA_ID.
#[test]
fn sign_rsa_3072_and_4096_by_id() {
    in_softhsm("token::sign_rsa_3072_and_4096_by_id", |h| {
        h.init_token("BKAV-CA");
        for (bits, id) in [(3072, 0x30u8), (4096, 0x40)] {
            let pair = h.pair(&format!("k{bits}"), Alg::Rsa(bits), LEAF, None);
            h.import_pair(
                "BKAV-CA",
                &pair,
                &format!("{id:02x}"),
                &format!("RSA {bits}"),
            );
        }
        for (bits, id) in [(3072usize, 0x30u8), (4096, 0x40)] {
            let signer = h.open(None, Some(&KeyChoice::Id(vec![id]))).unwrap();
            let sig = signer.sign_sha256(b"phieu").unwrap();
            assert_eq!(sig.len() * 8, bits);
            verify_rsa(signer.certificate(), b"phieu", &sig);
            assert!(signer.chain().is_empty(), "self-signed: no chain");
        }
    });
}

/// ECDSA P-256: the raw r‖s from the token comes out as DER that openssl verifies.
#[test]
fn sign_ec_p256() {
    in_softhsm("token::sign_ec_p256", |h| {
        h.init_token("FPT-CA");
        let ca = h.pair("ca", Alg::P256, CA, None);
        let leaf = h.pair("leaf", Alg::P256, LEAF, Some(&ca));
        h.import_pair("FPT-CA", &leaf, "01", "Phạm Văn Đức");
        h.import("FPT-CA", &ca.cert_der, "cert", "02", "CA");

        let signer = h.open(None, None).unwrap();
        assert_eq!(signer.kind(), KeyKind::EcP256);
        assert_eq!(signer.chain().len(), 1);
        // Several, since r or s with a high bit or a leading zero change the DER's shape.
        for i in 0..8u8 {
            let message = [b'm', i];
            let sig = signer.sign_sha256(&message).unwrap();
            assert_eq!(sig[0], 0x30);
            verify_with_openssl(&h.dir, signer.certificate(), &message, &sig);
        }
    });
}

/// A wrong PIN is WrongPin and leaves nothing behind: the right PIN then works, a second login
/// meanwhile is refused, and after that signer is dropped a wrong PIN is refused again (the
/// session did not stay logged in).
#[test]
fn wrong_pin() {
    in_softhsm("token::wrong_pin", |h| {
        h.init_token("VNPT-CA");
        let leaf = h.pair("leaf", Alg::Rsa(2048), LEAF, None);
        h.import_pair("VNPT-CA", &leaf, "01", "Phạm Văn Đức");
        let wrong = || token::open(&h.module, None, None, AuthPin::from("000000"));

        let e = wrong().unwrap_err();
        assert_eq!(e, TokenError::WrongPin);
        assert!(e.message().vi.contains("sai mã PIN"));
        let signer = h.open(None, None).unwrap();
        verify_rsa(
            signer.certificate(),
            b"a",
            &signer.sign_sha256(b"a").unwrap(),
        );
        // A second login while the first signer lives is refused, not waved through.
        assert_eq!(
            wrong().unwrap_err(),
            TokenError::Device("C_Login: CKR_USER_ALREADY_LOGGED_IN".into())
        );
        drop(signer);
        assert_eq!(wrong().unwrap_err(), TokenError::WrongPin);
        assert_eq!(token::list_tokens(&h.module).unwrap().len(), 1);
    });
}

/// A missing library and a file that is not one are told apart, each naming the path.
#[test]
fn module_path_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("vnpt-ca-pkcs11.so");
    let e = token::list_tokens(&missing).unwrap_err();
    assert_eq!(e, TokenError::ModuleMissing(missing.clone()));
    assert!(e.message().vi.contains("vnpt-ca-pkcs11.so"));
    assert!(e.message().en.contains("not found"));

    let not_lib = dir.path().join("readme.so");
    fs::write(&not_lib, "không phải thư viện").unwrap();
    let e = token::open(&not_lib, None, None, AuthPin::from(PIN)).unwrap_err();
    assert!(
        matches!(&e, TokenError::NotAModule { path, .. } if *path == not_lib),
        "{e:?}"
    );
    assert!(e.message().en.contains("readme.so"), "{e}");
}

/// A token with only a certificate has no key to sign with.
#[test]
fn token_without_key() {
    in_softhsm("token::token_without_key", |h| {
        h.init_token("Ban Cơ yếu");
        let ca = h.pair("ca", Alg::Rsa(2048), CA, None);
        h.import("Ban Cơ yếu", &ca.cert_der, "cert", "01", "CA");
        let e = h.open(None, None).unwrap_err();
        assert_eq!(
            e,
            TokenError::NoKey {
                token: "“Ban Cơ yếu”".into()
            }
        );
    });
}

/// Two keys: without a choice the error lists both; by key label, by certificate label and by
/// id each picks one; an unknown label lists what is there.
#[test]
fn choosing_the_key() {
    in_softhsm("token::choosing_the_key", |h| {
        h.init_token("VNPT-CA");
        let one = h.pair("one", Alg::Rsa(2048), "/CN=Nguyễn Thị Một", None);
        let two = h.pair("two", Alg::P256, "/CN=Trần Văn Hai", None);
        h.import_pair("VNPT-CA", &one, "01", "Khóa một");
        h.import("VNPT-CA", &two.key_der, "privkey", "02", "{5F2C-GUID}");
        h.import("VNPT-CA", &two.cert_der, "cert", "02", "Trần Văn Hai");

        let e = h.open(None, None).unwrap_err();
        let TokenError::SeveralKeys { keys } = &e else {
            panic!("{e:?}")
        };
        let mut keys = keys.clone();
        keys.sort();
        assert_eq!(keys, ["“Khóa một” [01]", "“{5F2C-GUID}” [02]"]);
        assert!(e.message().en.contains("Khóa một") && e.message().en.contains("{5F2C-GUID}"));

        let s = h
            .open(None, Some(&KeyChoice::Label("Khóa một".into())))
            .unwrap();
        assert_eq!(s.kind(), KeyKind::Rsa);
        drop(s);
        let s = h
            .open(None, Some(&KeyChoice::Label("Trần Văn Hai".into())))
            .unwrap();
        assert_eq!(s.kind(), KeyKind::EcP256);
        assert!(subject(s.certificate()).contains("Trần Văn Hai"));
        drop(s);
        let s = h.open(None, Some(&KeyChoice::Id(vec![2]))).unwrap();
        assert_eq!(s.kind(), KeyKind::EcP256);
        drop(s);

        let e = h
            .open(None, Some(&KeyChoice::Label("Không có".into())))
            .unwrap_err();
        let TokenError::KeyNotFound { asked, available } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(asked, "“Không có”");
        assert_eq!(available.len(), 2);
    });
}

/// Two tokens: without a choice the error lists both; by label and by slot each opens one; an
/// unknown label lists what is plugged in.
#[test]
fn choosing_the_token() {
    in_softhsm("token::choosing_the_token", |h| {
        for label in ["Token A", "Token B"] {
            h.init_token(label);
            let pair = h.pair(label, Alg::Rsa(2048), &format!("/CN={label}"), None);
            h.import_pair(label, &pair, "01", label);
        }
        let e = h.open(None, None).unwrap_err();
        let TokenError::SeveralTokens { available } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(available.len(), 2);
        assert!(available.iter().any(|t| t.starts_with("“Token A” (#")));

        let s = h
            .open(Some(&TokenChoice::Label("Token B".into())), None)
            .unwrap();
        assert!(subject(s.certificate()).contains("CN=Token B"));
        drop(s);
        let listed = token::list_tokens(&h.module).unwrap();
        let a = listed.iter().find(|t| t.label == "Token A").unwrap();
        let s = h.open(Some(&TokenChoice::Slot(a.slot)), None).unwrap();
        assert!(subject(s.certificate()).contains("CN=Token A"));
        drop(s);

        let e = h
            .open(Some(&TokenChoice::Label("Token C".into())), None)
            .unwrap_err();
        assert!(
            matches!(&e, TokenError::TokenNotFound { asked, available }
                if asked == "“Token C”" && available.len() == 2),
            "{e:?}"
        );
        assert!(e.message().vi.contains("Token A"));
    });
}

/// Discovery finds this machine's real SoftHSM2 through its p11-kit module file when Debian
/// installs one (else through the table), under its name and not its path; `tokens` without
/// `--pkcs11` lists its token and the certificate on it with the `--pkcs11` and `--key` to use.
#[test]
fn discovery_finds_softhsm_and_tokens_lists_it() {
    in_softhsm("token::discovery_finds_softhsm_and_tokens_lists_it", |h| {
        use tinnhiem::signing::token::discover::{Origin, Places, discover};
        h.init_token("VNPT-CA");
        let leaf = h.pair("leaf", Alg::Rsa(2048), LEAF, None);
        h.import_pair("VNPT-CA", &leaf, "a1", "Phạm Văn Đức");
        let real = |p: &Path| fs::canonicalize(p).unwrap();
        let found = discover(&Places::this_computer(None));
        let lib = found
            .iter()
            .find(|f| real(&f.path) == real(&h.module))
            .unwrap_or_else(|| panic!("SoftHSM2 not found: {found:#?}"));
        assert_eq!(lib.name, "SoftHSM2");
        let registered = ["/usr/share/p11-kit/modules", "/etc/pkcs11/modules"]
            .iter()
            .any(|d| Path::new(d).join("softhsm2.module").is_file());
        if registered {
            assert_eq!(lib.origin, Origin::P11Kit("softhsm2".into()));
        } else {
            assert_eq!(lib.origin, Origin::Known);
        }
        let (code, out) = cli(&["tokens"]);
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("SoftHSM2  --pkcs11 "), "{out}");
        assert!(out.contains("VNPT-CA") && out.contains("--key a1"), "{out}");
        assert!(out.contains("Phạm Văn Đức"), "{out}");
    });
}

/// Runs the CLI; returns (exit code, stdout and stderr).
fn cli<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (Option<i32>, String) {
    let o = crate::common::run(args);
    (
        o.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// Issue 13 end to end, as a committee would: the seal signed at finalise with the head's
/// USB token, the minutes signed with it, then the chair's signature added from a .p12;
/// `pdfsig` finds two valid signatures, `verify` lists both, trusts them against the CA's
/// root and says the sealer signed the minutes; a wrong PIN, a draft and an edited seal are
/// refused, writing nothing.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one committee's whole signing sequence, step by step"
)]
fn token_signs_the_seal_and_the_minutes_and_a_second_signer_follows() {
    in_softhsm(
        "token::token_signs_the_seal_and_the_minutes_and_a_second_signer_follows",
        |h| {
            h.init_token("VNPT-CA");
            let ca = h.pair("ca", Alg::Rsa(2048), CA, None);
            let head = h.pair(
                "head",
                Alg::Rsa(2048),
                "/C=VN/O=Chi bộ Khu dân cư số 4/CN=Nguyễn Đức Thịnh",
                Some(&ca),
            );
            h.import_pair("VNPT-CA", &head, "01", "Nguyễn Đức Thịnh");
            h.import("VNPT-CA", &ca.cert_der, "cert", "ca01", "CA");
            let chair = h.pair(
                "chair",
                Alg::P256,
                "/C=VN/O=Chi bộ Khu dân cư số 4/CN=Trần Thị Hồng Nhung",
                Some(&ca),
            );
            let p12 = h.dir.join("chair.p12");
            run(Command::new("openssl")
                .args(["pkcs12", "-export", "-inkey"])
                .arg(&chair.key_pem)
                .arg("-in")
                .arg(&chair.cert_pem)
                .arg("-certfile")
                .arg(&ca.cert_pem)
                .arg("-out")
                .arg(&p12)
                .args(["-passout", "pass:mật khẩu"]));
            let pin = h.dir.join("pin.txt");
            fs::write(&pin, format!("{PIN}\n")).unwrap();
            let bad_pin = h.dir.join("bad-pin.txt");
            fs::write(&bad_pin, "000000\n").unwrap();
            let password = h.dir.join("pw.txt");
            fs::write(&password, "mật khẩu\n").unwrap();
            // The head of the counting committee is the token's owner: the certificate names
            // the person printed under the block it signs.
            let ron = h.dir.join("chi-bo.ron");
            let example = fs::read_to_string("assets/examples/chi-bo.ron").unwrap();
            fs::write(&ron, example.replace("Phạm Văn Đức", "Nguyễn Đức Thịnh")).unwrap();
            let pdf = h.dir.join("bien-ban.pdf");
            let module = h.module.to_str().unwrap().to_owned();
            let token = |pin: &Path| {
                vec![
                    "--pkcs11".to_owned(),
                    module.clone(),
                    "--token".into(),
                    "VNPT-CA".into(),
                    "--pin-file".into(),
                    pin.to_str().unwrap().to_owned(),
                ]
            };
            let with = |args: &[&str], extra: Vec<String>| {
                let mut v: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
                v.extend(extra);
                v
            };
            let s = |p: &Path| p.to_str().unwrap().to_owned();

            // `tokens` lists the token and the head's certificate, without a PIN.
            let (code, out) = cli(&["tokens", "--pkcs11", &module]);
            assert_eq!(code, Some(0), "{out}");
            assert!(out.contains("VNPT-CA") && out.contains("--key 01"), "{out}");
            assert!(out.contains("Nguyễn Đức Thịnh"), "{out}");

            // A draft is not signed: nothing written.
            let (code, out) = cli(&with(&["minutes", &s(&ron), "-o", &s(&pdf)], token(&pin)));
            assert_ne!(code, Some(0), "{out}");
            assert!(out.contains("bản nháp"), "{out}");
            assert!(!pdf.exists());

            // A wrong PIN at finalise: nothing finalised.
            let before = fs::read(&ron).unwrap();
            let (code, out) = cli(&with(
                &["finalise", &s(&ron), "--operator", "Nguyễn Đức Thịnh"],
                token(&bad_pin),
            ));
            assert_ne!(code, Some(0), "{out}");
            assert!(out.contains("PIN"), "{out}");
            assert_eq!(fs::read(&ron).unwrap(), before, "a refused finalise wrote");

            // Finalise with the token: the seal is signed.
            let (code, out) = cli(&with(
                &["finalise", &s(&ron), "--operator", "Nguyễn Đức Thịnh"],
                token(&pin),
            ));
            assert_eq!(code, Some(0), "{out}");
            assert!(out.contains("Nguyễn Đức Thịnh"), "{out}");
            let (code, out) = cli(&["verify", &s(&ron), "--ca", &s(&ca.cert_pem)]);
            assert_eq!(code, Some(0), "{out}");
            assert!(
                out.contains("Mã chốt được ký số bởi: Nguyễn Đức Thịnh"),
                "{out}"
            );
            assert!(
                out.contains("tin cậy: chuỗi chứng thư đến gốc đã cho"),
                "{out}"
            );

            // The minutes, signed with the token, then the chair's signature from a .p12.
            let (code, out) = cli(&with(&["minutes", &s(&ron), "-o", &s(&pdf)], token(&pin)));
            assert_eq!(code, Some(0), "{out}");
            let (code, out) = cli(&[
                "sign",
                &s(&pdf),
                "--p12",
                &s(&p12),
                "--password-file",
                &s(&password),
            ]);
            assert_eq!(code, Some(0), "{out}");
            let o = Command::new("pdfsig").arg(&pdf).output().unwrap();
            let sig = String::from_utf8_lossy(&o.stdout);
            assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
            assert!(sig.contains("Nguyễn Đức Thịnh") && sig.contains("Trần Thị Hồng Nhung"));
            assert!(sig.contains("ETSI.CAdES.detached"), "{sig}");

            let (code, out) = cli(&[
                "verify",
                &s(&pdf),
                "--archive",
                &s(&ron),
                "--ca",
                &s(&ca.cert_pem),
            ]);
            assert_eq!(code, Some(0), "{out}");
            for want in [
                "Chữ ký 1/2",
                "Chữ ký 2/2",
                "bao phủ toàn bộ tệp",
                "Nguyễn Đức Thịnh",
                "Trần Thị Hồng Nhung",
                "PAdES B-B",
                "signing-certificate-v2",
                "tin cậy: chuỗi chứng thư đến gốc đã cho",
                "Người chốt (Nguyễn Đức Thịnh) cũng đã ký biên bản này",
                "OCSP/CRL",
            ] {
                assert!(out.contains(want), "{want}\n{out}");
            }
            // Against another root: not trusted, exit 1.
            let other = h.pair("other", Alg::Rsa(2048), "/CN=Gốc khác", None);
            let (code, out) = cli(&["verify", &s(&pdf), "--ca", &s(&other.cert_pem)]);
            assert_eq!(code, Some(1), "{out}");
            assert!(out.contains("KHÔNG tin cậy"), "{out}");

            // The seal edited by hand (who sealed): its signature no longer holds.
            let text = fs::read_to_string(&ron).unwrap();
            let edited = text.replacen("by: \"Nguyễn Đức Thịnh\"", "by: \"Người khác\"", 1);
            assert_ne!(text, edited);
            fs::write(&ron, edited).unwrap();
            let (code, out) = cli(&["verify", &s(&ron)]);
            assert_eq!(code, Some(1), "{out}");
            assert!(out.contains("Chữ ký của mã chốt không hợp lệ"), "{out}");
        },
    );
}

/// The app signs with a token (issue 13 §1): the library found by itself (issue 21), its one
/// certificate taken without asking, a wrong PIN writes nothing and is wiped, the right one
/// gives minutes that `pdfsig` finds valid, with the signature logged.
#[test]
#[cfg(feature = "gui")]
fn the_app_signs_with_a_token() {
    in_softhsm("token::the_app_signs_with_a_token", |h| {
        use tinnhiem::app::docs::{KeyRequest, KeySource};
        h.init_token("Viettel-CA");
        let pair = h.pair("k", Alg::Rsa(2048), LEAF, None);
        h.import_pair("Viettel-CA", &pair, "0a", "Chữ ký số");
        let ron = h.dir.join("chi-bo.ron");
        fs::copy("assets/examples/chi-bo.ron", &ron).unwrap();
        let (code, out) = cli(&[
            "finalise",
            ron.to_str().unwrap(),
            "--operator",
            "Phạm Văn Đức",
        ]);
        assert_eq!(code, Some(0), "{out}");
        let mut app = crate::common::gui::harness(tinnhiem::app::Options {
            file: Some(ron.clone()),
            data_dir: Some(h.dir.join("data")),
        });
        app.state_mut().docs.key_source = KeySource::Token;
        app.state_mut().read_tokens();
        app.state_mut().wait_for_work();
        let (module, slot, id) = app
            .state()
            .docs
            .token_key
            .clone()
            .expect("the one key is chosen");
        assert_eq!(id, "0a");
        assert_eq!(
            fs::canonicalize(&module).unwrap(),
            fs::canonicalize(&h.module).unwrap()
        );
        let key = KeyRequest::Token { module, slot, id };

        let bad = h.dir.join("sai.pdf");
        let mut pin = String::from("000000");
        let err = app
            .state_mut()
            .sign_minutes(&bad, &key, &mut pin, false)
            .unwrap_err();
        assert!(err.vi.contains("PIN"), "{}", err.vi);
        assert!(pin.is_empty());
        assert!(!bad.exists());

        let pdf = h.dir.join("ky.pdf");
        let mut pin = String::from(PIN);
        app.state_mut()
            .sign_minutes(&pdf, &key, &mut pin, false)
            .unwrap();
        assert!(pin.is_empty());
        let o = Command::new("pdfsig").arg(&pdf).output().unwrap();
        let report = String::from_utf8_lossy(&o.stdout);
        assert!(report.contains("Signature is Valid"), "{report}");
        assert!(report.contains("Phạm Văn Đức"), "{report}");
        let log = &app.state().session().unwrap().audit;
        assert!(matches!(
            &log[log.len() - 1].action,
            tinnhiem::lifecycle::Action::Signed { file, .. } if file == "ky.pdf"
        ));
    });
}
