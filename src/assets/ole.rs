//! OLE compound files (the container of legacy `.xls`/`.doc` and of password-encrypted Office
//! files): just enough of the format to list the streams and read the start of one, so that an
//! encrypted workbook is recognised as such instead of as "unknown format".

/// The compound-file signature.
pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// What an OLE container holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OleKind {
    /// An Office Open XML file (xlsx, docx…) encrypted with a password to open
    /// (`EncryptionInfo` + `EncryptedPackage` streams).
    EncryptedOoxml,
    /// A legacy Excel 97–2003 workbook (`.xls`); `encrypted` when it has a `FILEPASS` record.
    LegacyExcel {
        /// Protected with a password to open.
        encrypted: bool,
    },
    /// A legacy Word 97–2003 document (`.doc`); `encrypted` per its FIB flag.
    LegacyWord {
        /// Protected with a password to open.
        encrypted: bool,
    },
    /// Another compound file (PowerPoint, MSI…).
    Other,
    /// A compound file whose structure is broken (the reason, in Spanish): a sector chain that
    /// loops or leaves the file, a header with impossible values.
    Damaged(String),
}

/// One directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    kind: u8,
    start: u32,
    size: u64,
}

/// A parsed compound file (borrowing its bytes).
struct Compound<'a> {
    bytes: &'a [u8],
    shift: u32,
    mini_shift: u32,
    cutoff: u64,
    /// Sectors in the file after the header: no chain can be longer.
    sectors: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    entries: Vec<Entry>,
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Why a compound file cannot be read (Spanish, for the finding).
type Broken = String;

fn cut_short() -> Broken {
    "el archivo está truncado (falta el encabezado)".into()
}

/// Follow a chain of `table` from `start`: the visited units in order. A chain is never longer than
/// `units` (the units the file or stream has), never visits a unit twice, and never points past
/// `units`; each of those is damage.
fn walk(table: &[u32], start: u32, units: usize, what: &str) -> Result<Vec<u32>, Broken> {
    let mut seen = vec![false; units];
    let mut out = Vec::new();
    let mut next = start;
    while next != END_OF_CHAIN && next != FREE {
        let at = usize::try_from(next).unwrap_or(usize::MAX);
        match seen.get_mut(at) {
            None => {
                return Err(format!(
                    "la cadena {what} apunta al sector {next}, fuera del archivo"
                ));
            }
            Some(true) => return Err(format!("la cadena {what} vuelve al sector {next} (es circular)")),
            Some(slot) => *slot = true,
        }
        out.push(next);
        next = match table.get(at) {
            Some(n) => *n,
            None => {
                return Err(format!(
                    "la cadena {what} pasa por el sector {next}, que no está en la tabla"
                ));
            }
        };
    }
    Ok(out)
}

/// One 128-byte directory entry; `None` for an unused one. The size field is 32 bits in
/// version-3 files (512-byte sectors), 64 in version 4.
fn directory_entry(raw: &[u8], shift: u32) -> Option<Entry> {
    let kind = raw.get(66).copied().unwrap_or(0);
    if kind == 0 {
        return None;
    }
    let len = usize::from(le16(raw, 64).unwrap_or(0)).min(64);
    let units: Vec<u16> = raw
        .get(..len)
        .unwrap_or_default()
        .chunks_exact(2)
        .filter_map(|c| Some(u16::from_le_bytes(c.try_into().ok()?)))
        .take_while(|u| *u != 0)
        .collect();
    Some(Entry {
        name: String::from_utf16_lossy(&units),
        kind,
        start: le32(raw, 116).unwrap_or(END_OF_CHAIN),
        size: if shift == 9 {
            u64::from(le32(raw, 120).unwrap_or(0))
        } else {
            le64(raw, 120).unwrap_or(0)
        },
    })
}

impl<'a> Compound<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, Broken> {
        if bytes.get(..8) != Some(SIGNATURE.as_slice()) {
            return Err("no empieza con la firma de un archivo OLE".into());
        }
        let shift = u32::from(le16(bytes, 0x1E).ok_or_else(cut_short)?);
        let mini_shift = u32::from(le16(bytes, 0x20).ok_or_else(cut_short)?);
        if !(7..=16).contains(&shift) || mini_shift >= shift {
            return Err(format!(
                "el encabezado declara sectores de 2^{shift} bytes y mini-sectores de 2^{mini_shift}, que no son posibles"
            ));
        }
        let sector_size = 1usize << shift;
        let mut compound = Compound {
            bytes,
            shift,
            mini_shift,
            cutoff: u64::from(le32(bytes, 0x38).ok_or_else(cut_short)?),
            // Sector `n` starts at `(n + 1) × size`: the header takes the place of one sector.
            sectors: (bytes.len() / sector_size).saturating_sub(1),
            fat: Vec::new(),
            mini_fat: Vec::new(),
            entries: Vec::new(),
        };
        let fat_sectors = compound.fat_sectors()?;
        compound.read_fat(&fat_sectors)?;
        compound.read_directory()?;
        compound.read_mini_fat()?;
        Ok(compound)
    }

    /// Entries of a table sector (`u32` each) per sector.
    fn per_sector(&self) -> usize {
        (1usize << self.shift) / 4
    }

    /// Where the FAT is: 109 sectors named in the header, the rest in the DIFAT chain (its own
    /// chain, linked through the last slot of each DIFAT sector).
    fn fat_sectors(&self) -> Result<Vec<u32>, Broken> {
        let bytes = self.bytes;
        let sectors = self.sectors;
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| le32(bytes, 0x4C + i * 4))
            .filter(|s| *s != FREE && *s != END_OF_CHAIN)
            .collect();
        let per_sector = self.per_sector();
        let mut difat = le32(bytes, 0x44).ok_or_else(cut_short)?;
        let mut seen = vec![false; sectors];
        while difat != END_OF_CHAIN && difat != FREE {
            let at = usize::try_from(difat).unwrap_or(usize::MAX);
            match seen.get_mut(at) {
                None => {
                    return Err(format!(
                        "la tabla DIFAT apunta al sector {difat}, fuera del archivo"
                    ));
                }
                Some(true) => return Err(format!("la tabla DIFAT vuelve al sector {difat} (es circular)")),
                Some(slot) => *slot = true,
            }
            let sector = self.sector(difat)?;
            for i in 0..per_sector.saturating_sub(1) {
                if let Some(s) = le32(sector, i * 4)
                    && s != FREE
                    && s != END_OF_CHAIN
                {
                    fat_sectors.push(s);
                }
            }
            difat = le32(sector, (per_sector - 1) * 4).ok_or_else(cut_short)?;
        }
        if fat_sectors.len() > sectors {
            return Err(format!(
                "el encabezado declara {} sectores de tabla y el archivo solo tiene {sectors}",
                fat_sectors.len()
            ));
        }
        Ok(fat_sectors)
    }

    /// Concatenate the FAT from its sectors.
    fn read_fat(&mut self, fat_sectors: &[u32]) -> Result<(), Broken> {
        let per_sector = self.per_sector();
        for s in fat_sectors {
            let sector = self.sector(*s)?;
            self.fat
                .extend((0..per_sector).filter_map(|i| le32(sector, i * 4)));
        }
        Ok(())
    }

    /// Read the directory's chain into the used entries (128 bytes each).
    fn read_directory(&mut self) -> Result<(), Broken> {
        let directory = self.chain_bytes(
            le32(self.bytes, 0x30).ok_or_else(cut_short)?,
            usize::MAX,
            "del directorio",
        )?;
        let shift = self.shift;
        self.entries.extend(
            directory
                .chunks_exact(128)
                .filter_map(|raw| directory_entry(raw, shift)),
        );
        Ok(())
    }

    /// Read the mini-sector table's chain.
    fn read_mini_fat(&mut self) -> Result<(), Broken> {
        let mini_fat_bytes = self.chain_bytes(
            le32(self.bytes, 0x3C).ok_or_else(cut_short)?,
            usize::MAX,
            "de la tabla de mini-sectores",
        )?;
        self.mini_fat = mini_fat_bytes
            .chunks_exact(4)
            .filter_map(|c| Some(u32::from_le_bytes(c.try_into().ok()?)))
            .collect();
        Ok(())
    }

    fn sector(&self, n: u32) -> Result<&'a [u8], Broken> {
        let size = 1usize << self.shift;
        usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_add(1)?.checked_mul(size))
            .and_then(|start| self.bytes.get(start..start.checked_add(size)?))
            .ok_or_else(|| format!("el sector {n} está fuera del archivo (truncado)"))
    }

    /// Follow a FAT chain, concatenating its sectors, up to `max` bytes.
    fn chain_bytes(&self, start: u32, max: usize, what: &str) -> Result<Vec<u8>, Broken> {
        let mut out = Vec::new();
        for sector in walk(&self.fat, start, self.sectors, what)? {
            if out.len() >= max {
                break;
            }
            out.extend_from_slice(self.sector(sector)?);
        }
        Ok(out)
    }

    /// The first `max` bytes of a stream by name (case-insensitive).
    fn stream(&self, name: &str, max: usize) -> Result<Vec<u8>, Broken> {
        let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
        else {
            return Ok(Vec::new());
        };
        let wanted = usize::try_from(entry.size).unwrap_or(usize::MAX).min(max);
        let what = format!("de la secuencia «{name}»");
        let mut data = if entry.size < self.cutoff {
            let Some(root) = self.entries.iter().find(|e| e.kind == 5) else {
                return Err("falta la entrada raíz del directorio".into());
            };
            let mini_stream = self.chain_bytes(root.start, usize::MAX, "de la mini-secuencia")?;
            let mini = 1usize << self.mini_shift;
            let mut out = Vec::new();
            for unit in walk(&self.mini_fat, entry.start, mini_stream.len() / mini, &what)? {
                if out.len() >= wanted {
                    break;
                }
                let at = usize::try_from(unit).unwrap_or(usize::MAX).saturating_mul(mini);
                out.extend_from_slice(
                    mini_stream
                        .get(at..at.saturating_add(mini))
                        .ok_or_else(|| format!("la cadena {what} sale de la mini-secuencia"))?,
                );
            }
            out
        } else {
            self.chain_bytes(entry.start, wanted, &what)?
        };
        data.truncate(wanted);
        Ok(data)
    }

    fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name.eq_ignore_ascii_case(name))
    }
}

/// Whether the bytes start like a compound file.
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

/// What a compound file holds, and whether it is encrypted. Reading it never takes more memory
/// than the file's size: every chain is bounded by the file's sectors and checked for loops.
pub fn classify(bytes: &[u8]) -> OleKind {
    let compound = match Compound::parse(bytes) {
        Ok(compound) => compound,
        Err(why) => return OleKind::Damaged(why),
    };
    if compound.has("EncryptedPackage") {
        return OleKind::EncryptedOoxml;
    }
    for name in ["Workbook", "Book"] {
        if compound.has(name) {
            return match compound.stream(name, 64 * 1024) {
                Ok(stream) => OleKind::LegacyExcel {
                    encrypted: biff_has_filepass(&stream),
                },
                Err(why) => OleKind::Damaged(why),
            };
        }
    }
    if compound.has("WordDocument") {
        return match compound.stream("WordDocument", 64) {
            Ok(stream) => OleKind::LegacyWord {
                encrypted: le16(&stream, 0x0A).unwrap_or(0) & 0x0100 != 0,
            },
            Err(why) => OleKind::Damaged(why),
        };
    }
    OleKind::Other
}

/// BIFF records until the first end-of-file record: a `FILEPASS` (0x002F) means encrypted.
fn biff_has_filepass(stream: &[u8]) -> bool {
    let mut pos = 0usize;
    while let (Some(kind), Some(len)) = (le16(stream, pos), le16(stream, pos + 2)) {
        match kind {
            0x002F => return true,
            0x000A => return false,
            _ => pos += 4 + usize::from(len),
        }
    }
    false
}

/// Sector size of the synthetic compound files (version 3).
const SYNTHETIC_SECTOR: usize = 512;

/// A minimal version-3 compound file holding the given streams (up to a few megabytes), each
/// padded to the 4096-byte mini-stream cutoff so that all live in regular sectors. For tests.
pub fn synthetic(streams: &[(&str, &[u8])]) -> Vec<u8> {
    const SECTOR: usize = SYNTHETIC_SECTOR;
    let padded: Vec<Vec<u8>> = streams
        .iter()
        .map(|(_, data)| {
            let mut d = data.to_vec();
            if d.len() < 4096 {
                d.resize(4096, 0);
            }
            d
        })
        .collect();
    let data_sectors: Vec<usize> = padded.iter().map(|d| d.len().div_ceil(SECTOR)).collect();
    let dir_sectors = (streams.len() + 1).div_ceil(4);
    let layout = synthetic_fat(dir_sectors, &data_sectors);
    let mut out = synthetic_header(layout.fat_count, layout.dir_start);
    for v in &layout.fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let child = if streams.is_empty() { FREE } else { 1 };
    let mut dir = directory_bytes("Root Entry", 5, child, FREE, END_OF_CHAIN, 0);
    for (i, ((name, _), data)) in streams.iter().zip(&padded).enumerate() {
        let right = if i + 1 < streams.len() {
            (i + 2) as u32
        } else {
            FREE
        };
        let start = layout.starts.get(i).copied().unwrap_or(END_OF_CHAIN);
        dir.extend(directory_bytes(name, 2, FREE, right, start, data.len() as u32));
    }
    dir.resize(dir_sectors * SECTOR, 0);
    out.extend(dir);
    for data in padded {
        let mut d = data;
        d.resize(d.len().div_ceil(SECTOR) * SECTOR, 0);
        out.extend(d);
    }
    out
}

/// Where a synthetic file's sectors go: the FAT, then the directory, then each stream.
struct SyntheticFat {
    /// FAT sectors (at the start of the file).
    fat_count: usize,
    /// First directory sector.
    dir_start: usize,
    /// The FAT itself.
    fat: Vec<u32>,
    /// First sector of each stream.
    starts: Vec<u32>,
}

/// Lay out a synthetic file's sectors and chain them in the FAT.
fn synthetic_fat(dir_sectors: usize, data_sectors: &[usize]) -> SyntheticFat {
    const SECTOR: usize = SYNTHETIC_SECTOR;
    let content = dir_sectors + data_sectors.iter().sum::<usize>();
    // FAT sectors come first; each maps 128 sectors (itself included).
    let mut fat_count = 1usize;
    while fat_count * (SECTOR / 4) < fat_count + content {
        fat_count += 1;
    }
    let fat_count = fat_count.min(109);
    let mut fat = vec![FREE; fat_count * (SECTOR / 4)];
    let mut set = |at: usize, value: u32| {
        if let Some(slot) = fat.get_mut(at) {
            *slot = value;
        }
    };
    for i in 0..fat_count {
        set(i, 0xFFFF_FFFD);
    }
    let mut chain = |first: usize, count: usize| {
        for i in 0..count {
            let value = if i + 1 == count {
                END_OF_CHAIN
            } else {
                (first + i + 1) as u32
            };
            set(first + i, value);
        }
    };
    let dir_start = fat_count;
    chain(dir_start, dir_sectors);
    let mut next = dir_start + dir_sectors;
    let mut starts = Vec::new();
    for n in data_sectors {
        starts.push(next as u32);
        chain(next, *n);
        next += n;
    }
    SyntheticFat {
        fat_count,
        dir_start,
        fat,
        starts,
    }
}

/// The 512-byte header of a synthetic file: version 3, no mini-FAT, no DIFAT sectors.
fn synthetic_header(fat_count: usize, dir_start: usize) -> Vec<u8> {
    let mut out = vec![0u8; SYNTHETIC_SECTOR];
    out[..8].copy_from_slice(&SIGNATURE);
    out[0x18..0x1A].copy_from_slice(&0x003Eu16.to_le_bytes());
    out[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    out[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    out[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    out[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    out[0x2C..0x30].copy_from_slice(&(fat_count as u32).to_le_bytes());
    out[0x30..0x34].copy_from_slice(&(dir_start as u32).to_le_bytes());
    out[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    out[0x3C..0x40].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
    out[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
    for i in 0..109 {
        let v = if i < fat_count { i as u32 } else { FREE };
        out[0x4C + i * 4..0x50 + i * 4].copy_from_slice(&v.to_le_bytes());
    }
    out
}

/// The 128 bytes of a synthetic directory entry.
fn directory_bytes(name: &str, kind: u8, child: u32, right: u32, start: u32, size: u32) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    let units: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
    for (i, u) in units.iter().enumerate().take(32) {
        e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    e[64..66].copy_from_slice(&((units.len().min(32) * 2) as u16).to_le_bytes());
    e[66] = kind;
    e[68..72].copy_from_slice(&FREE.to_le_bytes());
    e[72..76].copy_from_slice(&right.to_le_bytes());
    e[76..80].copy_from_slice(&child.to_le_bytes());
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..124].copy_from_slice(&size.to_le_bytes());
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::assets::samples::biff_workbook as biff;

    #[test]
    fn recognises_encrypted_and_plain_legacy_excel() {
        let plain = synthetic(&[("Workbook", &biff(false))]);
        assert_eq!(classify(&plain), OleKind::LegacyExcel { encrypted: false });
        let locked = synthetic(&[("Workbook", &biff(true)), ("\u{5}SummaryInformation", b"x")]);
        assert_eq!(classify(&locked), OleKind::LegacyExcel { encrypted: true });
    }

    #[test]
    fn recognises_encrypted_ooxml() {
        let file = synthetic(&[("EncryptionInfo", b"info"), ("EncryptedPackage", b"data")]);
        assert_eq!(classify(&file), OleKind::EncryptedOoxml);
    }

    #[test]
    fn damaged_containers_never_panic() {
        let file = synthetic(&[("Workbook", &biff(true))]);
        for cut in (0..file.len()).step_by(97) {
            let _ = classify(file.get(..cut).unwrap_or_default());
        }
        let mut looped = file.clone();
        // Point the FAT entry of the directory sector at itself.
        looped[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        assert!(matches!(classify(&looped), OleKind::Damaged(why) if why.contains("circular")));
    }
}
