//! Generators of hostile documents for `tests/it/assets_hostile.rs`: OLE containers whose sector
//! chains loop, run long or leave the file; xlsx workbooks with a part that inflates hugely; PDFs
//! with a flate bomb in a page or an object stream, a circular page tree, a cut before the
//! trailer, flipped bytes. Each is built here, from the crate's synthetic samples or by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Document, Object, Stream, dictionary};
use pauta::assets::samples::{self, Page, PdfSpec, XlsxSpec};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;

fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
    out[at..at + bytes.len()].copy_from_slice(bytes);
}

/// A compound-file header for sectors of `2^shift` bytes, padded to one sector: one FAT sector
/// (sector 0), the directory starting at `directory`.
fn ole_header(shift: u16, directory: u32) -> Vec<u8> {
    let mut out = vec![0u8; 1 << shift];
    put(&mut out, 0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put(&mut out, 0x18, &0x003Eu16.to_le_bytes());
    put(
        &mut out,
        0x1A,
        &(if shift == 12 { 4u16 } else { 3 }).to_le_bytes(),
    );
    put(&mut out, 0x1C, &0xFFFEu16.to_le_bytes());
    put(&mut out, 0x1E, &shift.to_le_bytes());
    put(&mut out, 0x20, &6u16.to_le_bytes());
    put(&mut out, 0x2C, &1u32.to_le_bytes());
    put(&mut out, 0x30, &directory.to_le_bytes());
    put(&mut out, 0x38, &4096u32.to_le_bytes());
    put(&mut out, 0x3C, &END_OF_CHAIN.to_le_bytes());
    put(&mut out, 0x44, &END_OF_CHAIN.to_le_bytes());
    for i in 0..109 {
        let value = if i == 0 { 0 } else { FREE };
        put(&mut out, 0x4C + i * 4, &value.to_le_bytes());
    }
    out
}

/// A compound file of two sectors of `2^shift` bytes (header and FAT) whose directory chain
/// starts at sector 0 and points back at itself. With 64 KiB sectors (`shift` 16) it is 128 KiB.
pub fn ole_self_loop(shift: u16) -> Vec<u8> {
    let size = 1usize << shift;
    let mut out = ole_header(shift, 0);
    let mut fat = vec![0xFFu8; size];
    put(&mut fat, 0, &0u32.to_le_bytes());
    out.extend(fat);
    out
}

/// A compound file whose directory chain goes through every sector of the file and then loops
/// back to the first: `sectors` directory sectors of 512 bytes.
pub fn ole_long_loop(sectors: u32) -> Vec<u8> {
    let mut out = ole_header(9, 1);
    let per_fat = 128u32;
    assert!(sectors < per_fat - 1, "one FAT sector maps 128 sectors");
    let mut fat = vec![FREE; per_fat as usize];
    fat[0] = FAT_SECTOR;
    for s in 1..=sectors {
        fat[s as usize] = if s == sectors { 1 } else { s + 1 };
    }
    for v in fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend(vec![0u8; 512 * sectors as usize]);
    out
}

/// A legacy workbook whose `Workbook` stream runs through a chain of about `bytes / 512` sectors.
pub fn ole_long_chain(bytes: usize) -> Vec<u8> {
    let mut stream = samples::biff_workbook(true);
    stream.resize(bytes, 0);
    samples::ole(&[("Workbook", &stream)])
}

/// A legacy workbook whose directory chain points far past the end of the file.
pub fn ole_chain_beyond_the_file() -> Vec<u8> {
    let mut file = samples::ole(&[("Workbook", &samples::biff_workbook(false))]);
    // The FAT is sector 0 (at 512); the directory is sector 1.
    put(&mut file, 512 + 4, &0x7FFF_FFF0u32.to_le_bytes());
    file
}

/// A clean workbook (title and language only) where `part` is replaced by `<a/>` repeated to
/// `inflated` bytes, deflated at the best level (about a thousandth of that on disk).
pub fn xlsx_with_inflating_part(part: &str, inflated: usize) -> Vec<u8> {
    let base = samples::xlsx(&XlsxSpec {
        core: vec![
            ("dc:title".into(), "Tarifas".into()),
            ("dc:language".into(), "es-CO".into()),
        ],
        ..XlsxSpec::default()
    });
    let mut archive = ZipArchive::new(Cursor::new(base)).unwrap();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).unwrap();
        if file.name().unwrap() != part {
            writer.raw_copy_file(file).unwrap();
        }
    }
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    writer.start_file(part, options).unwrap();
    let chunk = "<a/>".repeat(16 * 1024);
    let mut written = 0;
    while written < inflated {
        writer.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    writer.finish().unwrap().into_inner()
}

/// zlib data of `pattern` repeated to `inflated` bytes.
fn zlib_repeat(pattern: &[u8], inflated: usize) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk: Vec<u8> = pattern
        .iter()
        .copied()
        .cycle()
        .take(64 * 1024 * pattern.len())
        .collect();
    let mut written = 0;
    while written < inflated {
        encoder.write_all(&chunk).unwrap();
        written += chunk.len();
    }
    encoder.finish().unwrap()
}

/// A PDF that meets every rule: text on every page, title, language, tags.
pub fn clean_pdf_spec() -> PdfSpec {
    PdfSpec {
        pages: vec![
            Page::Text("Tarifas 2025".into()),
            Page::Text("Condiciones".into()),
        ],
        info: vec![("Title".into(), "Tarifas de crédito 2025".into())],
        language: Some("es-CO".into()),
        tagged: true,
        ..PdfSpec::default()
    }
}

/// The clean PDF whose first page's content is replaced by path operators (`0 0 m 1 1 l S`)
/// deflated from `inflated` bytes.
pub fn pdf_flate_bomb(inflated: usize) -> Vec<u8> {
    let mut doc = Document::load_mem(&samples::pdf(&clean_pdf_spec())).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc.get_page_contents(page)[0];
    let bomb = Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        zlib_repeat(b"0 0 m 1 1 l S\n", inflated),
    );
    doc.objects.insert(contents, Object::Stream(bomb));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF written by hand from its objects (`N 0 obj … endobj` bodies by number, 1-based and
/// contiguous), with a classic cross-reference table and the given trailer entries.
pub fn pdf_from_objects(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

const TEXT: &[u8] = b"BT /F1 12 Tf 72 720 Td (Tarifas) Tj ET";
const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// A one-page PDF with title, language and tags whose object stream (object 7) inflates from
/// `inflated` bytes of `0 ` (an array of that many zeros, object 8).
pub fn pdf_object_stream_bomb(inflated: usize) -> Vec<u8> {
    let header = b"8 0 ";
    let mut body = header.to_vec();
    body.push(b'[');
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&body).unwrap();
    let chunk = b"0 ".repeat(32 * 1024);
    let mut written = 0;
    while written < inflated {
        encoder.write_all(&chunk).unwrap();
        written += chunk.len();
    }
    encoder.write_all(b"]").unwrap();
    let data = encoder.finish().unwrap();
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Lang (es-CO) /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Extra 8 0 R >>".to_vec(),
        FONT.as_bytes().to_vec(),
        stream_object("", TEXT),
        b"<< /Type /StructTreeRoot >>".to_vec(),
        stream_object(&format!("/Type /ObjStm /N 1 /First {} /Filter /FlateDecode", header.len()), &data),
    ];
    pdf_from_objects(&objects, "/Root 1 0 R")
}

/// A PDF with title, language and tags whose page tree is circular: the root's only kid is a
/// node whose kids are itself and then the one real page (hidden behind the cycle).
pub fn pdf_circular_page_tree() -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Lang (es-CO) /MarkInfo << /Marked true >> /StructTreeRoot 7 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>".to_vec(),
        FONT.as_bytes().to_vec(),
        stream_object("", TEXT),
        b"<< /Type /StructTreeRoot >>".to_vec(),
        b"<< /Title (Tarifas) >>".to_vec(),
    ];
    pdf_from_objects(&objects, "/Root 1 0 R /Info 8 0 R")
}

/// A PDF whose page tree root lists only itself.
pub fn pdf_self_kid_page_tree() -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Lang (es-CO) >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
        b"<< /Title (Tarifas) >>".to_vec(),
    ];
    pdf_from_objects(&objects, "/Root 1 0 R /Info 3 0 R")
}

/// The clean PDF with an author in its Info dictionary.
pub fn pdf_with_author() -> Vec<u8> {
    let mut spec = clean_pdf_spec();
    spec.info.push(("Author".into(), "Juan Pérez".into()));
    samples::pdf(&spec)
}

/// Where `needle` last occurs in `bytes`.
pub fn rfind(bytes: &[u8], needle: &[u8]) -> usize {
    bytes.windows(needle.len()).rposition(|w| w == needle).unwrap()
}

/// [`pdf_with_author`] cut just before its cross-reference table: the body (with `/Author`)
/// is whole, the table and trailer are gone.
pub fn pdf_truncated_with_author() -> Vec<u8> {
    let mut bytes = pdf_with_author();
    bytes.truncate(rfind(&bytes, b"xref"));
    bytes
}

/// [`pdf_with_author`] with one byte of the trailer flipped: its `/Info` key becomes `/Jnfo`.
pub fn pdf_flipped_trailer_info() -> Vec<u8> {
    let mut bytes = pdf_with_author();
    let at = rfind(&bytes, b"/Info") + 1;
    bytes[at] ^= b'I' ^ b'J';
    bytes
}

/// A scanned (image-only) PDF with title, language and tags, with `count` bytes flipped in the
/// names of its page tree (`/Kids`, `/Type /Page`…), which no reader can then follow.
pub fn scanned_pdf_with_flipped_tree(count: usize) -> Vec<u8> {
    let spec = PdfSpec {
        pages: vec![Page::Image(4_000), Page::Image(4_000)],
        ..clean_pdf_spec()
    };
    let mut bytes = samples::pdf(&spec);
    let mut flipped = 0;
    for needle in [b"/Kids".as_slice(), b"/Page".as_slice(), b"/Pages".as_slice()] {
        let mut from = 0;
        while flipped < count {
            let Some(at) = bytes[from..].windows(needle.len()).position(|w| w == needle) else {
                break;
            };
            let at = from + at + 2;
            bytes[at] ^= 0x01;
            flipped += 1;
            from = at;
        }
    }
    bytes
}
