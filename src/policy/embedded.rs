//! The policy files shipped in `policies/`, embedded at build time: the default everywhere.

include!(concat!(env!("OUT_DIR"), "/embedded_policies.rs"));
