//! What a PDF's later revisions changed after a signature: the signed revision against the
//! file as it is now, object by object.
//!
//! Signing adds a signature to a field; that, and what it needs, is all a later revision may
//! do: the value (`/V`) and look (`/AP`) of a field that was empty, new invisible signature
//! fields (a zero-size rectangle: they draw nothing), the form's `/Fields` (appended to) and
//! `/SigFlags`, and the catalog's `/DSS` (validation data). Everything else — a page's content,
//! resources or annotations, the catalog, the document information where the fingerprint is
//! stated, an object removed, an empty reference of the signed revision filled — is a change,
//! named by what a reader would call it. The rules are those of a DocMDP level 2 document
//! without form filling (ISO 32000-2, 12.8.2.2), which is what signed minutes are.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::text::Message;

/// One change found after a signature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Page `k` (from 1): its content, resources, size or another of its entries.
    Page(usize),
    /// An annotation of page `k` added, removed or changed (a note, stamp, link, or a visible
    /// field): drawn over the page.
    Annotations(usize),
    /// The page tree: pages added, removed or reordered.
    Pages,
    /// The document catalog: what opens, outlines, names, actions, viewer settings.
    Catalog,
    /// The interactive form, beyond what a signature adds.
    Form,
    /// A field signed in the signed revision: its value or look.
    SignedField(String),
    /// The document information (title, keywords, where the fingerprint is) or its XMP.
    Metadata,
    /// The trailer: which catalog or information dictionary the file uses.
    Trailer,
    /// An object the signed revision has, removed.
    Removed(u32),
    /// Another object of the signed revision, changed.
    Object(u32),
    /// A reference the signed revision left empty now points at a new object: a hidden
    /// object brought in after signing.
    Filled(u32),
    /// Bytes after the end of the last revision, which no signature covers.
    Tail(usize),
}

impl Change {
    /// The change in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            Self::Page(k) => Message::new(
                format!("nội dung, tài nguyên hoặc khổ của trang {k}"),
                format!("the content, resources or size of page {k}"),
            ),
            Self::Annotations(k) => Message::new(
                format!("chú thích vẽ trên trang {k} (ghi chú, dấu, liên kết, ô hiện lên)"),
                format!("annotations drawn on page {k} (notes, stamps, links, visible fields)"),
            ),
            Self::Pages => Message::new(
                "danh sách trang (thêm, bớt hoặc đổi thứ tự trang)",
                "the page tree (pages added, removed or reordered)",
            ),
            Self::Catalog => Message::new(
                "mục lục tài liệu (catalog: thao tác khi mở, mục lục, tên, cách hiển thị)",
                "the document catalog (open actions, outlines, names, viewer settings)",
            ),
            Self::Form => Message::new(
                "biểu mẫu ngoài những gì chữ ký thêm vào",
                "the form, beyond what a signature adds",
            ),
            Self::SignedField(name) => Message::new(
                format!("ô chữ ký đã ký \"{name}\" (giá trị hoặc hình hiển thị)"),
                format!("the signed field \"{name}\" (its value or look)"),
            ),
            Self::Metadata => Message::new(
                "thông tin tài liệu (tiêu đề, từ khóa có mã kiểm tra) hoặc siêu dữ liệu XMP",
                "the document information (title, keywords with the fingerprint) or its XMP",
            ),
            Self::Trailer => Message::new(
                "phần cuối tệp (trailer: mục lục hoặc thông tin tài liệu được dùng)",
                "the trailer (which catalog or document information is used)",
            ),
            Self::Removed(id) => Message::new(
                format!("đối tượng {id} của bản đã ký bị xóa"),
                format!("object {id} of the signed revision removed"),
            ),
            Self::Object(id) => Message::new(
                format!("đối tượng {id} của bản đã ký bị sửa"),
                format!("object {id} of the signed revision changed"),
            ),
            Self::Filled(id) => Message::new(
                format!("tham chiếu trống trong bản đã ký nay trỏ tới đối tượng mới {id}"),
                format!("an empty reference of the signed revision now points at new object {id}"),
            ),
            Self::Tail(n) => Message::new(
                format!("{n} byte thêm vào cuối tệp, ngoài mọi phiên bản"),
                format!("{n} bytes appended after the last revision"),
            ),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.message();
        write!(f, "{} / {}", m.vi, m.en)
    }
}

/// What an object of the signed revision is, for naming a change to it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Catalog,
    Info,
    Metadata,
    PageTree,
    /// The page dictionary itself (append-only `/Annots` allowed).
    PageDict(usize),
    /// The array object a page's `/Annots` refers to (append-only).
    AnnotsArray(usize),
    /// Content, resources, fonts, images of a page.
    PagePart(usize),
    Annotation(usize),
    /// The form dictionary.
    Form,
    /// The array object the form's `/Fields` refers to (append-only).
    FieldsArray,
    /// A signature field (or its widget, or its signature dictionary, or its look): its name,
    /// and whether it was signed in the signed revision.
    SigField(String, bool),
    /// Another field.
    Field,
}

/// How many objects below a page's resources are named after the page: enough for fonts and
/// images, bounded for a hostile file.
const MAX_WALK: usize = 10_000;

/// The references inside an object (deep, through arrays, dictionaries and stream
/// dictionaries).
fn references(o: &Object, out: &mut Vec<ObjectId>) {
    match o {
        Object::Reference(r) => out.push(*r),
        Object::Array(items) => items.iter().for_each(|i| references(i, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, v)| references(v, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, v)| references(v, out)),
        _ => {}
    }
}

/// Two objects alike, ignoring where a stream happened to lie in the file.
fn same(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => x.dict == y.dict && x.content == y.content,
        _ => a == b,
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Reference(r) => doc.get_dictionary(*r).ok(),
        _ => None,
    }
}

fn array<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Vec<Object>> {
    match o {
        Object::Array(a) => Some(a),
        Object::Reference(r) => doc.get_object(*r).and_then(Object::as_array).ok(),
        _ => None,
    }
}

fn is_name(d: &Dictionary, key: &[u8], name: &[u8]) -> bool {
    d.get(key)
        .and_then(Object::as_name)
        .is_ok_and(|n| n == name)
}

/// Whether a field dictionary is a signature field: `/FT /Sig`, its own or its parent's.
fn is_sig_field(doc: &Document, d: &Dictionary) -> bool {
    is_name(d, b"FT", b"Sig")
        || d.get(b"Parent")
            .ok()
            .and_then(|p| dict(doc, p))
            .is_some_and(|p| is_name(p, b"FT", b"Sig"))
}

/// Whether a widget draws nothing: its rectangle has no area.
fn zero_area(d: &Dictionary) -> bool {
    let Ok(rect) = d.get(b"Rect").and_then(Object::as_array) else {
        return false;
    };
    let n: Vec<f64> = rect
        .iter()
        .filter_map(|v| {
            v.as_float()
                .ok()
                .map(f64::from)
                .or_else(|| v.as_i64().ok().map(|i| i as f64))
        })
        .collect();
    #[expect(
        clippy::float_cmp,
        reason = "exact equality is the question: no area at all"
    )]
    let flat = n.len() == 4 && (n[0] == n[2] || n[1] == n[3]);
    flat
}

/// A field's name (`/T`).
fn field_name(d: &Dictionary) -> String {
    d.get(b"T")
        .ok()
        .and_then(|t| lopdf::decode_text_string(t).ok())
        .unwrap_or_default()
}

/// The signature fields of a document's form, with their field object, their name and
/// their value (`/V`): `(field, name, value)`. Walks `/Kids`, each object once.
pub(crate) fn signature_fields(doc: &Document) -> Vec<(ObjectId, String, Option<Object>)> {
    let mut out = Vec::new();
    let Some(root) = doc.trailer.get(b"Root").ok().and_then(|r| dict(doc, r)) else {
        return out;
    };
    let Some(form) = root.get(b"AcroForm").ok().and_then(|f| dict(doc, f)) else {
        return out;
    };
    let mut stack: Vec<Object> = form
        .get(b"Fields")
        .ok()
        .and_then(|f| array(doc, f))
        .cloned()
        .unwrap_or_default();
    stack.reverse();
    let mut seen = BTreeSet::new();
    while let Some(item) = stack.pop() {
        let Object::Reference(id) = item else {
            continue;
        };
        if !seen.insert(id) || seen.len() > MAX_WALK {
            continue;
        }
        let Ok(d) = doc.get_dictionary(id) else {
            continue;
        };
        if is_sig_field(doc, d) {
            out.push((id, field_name(d), d.get(b"V").ok().cloned()));
        }
        if let Some(kids) = d.get(b"Kids").ok().and_then(|k| array(doc, k)) {
            stack.extend(kids.iter().rev().cloned());
        }
    }
    out
}

/// Names the objects of the signed revision by what they are.
fn roles(doc: &Document) -> BTreeMap<ObjectId, Role> {
    let mut roles = BTreeMap::new();
    let put = |roles: &mut BTreeMap<ObjectId, Role>, id: ObjectId, role: Role| {
        roles.entry(id).or_insert(role);
    };
    if let Ok(Object::Reference(r)) = doc.trailer.get(b"Root") {
        put(&mut roles, *r, Role::Catalog);
    }
    if let Ok(Object::Reference(r)) = doc.trailer.get(b"Info") {
        put(&mut roles, *r, Role::Info);
    }
    let catalog = doc.trailer.get(b"Root").ok().and_then(|r| dict(doc, r));
    if let Some(c) = catalog {
        if let Ok(Object::Reference(r)) = c.get(b"Metadata") {
            put(&mut roles, *r, Role::Metadata);
        }
        if let Ok(Object::Reference(r)) = c.get(b"AcroForm") {
            put(&mut roles, *r, Role::Form);
        }
        if let Ok(Object::Reference(r)) = c.get(b"Pages") {
            put(&mut roles, *r, Role::PageTree);
        }
    }
    // Signature fields first: their widgets are also annotations of a page.
    for (id, name, value) in signature_fields(doc) {
        let signed = value.is_some();
        let field = doc.get_dictionary(id).ok();
        put(&mut roles, id, Role::SigField(name.clone(), signed));
        if let Some(Object::Reference(v)) = value {
            put(&mut roles, v, Role::SigField(name.clone(), signed));
        }
        // Its look: the appearance dictionary's streams.
        let mut look = Vec::new();
        if let Some(ap) = field.and_then(|f| f.get(b"AP").ok()) {
            references(ap, &mut look);
        }
        for r in look {
            put(&mut roles, r, Role::SigField(name.clone(), signed));
        }
    }
    if let Some(form) = catalog
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|f| dict(doc, f))
        && let Ok(Object::Reference(r)) = form.get(b"Fields")
    {
        put(&mut roles, *r, Role::FieldsArray);
    }
    for (k, page_id) in doc.get_pages() {
        let k = usize::try_from(k).unwrap_or(usize::MAX);
        put(&mut roles, page_id, Role::PageDict(k));
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        if let Ok(Object::Reference(r)) = page.get(b"Annots") {
            put(&mut roles, *r, Role::AnnotsArray(k));
        }
        if let Some(annots) = page.get(b"Annots").ok().and_then(|a| array(doc, a)) {
            for a in annots {
                if let Object::Reference(r) = a {
                    put(&mut roles, *r, Role::Annotation(k));
                }
            }
        }
        // Everything the page draws with: content, resources, and what they refer to.
        let mut stack = Vec::new();
        for key in [&b"Contents"[..], b"Resources", b"Group", b"Thumb"] {
            if let Ok(o) = page.get(key) {
                references(o, &mut stack);
            }
        }
        let mut walked = 0;
        while let Some(r) = stack.pop() {
            walked += 1;
            if walked > MAX_WALK || roles.contains_key(&r) {
                continue;
            }
            roles.insert(r, Role::PagePart(k));
            if let Ok(o) = doc.get_object(r) {
                references(o, &mut stack);
            }
        }
    }
    // Other fields and the intermediate nodes of the page tree.
    for (id, o) in &doc.objects {
        if roles.contains_key(id) {
            continue;
        }
        if let Ok(d) = o.as_dict() {
            if is_name(d, b"Type", b"Pages") {
                roles.insert(*id, Role::PageTree);
            } else if d.get(b"FT").is_ok() {
                roles.insert(*id, Role::Field);
            }
        }
    }
    roles
}

/// What the file's own cross-reference sections say beyond what lopdf shows: lopdf skips a
/// table's free entries (so it still shows an object a later revision deleted), and it cannot
/// say which objects a later revision wrote anew.
pub(crate) struct Listed<'a> {
    /// Free as of the signed revision.
    pub signed_freed: &'a BTreeSet<u32>,
    /// Free in the file as it is now.
    pub now_freed: &'a BTreeSet<u32>,
    /// Listed by a revision after the signed one.
    pub rewritten: &'a BTreeSet<u32>,
}

/// Everything the file as it is now (`now`) changed against the revision a signature covers
/// (`signed`), other than adding signatures. `signatures` are the signature dictionaries the
/// verifier checked: a field may take one of them as its value, and nothing else.
pub(crate) fn changes(
    signed: &Document,
    now: &Document,
    signatures: &BTreeSet<ObjectId>,
    listed: &Listed<'_>,
) -> Vec<Change> {
    let roles = roles(signed);
    let mut found = BTreeSet::new();
    let rules = Rules {
        signed,
        now,
        signatures,
    };

    for key in [&b"Root"[..], b"Info"] {
        if signed.trailer.get(key).ok() != now.trailer.get(key).ok() {
            found.insert(Change::Trailer);
        }
    }
    // References the signed revision leaves empty: defining them later brings in content.
    let mut referenced = Vec::new();
    for o in signed.objects.values() {
        references(o, &mut referenced);
    }
    references(&Object::Dictionary(signed.trailer.clone()), &mut referenced);
    let dangling: BTreeSet<ObjectId> = referenced
        .into_iter()
        .filter(|r| !signed.objects.contains_key(r) || listed.signed_freed.contains(&r.0))
        .collect();

    for (id, before) in &signed.objects {
        if listed.signed_freed.contains(&id.0) {
            continue;
        }
        let role = roles.get(id);
        let after = now
            .objects
            .get(id)
            .filter(|_| !listed.now_freed.contains(&id.0));
        match after {
            None => {
                found.insert(named(role, *id, true));
            }
            // Not written again: the very bytes that were signed.
            Some(_) if !listed.rewritten.contains(&id.0) => {}
            // Written again alike: harmless for a dictionary; a stream written again is a
            // change even when lopdf reads it alike (readers disagree on a stream's extent).
            Some(after) if same(before, after) && !matches!(before, Object::Stream(_)) => {}
            Some(after) => {
                if let Some(change) = rules.judge(role, before, after) {
                    found.insert(change.unwrap_or_else(|| named(role, *id, false)));
                }
            }
        }
    }
    for id in now.objects.keys() {
        let absent = !signed.objects.contains_key(id) || listed.signed_freed.contains(&id.0);
        if absent && dangling.contains(id) && !listed.now_freed.contains(&id.0) {
            found.insert(Change::Filled(id.0));
        }
    }
    found.into_iter().collect()
}

/// The change a reader would name for an object of `role`.
fn named(role: Option<&Role>, id: ObjectId, removed: bool) -> Change {
    match role {
        Some(Role::Catalog) => Change::Catalog,
        Some(Role::Info | Role::Metadata) => Change::Metadata,
        Some(Role::PageTree) => Change::Pages,
        Some(Role::PageDict(k) | Role::PagePart(k)) => Change::Page(*k),
        Some(Role::AnnotsArray(k) | Role::Annotation(k)) => Change::Annotations(*k),
        Some(Role::Form | Role::FieldsArray | Role::Field) => Change::Form,
        Some(Role::SigField(name, _)) => Change::SignedField(name.clone()),
        None if removed => Change::Removed(id.0),
        None => Change::Object(id.0),
    }
}

/// The changes that adding a signature makes, checked object by object.
struct Rules<'a> {
    signed: &'a Document,
    now: &'a Document,
    signatures: &'a BTreeSet<ObjectId>,
}

impl Rules<'_> {
    /// `None` when the change from `before` to `after` is one signing makes; otherwise the
    /// change, when it is better named than by the object's role (`Some(None)`: by its role).
    fn judge(
        &self,
        role: Option<&Role>,
        before: &Object,
        after: &Object,
    ) -> Option<Option<Change>> {
        let refuse = Some(None);
        if matches!(role, Some(Role::AnnotsArray(_) | Role::FieldsArray)) {
            let ok = matches!((before, after), (Object::Array(_), Object::Array(_)))
                && self.appended_only(Some(before), Some(after), Self::invisible_signature);
            return if ok { None } else { refuse };
        }
        let (Ok(b), Ok(a)) = (before.as_dict(), after.as_dict()) else {
            return refuse;
        };
        match role {
            Some(Role::Catalog) => {
                if !same_except(b, a, &[b"AcroForm", b"DSS"]) {
                    refuse
                } else if self.form_allowed(b.get(b"AcroForm").ok(), a.get(b"AcroForm").ok()) {
                    None
                } else {
                    Some(Some(Change::Form))
                }
            }
            Some(Role::Form) => (!self.form_dict_allowed(b, a)).then_some(None),
            // An empty signature field takes a value (a checked signature) and a look.
            Some(Role::SigField(_, false)) => {
                let value_ok = match a.get(b"V") {
                    Ok(Object::Reference(v)) => {
                        self.signatures.contains(v) && !self.signed.objects.contains_key(v)
                    }
                    Err(_) => true,
                    Ok(_) => false,
                };
                (!(same_except(b, a, &[b"V", b"AP"]) && value_ok)).then_some(None)
            }
            Some(Role::PageDict(k)) => {
                if !same_except(b, a, &[b"Annots"]) {
                    refuse
                } else if self.appended_only(
                    b.get(b"Annots").ok(),
                    a.get(b"Annots").ok(),
                    Self::invisible_signature,
                ) {
                    None
                } else {
                    Some(Some(Change::Annotations(*k)))
                }
            }
            _ => refuse,
        }
    }

    /// The catalog's `/AcroForm` before and after, direct or referenced.
    fn form_allowed(&self, before: Option<&Object>, after: Option<&Object>) -> bool {
        match (before, after) {
            (Some(Object::Reference(x)), Some(Object::Reference(y))) if x == y => true,
            (b, Some(a)) => {
                let empty = Dictionary::new();
                let b = b.and_then(|b| dict(self.signed, b)).unwrap_or(&empty);
                dict(self.now, a).is_some_and(|a| self.form_dict_allowed(b, a))
            }
            (None, None) => true,
            (Some(_), None) => false,
        }
    }

    /// The form may gain new signature fields and `/SigFlags`, nothing else.
    fn form_dict_allowed(&self, b: &Dictionary, a: &Dictionary) -> bool {
        same_except(b, a, &[b"Fields", b"SigFlags"])
            && self.appended_only(
                b.get(b"Fields").ok(),
                a.get(b"Fields").ok(),
                Self::invisible_signature,
            )
    }

    /// `after` is `before` with items appended, each new and passing `ok`.
    fn appended_only(
        &self,
        before: Option<&Object>,
        after: Option<&Object>,
        ok: fn(&Self, &Object) -> bool,
    ) -> bool {
        let empty = Vec::new();
        let b = before.and_then(|o| array(self.signed, o)).unwrap_or(&empty);
        let Some(a) = after.and_then(|o| array(self.now, o)) else {
            return before.is_none();
        };
        // The same array object: it is judged as an object of its own.
        if let (Some(Object::Reference(x)), Some(Object::Reference(y))) = (before, after)
            && x == y
        {
            return true;
        }
        a.len() >= b.len() && a[..b.len()] == b[..] && a[b.len()..].iter().all(|o| ok(self, o))
    }

    /// A new signature field that draws nothing.
    fn invisible_signature(&self, o: &Object) -> bool {
        let Object::Reference(id) = o else {
            return false;
        };
        !self.signed.objects.contains_key(id)
            && self
                .now
                .get_dictionary(*id)
                .is_ok_and(|d| is_sig_field(self.now, d) && zero_area(d))
    }
}

/// Whether two dictionaries agree on every key but `except`.
fn same_except(b: &Dictionary, a: &Dictionary, except: &[&[u8]]) -> bool {
    let keys: BTreeSet<&[u8]> = b
        .iter()
        .chain(a.iter())
        .map(|(k, _)| k.as_slice())
        .collect();
    keys.into_iter()
        .filter(|k| !except.contains(k))
        .all(|k| match (b.get(k).ok(), a.get(k).ok()) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        })
}
