//! HTML, written with maud. Partials are functions returning `Markup`; user
//! text is always escaped (no `PreEscaped` of anything a person typed).

pub mod answer;
pub mod api_keys;
pub mod charts;
pub mod compass;
pub mod components;
pub mod email;
pub mod errors;
pub mod invitations;
pub mod layout;
pub mod panel;
pub mod preview;
pub mod public;
pub mod results;
pub mod staff;
pub mod surveys;
