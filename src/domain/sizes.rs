//! Sizes of files as people read them (10 MB, 64 KB), counted in powers of 1024
//! as the clerks' file managers count them.

/// `bytes` with a unit, to one decimal where it is not whole: `10 MB`, `1.5 KB`.
pub fn size_text(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = KB * KB;
    match bytes {
        b if b >= MB => format!("{} MB", tenths(b, MB)),
        b if b >= KB => format!("{} KB", tenths(b, KB)),
        b => format!("{b} B"),
    }
}

fn tenths(bytes: usize, unit: usize) -> String {
    let tenths = bytes.saturating_mul(10).saturating_add(unit / 2) / unit;
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        rest => format!("{}.{rest}", tenths / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn whole_units_have_no_decimals() {
        assert_eq!(size_text(10_485_760), "10 MB");
        assert_eq!(size_text(65_536), "64 KB");
        assert_eq!(size_text(1_536), "1.5 KB");
        assert_eq!(size_text(512), "512 B");
    }
}
