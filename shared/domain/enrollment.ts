import type { ErrorCode } from '../errors'
import type { CardId, CmDataItem, ProfileTemplateId, RequestId, SmartcardUuid, UserUuid } from './cm'
import type { PinRules } from './pin-rules'

/**
 * The badge-issuing workflow as the renderer sees it (issue "Issue a badge, end to end"). JSON-plain, ids and
 * codes only: never a PIN, key, challenge or response (conventions §10). Names (holder, template) are resolved
 * by the renderer through the directory and template channels, so the view stays small and secret-free.
 */

/**
 * The steps of an Enroll request, in the order of cm-rest-api.md §5.3 (named as the field names them, so code,
 * UI, audit and the CM walkthrough read the same).
 */
export const ENROLLMENT_STEPS = [
  /** The request exists and waits for an approver in CM (Status 16 Pending). */
  'approval',
  /** Approved: waiting for the operator to insert the new badge (§5.3 step 6). */
  'card',
  /** E11 POST /smartcards: the card is bound to the request (§5.3 step 7). */
  'bind',
  /** E04 + E14 + E15 + PUT KEY: the initial admin key replaced by the diversified one (§5.3 steps 9–12). */
  'admin-key',
  /** E16 proposed PIN or the holder's own PIN, set under admin authentication and verified (§5.3 13–16, §5.4). */
  'pin',
  /** E09 → keys on the card → PKCS#10 signed by the card → E10 → certificates installed (§5.3 17–20). */
  'certificates',
  /** The holder's other cards retired through the write journal (§5.6). */
  'retire',
  /** E08 Completed through the write journal (§5.3 step 21). */
  'complete',
] as const

/** One step of the workflow. */
export type EnrollmentStep = (typeof ENROLLMENT_STEPS)[number]

/**
 * What the step is doing now:
 * - `working`: the station runs the step (card APDUs, CM calls) — show a spinner;
 * - `needs-operator`: the operator must act (insert a card, confirm the retire list, retry a failure…);
 * - `needs-holder`: the holder must act (read the proposed PIN, type a PIN);
 * - `waiting-retry`: a CM write failed transiently and the write journal retries it by itself;
 * - `failed`: the step failed; `error` says why; `resumable` says whether Retry can continue it;
 * - `done`: the enrollment is finished (`phase` says how).
 */
export type EnrollmentStatus =
  'working' | 'needs-operator' | 'needs-holder' | 'waiting-retry' | 'failed' | 'done'

/** How an enrollment ended (only when status is `done`). */
export type EnrollmentOutcome = 'completed' | 'canceled' | 'abandoned'

/** Why the operator or the holder is being asked (status `needs-operator` / `needs-holder`). */
export type EnrollmentPrompt =
  /** Insert the new badge into a reader (step `card`), or re-insert THE SAME card to resume. */
  | 'insert-card'
  /** The request waits for approval in CM; resume by request id once approved. */
  | 'await-approval'
  /** Start the PIN step (the response of `enrollment:set-pin` carries a server PIN to show once). */
  | 'start-pin'
  /** The server proposed no PIN (E16 204): the holder types a PIN twice (`enrollment:set-pin` with `pin`). */
  | 'holder-chooses-pin'
  /** The server PIN was set and verified: the holder notes it, then `enrollment:acknowledge-pin`. */
  | 'note-pin'
  /** The station holds no PIN (after a restart): the holder types the card PIN to continue (`enrollment:provide-pin`). */
  | 'holder-enters-pin'
  /** Choose the old cards to retire (`enrollment:list-retire-candidates`, then `enrollment:retire-old-cards`). */
  | 'confirm-retire'
  /** A failure the operator must look at (`error`); Retry (`enrollment:retry`) or Cancel. */
  | 'resolve-failure'

/** Where the PIN of the new card comes from (§5.4): E16 200 → `server`; E16 204 → `holder`. */
export type PinSource = 'server' | 'holder'

/** The new badge of an enrollment, once inserted (never a secret). */
export interface EnrollmentCardView {
  /** The reader it was last seen in. */
  reader: string
  cardId: CardId
  /** Lower-case hex. */
  atr: string
  /** CM's Uuid for this card, once bound (E11). */
  smartcardUuid: SmartcardUuid | null
}

/** One old card of the holder in the retire step. */
export interface EnrollmentRetireItem {
  smartcardUuid: SmartcardUuid
  cardId: CardId | null
  /**
   * `pending` (queued or running), `retired`, `awaiting-approval` (the Retire request waits for an approver; it
   * stays in the write journal), `failed` (kept in the write journal with its code and correlation id).
   */
  state: 'pending' | 'retired' | 'awaiting-approval' | 'failed'
  /** The Retire request, once it exists. */
  requestId: RequestId | null
  /** The write-journal entry carrying it (for `cm:retry-write`). */
  writeId: string | null
  error: { code: ErrorCode; correlationId?: string } | null
}

/** One certificate the station installed on the new card. */
export interface EnrollmentCertificateView {
  /** Container index on the card (`kxc00`, `ksc01`…, gids-card-edge.md §9.4). */
  container: number
  /** CA certificate template (E10 `TemplateCommonName`). */
  templateName: string
  subject: string
  issuer: string
  /** ISO instants. */
  notBefore: string
  notAfter: string
  /** Upper-case hex SHA-1 of the DER certificate (as CM reports thumbprints). */
  thumbprint: string
}

/**
 * An E10 entry the station could not install (Q9: `Error` non-null, a server-generated key the card cannot import,
 * an extra external certificate without a key on the card). Shown in the summary; the request stays resumable
 * when the entry is required.
 */
export interface EnrollmentCertificateIssue {
  templateName: string
  code: ErrorCode
}

/** The enrollment as the renderer sees it (`enrollment:*` responses and the `enrollment:changed` event). */
export interface EnrollmentView {
  /** The Enroll request id: the enrollment's identity (checkpoints are kept per request id). */
  requestId: RequestId
  /** The step the enrollment is in (while `done`: the last step it reached). */
  step: EnrollmentStep
  status: EnrollmentStatus
  /** The question when status is `needs-operator` / `needs-holder`; otherwise null. */
  prompt: EnrollmentPrompt | null
  /** The last step that finished (checkpointed), or null before the first one. */
  lastFinishedStep: EnrollmentStep | null
  /** Only when status is `done`. */
  outcome: EnrollmentOutcome | null
  holderUuid: UserUuid | null
  templateId: ProfileTemplateId | null
  card: EnrollmentCardView | null
  pinSource: PinSource | null
  /** The effective PIN rules of this enrollment (template + card type + station minimum), once known. */
  pinRules: PinRules | null
  retire: EnrollmentRetireItem[]
  certificates: EnrollmentCertificateView[]
  certificateIssues: EnrollmentCertificateIssue[]
  /** The current failure (status `failed` or `waiting-retry`): a closed code and the CM correlation id. */
  error: { code: ErrorCode; correlationId?: string } | null
  /** A failed step that Retry can continue (false: only Cancel is left). */
  resumable: boolean
  /**
   * Cancel is still possible: until certificates are requested for the new card (afterwards the request is
   * completed, and the badge retired if it must not be used).
   */
  cancelable: boolean
  /** ISO instants (station clock). */
  createdAt: string
  updatedAt: string
}

/** A profile template the operator may issue badges on, with its Enroll policy (E01 + E03 + E04, no secrets). */
export interface EnrollTemplateView {
  uuid: ProfileTemplateId
  name: string
  description: string
  isVirtualSmartcard: boolean
  /** E03 Enroll policy `ApprovalsNeeded` > 0: the request will wait for an approver. */
  needsApproval: boolean
  /** Comment prompt (E03 `CollectComments`). */
  collectComments: boolean
  /** Data-collection items the operator must fill in (E03 `PolicyDataCollection`). */
  dataCollection: Array<{ name: string; required: boolean }>
  /** The PIN rules the template asks for (E04 `UserPinPolicy`, card limits, station minimum). */
  pinRules: PinRules
  /** What E04 says about the PIN, by name when known (§4.6; the station still probes E16, §5.4). */
  userPinOption: string | null
}

/** An approved Enroll request the operator can execute (E06 `status=Approved`). */
export interface ApprovedRequestView {
  requestId: RequestId
  templateId: ProfileTemplateId | null
  targetUserUuid: UserUuid | null
  originatorUserUuid: UserUuid | null
  /** ISO instant or null. */
  submitted: string | null
  /** A card is already bound (resume with that card only). */
  hasCard: boolean
  dataCollection: CmDataItem[]
}

/** An old card of the holder that the retire step may offer (never the new card). */
export interface RetireCandidateView {
  smartcardUuid: SmartcardUuid
  cardId: CardId | null
  /** Raw CM status and its name (Active cards are preselected). */
  status: { raw: number; name: string | undefined }
  templateId: ProfileTemplateId | null
  /** E18 offers `retire` to this operator. */
  canRetire: boolean
}
