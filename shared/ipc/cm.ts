import { z } from 'zod'
import type {
  CardId,
  CmCardSummary,
  CmProfileTemplate,
  ProfileTemplateId,
  CmProposedPin,
  CmRequest,
  CmRetirePolicyView,
  CmRetireResult,
  CmSmartcard,
  CmWriteResult,
  CmWriteView,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../domain/cm'
import { channel, event } from './define'
import { guid } from './guid'

/** `cm:find-card`: the CM record of the card in the reader, by its CardID. */
export const cmFindCardRequest = z.object({ cardId: guid<CardId>() }).strict()

/**
 * `cm:list-holder-cards`. ASSUMPTION (field-notes.md §0, OQ-13): CM REST has no users controller and
 * `GET /smartcards` lists only the cards the CALLER may see, so the result is "cards visible to this
 * operator, filtered by owner" — an empty list does not prove the holder has no cards.
 */
export const cmListHolderCardsRequest = z.object({ holderUuid: guid<UserUuid>().optional() }).strict()

/** `cm:proposed-pin`: the server PIN of a bound card (§5.4). The PIN crosses IPC only in this response. */
export const cmProposedPinRequest = z
  .object({ requestId: guid<RequestId>(), smartcardUuid: guid<SmartcardUuid>(), cardId: guid<CardId>() })
  .strict()

/**
 * `cm:retire-card` (§5.6): with `requestId`, resume that Retire request; without, create one (after checking
 * the card's operations offer "retire"). Stops at `pending-approval` when CM needs an approver. Runs through
 * the write journal: a failure after the Retire request exists keeps the entry (see `cm:list-pending-writes`).
 */
export const cmRetireCardRequest = z
  .object({
    smartcardUuid: guid<SmartcardUuid>(),
    requestId: guid<RequestId>().optional(),
    comment: z.string().max(1000).optional(),
    /** The Retire policy's data items (`cm:retire-policy`), sent in `datacollection` (§3.10, Q4). */
    dataCollection: z
      .array(z.object({ name: z.string().min(1).max(200), value: z.string().max(1000) }).strict())
      .max(50)
      .optional(),
  })
  .strict()

/** `cm:retire-policy`: what the Retire workflow of a card's template asks for (E03 `retire`), or null (204). */
export const cmRetirePolicyRequest = z.object({ smartcardUuid: guid<SmartcardUuid>() }).strict()

/** `cm:get-template`: one profile template by id (E02), for its name where it is not one the operator enrolls on. */
export const cmGetTemplateRequest = z.object({ templateId: guid<ProfileTemplateId>() }).strict()

/** `cm:get-request`: one request by id (null when CM has nothing for it). */
export const cmGetRequestRequest = z.object({ requestId: guid<RequestId>() }).strict()

/** `cm:list-pending-writes`: the journaled writes not done yet. */
export const cmListPendingWritesRequest = z.object({}).strict()

/** `cm:retry-write` / `cm:dismiss-write`: one journaled write by its id. */
export const cmWriteIdRequest = z
  .object({
    id: z
      .string()
      .max(40)
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
      .transform((s) => s.toLowerCase()),
  })
  .strict()

/** CM channels (join them into contract.ts). */
export const cmChannels = {
  /** Card by CardID → CM record + operations, or null (not known to CM / not visible to the caller). */
  'cm:find-card': channel<typeof cmFindCardRequest, CmCardSummary | null>(cmFindCardRequest),
  /** Cards visible to the operator, optionally only those assigned to `holderUuid` (see the assumption). */
  'cm:list-holder-cards': channel<typeof cmListHolderCardsRequest, CmSmartcard[]>(cmListHolderCardsRequest),
  /** `{kind:'server', pin}` or `{kind:'holder-chooses'}` (204). Never emitted as an event. */
  'cm:proposed-pin': channel<typeof cmProposedPinRequest, CmProposedPin>(cmProposedPinRequest),
  /** Retire a card through a Retire request (§5.6), journaled; the result names the journal entry. */
  'cm:retire-card': channel<typeof cmRetireCardRequest, CmRetireResult>(cmRetireCardRequest),
  /** Journaled writes that are pending, awaiting approval or failed (ids and codes only, no secrets). */
  'cm:list-pending-writes': channel<typeof cmListPendingWritesRequest, CmWriteView[]>(
    cmListPendingWritesRequest,
  ),
  /** Run a journaled write again; fails with the write's error code (and correlation id) if it fails again. */
  'cm:retry-write': channel<typeof cmWriteIdRequest, CmWriteResult>(cmWriteIdRequest),
  /** Close a failed or awaiting-approval write that cannot finish (denied/canceled in CM); returns the new list. */
  'cm:dismiss-write': channel<typeof cmWriteIdRequest, CmWriteView[]>(cmWriteIdRequest),
  /** The Retire policy of the card's template: comment prompt and data items (E13 → E03). */
  'cm:retire-policy': channel<typeof cmRetirePolicyRequest, CmRetirePolicyView | null>(cmRetirePolicyRequest),
  /** A profile template by id (E02; null: CM has none the operator may see). */
  'cm:get-template': channel<typeof cmGetTemplateRequest, CmProfileTemplate | null>(cmGetTemplateRequest),
  /** A request by id. */
  'cm:get-request': channel<typeof cmGetRequestRequest, CmRequest | null>(cmGetRequestRequest),
}

/** CM events (join them into contract.ts). */
export const cmEvents = {
  /** The whole `cm:list-pending-writes` list, after any change of the write journal. */
  'cm:writes-changed': event<CmWriteView[]>(),
}
