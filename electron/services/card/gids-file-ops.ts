import { StationError } from '../../../shared/errors'
import { describeCertificate, samePublicKey } from '../pki/certificate-info'
import { SW } from './apdu'
import { apduFailed, keyOperationFailure } from './card-errors'
import type { CardSession } from './card-session'
import { MASTER_FILE } from './gids-commands'
import {
  CERT_EF,
  FIRST_KEY_REF,
  buildMasterFile,
  bumpCardcf,
  certificateFileName,
  decodeCertificateFile,
  encodeCertificateFile,
  findFile,
  freeFileDo,
  parseCmapfile,
  publicKeyFromTemplate,
  recordKey,
  type CmapRecord,
} from './gids-containers'
import * as cmd from './gids-key-commands'
import { readDo } from './gids-ops'
import { parseMasterFile, type MasterFileRecord } from './gids-parse'
import type { CardContainer, KeyUsageKind } from './types'

/**
 * Minidriver files on a GIDS card, read and written inside one job: master file, cmapfile, cardcf,
 * certificates (gids-card-edge.md §4.2, §4.5, §9.4, §9.7). Reads need no PIN (§4.3); writes need
 * the user PIN verified earlier in the same job.
 */

/** Where a file is when the master file does not say (every known profile, §4.2 table). */
const DEFAULT_CMAPFILE = { ef: 0xa010, tag: 0xdf23 } as const
const DEFAULT_CARDCF = { ef: 0xa010, tag: 0xdf22 } as const
/** keymap: EF A000 / DO DF20, not listed in the master file (§4.5). */
export const KEYMAP_FILE = { ef: 0xa000, tag: 0xdf20 } as const

/** A DO location. */
export interface DoLocation {
  ef: number
  tag: number
}

/** The master file and cmapfile as read at the start of an operation. */
export interface CardFiles {
  master: MasterFileRecord[]
  cmapLocation: DoLocation
  cmap: CmapRecord[]
}

/** Read the master file and the cmapfile; null on a card without a master file (blank, §8.2 step 1). */
export async function readCardFiles(s: CardSession): Promise<CardFiles | null> {
  const mf = await readDo(s, MASTER_FILE.ef, MASTER_FILE.tag)
  if (mf === null) return null
  const master = parseMasterFile(mf)
  const cmapLocation = findFile(master, 'mscp', 'cmapfile') ?? DEFAULT_CMAPFILE
  const value = await readDo(s, cmapLocation.ef, cmapLocation.tag)
  return { master, cmapLocation, cmap: value === null ? [] : parseCmapfile(value) }
}

/** Like readCardFiles, for operations that need an initialised card: 'card-not-initialised' otherwise. */
export async function requireCardFiles(s: CardSession): Promise<CardFiles> {
  const files = await readCardFiles(s)
  if (!files) throw new StationError('card-not-initialised', {}, `reader ${s.reader}: no master file`)
  return files
}

/** PUT DATA of one DO (chained when long); 6A84 → card-full, 6982 → auth-failed (§4.1, §10.1). */
export async function writeDo(
  s: CardSession,
  where: DoLocation,
  value: Uint8Array,
  op: string,
): Promise<void> {
  const answer = await s.exchange(cmd.putData(where.ef, where.tag, value), { commits: true })
  if (answer.sw !== SW.OK) throw keyOperationFailure(op, answer.sw)
}

/**
 * The cardcf freshness counters of one operation (§4.5): read once, bumped and written before each
 * change as OpenSC does, so the Windows minidriver drops its cache. A card without cardcf (not a
 * minidriver profile) is left alone rather than refused.
 */
export class Freshness {
  private value: Buffer | null | undefined

  constructor(
    private readonly s: CardSession,
    private readonly master: readonly MasterFileRecord[],
  ) {}

  /** Increment the files and/or containers counter on the card. */
  async bump(what: { files?: boolean; containers?: boolean }): Promise<void> {
    const where = findFile(this.master, '', 'cardcf') ?? DEFAULT_CARDCF
    if (this.value === undefined) this.value = await readDo(this.s, where.ef, where.tag)
    if (this.value === null || this.value.length < 6) return
    this.value = bumpCardcf(this.value, what)
    await writeDo(this.s, where, this.value, 'PUT cardcf')
  }
}

/** The public key of `keyRef` as DER SPKI, or null when the key file holds no key (6A88 / 6A82 / 6984). */
export async function readPublicKeyOf(s: CardSession, keyRef: number): Promise<Buffer | null> {
  const answer = await s.exchange(cmd.readPublicKey(keyRef))
  if (answer.sw === SW.OK) return publicKeyFromTemplate(answer.data)
  if (answer.sw === SW.REF_DATA_NOT_FOUND || answer.sw === SW.FILE_NOT_FOUND || answer.sw === SW.DATA_INVALID)
    return null
  throw apduFailed('GET DATA public key', answer.sw)
}

/** Valid container at `index` with its usage and size, or 'invalid-request'. */
export function containerAt(files: CardFiles, index: number): { usage: KeyUsageKind; bits: number } {
  if (!Number.isInteger(index) || index < 0)
    throw new StationError('invalid-request', {}, `container ${index}`)
  const record = files.cmap[index]
  const key = record ? recordKey(record) : null
  if (!key) throw new StationError('invalid-request', {}, `no valid container ${index}`)
  return key
}

/** Every valid container with its public key and certificate; [] on a blank card (§9.4, §9.7). */
export async function listContainers(s: CardSession): Promise<CardContainer[]> {
  const files = await readCardFiles(s)
  if (!files) return []
  const out: CardContainer[] = []
  for (const [index, record] of files.cmap.entries()) {
    const key = recordKey(record)
    if (!key) continue // free, or both/neither size set: ignored as OpenSC does (§9.4)
    const keyRef = FIRST_KEY_REF + index
    out.push({
      index,
      name: record.name,
      isDefault: record.isDefault,
      usage: key.usage,
      bits: key.bits,
      keyRef,
      publicKey: await readPublicKeyOf(s, keyRef),
      certificate: await readCertificate(s, files.master, index, key.usage),
    })
  }
  return out
}

async function readCertificate(
  s: CardSession,
  master: readonly MasterFileRecord[],
  index: number,
  usage: KeyUsageKind,
): Promise<Buffer | null> {
  const where = findFile(master, 'mscp', certificateFileName(index, usage))
  if (!where) return null
  const blob = await readDo(s, where.ef, where.tag)
  if (blob === null) return null
  try {
    return decodeCertificateFile(blob)
  } catch (error) {
    // An unreadable file must not hide the other containers; the log says which one.
    s.log.warn('card: unreadable certificate file', { reader: s.reader, container: index, error })
    return null
  }
}

/**
 * §9.7: store `der` for container `index` as `kxcNN` / `kscNN` (first free DO of A010 when new,
 * master file rewritten), then read it back and compare. The certificate must carry the
 * container's public key ('certificate-mismatch'); a card without room answers 6A84 → 'card-full',
 * and a new master-file record is then taken back out so the card is left as it was.
 */
export async function writeCertificate(s: CardSession, index: number, der: Uint8Array): Promise<void> {
  const certKey = describeCertificate(der).publicKey // 'certificate-unreadable' when it is not X.509
  const blob = encodeCertificateFile(der)
  const files = await requireCardFiles(s)
  const key = containerAt(files, index)
  const cardKey = await readPublicKeyOf(s, FIRST_KEY_REF + index)
  if (!cardKey || !samePublicKey(cardKey, certKey))
    throw new StationError(
      'certificate-mismatch',
      {},
      `container ${index}: certificate key is not the card key`,
    )
  const fresh = new Freshness(s, files.master)
  const name = certificateFileName(index, key.usage)
  let where = findFile(files.master, 'mscp', name)
  let added = false
  if (!where) {
    const tag = freeFileDo(files.master)
    if (tag === null) throw new StationError('card-full', {}, 'no free DO in A010')
    where = { ef: CERT_EF, tag }
    await fresh.bump({ files: true })
    const records = [...files.master, { directory: 'mscp', file: name, tag, ef: CERT_EF }]
    await writeDo(s, MASTER_FILE, buildMasterFile(records), 'PUT master file')
    added = true
  }
  try {
    await fresh.bump({ files: true })
    await writeDo(s, where, blob, `PUT ${name}`)
  } catch (error) {
    if (added) await restoreMasterFile(s, files.master)
    throw error
  }
  const back = await readDo(s, where.ef, where.tag)
  if (!back || !back.equals(blob)) throw new StationError('apdu-failed', {}, `${name}: read-back differs`)
  s.log.info('card: certificate written', {
    reader: s.reader,
    container: index,
    file: name,
    bytes: blob.length,
  })
}

async function restoreMasterFile(s: CardSession, master: readonly MasterFileRecord[]): Promise<void> {
  try {
    await writeDo(s, MASTER_FILE, buildMasterFile(master), 'PUT master file (undo)')
  } catch (error) {
    s.log.warn('card: could not take the new master-file record back', { reader: s.reader, error })
  }
}
