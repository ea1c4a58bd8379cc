import { z } from 'zod'
import type { CardId, ProfileTemplateId, RequestId, SmartcardUuid, UserUuid } from '../../../shared/domain/cm'
import {
  ENROLLMENT_STEPS,
  type EnrollmentCertificateIssue,
  type EnrollmentCertificateView,
  type EnrollmentOutcome,
  type EnrollmentPrompt,
  type EnrollmentRetireItem,
  type EnrollmentStep,
  type PinSource,
} from '../../../shared/domain/enrollment'
import type { PinRules } from '../../../shared/domain/pin-rules'
import { isErrorCode, type ErrorCode } from '../../../shared/errors'

/**
 * The enrollment workflow's state, events and commands (conventions "A long-running workflow"). The state is what a
 * checkpoint holds: ids, flags, public data (public keys, CSRs, issued certificates) — never a PIN, key, challenge
 * or response (conventions §10). Secrets live only inside one command's execution (runner.ts, pin-vault.ts).
 */

/** A failure as the state keeps it: a closed code and the CM correlation id. */
export interface StepError {
  code: ErrorCode
  correlationId?: string
}

/** Which admin key the card holds, as far as the station knows (cm-rest-api.md §5.3 steps 9–12). */
export type AdminKeyState =
  /** The template's initial key K0 (`diversified=false`). */
  | 'initial'
  /** The per-card diversified key Kd (`diversified=true`). */
  | 'diversified'
  /** PUT KEY was sent but its answer never came (card pulled mid-command): try Kd first, then K0. */
  | 'unknown'

/** What the station learned about the request's template (E01/E02 + E04; no admin key). */
export interface TemplateFacts {
  name: string
  virtualSmartcard: boolean
  diversifyAdminKey: boolean
  /** E04 `AllowSmartcardReuse` (cm-rest-api.md §3.4): a Retired card may be issued again on this template. */
  allowSmartcardReuse: boolean
  /** E04 `UserPinPolicy` lengths (0 = not set). */
  pinPolicy: { minLength: number; maxLength: number } | null
  /** E04 `UserPinOption` by name when known (§4.6), for display only: the station probes E16 (§5.4). */
  userPinOption: string | null
}

/** A key the card generated for one E09 option, with its CSR (both public: they go to CM anyway). */
export interface GeneratedKeyRecord {
  /** Index into the E09 options array. */
  option: number
  container: number
  containerName: string
  usage: 'key-exchange' | 'signature'
  bits: number
  /** Base64 DER SubjectPublicKeyInfo. */
  publicKey: string
  /** Base64 DER PKCS#10. */
  csr: string
}

/** One E10 entry as kept after the answer arrived (PFX blobs are never kept: their password is not stored). */
export interface IssuedRecord {
  index: number
  templateName: string
  kind: 'certificate' | 'pfx' | 'error'
  /** Base64 DER end-entity certificate (kind certificate). */
  certificate: string | null
  /** Index into `keys` whose public key the certificate carries, or null. */
  keyIndex: number | null
  external: boolean
}

/** Everything an enrollment has learned, per request id. */
export interface EnrollmentContext {
  requestId: RequestId
  holderUuid: UserUuid | null
  templateId: ProfileTemplateId | null
  template: TemplateFacts | null
  /** The holder's cards the station already knows (the badge the operator started from), for the retire step. */
  holderCards: SmartcardUuid[]
  createdAt: string
  updatedAt: string
  /** The new badge once accepted (identified, checked against CM). */
  card: { reader: string; cardId: CardId; atr: string } | null
  smartcardUuid: SmartcardUuid | null
  adminKey: AdminKeyState
  pinRules: PinRules | null
  pinSource: PinSource | null
  /** The PIN was set on the card and verified (the step's card work is done). */
  pinSet: boolean
  keys: GeneratedKeyRecord[]
  /** E10 was sent (its answer may be unknown after a crash: resend with the SAME CSRs, never new keys). */
  certificateRequestSent: boolean
  issued: IssuedRecord[] | null
  certificates: EnrollmentCertificateView[]
  certificateIssues: EnrollmentCertificateIssue[]
  retire: EnrollmentRetireItem[]
  retireComment: string
  /** A cancel (E08 Canceled/Abandoned) was asked for and has not finished yet. */
  canceling: 'Canceled' | 'Abandoned' | null
  lastFinishedStep: EnrollmentStep | null
}

/** What the current step is doing. */
export type Activity =
  | { kind: 'working' }
  /** Waiting for the operator or the holder; `notice` explains why (e.g. a refused card). */
  | { kind: 'prompt'; prompt: Exclude<EnrollmentPrompt, 'resolve-failure'>; notice: StepError | null }
  /** A journaled CM write failed transiently; the journal retries it (`writeId`). */
  | { kind: 'waiting-retry'; error: StepError }
  | { kind: 'failed'; error: StepError; resumable: boolean }
  | { kind: 'done'; outcome: EnrollmentOutcome }

/** The persisted enrollment. */
export interface EnrollmentState {
  step: EnrollmentStep
  activity: Activity
  ctx: EnrollmentContext
}

/** Inputs of the reducer: operator intents and the runner's outcomes. */
export type EnrollmentEvent =
  // --- operator / holder intents (IPC) ---
  | { type: 'use-card'; reader: string }
  | { type: 'set-pin'; withPin: boolean }
  | { type: 'acknowledge-pin' }
  | { type: 'provide-pin' }
  | { type: 'confirm-retire'; smartcardUuids: SmartcardUuid[]; comment: string }
  | { type: 'retry' }
  | { type: 'cancel' }
  /** "Check again" while the request waits for approval. */
  | { type: 'check-approval' }
  /** After a restart (or a reload of the checkpoint): turn interrupted work into a resumable state. */
  | { type: 'resume' }
  // --- outcomes (runner) ---
  | { type: 'request-checked'; approved: boolean }
  | {
      type: 'card-accepted'
      reader: string
      cardId: CardId
      atr: string
      pinRules: PinRules
      template: TemplateFacts
    }
  | { type: 'card-refused'; error: StepError }
  | { type: 'card-lost'; error: StepError; adminKey?: AdminKeyState }
  | { type: 'bound'; smartcardUuid: SmartcardUuid }
  | { type: 'write-waiting'; error: StepError }
  /** PUT KEY is about to reach the card: from now on the card may hold either key (checkpointed before it is sent). */
  | { type: 'admin-key-changing' }
  | { type: 'admin-key-done'; adminKey: AdminKeyState }
  | { type: 'holder-chooses' }
  | { type: 'pin-set'; source: PinSource }
  | { type: 'pin-needed'; notice: StepError | null }
  | { type: 'keys-generated'; keys: GeneratedKeyRecord[] }
  | { type: 'certificate-request-sent' }
  | { type: 'certificates-issued'; issued: IssuedRecord[] }
  | {
      type: 'certificates-installed'
      certificates: EnrollmentCertificateView[]
      issues: EnrollmentCertificateIssue[]
    }
  | { type: 'retire-item'; item: EnrollmentRetireItem }
  | { type: 'retire-finished' }
  | { type: 'completed' }
  | { type: 'canceled'; outcome: Exclude<EnrollmentOutcome, 'completed'> }
  | { type: 'step-failed'; error: StepError; resumable: boolean }

/** Work for the runner (the only place with I/O). Secrets never travel in a command. */
export type EnrollmentCommand =
  | { type: 'check-request' }
  | { type: 'accept-card'; reader: string }
  | { type: 'bind' }
  | { type: 'admin-key' }
  | { type: 'set-server-pin' }
  /** The holder's PIN is handed to the runner beside the command, never inside it. */
  | { type: 'set-holder-pin' }
  | { type: 'certificates' }
  | { type: 'retire' }
  | { type: 'complete' }
  | { type: 'cancel'; status: 'Canceled' | 'Abandoned' }

/** A new enrollment's context (no step finished yet). */
export function newContext(input: {
  requestId: RequestId
  holderUuid: UserUuid | null
  templateId: ProfileTemplateId | null
  now: string
}): EnrollmentContext {
  return {
    requestId: input.requestId,
    holderUuid: input.holderUuid,
    templateId: input.templateId,
    template: null,
    holderCards: [],
    createdAt: input.now,
    updatedAt: input.now,
    card: null,
    smartcardUuid: null,
    adminKey: 'initial',
    pinRules: null,
    pinSource: null,
    pinSet: false,
    keys: [],
    certificateRequestSent: false,
    issued: null,
    certificates: [],
    certificateIssues: [],
    retire: [],
    retireComment: '',
    canceling: null,
    lastFinishedStep: null,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checkpoint schema: strict, so nothing else (and certainly no secret) can be stored or loaded.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const guid = z.string().regex(GUID)
const instant = z.string().max(40)
const b64 = z
  .string()
  .max(64 * 1024)
  .regex(/^[A-Za-z0-9+/=]*$/)
const errorSchema = z
  .object({
    code: z.string().refine(isErrorCode, 'unknown error code'),
    correlationId: z.string().max(128).optional(),
  })
  .strict()
const step = z.enum(ENROLLMENT_STEPS)
const pinRulesSchema = z
  .object({
    minLength: z.number().int().min(0).max(1000),
    maxLength: z.number().int().min(0).max(1000),
    minSource: z.enum(['template', 'card', 'station']),
    maxSource: z.enum(['template', 'card', 'station']),
    cardKind: z.enum(['tpm-vsc', 'gids']),
    printableAscii: z.literal(true),
    conflict: z.boolean(),
  })
  .strict()
const certificateView = z
  .object({
    container: z.number().int().min(0).max(255),
    templateName: z.string().max(256),
    subject: z.string().max(4096),
    issuer: z.string().max(4096),
    notBefore: instant,
    notAfter: instant,
    thumbprint: z.string().regex(/^[0-9A-F]{40}$/),
  })
  .strict()

const contextSchema = z
  .object({
    requestId: guid,
    holderUuid: guid.nullable(),
    templateId: guid.nullable(),
    template: z
      .object({
        name: z.string().max(512),
        virtualSmartcard: z.boolean(),
        diversifyAdminKey: z.boolean(),
        allowSmartcardReuse: z.boolean().default(false),
        pinPolicy: z
          .object({
            minLength: z.number().int().min(0).max(1000),
            maxLength: z.number().int().min(0).max(1000),
          })
          .strict()
          .nullable(),
        userPinOption: z.string().max(64).nullable(),
      })
      .strict()
      .nullable(),
    holderCards: z.array(guid).max(50),
    createdAt: instant,
    updatedAt: instant,
    card: z
      .object({
        reader: z.string().max(256),
        cardId: guid,
        atr: z.string().regex(/^[0-9a-f]{0,128}$/),
      })
      .strict()
      .nullable(),
    smartcardUuid: guid.nullable(),
    adminKey: z.enum(['initial', 'diversified', 'unknown']),
    pinRules: pinRulesSchema.nullable(),
    pinSource: z.enum(['server', 'holder']).nullable(),
    pinSet: z.boolean(),
    keys: z
      .array(
        z
          .object({
            option: z.number().int().min(0).max(64),
            container: z.number().int().min(0).max(255),
            containerName: z.string().max(64),
            usage: z.enum(['key-exchange', 'signature']),
            bits: z.number().int().min(512).max(16384),
            publicKey: b64,
            csr: b64,
          })
          .strict(),
      )
      .max(64),
    certificateRequestSent: z.boolean(),
    issued: z
      .array(
        z
          .object({
            index: z.number().int().min(0).max(256),
            templateName: z.string().max(256),
            kind: z.enum(['certificate', 'pfx', 'error']),
            certificate: b64.nullable(),
            keyIndex: z.number().int().min(0).max(64).nullable(),
            external: z.boolean(),
          })
          .strict(),
      )
      .max(256)
      .nullable(),
    certificates: z.array(certificateView).max(256),
    certificateIssues: z
      .array(z.object({ templateName: z.string().max(256), code: z.string().refine(isErrorCode) }).strict())
      .max(256),
    retire: z
      .array(
        z
          .object({
            smartcardUuid: guid,
            cardId: guid.nullable(),
            state: z.enum(['pending', 'retired', 'awaiting-approval', 'failed']),
            requestId: guid.nullable(),
            writeId: guid.nullable(),
            error: errorSchema.nullable(),
          })
          .strict(),
      )
      .max(200),
    retireComment: z.string().max(1000),
    canceling: z.enum(['Canceled', 'Abandoned']).nullable(),
    lastFinishedStep: step.nullable(),
  })
  .strict()

const activitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('working') }).strict(),
  z
    .object({
      kind: z.literal('prompt'),
      prompt: z.enum([
        'insert-card',
        'await-approval',
        'start-pin',
        'holder-chooses-pin',
        'note-pin',
        'holder-enters-pin',
        'confirm-retire',
      ]),
      notice: errorSchema.nullable(),
    })
    .strict(),
  z.object({ kind: z.literal('waiting-retry'), error: errorSchema }).strict(),
  z.object({ kind: z.literal('failed'), error: errorSchema, resumable: z.boolean() }).strict(),
  z.object({ kind: z.literal('done'), outcome: z.enum(['completed', 'canceled', 'abandoned']) }).strict(),
])

/** Current checkpoint file format. */
export const CHECKPOINT_VERSION = 1

/** The checkpoint file: `{ version, state }`. */
export const checkpointSchema = z
  .object({
    version: z.literal(CHECKPOINT_VERSION),
    state: z.object({ step, activity: activitySchema, ctx: contextSchema }).strict(),
  })
  .strict()

/** Parse checkpoint text; null when it is not a valid checkpoint (the store quarantines it). */
export function parseCheckpoint(text: string): EnrollmentState | null {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = checkpointSchema.safeParse(raw)
  // The schema checks every field; the cast only restores the branded id types.
  return parsed.success ? (parsed.data.state as unknown as EnrollmentState) : null
}
