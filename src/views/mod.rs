//! HTML, written with maud. Partials are functions returning `Markup`; user
//! text is always escaped (no `PreEscaped` of anything a person typed).

pub mod components;
pub mod errors;
pub mod layout;
pub mod public;
pub mod staff;
