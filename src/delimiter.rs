//! Which character separates the fields of a delimited text file (an export, an SMS list, a
//! banner inventory): one sniffer for every reader.

/// The most frequent of `,`, `;` and tab outside quotes in the first line (`,` on a tie or none).
pub fn sniff(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (delimiter, count) in &mut counts {
                    if byte == delimiter {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(delimiter, count)| {
                if count > best.1 { (delimiter, count) } else { best }
            },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_header_delimiter() {
        assert_eq!(sniff(b"Caso;Servicio;Estado\n1;a,b;c"), b';');
        assert_eq!(sniff(b"Caso,Servicio,\"x;y;z\"\n"), b',');
        assert_eq!(sniff(b"Caso\tServicio\n"), b'\t');
        assert_eq!(sniff(b"Caso\n"), b',');
    }
}
