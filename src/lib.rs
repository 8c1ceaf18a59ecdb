//! shukudai: turns the requests in meeting minutes into tracked tasks.
pub mod minutes;
