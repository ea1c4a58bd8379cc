import { z } from 'zod'
import { ENROLLMENT_STEPS, type EnrollmentStep } from '../../../shared/domain/enrollment'
import { isErrorCode, type ErrorCode } from '../../../shared/errors'

/**
 * One audit record: who did what to which card and request, at which step, how it ended, and CM's correlation id.
 * An allow-list: ids (GUIDs), closed vocabularies and a short correlation id — there is no field a PIN, admin key,
 * challenge, response or free text could travel in, and the schema refuses any other field (conventions §10).
 */

/**
 * Operator actions (recorded at the IPC layer, one per call, after it ran): the enrollment intents, the Retire task,
 * the pending-write actions, "Next holder" (`enrollment:dismiss`) and the diagnostics export.
 */
export const AUDIT_OPERATOR_ACTIONS = [
  'start-enrollment',
  'use-card',
  'set-pin',
  'acknowledge-pin',
  'provide-pin',
  'confirm-retire',
  'retry',
  'cancel',
  'next-holder',
  'retire-card',
  'retry-write',
  'dismiss-write',
  'export-diagnostics',
] as const

/** Journaled CM writes (recorded when a run of the write journal settles): E05 enroll, E11 bind, retire, E08 complete / cancel. */
export const AUDIT_CM_WRITE_ACTIONS = [
  'cm-enroll',
  'cm-bind',
  'cm-retire',
  'cm-complete',
  'cm-cancel',
] as const

/** Every action: operator actions, CM writes, and `step` (an enrollment step finished, failed or was ended). */
export const AUDIT_ACTIONS = [...AUDIT_OPERATOR_ACTIONS, ...AUDIT_CM_WRITE_ACTIONS, 'step'] as const

/**
 * How it ended. Operator actions: `succeeded`, `failed` (with `error`), `canceled` (the operator closed the save
 * dialog). CM writes: `succeeded`, `awaiting-approval` (a Retire request waits for an approver), `retry-scheduled`
 * (a transient failure; the journal retries by itself), `failed`. Steps: `finished`, `failed` (the step stopped, or
 * refused a card, with `error`), `canceled` / `abandoned` (the enrollment ended there, §5.7).
 */
export const AUDIT_OUTCOMES = [
  'succeeded',
  'failed',
  'canceled',
  'awaiting-approval',
  'retry-scheduled',
  'finished',
  'abandoned',
] as const

/** One of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
/** One of AUDIT_OPERATOR_ACTIONS. */
export type AuditOperatorAction = (typeof AUDIT_OPERATOR_ACTIONS)[number]
/** One of AUDIT_OUTCOMES. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]

/** What a layer hands to `AuditLog.record` (the log adds `time` and `operator`). Unknown ids may be left out. */
export interface AuditRecordInput {
  action: AuditAction
  outcome: AuditOutcome
  /** The Enroll request (enrollment records), or the Retire request (retire writes, once CM created it). */
  requestId?: string | null
  /** CM user Uuid of the badge holder, when known. */
  holder?: string | null
  /** The card's own CardID (GIDS). */
  cardId?: string | null
  /** CM's Uuid of the card (the new badge once bound, or the old badge being retired). */
  smartcardUuid?: string | null
  /** The enrollment step the record is about (cm-rest-api.md §5.3 names). */
  step?: EnrollmentStep | null
  /** The write-journal entry (CM write records, and the bind / complete steps that ran through it). */
  writeId?: string | null
  /** CM's correlation id of a server-side failure (§1.7), to quote to the CM administrator. */
  correlationId?: string | null
  /** The closed error code of a failure. */
  error?: ErrorCode | null
}

/** Version of the record format (the `v` field, first in every line). */
export const AUDIT_RECORD_VERSION = 1

/** One line of the audit log: every field present (null when unknown), in this order. */
export interface AuditRecord {
  /** Record format version (AUDIT_RECORD_VERSION). */
  v: typeof AUDIT_RECORD_VERSION
  /** ISO instant (station clock). */
  time: string
  /** The account CM sees as the caller (operator.ts). */
  operator: string
  action: AuditAction
  outcome: AuditOutcome
  requestId: string | null
  holder: string | null
  cardId: string | null
  smartcardUuid: string | null
  step: EnrollmentStep | null
  writeId: string | null
  correlationId: string | null
  error: ErrorCode | null
}

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((s) => s.toLowerCase())
/** A correlation id as correlation.ts extracts it: a GUID or a short plain token (never a body or a secret). */
const correlationId = z.string().regex(/^[\w.:-]{1,64}$/)

/** The input schema: strict (a field outside the allow-list is refused, never dropped silently). */
export const auditRecordInputSchema = z
  .object({
    action: z.enum(AUDIT_ACTIONS),
    outcome: z.enum(AUDIT_OUTCOMES),
    requestId: guid.nullish(),
    holder: guid.nullish(),
    cardId: guid.nullish(),
    smartcardUuid: guid.nullish(),
    step: z.enum(ENROLLMENT_STEPS).nullish(),
    writeId: guid.nullish(),
    correlationId: correlationId.nullish(),
    error: z.string().refine(isErrorCode, 'not an error code').nullish(),
  })
  .strict()

/** A record that does not fit the allow-list; `paths` name the offending fields (never their values). */
export class AuditRecordError extends Error {
  override readonly name = 'AuditRecordError'
  constructor(readonly paths: string[]) {
    super(`audit record refused: ${paths.join(', ')}`)
  }
}

/** Check `input` against the allow-list and complete it into a record. Throws AuditRecordError. */
export function toAuditRecord(input: unknown, operator: string, time: string): AuditRecord {
  const parsed = auditRecordInputSchema.safeParse(input)
  if (!parsed.success) {
    throw new AuditRecordError(
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys' ? i.keys.map((k) => k) : [i.path.join('.') || '(root)'],
      ),
    )
  }
  const r = parsed.data
  return {
    v: AUDIT_RECORD_VERSION,
    time,
    operator,
    action: r.action,
    outcome: r.outcome,
    requestId: r.requestId ?? null,
    holder: r.holder ?? null,
    cardId: r.cardId ?? null,
    smartcardUuid: r.smartcardUuid ?? null,
    step: r.step ?? null,
    writeId: r.writeId ?? null,
    correlationId: r.correlationId ?? null,
    error: (r.error as ErrorCode | undefined | null) ?? null,
  }
}
