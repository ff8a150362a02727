//! The one place snapshots are taken: every snapshot lives in the top-level `snapshots/`, named
//! exactly as given (no module prefix), optionally with a description in its header.

/// A text snapshot.
pub fn text(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A text snapshot whose header says what it is.
pub fn described(name: &str, description: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false, description => description }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A JSON snapshot whose header says what it is.
pub fn json(name: &str, description: &str, value: &serde_json::Value) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false, description => description }, {
        insta::assert_json_snapshot!(name, value);
    });
}
