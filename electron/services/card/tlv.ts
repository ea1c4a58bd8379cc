import { StationError } from '../../../shared/errors'

/**
 * BER-TLV as GIDS uses it (gids-card-edge.md §2 "GET DATA answers are TLV-wrapped", §4.1):
 * tags of 1–3 bytes (`5C`, `DF20`, `7F71`), lengths `<80`, `81 xx`, `82 xx xx` (`83`/`84` read too).
 * Tags are handled as their big-endian byte value: `0x7f71` is the two bytes `7F 71`.
 * Decoding card data that is malformed throws StationError('apdu-failed') so the card edge
 * does not need to map it; building with bad arguments is a programming error (RangeError).
 */

/** One decoded TLV. `value` is a view into the input buffer (copy it before zeroing the input). */
export interface Tlv {
  tag: number
  value: Buffer
  /** Offset of the first byte after this TLV in the input. */
  end: number
}

const malformed = (why: string): StationError =>
  new StationError('apdu-failed', {}, `malformed BER-TLV: ${why}`)

/** Bytes of a tag number, big-endian (`0x5c` → `5C`, `0xdf20` → `DF 20`, `0x7f49` → `7F 49`). */
export function encodeTag(tag: number): Buffer {
  if (!Number.isInteger(tag) || tag < 1 || tag > 0xffffff) throw new RangeError(`bad tag ${tag}`)
  const bytes = tag > 0xffff ? 3 : tag > 0xff ? 2 : 1
  const out = Buffer.alloc(bytes)
  out.writeUIntBE(tag, 0, bytes)
  // A multi-byte tag must announce itself in the first byte (low 5 bits all set); reject tags the
  // decoder would read back differently.
  if (bytes > 1 && (out[0]! & 0x1f) !== 0x1f) throw new RangeError(`tag ${tag.toString(16)} is not valid BER`)
  if (bytes === 1 && (out[0]! & 0x1f) === 0x1f)
    throw new RangeError(`tag ${tag.toString(16)} needs more bytes`)
  return out
}

/** BER definite length: `<80` one byte, `81 xx`, `82 xx xx`, `83 xx xx xx`. */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffff)
    throw new RangeError(`bad length ${length}`)
  if (length < 0x80) return Buffer.from([length])
  if (length <= 0xff) return Buffer.from([0x81, length])
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff])
  return Buffer.from([0x83, length >> 16, (length >> 8) & 0xff, length & 0xff])
}

/** One TLV: tag ‖ length ‖ value. */
export function encodeTlv(tag: number, value: Uint8Array): Buffer {
  return Buffer.concat([encodeTag(tag), encodeLength(value.length), value])
}

/** Concatenate several TLVs (e.g. the contents of a constructed template). */
export function encodeTlvs(items: ReadonlyArray<readonly [number, Uint8Array]>): Buffer {
  return Buffer.concat(items.map(([tag, value]) => encodeTlv(tag, value)))
}

/** True when the tag's first byte has the "constructed" bit (0x20), e.g. `7C`, `70`, `A5`, `7F71`. */
export function isConstructed(tag: number): boolean {
  const first = tag > 0xffff ? tag >> 16 : tag > 0xff ? tag >> 8 : tag
  return (first & 0x20) !== 0
}

/** Decode the TLV starting at `offset`. Throws StationError('apdu-failed') when malformed or truncated. */
export function decodeTlv(buf: Uint8Array, offset = 0): Tlv {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  let i = offset
  if (i >= b.length) throw malformed('no tag')
  let tag = b[i++]!
  if ((tag & 0x1f) === 0x1f) {
    // Subsequent tag bytes while bit 8 is set; at most 3 bytes in total for GIDS.
    for (let n = 1; ; n++) {
      if (i >= b.length) throw malformed('truncated tag')
      if (n >= 3) throw malformed('tag longer than 3 bytes')
      const next = b[i++]!
      tag = (tag << 8) | next
      if ((next & 0x80) === 0) break
    }
  }
  if (i >= b.length) throw malformed('no length')
  let length = b[i++]!
  if (length === 0x80) throw malformed('indefinite length')
  if (length > 0x80) {
    const n = length & 0x7f
    if (n > 3) throw malformed('length field too long')
    if (i + n > b.length) throw malformed('truncated length')
    length = b.readUIntBE(i, n)
    i += n
  }
  if (i + length > b.length) throw malformed(`value needs ${length} bytes, ${b.length - i} left`)
  return { tag, value: b.subarray(i, i + length), end: i + length }
}

/** Decode a sequence of TLVs filling the whole buffer (no padding allowed). */
export function decodeTlvs(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = []
  let offset = 0
  while (offset < buf.length) {
    const tlv = decodeTlv(buf, offset)
    out.push(tlv)
    offset = tlv.end
  }
  return out
}

/** Value of the first top-level TLV with `tag`, or null (a malformed buffer throws). */
export function findTlv(buf: Uint8Array, tag: number): Buffer | null {
  for (const tlv of decodeTlvs(buf)) if (tlv.tag === tag) return tlv.value
  return null
}

/**
 * Follow a path of tags through nested templates, e.g. `[0x7c, 0x81]` in a GENERAL AUTHENTICATE
 * answer `7C 0A 81 08 <C>`. Returns null when any step is absent.
 */
export function findTlvPath(buf: Uint8Array, path: readonly number[]): Buffer | null {
  let current: Buffer | null = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  for (const tag of path) {
    if (!current) return null
    current = findTlv(current, tag)
  }
  return current
}
