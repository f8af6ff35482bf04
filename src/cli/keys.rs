//! Where a signing key comes from, on the command line: a .p12/.pfx file and its password, or
//! a PKCS#11 token (the vendor's library, the token, the key) and its PIN. Secrets are read
//! from a file's first line or from standard input (`-`), used once, never logged.

use std::path::{Path, PathBuf};

use crate::signing::KeySigner;
pub use crate::signing::signer_name;
use crate::signing::token::{self, AuthPin, KeyChoice, TokenChoice};

/// The key options shared by `minutes`, `sign` and `finalise`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeyArgs {
    /// Ký bằng tệp chứng thư số .p12/.pfx / Sign with this PKCS#12 certificate file.
    #[arg(
        long = "p12",
        alias = "sign",
        value_name = "CERT.p12",
        conflicts_with = "pkcs11"
    )]
    pub p12: Option<PathBuf>,
    /// The file holding the .p12 password (first line; `-` reads standard input).
    #[arg(long, value_name = "FILE", requires = "p12")]
    pub password_file: Option<PathBuf>,
    /// Ký bằng thiết bị ký số (USB token) qua thư viện PKCS#11 của nhà cung cấp / Sign with a
    /// USB token through the vendor's PKCS#11 library (.dll on Windows, .so on Linux).
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// The token, by label or slot number (needed when several are plugged in).
    #[arg(long, value_name = "LABEL|SLOT", requires = "pkcs11")]
    pub token: Option<String>,
    /// The key on the token, by label or hex id (needed when it holds several).
    #[arg(long, value_name = "LABEL|ID", requires = "pkcs11")]
    pub key: Option<String>,
    /// The file holding the token's PIN (first line; `-` reads standard input).
    #[arg(long, value_name = "FILE", requires = "pkcs11")]
    pub pin_file: Option<PathBuf>,
}

/// Which signature block a signature fills, and for whom (`minutes` and `sign`; issue 24 §1).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BlockArgs {
    /// Ký vào ô của người có tên in dưới ô (hoặc ô có tên này) / Sign in the block of the person
    /// printed under it (or the block of this name); default: the next unsigned block.
    #[arg(long = "for", value_name = "HỌ TÊN")]
    pub field: Option<String>,
    /// Ký thay người có tên in dưới ô, vì lý do này (ghi vào chữ ký, verify hiện ra) / Sign in
    /// another person's block for this stated reason (written into the signature; verify
    /// shows it). Without it a certificate that does not name the printed person is refused.
    #[arg(long, value_name = "LÝ DO")]
    pub on_behalf: Option<String>,
    /// Không vẽ ảnh chữ ký và con dấu đã lưu (lệnh sign-images) / Draw no stored signature or
    /// seal image (see sign-images): the framed words alone.
    #[arg(long)]
    pub no_images: bool,
}

impl BlockArgs {
    /// The pictures the signature by `cert` is drawn with: those stored for its name and
    /// organisation in the user's folder (`sign-images`), unless `--no-images`.
    #[must_use]
    pub fn images(&self, cert: &x509_cert::Certificate) -> crate::signing::images::SignImages {
        if self.no_images {
            return crate::signing::images::SignImages::default();
        }
        crate::signing::images::ImageStore::user()
            .map(|s| s.for_certificate(cert))
            .unwrap_or_default()
    }
}

impl KeyArgs {
    /// Whether a key was asked for.
    #[must_use]
    pub fn given(&self) -> bool {
        self.p12.is_some() || self.pkcs11.is_some()
    }

    /// Opens the key asked for (`None` when none was).
    ///
    /// # Errors
    ///
    /// The message to print (both languages) when the .p12 file cannot be read or its password is
    /// wrong, the token library cannot be loaded, the PIN cannot be read, or the token refuses the
    /// login or has no such key.
    pub fn open(&self) -> Result<Option<Box<dyn KeySigner>>, String> {
        if let Some(p12) = &self.p12 {
            return super::seal::identity(p12, self.password_file.as_deref())
                .map(|id| Some(Box::new(id) as Box<dyn KeySigner>));
        }
        let Some(module) = &self.pkcs11 else {
            return Ok(None);
        };
        let Some(pin_file) = &self.pin_file else {
            return Err("Lỗi: cần mã PIN của thiết bị ký số: ghi vào một tệp và dùng --pin-file TỆP (hoặc --pin-file - để nhập từ bàn phím)\nError: the token's PIN is needed: put it in a file and use --pin-file FILE (or --pin-file - to read standard input)".into());
        };
        let pin = AuthPin::from(secret_line(pin_file)?);
        let token = self.token.as_deref().map(|t| match t.parse::<u64>() {
            Ok(slot) => TokenChoice::Slot(slot),
            Err(_) => TokenChoice::Label(t.to_owned()),
        });
        let key = self
            .key
            .as_deref()
            .map(|k| match crate::encode::from_hex(k) {
                Some(id) if k.len() >= 2 => KeyChoice::Id(id),
                _ => KeyChoice::Label(k.to_owned()),
            });
        token::open(module, token.as_ref(), key.as_ref(), pin)
            .map(|s| Some(Box::new(s) as Box<dyn KeySigner>))
            .map_err(|e| {
                let m = e.message();
                format!("Lỗi: {}\nError: {}", m.vi, m.en)
            })
    }
}

/// The first line of `path` (standard input for `-`), without its line end.
///
/// # Errors
///
/// The message to print when the file (or standard input) cannot be read.
pub fn secret_line(path: &Path) -> Result<String, String> {
    let text = if path.as_os_str() == "-" {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("Lỗi / Error: {e}"))?;
        line
    } else {
        std::fs::read_to_string(path).map_err(|e| {
            let m = crate::text::cannot_read(path, &e);
            format!("Lỗi: {}\nError: {}", m.vi, m.en)
        })?
    };
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

/// `tokens --pkcs11 MODULE`: every token and the certificates on it, for the user to choose.
///
/// # Errors
///
/// The message to print when the token library cannot be loaded or the tokens cannot be listed.
pub fn list(module: &Path, lang: crate::text::Lang) -> Result<u8, String> {
    let tokens = token::list_tokens(module).map_err(|e| {
        let m = e.message();
        format!("Lỗi: {}\nError: {}", m.vi, m.en)
    })?;
    print_tokens(&tokens, lang == crate::text::Lang::Vi);
    Ok(super::EXIT_OK)
}

/// `tokens` alone: the tokens of every library found on this computer ([`discover`]: the one
/// the app remembers, p11-kit's, the known names), each under its vendor's name and path with
/// the `--pkcs11` to give. A library that cannot be listed says why and the others go on.
///
/// [`discover`]: token::discover::discover
///
/// # Errors
///
/// The message to print when a library was named with `--pkcs11` and cannot be listed; a found
/// library that fails is reported in the list instead.
pub fn list_found(lang: crate::text::Lang) -> Result<u8, String> {
    use token::discover::{Places, chosen_in, discover};
    let vi = lang == crate::text::Lang::Vi;
    let chosen = crate::archive::data_dir().and_then(|d| chosen_in(&d));
    let found = discover(&Places::this_computer(chosen));
    if found.is_empty() {
        return Err("Lỗi: không tìm thấy phần mềm của thiết bị ký số nào trên máy này: hãy cài phần mềm của nhà cung cấp chứng thư số, hoặc chỉ rõ thư viện bằng --pkcs11 TỆP\nError: no token software found on this computer: install the certificate provider's software, or name the library with --pkcs11 FILE".into());
    }
    for library in &found {
        println!("{}  --pkcs11 {}", library.name, library.path.display());
        match token::list_tokens(&library.path) {
            Ok(tokens) => print_tokens(&tokens, vi),
            Err(e) => {
                let m = e.message();
                println!("  {}", if vi { m.vi } else { m.en });
            }
        }
    }
    Ok(super::EXIT_OK)
}

/// `sign-images`: what to keep, forget or list.
#[derive(Debug, Clone, clap::Args)]
pub struct ImageArgs {
    /// Ảnh chữ ký tay (PNG nền trong suốt) của người có tên --name / The handwritten signature
    /// (a PNG with a transparent background) of the person --name.
    #[arg(long, value_name = "PNG", requires = "name")]
    pub signature: Option<PathBuf>,
    /// Họ tên người ký, như trong chứng thư số / The signer's name, as the certificate writes it.
    #[arg(long, value_name = "HỌ TÊN")]
    pub name: Option<String>,
    /// Ảnh con dấu (PNG nền trong suốt, có độ phân giải để in đúng cỡ thật) của cơ quan --org /
    /// The seal (a PNG with a transparent background and its resolution, so that it prints at
    /// real size) of the organisation --org.
    #[arg(long, value_name = "PNG", requires = "org")]
    pub seal: Option<PathBuf>,
    /// Tên cơ quan, như trong chứng thư số (O) / The organisation's name, as the certificate
    /// writes it (O).
    #[arg(long, value_name = "CƠ QUAN")]
    pub org: Option<String>,
    /// Bỏ ảnh chữ ký của --name và/hoặc ảnh con dấu của --org / Forget the signature of --name
    /// and/or the seal of --org.
    #[arg(long, conflicts_with_all = ["signature", "seal"])]
    pub remove: bool,
}

/// `sign-images`: keeps, forgets or lists the signature and seal images of this computer's
/// user.
///
/// # Errors
/// The message to print (both languages) when a picture is refused or the folder cannot be
/// written; nothing is changed then.
pub fn sign_images(args: &ImageArgs) -> Result<u8, String> {
    use crate::signing::images::{ImageKind, ImageStore};
    let store = ImageStore::user().ok_or(
        "Lỗi: máy này không có thư mục dữ liệu người dùng\nError: this computer has no user data folder",
    )?;
    let both = |e: &dyn std::fmt::Display| e.to_string().replace(" / ", "\nError: ");
    let mut did = false;
    let picks = [
        (ImageKind::Signature, &args.signature, &args.name),
        (ImageKind::Seal, &args.seal, &args.org),
    ];
    for (kind, file, owner) in picks {
        let Some(owner) = owner else { continue };
        if args.remove {
            let gone = store
                .remove(kind, owner)
                .map_err(|e| format!("Lỗi: {}", both(&e)))?;
            let l = kind.label();
            if gone {
                println!(
                    "Đã bỏ {} của {owner} / Removed the {} of {owner}",
                    l.vi, l.en
                );
            } else {
                println!("Không có {} của {owner} / No {} of {owner}", l.vi, l.en);
            }
            did = true;
        } else if let Some(file) = file {
            let bytes = crate::signing::images::read_file(file)
                .map_err(|e| format!("Lỗi: {}: {}", file.display(), both(&e)))?;
            store
                .put(kind, owner, &bytes)
                .map_err(|e| format!("Lỗi: {}: {}", file.display(), both(&e)))?;
            let l = kind.label();
            println!("Đã lưu {} của {owner} / Kept the {} of {owner}", l.vi, l.en);
            did = true;
        }
    }
    if !did {
        let list = store.list();
        if list.is_empty() {
            println!("Chưa có ảnh chữ ký hay con dấu nào / No signature or seal image yet");
        }
        for s in &list {
            let l = s.kind.label();
            println!(
                "{} / {}: {}  ({})",
                l.vi,
                l.en,
                s.owner,
                store.dir().join(&s.file).display()
            );
        }
    }
    Ok(super::EXIT_OK)
}

/// The tokens and their certificates, with the `--key` of each.
fn print_tokens(tokens: &[token::TokenInfo], vi: bool) {
    if tokens.is_empty() {
        println!(
            "{}",
            if vi {
                "Không có thiết bị ký số nào"
            } else {
                "No token"
            }
        );
    }
    for t in tokens {
        println!(
            "{} {} ({} {}, {} {}): {}",
            if vi { "Khe" } else { "Slot" },
            t.slot,
            t.manufacturer,
            t.model,
            if vi { "số sê-ri" } else { "serial" },
            t.serial,
            t.label
        );
        for c in &t.certificates {
            let who = c
                .details
                .as_ref()
                .map_or_else(|| c.label.clone(), |d| d.common_name.clone());
            let key = match c.key {
                token::KeyPresence::Present => {
                    if vi {
                        "có khóa"
                    } else {
                        "key present"
                    }
                }
                token::KeyPresence::Absent => {
                    if vi {
                        "không có khóa"
                    } else {
                        "no key"
                    }
                }
                token::KeyPresence::Unknown => {
                    if vi {
                        "khóa: cần PIN để xem"
                    } else {
                        "key: needs the PIN to see"
                    }
                }
            };
            println!(
                "  --key {}  ({} \"{}\", {who}; {key})",
                c.id_hex,
                if vi { "nhãn" } else { "label" },
                c.label
            );
            if let Some(d) = &c.details {
                println!(
                    "      {}: {}",
                    if vi { "Cấp bởi" } else { "Issuer" },
                    d.issuer
                );
            }
        }
    }
}
