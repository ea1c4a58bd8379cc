import type { z } from 'zod'
import type {
  CmCardSummary,
  CmRetirePolicyView,
  CmRetireResult,
  CmWriteResult,
  CmWriteView,
  RequestId,
  SmartcardUuid,
} from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { cmChannels } from '../../../shared/ipc/cm'
import type { ChannelDef } from '../../../shared/ipc/define'
import type { CallContext } from '../ipc/router'
import type { Logger } from '../log'
import type { CmClient } from './client'
import type { RetireClient, RetireInput } from './retire'

type CmChannels = typeof cmChannels
type Req<C extends keyof CmChannels> = z.output<CmChannels[C]['request']>
type Res<C extends keyof CmChannels> = CmChannels[C] extends ChannelDef<z.ZodType, infer R> ? R : never

/** Handlers of the `cm:*` channels, in the router's `Handlers` style (electron/services/ipc/router.ts). */
export type CmHandlers = { [C in keyof CmChannels]: (request: Req<C>, ctx: CallContext) => Promise<Res<C>> }

/** The slice of CmClient the handlers use (conventions §7). */
export type CmHandlerClient = RetireClient &
  Pick<
    CmClient,
    | 'getSmartcardByCardId'
    | 'listSmartcards'
    | 'getServerProposedPin'
    | 'getWorkflowPolicy'
    | 'getProfileTemplate'
  >

/** The journaled writes the handlers use (electron/services/journal/write-service.ts implements it). */
export interface CmWrites {
  retire(input: RetireInput): Promise<CmRetireResult>
  retry(id: string): Promise<CmWriteResult>
  list(): CmWriteView[]
  dismiss(id: string): CmWriteView[]
}

/** Dependencies; `cm: null` means no CM server is configured (every call fails `cm-not-configured`). */
export interface CmHandlerDeps {
  cm: CmHandlerClient | null
  /** The write journal; every operator-requested write goes through it ("nothing lost"). */
  writes?: CmWrites | null
  log?: Logger
  /**
   * The enrollment in progress whose new badge this card is, or null. Such a card is not retired from the Retire task
   * (the enrollment would report a badge issued that CM has retired): `card-in-enrollment`.
   */
  enrollmentOfCard?: (smartcardUuid: SmartcardUuid) => RequestId | null
}

/** Build the `cm:*` handlers. Errors are StationErrors with CM codes; the router turns them into Results. */
export function createCmHandlers(deps: CmHandlerDeps): CmHandlers {
  const client = (): CmHandlerClient => {
    if (!deps.cm) throw new StationError('cm-not-configured')
    return deps.cm
  }
  const notBeingIssued = (smartcardUuid: SmartcardUuid): void => {
    const requestId = deps.enrollmentOfCard?.(smartcardUuid) ?? null
    if (requestId) throw new StationError('card-in-enrollment', {}, `the new badge of request ${requestId}`)
  }
  const writes = (): CmWrites => {
    client()
    // A station without a journal is a wiring bug: refuse the write rather than run it unjournaled.
    if (!deps.writes) throw new StationError('internal', {}, 'cm: no write journal')
    return deps.writes
  }
  return {
    async 'cm:find-card'({ cardId }) {
      const cm = client()
      const card = await cm.getSmartcardByCardId(cardId)
      if (!card) return null
      let operations: string[] = []
      try {
        operations = await cm.getSmartcardOperations(card.uuid)
      } catch (error) {
        // A caller who may see the card but not its operations still gets the card (no actions offered).
        if (!(error instanceof StationError) || error.code !== 'forbidden') throw error
      }
      const summary: CmCardSummary = { card, operations }
      return summary
    },
    async 'cm:list-holder-cards'({ holderUuid }) {
      // ASSUMPTION (field-notes.md §0, OQ-13): only the cards GET /smartcards shows the caller.
      const cards = await client().listSmartcards()
      return holderUuid === undefined ? cards : cards.filter((c) => c.assignedUserUuid === holderUuid)
    },
    async 'cm:proposed-pin'({ requestId, smartcardUuid, cardId }) {
      // The PIN leaves main only as this response (conventions §10); never logged, never an event.
      return client().getServerProposedPin(requestId, smartcardUuid, { cardId })
    },
    async 'cm:retire-card'({ smartcardUuid, requestId, comment, dataCollection }) {
      notBeingIssued(smartcardUuid)
      // Failures throw the StationError (code + correlation id) after the journal kept the entry.
      return writes().retire({ smartcardUuid, requestId, comment, dataCollection })
    },
    async 'cm:list-pending-writes'() {
      return deps.writes?.list() ?? []
    },
    async 'cm:retry-write'({ id }) {
      return writes().retry(id)
    },
    async 'cm:dismiss-write'({ id }) {
      return writes().dismiss(id)
    },
    async 'cm:retire-policy'({ smartcardUuid }) {
      notBeingIssued(smartcardUuid)
      const cm = client()
      const card = await cm.getSmartcard(smartcardUuid)
      if (!card?.profileTemplateUuid) return null
      const policy = await cm.getWorkflowPolicy(card.profileTemplateUuid, 'Retire')
      if (!policy) return null
      const view: CmRetirePolicyView = {
        templateId: card.profileTemplateUuid,
        enabled: policy.enabled,
        collectComments: policy.collectComments === true,
        needsApproval: (policy.approvalsNeeded ?? 0) > 0,
        dataCollection: policy.dataCollection.map((d) => ({ name: d.name, required: d.required !== false })),
      }
      return view
    },
    async 'cm:get-template'({ templateId }) {
      try {
        return await client().getProfileTemplate(templateId)
      } catch (error) {
        // A template the operator may not read has no name to show: the UI keeps its GUID.
        if (error instanceof StationError && error.code === 'forbidden') return null
        throw error
      }
    },
    async 'cm:get-request'({ requestId }) {
      return client().getRequest(requestId)
    },
  }
}
