//! Pure parsing and extraction of meeting minutes: text in, data out.
