import type {
  CardId,
  CmIssuedCertificate,
  CmRetireResult,
  ProfileTemplateId,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../../../shared/domain/cm'
import type { CardIdentity, AdminAuthOptions, AdminSession } from '../card/types'
import type { CmClient } from '../cm/client'
import type { CmWriteView } from '../../../shared/domain/cm'
import type { EnrollHandover } from '../journal/enroll-write'
import type { JournalEntry } from '../journal/entry'
import type { WriteSettled } from '../journal/write-service'
import type { Logger } from '../log'
import type { DigestAlgorithm } from '../pki/digest-info'
import type { IssuedEntry } from '../pki/issued'
import type { PinVault } from './pin-vault'

/** The slice of the CM client the enrollment uses (conventions §7). */
export type EnrollmentCm = Pick<
  CmClient,
  | 'createRequest'
  | 'getRequest'
  | 'listRequests'
  | 'listProfileTemplates'
  | 'getProfileTemplate'
  | 'getWorkflowPolicy'
  | 'getSmartcardConfig'
  | 'getSmartcardByCardId'
  | 'getSmartcard'
  | 'listSmartcards'
  | 'getSmartcardOperations'
  | 'getDiversifiedKey'
  | 'getAuthenticationResponse'
  | 'getServerProposedPin'
  | 'getCertificateRequestGenerationOptions'
  | 'submitCertificateRequests'
>

/** A key the card generated (electron/services/card: GENERATE + public key read, gids-card-edge.md §9.1–9.3). */
export interface CardGeneratedKey {
  container: number
  name: string
  bits: number
  usage: 'key-exchange' | 'signature'
  /** DER SubjectPublicKeyInfo. */
  publicKey: Buffer
}

/** A key container as read back from the card. */
export interface CardContainerRecord {
  index: number
  publicKey: Buffer | null
  certificate: Buffer | null
}

/** What the enrollment does with the user PIN verified, inside one card job (the card edge's user session). */
export interface CardKeySession {
  generateKey(spec: {
    bits: 1024 | 2048
    usage: 'key-exchange' | 'signature'
    containerName?: string
    makeDefault?: boolean
  }): Promise<CardGeneratedKey>
  /** Import a server-generated private key (PKCS#8 DER, zeroed by the card edge) into a new container. */
  importKey(spec: {
    bits: 1024 | 2048
    usage: 'key-exchange' | 'signature'
    pkcs8: Buffer
  }): Promise<CardGeneratedKey>
  /** PKCS#1 v1.5 signature of DigestInfo(algorithm, digest) by the card (§9.5). */
  signDigest(container: number, algorithm: DigestAlgorithm, digest: Uint8Array): Promise<Buffer>
  /** Store a DER certificate for the container (§9.7) and read it back. */
  writeCertificate(container: number, der: Uint8Array): Promise<void>
  listContainers(): Promise<CardContainerRecord[]>
}

/** The slice of the GIDS card edge the enrollment uses. */
export interface EnrollmentCard {
  identify(reader: string): Promise<CardIdentity>
  authenticateAdmin<T>(
    reader: string,
    options: AdminAuthOptions,
    then: (admin: AdminSession) => Promise<T>,
  ): Promise<T>
  verifyPin(reader: string, pin: Uint8Array | string): Promise<void>
  withUserPin<T>(
    reader: string,
    options: { pin: Uint8Array | string; expectCardId?: string },
    then: (session: CardKeySession) => Promise<T>,
  ): Promise<T>
}

/** The journaled CM writes the enrollment uses (electron/services/journal/write-service.ts). */
export interface EnrollmentWrites {
  createEnroll(input: {
    holderUuid: UserUuid
    templateId: ProfileTemplateId
    comment: string
    dataCollection: ReadonlyArray<{ name: string; value: string }>
    fromSmartcardUuid: SmartcardUuid | null
  }): Promise<{ requestId: RequestId; adopted: boolean; writeId: string }>
  takeEnrollRequests(handover: EnrollHandover): void
  bind(input: {
    requestId: RequestId
    cardId: CardId
    atr: string | null
  }): Promise<{ smartcardUuid: SmartcardUuid; adopted: boolean; writeId: string }>
  complete(requestId: RequestId): Promise<{ writeId: string }>
  cancel(requestId: RequestId, status: 'Canceled' | 'Abandoned'): Promise<{ writeId: string }>
  retire(input: { smartcardUuid: SmartcardUuid; comment?: string }): Promise<CmRetireResult>
  find(kind: JournalEntry['kind'], requestId: RequestId): JournalEntry | undefined
  closeFor(kind: JournalEntry['kind'], requestId: RequestId): void
  list(): CmWriteView[]
  onSettled(listener: (s: WriteSettled) => void): () => void
}

/** PKCS#10 and E10 answer handling (electron/services/pki, on @peculiar/asn1-*). */
export interface EnrollmentPki {
  buildCertificationRequest(
    input: {
      publicKey: Uint8Array
      subject: string
      hash: DigestAlgorithm
      keyUsages: number
      keyStorageProvider?: string
    },
    sign: (tbs: Buffer) => Promise<Buffer>,
  ): Promise<Buffer>
  readIssuedCertificates(
    items: readonly CmIssuedCertificate[],
    opts: { publicKeys: readonly Uint8Array[]; pfxPassword: string },
  ): IssuedEntry[]
}

/** Everything the enrollment engine needs (injected by electron/station). */
export interface EnrollmentDeps {
  cm: EnrollmentCm
  card: EnrollmentCard
  writes: EnrollmentWrites
  pki: EnrollmentPki
  vault: PinVault
  log: Logger
  /** Readers that hold a card now (to find the holder's old badges handed over at the desk). */
  presentReaders: () => string[]
  /** True when the configuration lets the station use this reader (readers.allow / readers.deny). */
  readerAllowed: (reader: string) => boolean
  /** The station's own minimum PIN length (configuration `pinMinLength`). */
  stationPinMinLength: number
  /** ISO instant now (injectable clock). */
  now: () => string
  /** Random text for the E10 `pfxpassword` (never logged); default crypto.randomUUID. */
  randomPassword?: () => string
  /** Parallel retires (default RETIRE_PARALLELISM, steps-writes.ts). */
  retireParallelism?: number
}
