import type { CmCardSummary, CmWriteView } from '../../../shared/domain/cm'
import type { DirectoryPerson } from '../../../shared/domain/directory'
import type {
  EnrollTemplateView,
  EnrollmentView,
  RetireCandidateView,
} from '../../../shared/domain/enrollment'
import { effectivePinRules } from '../../../shared/domain/pin-rules'

/** GUID text that fits every branded CM id type (`CmId<never>` is assignable to each `CmId<K>`). */
type AnyId = string & { readonly __cmId: never }

/** GUID text as an id of any CM kind (tests only). */
const id = (text: string): AnyId => text as AnyId

/** Ids used across the renderer tests (GUID text as CM writes it). */
export const IDS = {
  request: id('1c2b4f3a-0d9e-4a71-8c55-6e2f1a9b7d30'),
  request2: id('2d3c5a4b-1e0f-4b82-9d66-7f3a2b0c8e41'),
  holder: id('a11ce000-0000-4000-8000-00000000a11c'),
  other: id('b0b00000-0000-4000-8000-00000000b0b0'),
  template: id('e1000000-5151-4a00-8000-000000000001'),
  template2: id('e2000000-5151-4a00-8000-000000000002'),
  oldCard: id('c0ffee00-0000-4000-8000-000000000001'),
  newCard: id('c0ffee00-0000-4000-8000-0000000000ff'),
  smartcard: id('7a000000-0000-4000-8000-000000000001'),
  smartcard2: id('7a000000-0000-4000-8000-000000000002'),
  newSmartcard: id('7a000000-0000-4000-8000-0000000000ff'),
  write: id('9e000000-0000-4000-8000-000000000001'),
}

/** The GIDS ATR of the virtual cards. */
export const GIDS_ATR = '3b8d0180fba000000397425446590301c8'

/** An EnrollmentView with test defaults (step `card`, waiting for the new badge). */
export function enrollmentView(overrides: Partial<EnrollmentView> = {}): EnrollmentView {
  return {
    requestId: IDS.request,
    step: 'card',
    status: 'needs-operator',
    prompt: 'insert-card',
    lastFinishedStep: null,
    outcome: null,
    holderUuid: IDS.holder,
    templateId: IDS.template,
    card: null,
    pinSource: null,
    pinRules: effectivePinRules({ policy: null, cardKind: 'tpm-vsc', stationMinLength: 0 }),
    retire: [],
    certificates: [],
    certificateIssues: [],
    error: null,
    resumable: false,
    cancelable: true,
    createdAt: '2026-03-12T09:00:00.000Z',
    updatedAt: '2026-03-12T09:00:00.000Z',
    ...overrides,
  } satisfies EnrollmentView
}

/** The new badge as an enrollment reports it after `enrollment:use-card`. */
export function newCard(
  reader = 'V1',
  smartcardUuid: string | null = IDS.newSmartcard,
): EnrollmentView['card'] {
  return { reader, cardId: IDS.newCard, atr: GIDS_ATR, smartcardUuid } as EnrollmentView['card']
}

/** An enrollable template. */
export function templateView(overrides: Partial<EnrollTemplateView> = {}): EnrollTemplateView {
  return {
    uuid: IDS.template,
    name: 'Badge vSC (server PIN)',
    description: 'Virtual smart card badge',
    isVirtualSmartcard: true,
    needsApproval: false,
    collectComments: false,
    dataCollection: [],
    pinRules: effectivePinRules({ policy: null, cardKind: 'tpm-vsc', stationMinLength: 0 }),
    userPinOption: null,
    ...overrides,
  } as EnrollTemplateView
}

/** A journaled CM write. */
export function writeView(overrides: Partial<CmWriteView> = {}): CmWriteView {
  return {
    id: IDS.write,
    kind: 'retire',
    state: 'failed',
    createdAt: '2026-03-12T09:00:00.000Z',
    updatedAt: '2026-03-12T09:05:00.000Z',
    attempts: 3,
    smartcardUuid: IDS.smartcard,
    requestId: IDS.request2,
    lastError: { code: 'server-error', correlationId: 'corr-42' },
    nextRetryAt: null,
    ...overrides,
  } as CmWriteView
}

/** A directory entry. */
export function person(uuid: string, displayName: string, account: string): DirectoryPerson {
  return {
    uuid,
    displayName,
    account,
    upn: null,
    email: `${account.split('\\')[1] ?? account}@contoso.test`,
    department: 'Finance',
    employeeNumber: null,
  } as DirectoryPerson
}

/** A CM record as `cm:find-card` answers it. */
export function cardRecord(options: {
  owner?: string | null
  status?: { raw: number; name?: string }
  operations?: string[]
  uuid?: string
  cardId?: string
  template?: string
}): CmCardSummary {
  const status = options.status ?? { raw: 3, name: 'Active' }
  const cardId = options.cardId ?? IDS.oldCard
  return {
    card: {
      uuid: options.uuid ?? IDS.smartcard,
      cardId,
      serialNumber: `{${cardId}}`,
      status: { raw: status.raw, name: status.name, confidence: status.name ? 'observed' : undefined },
      flags: { raw: 1, names: ['Primary'], unknownBits: 0 },
      parentSmartcardUuid: null,
      primarySmartcardUuid: null,
      permanentSmartcardUuid: null,
      assignedUserUuid: options.owner === undefined ? IDS.holder : options.owner,
      profileTemplateUuid: options.template ?? IDS.template,
      profileTemplateVersion: 1,
      comment: '',
      middleware: 'MSBaseCSP',
      atr: GIDS_ATR,
    },
    operations: options.operations ?? ['retire', 'unblock'],
  } as unknown as CmCardSummary
}

/** A retire candidate of the retire step. */
export function candidate(overrides: Partial<RetireCandidateView> = {}): RetireCandidateView {
  return {
    smartcardUuid: IDS.smartcard,
    cardId: IDS.oldCard,
    status: { raw: 3, name: 'Active' },
    templateId: IDS.template,
    canRetire: true,
    ...overrides,
  } as RetireCandidateView
}
