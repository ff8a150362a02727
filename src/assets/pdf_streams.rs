//! Decompressing PDF streams within a document's [`Budget`]: a plain `FlateDecode` stream (the
//! usual page content) is inflated in chunks and never held whole; any other filter chain is
//! decoded by lopdf with its output bounded by the held limit.

use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::{Error as PdfError, Object, Stream};

use super::bounded::{self, ReadError};
use super::limits::Budget;

/// Whether a stream is exactly `/Filter /FlateDecode` without a predictor.
fn plain_flate(stream: &Stream) -> bool {
    let filter = match stream.dict.get(b"Filter") {
        Ok(Object::Name(name)) => name.as_slice() == b"FlateDecode",
        Ok(Object::Array(items)) => {
            matches!(items.as_slice(), [Object::Name(name)] if name.as_slice() == b"FlateDecode")
        }
        _ => false,
    };
    let predictor = match stream.dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(params)) => params.get(b"Predictor").and_then(Object::as_i64).unwrap_or(1) > 1,
        Ok(Object::Array(items)) => !items.is_empty(),
        _ => false,
    };
    filter && !predictor
}

/// Pass a stream's decoded content to `visit` in chunks (it returns false to stop early). Every
/// decoded byte is charged to the budget; a stream with no filter is passed as it is.
pub(crate) fn visit(
    stream: &Stream,
    budget: &mut Budget,
    mut visit: impl FnMut(&[u8]) -> bool,
) -> Result<(), ReadError> {
    if stream.dict.get(b"Filter").is_err() {
        return bounded::stream(stream.content.as_slice(), budget, visit);
    }
    if plain_flate(stream) {
        let mut produced = 0usize;
        let zlib = bounded::stream(ZlibDecoder::new(stream.content.as_slice()), budget, |chunk| {
            produced += chunk.len();
            visit(chunk)
        });
        return match zlib {
            // Some writers omit the zlib header: read the data as raw deflate, as lopdf does.
            Err(ReadError::Damaged(_)) if produced == 0 && stream.content.len() > 2 => bounded::stream(
                DeflateDecoder::new(stream.content.get(2..).unwrap_or_default()),
                budget,
                visit,
            ),
            other => other,
        };
    }
    let data = hold(stream, budget)?;
    visit(&data);
    Ok(())
}

/// A stream's decoded content, whole, up to the held limit (charged to the budget).
pub(crate) fn hold(stream: &Stream, budget: &mut Budget) -> Result<Vec<u8>, ReadError> {
    let limit = budget.held();
    let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
    match stream.decompressed_content_with_limit(limit_bytes) {
        Ok(data) => {
            if budget.charge(data.len() as u64) {
                Ok(data)
            } else {
                Err(ReadError::TooLarge {
                    limit: budget.limits().scanned,
                })
            }
        }
        Err(PdfError::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            Err(ReadError::TooLarge { limit })
        }
        Err(e) => Err(ReadError::Damaged(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use lopdf::dictionary;

    use super::*;

    fn flate(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        let _ = encoder.write_all(data);
        encoder.finish().unwrap_or_default()
    }

    #[test]
    fn flate_streams_are_read_in_chunks_within_the_budget() {
        let bomb = Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            flate(&vec![b' '; 8 << 20]),
        );
        let mut budget = Budget::for_size(1_000);
        let mut seen = 0usize;
        let result = visit(&bomb, &mut budget, |c| {
            seen += c.len();
            true
        });
        assert!(matches!(result, Err(ReadError::TooLarge { .. })));
        assert!(seen as u64 <= budget.limits().scanned);

        let small = Stream::new(dictionary! { "Filter" => "FlateDecode" }, flate(b"BT (x) Tj ET"));
        let mut text = Vec::new();
        let mut budget = Budget::for_size(1_000);
        assert_eq!(
            visit(&small, &mut budget, |c| {
                text.extend_from_slice(c);
                true
            }),
            Ok(())
        );
        assert_eq!(text, b"BT (x) Tj ET");
    }

    #[test]
    fn damaged_flate_data_is_damage() {
        let mut data = flate(&vec![b'x'; 100_000]);
        data.truncate(data.len() / 2);
        let cut = Stream::new(dictionary! { "Filter" => "FlateDecode" }, data);
        let mut budget = Budget::for_size(1_000);
        assert!(matches!(
            visit(&cut, &mut budget, |_| true),
            Err(ReadError::Damaged(_))
        ));
    }
}
