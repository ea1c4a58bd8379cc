import { describeEnum, SMARTCARD_STATUS, USER_PIN_OPTION } from '../../../shared/cm/enums'
import type { CmProfileTemplate, CmSmartcard, UserUuid } from '../../../shared/domain/cm'
import type {
  ApprovedRequestView,
  EnrollTemplateView,
  RetireCandidateView,
} from '../../../shared/domain/enrollment'
import { effectivePinRules } from '../../../shared/domain/pin-rules'
import { StationError } from '../../../shared/errors'
import type { EnrollmentDeps } from './deps'
import type { EnrollmentState } from './state'

// Smartcard.Status 6 = Retired (Observed, FX-E17-1): nothing left to retire.
const RETIRED = 6

/** True when `error` is a 403: the operator may not use this template (skip it, do not fail the list). */
function forbidden(error: unknown): boolean {
  return error instanceof StationError && error.code === 'forbidden'
}

/**
 * The templates the operator may issue badges on (§5.3 steps 1–2): E01 smart-card templates whose E03 Enroll policy
 * is not disabled and whose E04 configuration the operator may read, with approvals, data items, comment prompt and
 * the PIN rules before the card is known (card kind from the template: TPM VSC or GIDS).
 */
export async function listEnrollTemplates(deps: EnrollmentDeps): Promise<EnrollTemplateView[]> {
  const templates = (await deps.cm.listProfileTemplates()).filter((t) => t.isSmartcard)
  const views = await Promise.all(templates.map((t) => templateView(deps, t)))
  return views.filter((v): v is EnrollTemplateView => v !== null)
}

async function templateView(deps: EnrollmentDeps, t: CmProfileTemplate): Promise<EnrollTemplateView | null> {
  try {
    const [policy, config] = await Promise.all([
      deps.cm.getWorkflowPolicy(t.uuid, 'Enroll'),
      deps.cm.getSmartcardConfig(t.uuid),
    ])
    // ASSUMPTION OQ-05: a policy without `Enabled` is enabled; only an explicit false hides the template.
    if (!config || policy?.enabled === false) return null
    const virtual = t.isVirtualSmartcard || config.useVirtualSmartcards === true
    return {
      uuid: t.uuid,
      name: t.name,
      description: t.description,
      isVirtualSmartcard: virtual,
      needsApproval: (policy?.approvalsNeeded ?? 0) > 0,
      collectComments: policy?.collectComments === true,
      dataCollection: (policy?.dataCollection ?? []).map((d) => ({
        name: d.name,
        required: d.required !== false,
      })),
      pinRules: effectivePinRules({
        policy: { minLength: config.userPinPolicy.minLength, maxLength: config.userPinPolicy.maxLength },
        cardKind: virtual ? 'tpm-vsc' : 'gids',
        stationMinLength: deps.stationPinMinLength,
      }),
      userPinOption: describeEnum(USER_PIN_OPTION, config.userPinOption.raw).name ?? null,
    }
  } catch (error) {
    if (forbidden(error)) return null
    throw error
  }
}

/** Approved smart-card Enroll requests the operator can see (E06 `status=Approved`), newest first (way (c)). */
export async function listApprovedRequests(deps: EnrollmentDeps): Promise<ApprovedRequestView[]> {
  const requests = await deps.cm.listRequests({ status: 'Approved' })
  return requests
    .filter((r) => r.isSmartcard && r.requestType.name === 'Enroll')
    .sort((a, b) => (b.submitted ?? '').localeCompare(a.submitted ?? ''))
    .map((r) => ({
      requestId: r.uuid,
      templateId: r.profileTemplateUuid,
      targetUserUuid: r.targetUserUuid,
      originatorUserUuid: r.originatorUserUuid,
      submitted: r.submitted,
      hasCard: r.newSmartcardUuid !== null,
      dataCollection: r.dataCollection.map((d) => ({ ...d })),
    }))
}

/**
 * The holder's other cards the station can find, never the new card, never an already retired one, each with whether
 * E18 offers `retire`. Three sources, because CM REST has no users controller (OQ-13) and `GET /smartcards` lists
 * only the caller's own cards (cm-rest-api.md Q15 [A]): the badge the enrollment started from (E13), the holder's
 * cards the operator has put in any reader (identified, then E12 `?cardid=`), and E12 without parameters.
 */
export async function listRetireCandidates(
  deps: EnrollmentDeps,
  state: EnrollmentState,
): Promise<RetireCandidateView[]> {
  const { holderUuid, smartcardUuid, card } = state.ctx
  if (!holderUuid) return []
  const found = new Map<string, CmSmartcard>()
  const consider = (c: CmSmartcard | null) => {
    if (!c) return
    const other = c.uuid !== smartcardUuid && (card === null || c.cardId !== card.cardId)
    if (c.assignedUserUuid === (holderUuid as UserUuid) && other && c.status.raw !== RETIRED)
      found.set(c.uuid, c)
  }
  for (const scid of state.ctx.holderCards) consider(await deps.cm.getSmartcard(scid))
  for (const reader of deps.presentReaders()) {
    if (card && reader === card.reader) continue
    try {
      const id = await deps.card.identify(reader)
      if (id.cardId) consider(await deps.cm.getSmartcardByCardId(id.cardId))
    } catch (error) {
      // A mute, foreign or pulled card in some reader is not a candidate; the list goes on.
      deps.log.info('enrollment: reader skipped for retire candidates', { reader, error })
    }
  }
  for (const c of await deps.cm.listSmartcards()) consider(c)
  return Promise.all(
    [...found.values()].map(async (c) => {
      let operations: string[] = []
      try {
        operations = await deps.cm.getSmartcardOperations(c.uuid)
      } catch (error) {
        if (!forbidden(error)) throw error
      }
      return {
        smartcardUuid: c.uuid,
        cardId: c.cardId,
        status: { raw: c.status.raw, name: describeEnum(SMARTCARD_STATUS, c.status.raw).name },
        templateId: c.profileTemplateUuid,
        canRetire: operations.includes('retire'),
      }
    }),
  )
}
