//! Validation problems, named by field and by a message id that the web layer
//! shows in the reader's language (and the command line in English).

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field (or CSV column / JSON path) the problem is about.
    pub field: String,
    /// Fluent message id of the explanation.
    pub message: &'static str,
    /// Values inserted into the message.
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// A problem without inserted values.
    pub fn new(field: impl Into<String>, message: &'static str) -> Self {
        Self { field: field.into(), message, args: Vec::new() }
    }

    /// Add a value to insert into the message.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Input that failed validation, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{} ({})", e.field, e.message)).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// Collect problems; `Ok` when there are none.
    pub fn check(errors: Vec<FieldError>) -> Result<(), Invalid> {
        if errors.is_empty() { Ok(()) } else { Err(Invalid(errors)) }
    }

    /// The first problem about a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}
