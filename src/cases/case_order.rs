//! The order of an export's rows by case id, found (never assumed) before the history is read
//! alongside the cases: both files must list their case ids in one of four orders (natural or
//! character by character, ascending or descending), each id's history rows together.

use std::cmp::Ordering;

/// An order of case ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CaseOrder {
    /// Numbers inside ids compared by value (`ICX-9` before `ICX-10`), ascending.
    NaturalAscending,
    /// The same, descending (newest case first).
    NaturalDescending,
    /// Character by character, ascending (`10` before `9`).
    TextAscending,
    /// Character by character, descending.
    TextDescending,
}

impl CaseOrder {
    /// Every order tried, in order of preference.
    const ALL: [CaseOrder; 4] = [
        CaseOrder::NaturalAscending,
        CaseOrder::NaturalDescending,
        CaseOrder::TextAscending,
        CaseOrder::TextDescending,
    ];

    /// How `a` compares with `b` in this order; `Equal` only when they are the same text.
    pub(super) fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            CaseOrder::NaturalAscending => natural(a, b),
            CaseOrder::NaturalDescending => natural(b, a),
            CaseOrder::TextAscending => a.cmp(b),
            CaseOrder::TextDescending => b.cmp(a),
        }
    }

    /// The order in words, for messages.
    pub(super) fn words(self) -> &'static str {
        match self {
            CaseOrder::NaturalAscending => "de menor a mayor número de caso",
            CaseOrder::NaturalDescending => "de mayor a menor número de caso",
            CaseOrder::TextAscending => "alfabético ascendente",
            CaseOrder::TextDescending => "alfabético descendente",
        }
    }
}

/// Natural order: runs of digits compared by value, everything else byte by byte; ids equal in
/// value (`007`, `7`) are then told apart byte by byte, so the order is total.
fn natural(a: &str, b: &str) -> Ordering {
    let (a_bytes, b_bytes) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a_bytes.len() && j < b_bytes.len() {
        let (x, y) = (a_bytes[i], b_bytes[j]);
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let a_end = digits_end(a_bytes, i);
            let b_end = digits_end(b_bytes, j);
            let a_digits = strip_zeros(&a_bytes[i..a_end]);
            let b_digits = strip_zeros(&b_bytes[j..b_end]);
            let by_value = a_digits
                .len()
                .cmp(&b_digits.len())
                .then_with(|| a_digits.cmp(b_digits));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (i, j) = (a_end, b_end);
        } else {
            if x != y {
                return x.cmp(&y);
            }
            (i, j) = (i + 1, j + 1);
        }
    }
    (a_bytes.len() - i)
        .cmp(&(b_bytes.len() - j))
        .then_with(|| a_bytes.cmp(b_bytes))
}

fn digits_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .map_or(bytes.len(), |n| start + n)
}

fn strip_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|digit| **digit == b'0').count();
    &digits[zeros..]
}

/// Where a file first broke an order: the line, its id and the id before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct OrderBreak {
    /// Line of the row out of order.
    pub(super) line: u64,
    /// Its case id.
    pub(super) id: String,
    /// The id of the row before it.
    pub(super) previous: String,
}

/// Watches the case ids of one file, row by row, for the orders they keep.
#[derive(Debug, Default)]
pub(super) struct OrderCheck {
    previous: Option<String>,
    /// The first break of each order of [`CaseOrder::ALL`], if any.
    breaks: [Option<OrderBreak>; 4],
}

impl OrderCheck {
    /// Takes the next row's id (on `line`); rows with no id are not passed.
    pub(super) fn observe(&mut self, id: &str, line: u64) {
        if let Some(previous) = &self.previous {
            if previous == id {
                return;
            }
            for (order, found) in CaseOrder::ALL.iter().zip(self.breaks.iter_mut()) {
                if found.is_none() && order.compare(previous, id) == Ordering::Greater {
                    *found = Some(OrderBreak {
                        line,
                        id: id.to_owned(),
                        previous: previous.clone(),
                    });
                }
            }
        }
        match &mut self.previous {
            Some(previous) => {
                previous.clear();
                previous.push_str(id);
            }
            None => self.previous = Some(id.to_owned()),
        }
    }

    /// Whether `order` held on every row so far.
    pub(super) fn keeps(&self, order: CaseOrder) -> bool {
        self.break_of(order).is_none()
    }

    /// Where `order` first broke, if it did.
    pub(super) fn break_of(&self, order: CaseOrder) -> Option<&OrderBreak> {
        let slot = CaseOrder::ALL.iter().position(|o| *o == order)?;
        self.breaks.get(slot)?.as_ref()
    }
}

/// The first order both files keep, or why none fits: the row of the history that broke the
/// order the cases file keeps (or, when the cases file keeps none, its own first break).
pub(super) fn common_order(cases: &OrderCheck, history: &OrderCheck) -> Result<CaseOrder, OrderMismatch> {
    let both = |order: &CaseOrder| cases.keeps(*order) && history.keeps(*order);
    if let Some(order) = CaseOrder::ALL.into_iter().find(both) {
        return Ok(order);
    }
    let (in_history, order) = match CaseOrder::ALL.into_iter().find(|order| cases.keeps(*order)) {
        Some(order) => (true, order),
        None => (false, CaseOrder::NaturalAscending),
    };
    let file = if in_history { history } else { cases };
    Err(OrderMismatch {
        in_history,
        order,
        found: file.break_of(order).cloned().unwrap_or_default(),
    })
}

/// Why the history cannot be read alongside the cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OrderMismatch {
    /// The history broke the order the cases file keeps (else the cases file keeps none).
    pub(super) in_history: bool,
    /// The order that broke.
    pub(super) order: CaseOrder,
    /// Where.
    pub(super) found: OrderBreak,
}

impl OrderMismatch {
    /// The problem in Spanish, naming the file and line.
    pub(super) fn words(&self, cases_path: &str, history_path: &str) -> String {
        let OrderBreak { line, id, previous } = &self.found;
        if self.in_history {
            format!(
                "{history_path}, línea {line}: el caso «{id}» viene después de «{previous}», fuera del \
                 orden del archivo de casos ({}) o separado de sus otras filas",
                self.order.words()
            )
        } else {
            format!(
                "{cases_path}, línea {line}: el caso «{id}» viene después de «{previous}»; el archivo de \
                 casos no está ordenado por número de caso"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut ids = vec!["ICX-10", "ICX-9", "100", "9", "010", "10", "ICX-9a", "A"];
        ids.sort_by(|a, b| natural(a, b));
        assert_eq!(ids, ["9", "010", "10", "100", "A", "ICX-9", "ICX-9a", "ICX-10"]);
    }

    #[test]
    fn a_history_out_of_the_cases_order_is_named_with_its_line() {
        let mut cases = OrderCheck::default();
        for (line, id) in [(2, "9"), (3, "10"), (4, "10"), (5, "11")] {
            cases.observe(id, line);
        }
        let mut history = OrderCheck::default();
        for (line, id) in [(2, "9"), (3, "11"), (4, "10")] {
            history.observe(id, line);
        }
        let mismatch = common_order(&cases, &history).err();
        assert_eq!(
            mismatch.map(|m| (m.in_history, m.order, m.found.line, m.found.id, m.found.previous)),
            Some((
                true,
                CaseOrder::NaturalAscending,
                4,
                "10".to_owned(),
                "11".to_owned()
            ))
        );
    }

    #[test]
    fn both_files_newest_first_keep_the_descending_order() {
        let mut cases = OrderCheck::default();
        let mut history = OrderCheck::default();
        for (line, id) in [(2, "12"), (3, "11"), (4, "9")] {
            cases.observe(id, line);
            history.observe(id, line);
            history.observe(id, line);
        }
        assert_eq!(common_order(&cases, &history), Ok(CaseOrder::NaturalDescending));
    }

    proptest! {
        /// Natural order is a total order that agrees with equality of texts.
        #[test]
        fn natural_order_is_total(a in "[a0-9-]{0,6}", b in "[a0-9-]{0,6}", c in "[a0-9-]{0,6}") {
            prop_assert_eq!(natural(&a, &b) == Ordering::Equal, a == b);
            prop_assert_eq!(natural(&a, &b), natural(&b, &a).reverse());
            if natural(&a, &b) != Ordering::Greater && natural(&b, &c) != Ordering::Greater {
                prop_assert!(natural(&a, &c) != Ordering::Greater);
            }
        }

        /// Sorted ids keep the order; any break is found at its line.
        #[test]
        fn sorted_ids_keep_the_order(mut ids in prop::collection::vec("[0-9]{1,4}", 1..40)) {
            ids.sort_by(|a, b| natural(a, b));
            let mut check = OrderCheck::default();
            for (line, id) in ids.iter().enumerate() {
                check.observe(id, line as u64 + 2);
            }
            prop_assert!(check.keeps(CaseOrder::NaturalAscending));
        }
    }
}
