/** Minimal DER encoder/decoder, just enough for PKCS#10 checks and certs-only CMS output (X.690). */

/** One decoded TLV: tag byte, content bytes and the whole encoding. */
export interface Tlv {
  tag: number
  content: Buffer
  raw: Buffer
}

/** Decode the TLV at `offset`; throws RangeError on malformed or truncated input. */
export function readTlv(buf: Buffer, offset = 0): Tlv & { end: number } {
  if (offset + 2 > buf.length) throw new RangeError('DER: truncated header')
  const tag = buf[offset]!
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: multi-byte tags unsupported')
  let len = buf[offset + 1]!
  let hdr = 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4) throw new RangeError('DER: bad length')
    if (offset + 2 + n > buf.length) throw new RangeError('DER: truncated length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i]!
    hdr += n
  }
  const end = offset + hdr + len
  if (end > buf.length) throw new RangeError('DER: truncated content')
  return { tag, content: buf.subarray(offset + hdr, end), raw: buf.subarray(offset, end), end }
}

/** Decode all TLVs inside a constructed value's content. */
export function readChildren(content: Buffer): Tlv[] {
  const out: Tlv[] = []
  let off = 0
  while (off < content.length) {
    const t = readTlv(content, off)
    out.push({ tag: t.tag, content: t.content, raw: t.raw })
    off = t.end
  }
  return out
}

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** Encode one TLV. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body])
}

/** SEQUENCE. */
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items)
/** SET (items are sorted by encoding, as DER requires for SET OF). */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...[...items].sort(Buffer.compare))
/** Context-specific constructed [n]. */
export const ctx = (n: number, ...items: Buffer[]): Buffer => tlv(0xa0 | n, ...items)
/** NULL. */
export const nul = (): Buffer => Buffer.from([0x05, 0x00])
/** OCTET STRING. */
export const octets = (b: Buffer): Buffer => tlv(0x04, b)
/** BIT STRING with no unused bits. */
export const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b)
/** UTF8String. */
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'))
/** BOOLEAN. */
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]))

/** INTEGER from a non-negative big-endian magnitude (adds a 0x00 when the top bit is set). */
export function intBytes(mag: Buffer): Buffer {
  let m = mag
  while (m.length > 1 && m[0] === 0 && (m[1]! & 0x80) === 0) m = m.subarray(1)
  if (m[0]! & 0x80) m = Buffer.concat([Buffer.from([0]), m])
  return tlv(0x02, m)
}

/** INTEGER from a small non-negative number. */
export function int(n: number): Buffer {
  const h = n.toString(16)
  return intBytes(Buffer.from(h.length % 2 ? '0' + h : h, 'hex'))
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out: number[] = [parts[0]! * 40 + parts[1]!]
  for (const p of parts.slice(2)) {
    const stack: number[] = []
    let v = p
    do {
      stack.unshift(v & 0x7f)
      v = Math.floor(v / 128)
    } while (v > 0)
    for (let i = 0; i < stack.length - 1; i++) stack[i]! |= 0x80
    out.push(...stack)
  }
  return tlv(0x06, Buffer.from(out))
}

/** Dotted text of an OBJECT IDENTIFIER's content bytes. */
export function oidText(content: Buffer): string {
  const first = content[0] ?? 0
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40]
  let v = 0
  for (const b of content.subarray(1)) {
    v = v * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}

/** UTCTime (years 1950–2049) or GeneralizedTime, as RFC 5280 requires. */
export function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString()
  const y = Number(iso.slice(0, 4))
  const body = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(body.slice(2))) : tlv(0x18, Buffer.from(body))
}
