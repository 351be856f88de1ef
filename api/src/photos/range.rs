//! The one `Range` form a resuming download needs: a single byte range.

/// The inclusive byte range `bytes=…` asks for in a file of `size` bytes.
/// `Ok(None)`: serve the whole file (no header, a malformed one, or several
/// ranges, all of which a server may ignore). `Err(start)`: the range
/// starts past the end.
///
/// # Errors
/// The first byte asked for is at or past `size`.
pub fn parse(header: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, u64> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let num = |s: &str| s.trim().parse::<u64>().ok();
    let (start, end) = match (a.trim().is_empty(), b.trim().is_empty()) {
        // bytes=-N: the last N bytes.
        (true, false) => match num(b) {
            Some(0) | None => return Ok(None),
            Some(n) => (size.saturating_sub(n), size.saturating_sub(1)),
        },
        // bytes=N-: from N to the end.
        (false, true) => match num(a) {
            Some(s) => (s, size.saturating_sub(1)),
            None => return Ok(None),
        },
        (false, false) => match (num(a), num(b)) {
            (Some(s), Some(e)) if s <= e => (s, e.min(size.saturating_sub(1))),
            _ => return Ok(None),
        },
        (true, true) => return Ok(None),
    };
    if start >= size {
        return Err(start);
    }
    Ok(Some((start, end)))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn single_ranges() {
        assert_eq!(parse(None, 100), Ok(None));
        assert_eq!(parse(Some("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(parse(Some("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(parse(Some("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(parse(Some("bytes=-500"), 100), Ok(Some((0, 99))));
        assert_eq!(parse(Some("bytes=50-5000"), 100), Ok(Some((50, 99))));
        assert_eq!(parse(Some("bytes=100-"), 100), Err(100));
    }

    #[test]
    fn ignored_forms_serve_everything() {
        for h in [
            "items=0-1",
            "bytes=0-1,5-6",
            "bytes=9-2",
            "bytes=x-",
            "bytes=-0",
            "bytes=-",
        ] {
            assert_eq!(parse(Some(h), 100), Ok(None), "{h}");
        }
    }
}
