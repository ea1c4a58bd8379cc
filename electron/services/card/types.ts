import type { Logger } from '../log'
import type { DigestAlgorithm } from '../pki/digest-info'
import type { CardAccess } from '../reader/types'

/** What identify() tells about the card in a reader. JSON-plain: it crosses IPC as is. */
export interface CardIdentity {
  /** ATR, lower-case hex (CM's `atr`). */
  atr: string
  /** cardid as the GUID text CM uses (lower case, no braces), or null on a blank or non-GIDS card. */
  cardId: string | null
  /** The card answered SELECT of the GIDS AID with 9000. */
  isGids: boolean
}

/** User PIN counters (DO 7F71). */
export interface PinStatus {
  triesLeft: number
  limit: number
}

/**
 * Computes the admin response for a card challenge: in production a CM `authenticationresponse`
 * call (a network round trip run INSIDE the card job, because the challenge dies with the
 * connection); in training/tests a local 3DES responder. The challenge buffer is zeroed as soon as
 * the promise settles (copy it if needed); the returned buffer is zeroed by the edge after use.
 */
export type AdminResponder = (challenge: Buffer) => Promise<Uint8Array>

/** Options shared by every admin-authenticated operation. */
export interface AdminAuthOptions {
  respond: AdminResponder
  /**
   * The cardid (GUID text) the operation is meant for. When given, it is read and compared BEFORE the
   * challenge, so a swapped card gets 'wrong-card' instead of a counted failed authentication.
   */
  expectCardId?: string
}

/** Admin rights inside one authenticated job (the card stays connected; no human prompt in here). */
export interface AdminSession {
  readonly reader: string
  /** PUT KEY with the new 24-byte admin key and its real KCV (gids-card-edge.md §6). */
  changeAdminKey(newKey: Uint8Array): Promise<void>
  /** RESET RETRY COUNTER with a new user PIN (§7.5). The card may drop admin rights afterwards. */
  resetUserPin(pin: Uint8Array | string): Promise<void>
}

/** Constructor dependencies of GidsCardEdge. */
export interface GidsCardEdgeOptions {
  access: CardAccess
  log: Logger
  /** Injected for tests (backoff between retries). */
  sleep?: (ms: number) => Promise<void>
  /** Injected for tests (durations in logs). */
  clock?: () => number
  /** Delays before each retry of a transient PC/SC failure; its length is the number of retries. */
  retryDelaysMs?: readonly number[]
}

/** How a key may be used (cmapfile size field, gids-card-edge.md §9.4): key exchange may decrypt and sign. */
export type KeyUsageKind = 'key-exchange' | 'signature'

/** What key to create on the card (§9.1–9.3). */
export interface NewKeySpec {
  /** RSA modulus size (algorithm id 06 / 07, §1). */
  bits: 1024 | 2048
  usage: KeyUsageKind
  /** Container name, 1–39 UTF-16 code units, unique on the card; default: a random GUID text, like Windows. */
  containerName?: string
  /** Make it the minidriver's default container; default: only when no other container is the default. */
  makeDefault?: boolean
}

/** A key pair that now lives on the card. */
export interface OnCardKey {
  /** Container (cmapfile record) index: key `81+index`. */
  container: number
  /** Key reference (`81`…`FF`). */
  keyRef: number
  bits: number
  usage: KeyUsageKind
  /** Container name. */
  name: string
  /** DER SubjectPublicKeyInfo (RSA), as read back from the card. */
  publicKey: Buffer
}

/** One valid container on the card and what is stored for it (§9.4, §9.7). */
export interface CardContainer {
  /** Container (cmapfile record) index. */
  index: number
  name: string
  /** bFlags bit 1. */
  isDefault: boolean
  usage: KeyUsageKind
  bits: number
  keyRef: number
  /** DER SubjectPublicKeyInfo, or null when the key file holds no key. */
  publicKey: Buffer | null
  /** DER certificate (decompressed from `kxcNN` / `kscNN`), or null when none is stored or it is unreadable. */
  certificate: Buffer | null
}

/**
 * User-PIN rights inside one job (the card stays connected; no human prompt in here). Failures are
 * StationErrors: 'card-full' (6A84), 'auth-failed' (6982: the card no longer accepts the PIN
 * verification), 'invalid-request' (bad arguments, unknown container), 'apdu-failed' (anything else,
 * SW in the log detail).
 */
export interface UserKeySession {
  readonly reader: string
  /** §9.1–9.3: container + key file + GENERATE; the container is marked valid only once the key exists. */
  generateKey(spec: NewKeySpec): Promise<OnCardKey>
  /**
   * §6 / OpenSC `gids_import_key`: container + key file, then PUT DATA 3FFF `70{84 kid, A5{83 02, 84 00,
   * 87 RSAPrivateKey}}`. `pkcs8` (an unencrypted PKCS#8 RSA key of `spec.bits`) is ZEROED by this call.
   */
  importKey(spec: NewKeySpec & { pkcs8: Buffer }): Promise<OnCardKey>
  /** §9.5: PKCS#1 v1.5 signature by the card over DigestInfo(algorithm, digest); the raw RSA signature. */
  signDigest(container: number, algorithm: DigestAlgorithm, digest: Uint8Array): Promise<Buffer>
  /**
   * §9.7: store a DER certificate for a container (`kxcNN` / `kscNN`, compressed), read back and
   * compared. 'certificate-mismatch' when its public key is not the container's key.
   */
  writeCertificate(container: number, der: Uint8Array): Promise<void>
  /** Containers, public keys and certificates (same as GidsCardEdge.listContainers, inside this job). */
  listContainers(): Promise<CardContainer[]>
}

/** Options of GidsCardEdge.withUserPin. */
export interface UserPinOptions {
  /** The user PIN (ASCII/UTF-8 as typed, §7.1); a Buffer given here is copied, not zeroed. */
  pin: Uint8Array | string
  /** The cardid (GUID text) the job is meant for; compared BEFORE VERIFY, so a swapped card costs no try. */
  expectCardId?: string
}
