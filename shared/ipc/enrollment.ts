import { z } from 'zod'
import type { ProfileTemplateId, RequestId, SmartcardUuid, UserUuid } from '../domain/cm'
import type {
  ApprovedRequestView,
  EnrollTemplateView,
  EnrollmentView,
  RetireCandidateView,
} from '../domain/enrollment'
import { channel, event } from './define'
import { guid } from './guid'

/**
 * A PIN typed by the holder: bounded (TPM VSC max 127, gids-card-edge.md §7.1); the effective rules are checked in
 * main before any card command. Never logged (redaction at the sink covers `pin`).
 */
const pin = z.string().min(1).max(127)

const requestIdOnly = z.object({ requestId: guid<RequestId>() }).strict()

/**
 * `enrollment:start`. Three ways in (issue §Deliver 1):
 * - `holder`: a new Enroll request on behalf of `holderUuid` (E05 with `target`) on `templateId`, with the policy's
 *   data items and comment (the holder was found from their current badge or, later, the directory);
 * - `request`: an existing request by id (typed, pasted or scanned) → E07;
 * Approved requests listed by `enrollment:list-approved-requests` start with `request` too.
 * A request that needs approval stops in step `approval` (resume it later with `request`).
 */
export const enrollmentStartRequest = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('holder'),
      holderUuid: guid<UserUuid>(),
      templateId: guid<ProfileTemplateId>(),
      dataCollection: z
        .array(z.object({ name: z.string().min(1).max(200), value: z.string().max(1000) }).strict())
        .max(50)
        .default([]),
      comment: z.string().max(1000).default(''),
      /**
       * The holder's badge the operator started from (way a): offered in the retire step even though CM REST lists
       * only the caller's own cards (cm-rest-api.md Q15 [A]).
       */
      fromSmartcardUuid: guid<SmartcardUuid>().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('request'), requestId: guid<RequestId>() }).strict(),
])

/**
 * `enrollment:list-retire-candidates` answers the holder's cards the station can find: the badge the enrollment
 * started from, the holder's cards in any reader (identified and looked up by cardid, E12), and what
 * `GET /smartcards` shows the operator (only the caller's own cards on the simulator, Q15 [A]).
 */
/** `enrollment:use-card`: the new badge is in `reader` (step `card`; or the same card again to resume). */
export const enrollmentUseCardRequest = z
  .object({ requestId: guid<RequestId>(), reader: z.string().min(1).max(256) })
  .strict()

/**
 * `enrollment:set-pin` (step `pin`): without `pin`, the station asks CM for a proposed PIN (E16): 200 → it is set on
 * the card, verified, and returned ONCE in this response for the holder to read; 204 → the result says the holder
 * chooses. With `pin` (the holder's choice, typed twice in the holder entry), that PIN is set and verified.
 */
export const enrollmentSetPinRequest = z
  .object({ requestId: guid<RequestId>(), pin: pin.optional() })
  .strict()

/** `enrollment:provide-pin`: after a restart the station holds no PIN; the holder types the card's PIN to continue. */
export const enrollmentProvidePinRequest = z.object({ requestId: guid<RequestId>(), pin }).strict()

/** `enrollment:retire-old-cards`: the operator's confirmed selection (may be empty: retire nothing). */
export const enrollmentRetireRequest = z
  .object({
    requestId: guid<RequestId>(),
    smartcardUuids: z.array(guid<SmartcardUuid>()).max(200),
    comment: z.string().max(1000).default(''),
  })
  .strict()

/** Result of `enrollment:set-pin`. The only response that ever carries a PIN (the server's, to show once). */
export type EnrollmentSetPinResult =
  | { kind: 'server'; pin: string; view: EnrollmentView }
  | { kind: 'holder-chooses'; view: EnrollmentView }
  | { kind: 'holder-set'; view: EnrollmentView }
  /** The step did not get that far (card pulled, CM error…): `view.error` says why; nothing to show. */
  | { kind: 'not-set'; view: EnrollmentView }

/** Enrollment channels (join them into contract.ts). */
export const enrollmentChannels = {
  /** Templates the operator may issue badges on, with their Enroll policy and PIN rules (E01, E03, E04). */
  'enrollment:list-templates': channel<z.ZodObject<{}>, EnrollTemplateView[]>(z.object({}).strict()),
  /** Approved Enroll requests the operator can see (E06 `status=Approved`), for way (c). */
  'enrollment:list-approved-requests': channel<z.ZodObject<{}>, ApprovedRequestView[]>(z.object({}).strict()),
  /** Enrollments in progress (from the checkpoints), newest first; finished ones until dismissed. */
  'enrollment:list': channel<z.ZodObject<{}>, EnrollmentView[]>(z.object({}).strict()),
  /** One enrollment. */
  'enrollment:get': channel<typeof requestIdOnly, EnrollmentView>(requestIdOnly),
  /** Start (or resume by request id) an enrollment. */
  'enrollment:start': channel<typeof enrollmentStartRequest, EnrollmentView>(enrollmentStartRequest),
  /** The new badge is in this reader: identify, check, bind, admin key (runs on; follow `enrollment:changed`). */
  'enrollment:use-card': channel<typeof enrollmentUseCardRequest, EnrollmentView>(enrollmentUseCardRequest),
  /** The PIN step (see the request schema). */
  'enrollment:set-pin': channel<typeof enrollmentSetPinRequest, EnrollmentSetPinResult>(
    enrollmentSetPinRequest,
  ),
  /** The holder has noted the server PIN: go on to the certificates (the renderer forgets the PIN). */
  'enrollment:acknowledge-pin': channel<typeof requestIdOnly, EnrollmentView>(requestIdOnly),
  /** After a restart: the holder's PIN, so the card can generate keys and sign the certificate requests. */
  'enrollment:provide-pin': channel<typeof enrollmentProvidePinRequest, EnrollmentView>(
    enrollmentProvidePinRequest,
  ),
  /** The holder's other cards the operator can see (E12 filtered by owner, E18 `retire`), never the new card. */
  'enrollment:list-retire-candidates': channel<typeof requestIdOnly, RetireCandidateView[]>(requestIdOnly),
  /** Retire the confirmed old cards (bounded parallel, journaled), then complete the request. */
  'enrollment:retire-old-cards': channel<typeof enrollmentRetireRequest, EnrollmentView>(
    enrollmentRetireRequest,
  ),
  /** Run the failed step again (or the step a resume needs). */
  'enrollment:retry': channel<typeof requestIdOnly, EnrollmentView>(requestIdOnly),
  /** Cancel: `Canceled` before a card is bound, `Abandoned` after (§5.7). Journaled. */
  'enrollment:cancel': channel<typeof requestIdOnly, EnrollmentView>(requestIdOnly),
  /** Forget a finished enrollment (its checkpoint is deleted); the operator's "Next holder". */
  'enrollment:dismiss': channel<typeof requestIdOnly, null>(requestIdOnly),
  /**
   * The station returns to Home (kiosk idle reset): zero every PIN held for the certificate step. The enrollments stay
   * resumable; one resumed at the certificate step asks the holder for the card's PIN (prompt `holder-enters-pin`).
   */
  'enrollment:release-pins': channel<z.ZodObject<{}>, null>(z.object({}).strict()),
}

/** Enrollment events (join them into contract.ts). */
export const enrollmentEvents = {
  /** One enrollment after any change: step, status, ids and codes only — never a PIN. */
  'enrollment:changed': event<EnrollmentView>(),
  /** An enrollment was dismissed (its checkpoint deleted): every open window drops it. */
  'enrollment:removed': event<{ requestId: RequestId }>(),
}
