import { createPublicKey } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import { StationError } from '../../../shared/errors'
import type { MasterFileRecord } from './gids-parse'
import { findTlv } from './tlv'
import type { KeyUsageKind } from './types'

/**
 * Byte layouts of the minidriver files on a GIDS card (gids-card-edge.md §4.2, §4.5, §9.4, §9.7):
 * cmapfile records, keymap, master-file records, cardcf and the compressed certificate format. Pure
 * functions; malformed card data → StationError('apdu-failed').
 */

const malformed = (what: string): StationError => new StationError('apdu-failed', {}, `malformed ${what}`)

/** First user key reference; container n ↔ key `81+n` ↔ key EF `B0(81+n)` (§1). */
export const FIRST_KEY_REF = 0x81
/** Containers a GIDS card can hold: key references 81…FF (§1; OpenSC GIDS_MAX_CONTAINER + 1). */
export const MAX_CONTAINERS = 127
/** Longest container name in UTF-16 code units (the 40th is the terminator, §9.4). */
export const MAX_CONTAINER_NAME = 39

/** One 86-byte CONTAINER_MAP_RECORD (§9.4). */
export interface CmapRecord {
  /** `wszGuid`, decoded from UTF-16LE up to the first NUL. */
  name: string
  /** bFlags bit 0. */
  valid: boolean
  /** bFlags bit 1. */
  isDefault: boolean
  sigBits: number
  keyExchangeBits: number
}

const CMAP_RECORD = 86
const FLAG_VALID = 0x01
const FLAG_DEFAULT = 0x02

/** Parse the cmapfile DO value: zero or more 86-byte records (§9.4). */
export function parseCmapfile(value: Uint8Array): CmapRecord[] {
  const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (b.length % CMAP_RECORD !== 0) throw malformed(`cmapfile of ${b.length} bytes`)
  const out: CmapRecord[] = []
  for (let off = 0; off < b.length; off += CMAP_RECORD) {
    const r = b.subarray(off, off + CMAP_RECORD)
    let end = 0
    while (end < 80 && r.readUInt16LE(end) !== 0) end += 2
    out.push({
      name: r.subarray(0, end).toString('utf16le'),
      valid: (r[80]! & FLAG_VALID) !== 0,
      isDefault: (r[80]! & FLAG_DEFAULT) !== 0,
      sigBits: r.readUInt16LE(82),
      keyExchangeBits: r.readUInt16LE(84),
    })
  }
  return out
}

/** Serialise cmapfile records (names zero-filled to 80 bytes, sizes LE, §9.4). */
export function buildCmapfile(records: readonly CmapRecord[]): Buffer {
  const out = Buffer.alloc(records.length * CMAP_RECORD)
  records.forEach((r, i) => {
    const off = i * CMAP_RECORD
    const name = Buffer.from(r.name, 'utf16le')
    if (name.length > MAX_CONTAINER_NAME * 2) throw new RangeError('container name longer than 39')
    name.copy(out, off)
    out[off + 80] = (r.valid ? FLAG_VALID : 0) | (r.isDefault ? FLAG_DEFAULT : 0)
    out.writeUInt16LE(r.sigBits, off + 82)
    out.writeUInt16LE(r.keyExchangeBits, off + 84)
  })
  return out
}

/** A free (never used or deleted) record: all zero, what OpenSC reserves before creating a key. */
export const FREE_CMAP_RECORD: CmapRecord = {
  name: '',
  valid: false,
  isDefault: false,
  sigBits: 0,
  keyExchangeBits: 0,
}

/**
 * Usage and size of a valid record as OpenSC reads it: exactly one size field set, key exchange
 * when `wKeyExchangeKeySizeBits` is; records with both or neither are ignored (null) (§9.4).
 */
export function recordKey(r: CmapRecord): { usage: KeyUsageKind; bits: number } | null {
  if (!r.valid) return null
  if (r.keyExchangeBits > 0 && r.sigBits === 0) return { usage: 'key-exchange', bits: r.keyExchangeBits }
  if (r.sigBits > 0 && r.keyExchangeBits === 0) return { usage: 'signature', bits: r.sigBits }
  return null
}

/** GIDS algorithm id of an RSA size (§1): 06 = 1024, 07 = 2048. */
export function rsaAlgorithmId(bits: number): number {
  if (bits === 1024) return 0x06
  if (bits === 2048) return 0x07
  if (bits === 3072) return 0x08
  if (bits === 4096) return 0x09
  throw new StationError('apdu-failed', {}, `unsupported RSA size ${bits}`)
}

/** keymap key types (§4.5): AT_KEYEXCHANGE / AT_SIGNATURE. */
const KEYMAP_TYPE: Readonly<Record<KeyUsageKind, number>> = { 'key-exchange': 0x9a, signature: 0x9c }
const KEYMAP_RECORD = 12

/** The keymap records (12 bytes each after the leading `01`) as raw slices, for rewriting (§4.5). */
export function parseKeymap(value: Uint8Array | null): Buffer[] {
  if (value === null || value.length === 0) return []
  const b = Buffer.from(value)
  if (b[0] !== 0x01 || (b.length - 1) % KEYMAP_RECORD !== 0) throw malformed('keymap DF20')
  const out: Buffer[] = []
  for (let off = 1; off < b.length; off += KEYMAP_RECORD) out.push(b.subarray(off, off + KEYMAP_RECORD))
  return out
}

/** A keymap record of a key: state 1, algid, key type, key reference `B0kid` LE, FFFF, 0000 (§4.5). */
export function keymapRecord(keyRef: number, algId: number, usage: KeyUsageKind): Buffer {
  const r = Buffer.alloc(KEYMAP_RECORD)
  r.writeUInt32LE(1, 0)
  r[4] = algId
  r[5] = KEYMAP_TYPE[usage]
  r.writeUInt16LE(0xb000 | keyRef, 6)
  r.writeUInt16LE(0xffff, 8)
  return r
}

/** The record OpenSC writes for a deleted key (state 0, key reference FFFF) — also our filler. */
export function emptyKeymapRecord(): Buffer {
  const r = Buffer.alloc(KEYMAP_RECORD)
  r.writeUInt16LE(0xffff, 6)
  r.writeUInt16LE(0xffff, 8)
  return r
}

/** `01` ‖ records (§4.5). */
export function buildKeymap(records: readonly Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0x01]), ...records])
}

/** Increment the files and/or containers freshness counters (u16 LE, wrapping), as OpenSC does before writes (cardcf, §4.5). */
export function bumpCardcf(cardcf: Buffer, what: { files?: boolean; containers?: boolean }): Buffer {
  if (cardcf.length < 6) throw malformed(`cardcf of ${cardcf.length} bytes`)
  const out = Buffer.from(cardcf)
  if (what.containers) out.writeUInt16LE((out.readUInt16LE(2) + 1) & 0xffff, 2)
  if (what.files) out.writeUInt16LE((out.readUInt16LE(4) + 1) & 0xffff, 4)
  return out
}

/** One 28-byte master-file record (§4.2): names NUL-padded in 9 bytes, DO and EF LE u32. */
export function buildMasterFile(records: readonly MasterFileRecord[]): Buffer {
  const out = Buffer.alloc(1 + records.length * 28)
  out[0] = 0x01
  records.forEach((r, i) => {
    const off = 1 + i * 28
    if (r.directory.length > 8 || r.file.length > 8) throw new RangeError('master-file names are ≤ 8 chars')
    out.write(r.directory, off, 8, 'latin1')
    out.write(r.file, off + 9, 8, 'latin1')
    out.writeUInt32LE(r.tag, off + 20)
    out.writeUInt32LE(r.ef, off + 24)
  })
  return out
}

/** Where a named file lives according to the master file, or null. */
export function findFile(
  records: readonly MasterFileRecord[],
  directory: string,
  file: string,
): { ef: number; tag: number } | null {
  const r = records.find((x) => x.directory === directory && x.file === file)
  return r && r.tag !== 0 && r.ef !== 0 ? { ef: r.ef, tag: r.tag } : null
}

/** The EF that holds certificates (EveryoneReadUserWriteAc, §4.3) and the DO range OpenSC allocates from. */
export const CERT_EF = 0xa010
const FIRST_FILE_DO = 0xdf21
const LAST_FILE_DO = 0xdffe

/** The first DO ≥ DF21 in EF A010 that no master-file record uses (OpenSC gids_find_available_DO, §4.2). */
export function freeFileDo(records: readonly MasterFileRecord[]): number | null {
  const used = new Set(records.filter((r) => r.ef === CERT_EF).map((r) => r.tag))
  for (let tag = FIRST_FILE_DO; tag <= LAST_FILE_DO; tag++) if (!used.has(tag)) return tag
  return null
}

/** The certificate file name of a container: `kxcNN` (key exchange) / `kscNN` (signature), OpenSC's `%02X` (§9.4). */
export function certificateFileName(index: number, usage: KeyUsageKind): string {
  const nn = index.toString(16).toUpperCase().padStart(2, '0')
  return `${usage === 'key-exchange' ? 'kxc' : 'ksc'}${nn}`
}

/** Certificates larger than this cannot carry their length in the 2-byte header (§9.7). */
export const MAX_CERTIFICATE_BYTES = 0xffff

/** `01 00` ‖ uncompressed length (u16 LE) ‖ zlib stream of the DER (§9.7). */
export function encodeCertificateFile(der: Uint8Array): Buffer {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES)
    throw new StationError('invalid-request', {}, `certificate of ${der.length} bytes`)
  const header = Buffer.from([0x01, 0x00, der.length & 0xff, der.length >> 8])
  return Buffer.concat([header, deflateSync(der)])
}

/** The DER inside a certificate file; throws apdu-failed for another format or a length mismatch (§9.7). */
export function decodeCertificateFile(blob: Uint8Array): Buffer {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  if (b.length < 5 || b[0] !== 0x01 || b[1] !== 0x00) throw malformed('certificate file header')
  const expected = b.readUInt16LE(2)
  let der: Buffer
  try {
    der = inflateSync(b.subarray(4))
  } catch {
    throw malformed('certificate file (zlib)')
  }
  if (der.length !== expected)
    throw malformed(`certificate file: ${der.length} bytes, header says ${expected}`)
  return der
}

/** `7F 49 … 81 <modulus> 82 <exponent>` (§9.3) → DER SubjectPublicKeyInfo. */
export function publicKeyFromTemplate(template: Uint8Array): Buffer {
  const inner = findTlv(template, 0x7f49)
  const n = inner && findTlv(inner, 0x81)
  const e = inner && findTlv(inner, 0x82)
  if (!n || !e || n.length === 0 || e.length === 0) throw malformed('public key template 7F49')
  try {
    const key = createPublicKey({
      key: { kty: 'RSA', n: stripZeros(n).toString('base64url'), e: stripZeros(e).toString('base64url') },
      format: 'jwk',
    })
    return key.export({ format: 'der', type: 'spki' })
  } catch {
    throw malformed('RSA public key')
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  return b.subarray(i)
}
