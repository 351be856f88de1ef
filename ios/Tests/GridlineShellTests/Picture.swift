/// A small real PNG (RGB, a pattern drawn from `seed`), written by hand:
/// deflate "stored" blocks need no compressor, so the tests need no image
/// library on Linux.
func png(width: Int, height: Int, seed: Int) -> [UInt8] {
    var raw: [UInt8] = []
    for y in 0 ..< height {
        raw.append(0) // filter: none
        for x in 0 ..< width {
            raw += [UInt8((x * 7 + seed * 31) & 0xff), UInt8((y * 13 + seed * 17) & 0xff), UInt8((x + y + seed) & 0xff)]
        }
    }
    var zlib: [UInt8] = [0x78, 0x01]
    var rest = raw[...]
    repeat {
        let block = rest.prefix(65535)
        rest = rest.dropFirst(block.count)
        let n = UInt16(block.count)
        zlib += [rest.isEmpty ? 1 : 0, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8)]
        zlib += block
    } while !rest.isEmpty
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in raw {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    zlib += be32((b << 16) | a)
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    out += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [8, 2, 0, 0, 0])
    out += chunk("IDAT", zlib)
    out += chunk("IEND", [])
    return out
}

private func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in body {
        crc ^= UInt32(byte)
        for _ in 0 ..< 8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return be32(UInt32(data.count)) + body + be32(~crc)
}
