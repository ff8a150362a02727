//! A compiled version's terms as the rules engine reads them: the values `check` compares rule
//! literals with, and the channel names rules are read with (`rules::vocabulary::Terms`).

use super::model::{Policy, Rule};
use crate::rules::vocabulary::Terms;

impl Terms for Policy {
    fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn categories(&self) -> Vec<&str> {
        self.categories.iter().map(|c| c.name.as_str()).collect()
    }

    fn states(&self) -> Vec<&str> {
        self.states
            .iter()
            .flat_map(|s| std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str)))
            .collect()
    }

    fn exception_types(&self) -> Vec<&str> {
        self.exceptions
            .iter()
            .flat_map(|regime| regime.types.iter().map(|t| t.name.as_str()))
            .collect()
    }

    fn channels(&self) -> Vec<(&str, &str)> {
        self.channels
            .iter()
            .map(|c| (c.key.as_str(), c.label.as_str()))
            .collect()
    }

    fn placements(&self) -> Option<Vec<&str>> {
        self.banner
            .as_ref()
            .map(|banner| banner.placements.iter().map(|p| p.name.as_str()).collect())
    }
}
