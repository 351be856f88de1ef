//! Polygons as WKB (ISO well-known binary, little-endian MultiPolygon): the
//! column format both stores keep, readable by any GIS tool.

use super::index::Rings;

const MULTIPOLYGON: u32 = 6;
const POLYGON: u32 = 3;

#[derive(Debug, thiserror::Error)]
#[error("stored polygon is not valid WKB: {0}")]
pub struct WkbError(&'static str);

#[must_use]
pub fn encode(parts: &Rings) -> Vec<u8> {
    let vertices: usize = parts.iter().flatten().map(Vec::len).sum();
    let mut out = Vec::with_capacity(9 + parts.len() * 9 + vertices * 16);
    out.push(1);
    out.extend_from_slice(&MULTIPOLYGON.to_le_bytes());
    put_len(&mut out, parts.len());
    for rings in parts {
        out.push(1);
        out.extend_from_slice(&POLYGON.to_le_bytes());
        put_len(&mut out, rings.len());
        for ring in rings {
            put_len(&mut out, ring.len());
            for &[x, y] in ring {
                out.extend_from_slice(&x.to_le_bytes());
                out.extend_from_slice(&y.to_le_bytes());
            }
        }
    }
    out
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

pub fn decode(bytes: &[u8]) -> Result<Rings, WkbError> {
    let mut r = Reader { bytes, at: 0 };
    r.header(MULTIPOLYGON)?;
    let parts = r.len()?;
    let mut out = Vec::with_capacity(parts);
    for _ in 0..parts {
        r.header(POLYGON)?;
        let n_rings = r.len()?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n = r.len()?;
            let mut ring = Vec::with_capacity(n);
            for _ in 0..n {
                ring.push([r.f64()?, r.f64()?]);
            }
            rings.push(ring);
        }
        out.push(rings);
    }
    if r.at != bytes.len() {
        return Err(WkbError("trailing bytes"));
    }
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        let slice = self
            .bytes
            .get(self.at..self.at + N)
            .ok_or(WkbError("truncated"))?;
        self.at += N;
        slice.try_into().map_err(|_| WkbError("truncated"))
    }

    fn header(&mut self, kind: u32) -> Result<(), WkbError> {
        if self.take::<1>()? != [1] {
            return Err(WkbError("not little-endian"));
        }
        if u32::from_le_bytes(self.take()?) != kind {
            return Err(WkbError("unexpected geometry type"));
        }
        Ok(())
    }

    fn len(&mut self) -> Result<usize, WkbError> {
        let n = u32::from_le_bytes(self.take()?) as usize;
        // Each element needs at least 4 bytes; refuse counts the rest cannot hold.
        if n > (self.bytes.len() - self.at) / 4 + 1 {
            return Err(WkbError("count exceeds data"));
        }
        Ok(n)
    }

    fn f64(&mut self) -> Result<f64, WkbError> {
        Ok(f64::from_le_bytes(self.take()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_every_bit() {
        let parts: Rings = vec![
            vec![vec![
                [101.1, 38.5],
                [101.2, 38.5],
                [101.2, 38.6],
                [101.1, 38.5],
            ]],
            vec![
                vec![[0.1, 0.2], [3.0, 0.2], [3.0, 3.3], [0.1, 0.2]],
                vec![[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]],
            ],
        ];
        assert_eq!(decode(&encode(&parts)).unwrap(), parts);
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let bytes = encode(&vec![vec![vec![
            [1.0, 2.0],
            [3.0, 4.0],
            [5.0, 6.0],
            [1.0, 2.0],
        ]]]);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err());
        }
    }
}
