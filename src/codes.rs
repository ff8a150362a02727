//! What every stable code is built on: the [`Coded`] trait each stopping error implements. The
//! registry of all codes is [`crate::catalogue`], at the top of the crate, since it lists every
//! module's codes.

/// An error that carries its stable code.
pub trait Coded {
    /// The code, e.g. `E001`.
    fn code(&self) -> &'static str;
}

/// Declares a catalogue of stable codes from one list, the one way every code family is written:
/// an enum with a variant per code (`ALL`, `code()`, `meaning()`), and — for a family whose codes
/// carry more, such as a severity or a fix — the table of its entries, built in the same order
/// from the same list, with `entry()`.
///
/// ```text
/// catalogue! {
///     /// Why an input row was not used.
///     pub enum RejectCode {
///         UnknownCategory = "I001", "categoría desconocida";
///     }
/// }
/// catalogue! {
///     /// Every finding a publication check can report.
///     pub enum Code in CATALOGUE: [CatalogueEntry] {
///         B001 = "B001", "El contenido no es de un formato permitido." { severity: Severity::Error };
///     }
/// }
/// ```
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($variant:ident = $code:literal, $meaning:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl $name {
            /// Every code, in catalogue order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code, which never changes meaning.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// What the code means, in Spanish.
            pub fn meaning(self) -> &'static str {
                match self {
                    $($name::$variant => $meaning,)*
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $table:ident: [$entry:ident] {
            $($variant:ident = $code:literal, $meaning:literal { $($field:ident: $value:expr),* $(,)? };)*
        }
    ) => {
        $crate::codes::catalogue! {
            $(#[$meta])*
            $vis enum $name {
                $($variant = $code, $meaning;)*
            }
        }

        /// The catalogue's entries, one per code, in catalogue order.
        $vis const $table: &[$entry] = &[
            $($entry { code: $code, meaning: $meaning, $($field: $value),* },)*
        ];

        impl $name {
            /// The code's entry in the catalogue.
            pub fn entry(self) -> &'static $entry {
                // The variants are declared in the table's order, without discriminants: a
                // variant's number is its row.
                &$table[self as usize]
            }
        }
    };
}

pub(crate) use catalogue;
