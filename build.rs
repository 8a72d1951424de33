//! Rebuild when translations change: the Fluent files are compiled into the
//! binary, and new files under `locales/` must be picked up.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
