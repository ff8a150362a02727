//! Image format sniffing from the file's bytes, pixel size from the JPEG frame header (SOF) or the
//! PNG `IHDR` chunk, and truncation detection (a JPEG must reach its end marker, a PNG its `IEND`).

use serde::Serialize;

/// The format found in the bytes, whatever the file's extension says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG (`\x89PNG` signature).
    Png,
    /// GIF (`GIF87a`/`GIF89a` signature).
    Gif,
    /// WebP (a RIFF container with `WEBP`).
    Webp,
    /// BMP (`BM` signature).
    Bmp,
    /// TIFF (`II*` or `MM*` signature).
    Tiff,
    /// PDF (not an image).
    Pdf,
    /// Anything else.
    Unknown,
}

impl ImageFormat {
    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Gif => "GIF",
            ImageFormat::Webp => "WebP",
            ImageFormat::Bmp => "BMP",
            ImageFormat::Tiff => "TIFF",
            ImageFormat::Pdf => "PDF",
            ImageFormat::Unknown => "desconocido",
        }
    }

    /// Extensions (lowercase, no dot) that name this format; policies list formats by these.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ImageFormat::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            ImageFormat::Png => &["png"],
            ImageFormat::Gif => &["gif"],
            ImageFormat::Webp => &["webp"],
            ImageFormat::Bmp => &["bmp"],
            ImageFormat::Tiff => &["tif", "tiff"],
            ImageFormat::Pdf => &["pdf"],
            ImageFormat::Unknown => &[],
        }
    }
}

/// What the bytes say about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    /// The real format.
    pub format: ImageFormat,
    /// Width in pixels, when the header could be read.
    pub width: Option<u32>,
    /// Height in pixels, when the header could be read.
    pub height: Option<u32>,
    /// Why the image is truncated or damaged, in Spanish; `None` when it is whole.
    pub damage: Option<String>,
}

/// The format of a file from its first bytes.
pub fn sniff(bytes: &[u8]) -> ImageFormat {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        ImageFormat::Gif
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        ImageFormat::Webp
    } else if bytes.starts_with(b"BM") {
        ImageFormat::Bmp
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        ImageFormat::Tiff
    } else if bytes.starts_with(b"%PDF-") {
        ImageFormat::Pdf
    } else {
        ImageFormat::Unknown
    }
}

/// Sniff the format and read the size and integrity of JPEG and PNG files.
pub fn inspect(bytes: &[u8]) -> ImageInfo {
    let format = sniff(bytes);
    let (size, damage) = match format {
        ImageFormat::Jpeg => jpeg(bytes),
        ImageFormat::Png => png(bytes),
        ImageFormat::Gif => (gif_size(bytes), None),
        _ => (None, None),
    };
    ImageInfo {
        format,
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        damage,
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

type Size = Option<(u32, u32)>;

/// Walk the JPEG segments: the frame header gives the size; the entropy-coded data of every scan
/// must be followed by another marker and finally by the end-of-image marker `FF D9`.
fn jpeg(bytes: &[u8]) -> (Size, Option<String>) {
    let mut size: Size = None;
    let mut pos = 2usize; // after SOI
    let truncated = |size: Size, at: usize| {
        (
            size,
            Some(format!(
                "el JPEG está truncado: termina en el byte {at} sin la marca de fin de imagen (FF D9)"
            )),
        )
    };
    loop {
        // Expect a marker: 0xFF, optional fill 0xFF bytes, then the marker code.
        match bytes.get(pos) {
            None => return truncated(size, bytes.len()),
            Some(0xFF) => {}
            Some(other) => {
                return (
                    size,
                    Some(format!(
                        "el JPEG está dañado: se esperaba una marca en el byte {pos} y hay 0x{other:02X}"
                    )),
                );
            }
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return truncated(size, bytes.len());
        };
        pos += 1;
        match marker {
            0xD9 => {
                return if size.is_some() {
                    (size, None)
                } else {
                    (
                        None,
                        Some(
                            "el JPEG no tiene encabezado de imagen (SOF): no se pueden leer sus medidas"
                                .into(),
                        ),
                    )
                };
            }
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(length) = be16(bytes, pos) else {
            return truncated(size, bytes.len());
        };
        let length = usize::from(length);
        if length < 2 {
            return (
                size,
                Some(format!(
                    "el JPEG está dañado: segmento de longitud {length} en el byte {pos}"
                )),
            );
        }
        let end = pos + length;
        if end > bytes.len() {
            return truncated(size, bytes.len());
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let height = be16(bytes, pos + 3).unwrap_or(0);
            let width = be16(bytes, pos + 5).unwrap_or(0);
            if width == 0 || height == 0 {
                return (
                    None,
                    Some("el JPEG declara medidas de 0 píxeles en su encabezado (SOF)".into()),
                );
            }
            size = Some((u32::from(width), u32::from(height)));
        }
        pos = end;
        if marker == 0xDA {
            if size.is_none() {
                return (
                    None,
                    Some("el JPEG empieza los datos de imagen sin encabezado (SOF)".into()),
                );
            }
            // Entropy-coded data: skip to the next marker that is not a stuffed 0x00 or a restart.
            loop {
                match bytes.get(pos) {
                    None => return truncated(size, bytes.len()),
                    Some(0xFF) => match bytes.get(pos + 1) {
                        None => return truncated(size, bytes.len()),
                        Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos += 1,
                        Some(_) => break,
                    },
                    Some(_) => pos += 1,
                }
            }
        }
    }
}

/// PNG: `IHDR` gives the size; the chunks must chain to `IEND`.
fn png(bytes: &[u8]) -> (Size, Option<String>) {
    let size = match (bytes.get(12..16), be32(bytes, 16), be32(bytes, 20)) {
        (Some(b"IHDR"), Some(w), Some(h)) => Some((w, h)),
        _ => None,
    };
    let mut pos = 8usize;
    loop {
        let (Some(length), Some(kind)) = (be32(bytes, pos), bytes.get(pos + 4..pos + 8)) else {
            return (
                size,
                Some("el PNG está truncado: falta el bloque final IEND".into()),
            );
        };
        if kind == b"IEND" {
            return (size, None);
        }
        let next = usize::try_from(length)
            .ok()
            .and_then(|l| pos.checked_add(12)?.checked_add(l));
        match next {
            Some(next) if next <= bytes.len() => pos = next,
            _ => {
                return (
                    size,
                    Some("el PNG está truncado: un bloque pasa del final del archivo".into()),
                );
            }
        }
    }
}

fn gif_size(bytes: &[u8]) -> Size {
    let w = bytes.get(6..8)?;
    let h = bytes.get(8..10)?;
    Some((
        u32::from(u16::from_le_bytes([*w.first()?, *w.get(1)?])),
        u32::from(u16::from_le_bytes([*h.first()?, *h.get(1)?])),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::samples::{jpeg as synthetic_jpeg, png as synthetic_png};

    #[test]
    fn synthetic_jpeg_has_exact_size_and_weight() {
        for weight in [0, 100, 4_000, 153_600, 200_000] {
            let bytes = synthetic_jpeg(1920, 550, weight);
            let info = inspect(&bytes);
            assert_eq!(info.format, ImageFormat::Jpeg);
            assert_eq!((info.width, info.height), (Some(1920), Some(550)));
            assert_eq!(info.damage, None);
            if weight > 100 {
                assert_eq!(bytes.len(), weight);
            }
        }
    }

    #[test]
    fn truncated_jpeg_is_damaged() {
        let bytes = synthetic_jpeg(1920, 550, 5_000);
        for cut in [3, 30, 2_000, bytes.len() - 2, bytes.len() - 1] {
            let info = inspect(bytes.get(..cut).unwrap_or_default());
            assert!(info.damage.is_some(), "cut at {cut}");
        }
    }

    #[test]
    fn png_is_sniffed_with_its_size() {
        let info = inspect(&synthetic_png(1920, 480));
        assert_eq!(info.format, ImageFormat::Png);
        assert_eq!((info.width, info.height), (Some(1920), Some(480)));
        assert_eq!(info.damage, None);
        let cut = synthetic_png(10, 10);
        assert!(inspect(cut.get(..30).unwrap_or_default()).damage.is_some());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 7u32;
        for len in 0..300 {
            let mut bytes = vec![0xFF, 0xD8, 0xFF];
            for _ in 0..len {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                bytes.push((seed >> 16) as u8);
            }
            let _ = inspect(&bytes);
            let _ = png(&bytes);
        }
    }
}
