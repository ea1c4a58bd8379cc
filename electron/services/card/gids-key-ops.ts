import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto'
import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import { digestInfo, type DigestAlgorithm } from '../pki/digest-info'
import { SW } from './apdu'
import { apduFailed, keyOperationFailure } from './card-errors'
import type { CardSession } from './card-session'
import {
  FIRST_KEY_REF,
  FREE_CMAP_RECORD,
  MAX_CONTAINERS,
  MAX_CONTAINER_NAME,
  buildCmapfile,
  buildKeymap,
  emptyKeymapRecord,
  keymapRecord,
  parseKeymap,
  rsaAlgorithmId,
  type CmapRecord,
} from './gids-containers'
import {
  Freshness,
  KEYMAP_FILE,
  containerAt,
  readPublicKeyOf,
  requireCardFiles,
  writeDo,
  type CardFiles,
} from './gids-file-ops'
import * as cmd from './gids-key-commands'
import { readDo } from './gids-ops'
import type { NewKeySpec, OnCardKey } from './types'

/**
 * User key operations of one job with the user PIN verified (gids-card-edge.md §9): create a
 * container and key file, generate or import the key, sign. Every state-changing APDU is sent with
 * `commits` (never retried blindly).
 */

/** How the key gets into a freshly created key file: GENERATE, or PUT KEY of an imported key. */
type InstallKey = (keyRef: number, alg: number) => Promise<void>

/** A checked spec: name resolved, size and usage known. */
interface CheckedSpec {
  bits: 1024 | 2048
  usage: NewKeySpec['usage']
  name: string
  makeDefault: boolean | undefined
}

function checkSpec(spec: NewKeySpec): CheckedSpec {
  if (spec.bits !== 1024 && spec.bits !== 2048)
    throw new StationError('invalid-request', {}, `RSA ${String(spec.bits)} not supported`)
  if (spec.usage !== 'key-exchange' && spec.usage !== 'signature')
    throw new StationError('invalid-request', {}, 'key usage')
  // Windows names containers with a GUID text; so do we unless told otherwise.
  const name = spec.containerName ?? randomUUID()
  if (name.length === 0 || name.length > MAX_CONTAINER_NAME || name.includes('\u0000'))
    throw new StationError('invalid-request', {}, `container name must be 1-${MAX_CONTAINER_NAME} characters`)
  return { bits: spec.bits, usage: spec.usage, name, makeDefault: spec.makeDefault }
}

/**
 * The container index for a new key (§9.1): the first record without the valid flag (as OpenSC),
 * else a new one at the end. 'card-full' beyond key reference FF.
 */
function chooseContainer(files: CardFiles, name: string): number {
  if (files.cmap.some((r) => r.valid && r.name === name))
    throw new StationError('invalid-request', {}, 'a container with this name exists') // unique names (OpenSC)
  const free = files.cmap.findIndex((r) => !r.valid)
  const index = free >= 0 ? free : files.cmap.length
  if (index >= MAX_CONTAINERS) throw new StationError('card-full', {}, `${MAX_CONTAINERS} containers in use`)
  return index
}

/**
 * CREATE FILE + ACTIVATE of key EF `B0<kid>` (§9.2). A key file left behind by an interrupted
 * earlier attempt (6A89 "already exists") is selected and deleted first, as OpenSC deletes key
 * files (`00 A4 00 0C 02 B0xx`, `00 E4 00 00`), so its access rules and usage templates are ours.
 */
async function createKeyFile(s: CardSession, keyRef: number, alg: number, spec: CheckedSpec): Promise<void> {
  const create = cmd.createKeyFile(keyRef, alg, spec.usage)
  let answer = await s.exchange(create, { commits: true })
  if (answer.sw === 0x6a89) {
    s.log.info('card: replacing a leftover key file', { reader: s.reader, keyRef })
    const select = await s.exchange(cmd.selectEf(cmd.keyEf(keyRef)))
    if (select.sw !== SW.OK) throw keyOperationFailure('SELECT key file', select.sw)
    const del = await s.exchange(cmd.deleteCurrentFile(), { commits: true })
    if (del.sw !== SW.OK) throw keyOperationFailure('DELETE key file', del.sw)
    answer = await s.exchange(create, { commits: true })
  }
  if (answer.sw !== SW.OK) throw keyOperationFailure('CREATE key file', answer.sw)
  const activate = await s.exchange(cmd.activateFile(), { commits: true })
  if (activate.sw !== SW.OK) throw keyOperationFailure('ACTIVATE key file', activate.sw)
}

/**
 * Container + key file + key (§9.1–9.3), in an order that survives a removal at any APDU:
 * 1. reserve a free cmapfile record (append, files++), 2. key file, 3. keymap record (containers++),
 * 4. install the key, 5. read the public key, 6. ONLY THEN mark the record valid (files++).
 * OpenSC marks the record valid before GENERATE; we make the valid flag the commit point instead, so
 * an interrupted attempt leaves a free record (reused next time) and never a valid container without a
 * key. The keymap is padded to the cmapfile's record count (OpenSC refuses mismatched counts).
 */
async function createKey(s: CardSession, spec: CheckedSpec, install: InstallKey): Promise<OnCardKey> {
  const files = await requireCardFiles(s)
  const index = chooseContainer(files, spec.name)
  const keyRef = FIRST_KEY_REF + index
  const alg = rsaAlgorithmId(spec.bits)
  const fresh = new Freshness(s, files.master)
  const cmap: CmapRecord[] = [...files.cmap]
  if (index === cmap.length) {
    cmap.push({ ...FREE_CMAP_RECORD })
    await fresh.bump({ files: true })
    await writeDo(s, files.cmapLocation, buildCmapfile(cmap), 'PUT cmapfile (reserve)')
  }
  await createKeyFile(s, keyRef, alg, spec)
  const keymap = parseKeymap(await readDo(s, KEYMAP_FILE.ef, KEYMAP_FILE.tag)).slice(0, cmap.length)
  while (keymap.length < cmap.length) keymap.push(emptyKeymapRecord())
  keymap[index] = keymapRecord(keyRef, alg, spec.usage)
  await fresh.bump({ containers: true })
  await writeDo(s, KEYMAP_FILE, buildKeymap(keymap), 'PUT keymap')
  await install(keyRef, alg)
  const publicKey = await readPublicKeyOf(s, keyRef)
  if (!publicKey)
    throw new StationError('apdu-failed', {}, `key ${keyRef.toString(16)}: no public key after install`)
  const isDefault = spec.makeDefault ?? !cmap.some((r) => r.valid && r.isDefault)
  if (isDefault) for (const [i, r] of cmap.entries()) cmap[i] = { ...r, isDefault: false }
  cmap[index] = {
    name: spec.name,
    valid: true,
    isDefault,
    sigBits: spec.usage === 'signature' ? spec.bits : 0,
    keyExchangeBits: spec.usage === 'key-exchange' ? spec.bits : 0,
  }
  await fresh.bump({ files: true })
  await writeDo(s, files.cmapLocation, buildCmapfile(cmap), 'PUT cmapfile')
  return { container: index, keyRef, bits: spec.bits, usage: spec.usage, name: spec.name, publicKey }
}

/** §9.1–9.3 with GENERATE ASYMMETRIC KEY PAIR on the card. */
export async function generateKey(s: CardSession, spec: NewKeySpec): Promise<OnCardKey> {
  const checked = checkSpec(spec)
  const key = await createKey(s, checked, async (keyRef, alg) => {
    const answer = await s.exchange(cmd.generateKeyPair(keyRef, alg), { commits: true })
    if (answer.sw !== SW.OK) throw keyOperationFailure('GENERATE', answer.sw)
  })
  s.log.info('card: key generated', {
    reader: s.reader,
    container: key.container,
    bits: key.bits,
    usage: key.usage,
  })
  return key
}

/**
 * §6 / OpenSC gids_import_key: the PKCS#8 RSA key goes in as a DER RSAPrivateKey with PUT DATA 3FFF.
 * `pkcs8` is zeroed here whatever happens. A key the card cannot take (not RSA; the card answers
 * 6A81 to the import) → 'key-import-unsupported'; a size other than `spec.bits` → 'invalid-request'.
 */
export async function importKey(s: CardSession, spec: NewKeySpec & { pkcs8: Buffer }): Promise<OnCardKey> {
  let rsa: Buffer | null = null
  try {
    const checked = checkSpec(spec)
    let key: KeyObject
    try {
      key = createPrivateKey({ key: spec.pkcs8, format: 'der', type: 'pkcs8' })
    } catch {
      throw new StationError('invalid-request', {}, 'not an unencrypted PKCS#8 private key')
    }
    if (key.asymmetricKeyType !== 'rsa')
      throw new StationError(
        'key-import-unsupported',
        {},
        `${String(key.asymmetricKeyType)} keys cannot go on GIDS`,
      )
    const bits = key.asymmetricKeyDetails?.modulusLength
    if (bits !== checked.bits) throw new StationError('invalid-request', {}, `key is RSA ${String(bits)}`)
    rsa = key.export({ format: 'der', type: 'pkcs1' })
    const expected = createPublicKey(key).export({ format: 'der', type: 'spki' })
    const material = rsa
    const imported = await createKey(s, checked, async (keyRef) => {
      const fields = cmd.importRsaKey(keyRef, material)
      try {
        const answer = await s.exchange(fields, { secret: true, commits: true })
        if (answer.sw === SW.FUNC_NOT_SUPPORTED)
          throw new StationError('key-import-unsupported', {}, 'PUT KEY (import): SW 6a81')
        if (answer.sw !== SW.OK) throw keyOperationFailure('PUT KEY (import)', answer.sw)
      } finally {
        zeroize(fields.data)
      }
    })
    if (!imported.publicKey.equals(expected))
      throw new StationError('apdu-failed', {}, 'imported key: the card shows another public key')
    s.log.info('card: key imported', { reader: s.reader, container: imported.container, bits })
    return imported
  } finally {
    zeroize(spec.pkcs8, rsa)
  }
}

/**
 * §9.5: MSE `41 B6` with algorithm `5x` (the card adds PKCS#1 v1.5 padding), then PSO `9E 9A` with
 * the DER DigestInfo. Returns the raw RSA signature (modulus-sized). A digest of the wrong length →
 * 'invalid-request'; 6A81 (algorithm not supported) → 'apdu-failed' with the SW in the log.
 */
export async function signDigest(
  s: CardSession,
  container: number,
  algorithm: DigestAlgorithm,
  digest: Uint8Array,
): Promise<Buffer> {
  let info: Buffer
  try {
    info = digestInfo(algorithm, digest)
  } catch (error) {
    throw new StationError('invalid-request', {}, (error as Error).message)
  }
  const files = await requireCardFiles(s)
  const key = containerAt(files, container)
  const keyRef = FIRST_KEY_REF + container
  const mse = await s.exchange(cmd.mseSign(keyRef, rsaAlgorithmId(key.bits)))
  if (mse.sw !== SW.OK) throw keyOperationFailure('MSE sign', mse.sw)
  const answer = await s.exchange(cmd.psoSign(info))
  if (answer.sw !== SW.OK) throw keyOperationFailure('PSO sign', answer.sw)
  if (answer.data.length !== key.bits / 8)
    throw apduFailed(`signature of ${answer.data.length} bytes`, answer.sw)
  return answer.data
}
