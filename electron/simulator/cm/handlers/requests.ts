import {
  CREATE_REQUEST_TYPES,
  EMPTY_GUID,
  REQUEST_PUT_STATUSES,
  REQUEST_QUERY_STATUSES,
  REQUEST_STATUS,
  REQUEST_TYPE_SIMULATOR,
  describeEnum,
  enumValueOf,
  matchVocabulary,
} from '../../../../shared/cm/enums'
import { formatUtc } from '../clock'
import { parseDataCollection } from '../datacollection'
import { businessRule, forbidden, noContent, serverError } from '../errors'
import { parseGuid, parseGuidLenient } from '../guid'
import { checkTargetUser, created, listReply, ok } from '../handler-types'
import type { Handler, HandlerContext } from '../handler-types'
import { prop } from '../json-lenient'
import {
  CARD_TARGETED_TYPES,
  CS,
  PS,
  RS,
  SMARTCARD_ONLY_TYPES,
  defaultSddl,
  hasCard,
  setCardStatus,
} from '../lifecycle'
import type { SimRequest, SimTemplate, SimUser } from '../model'
import { canRead, hasRight, initiateDenial, policyFor, requireExecute } from '../permissions'
import { newGuid } from '../runtime'
import { requestJson } from '../serialize'

/** RequestsController (E05–E08). */

/** The type name of a request (placeholder numbers included, §4.3). */
export function requestTypeName(r: SimRequest): string {
  return describeEnum(REQUEST_TYPE_SIMULATOR, r.RequestType).name ?? `Unknown(${r.RequestType})`
}

function bodyObject(ctx: HandlerContext): object {
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) {
    throw serverError('the request body must be a JSON object')
  }
  return ctx.body
}

/** Read a GUID body property; lenient mode trims whitespace (Q11, SIM-R2). */
export function bodyGuid(ctx: HandlerContext, name: string): string | undefined {
  const v = prop(ctx.body, name)
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v !== 'string') throw serverError(`${name} must be a GUID string`)
  const g = ctx.rt.switches.strict ? parseGuid(v) : parseGuidLenient(v)
  if (g === null) throw serverError(`${name} is not a GUID`)
  return g
}

function parsePriority(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback
  // cm-rest-api.md Q8: the example sends "4" (a string); Request.Priority is a number.
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN
  if (!Number.isInteger(n)) throw serverError('priority must be an integer')
  return n
}

/** E05 POST /requests. */
export const createRequest: Handler = (ctx) => {
  const body = bodyObject(ctx)
  const { rt, caller } = ctx
  const typeRaw = prop(body, 'type')
  const type = typeof typeRaw === 'string' ? matchVocabulary(CREATE_REQUEST_TYPES, typeRaw) : undefined
  if (!type) throw serverError(`unknown or missing request type '${String(typeRaw)}'`)
  const values = parseDataCollection(prop(body, 'datacollection'), rt.switches.strict)
  const comment = prop(body, 'comment')
  if (comment !== undefined && comment !== null && typeof comment !== 'string')
    throw serverError('comment must be a string')
  if (comment === undefined && rt.switches.strict) throw serverError('comment is required')

  // cm-rest-api.md Q7: card-targeted requests send `smartcard` and no template; take it from the card.
  const cardId = bodyGuid(ctx, 'smartcard')
  const templateId = bodyGuid(ctx, 'profiletemplateuuid')
  const card = cardId ? rt.store.card(cardId) : undefined
  if (cardId && !card) throw serverError(`smart card ${cardId} does not exist`)
  if (card && templateId && card.ProfileTemplateUuid !== templateId) {
    throw serverError('profiletemplateuuid does not match the smart card')
  }
  const template = rt.store.template(card?.ProfileTemplateUuid ?? templateId ?? '')
  if (!template)
    throw serverError(
      cardId || templateId ? 'unknown profile template' : 'profiletemplateuuid or smartcard is required',
    )

  if (!template.IsSmartcardProfileTemplate && SMARTCARD_ONLY_TYPES.has(type)) {
    throw businessRule(`${type} is not supported on a software profile template`)
  }
  if (template.IsSmartcardProfileTemplate && CARD_TARGETED_TYPES.has(type) && !card) {
    throw serverError(`${type} requires the smartcard property`)
  }
  if (card && !CARD_TARGETED_TYPES.has(type))
    throw serverError(`${type} does not target an existing smart card`)

  const targetId = bodyGuid(ctx, 'target')
  const target = targetId ? rt.store.user(targetId) : card ? rt.store.user(card.AssignedUserUuid) : caller
  if (!target) throw serverError('unknown target user')
  if (card && target.Uuid !== card.AssignedUserUuid)
    throw serverError('target is not the owner of the smart card')

  // cm-rest-api.md §7.3 / SIM-P2: rights are checked on the (card's) template.
  const denial = initiateDenial(caller, template, type, target.Uuid)
  if (denial) throw forbidden(denial)
  if (rt.switches.legacyVscRenewForbidden && type === 'Renew' && template.IsVirtualSmartcardProfileTemplate) {
    throw forbidden('legacy-vsc-renew-forbidden preset (fixed in MIM 4.4.1749.0)')
  }
  if (rt.switches.onlineUpdateConflict && type === 'OnlineUpdate') {
    throw serverError('Record has been updated or deleted by another user.')
  }
  if (card && (card.Status === CS.Retired || card.Status === CS.New || card.Status === CS.None)) {
    throw businessRule(`smart card ${card.Uuid} is in status ${card.Status}`)
  }

  const policy = policyFor(template, type)!
  const agent = target.Uuid !== caller.Uuid
  const uuid = newGuid(rt)
  const submitted = formatUtc(rt.clock.stamp())
  const req: SimRequest = {
    Uuid: uuid,
    RequestType: enumValueOf(REQUEST_TYPE_SIMULATOR, type)!,
    // cm-rest-api.md SIM-B1: Pending when approvals are needed, else Approved [E for 3].
    Status: policy.ApprovalsNeeded > 0 ? RS.Pending : RS.Approved,
    Flags: (template.IsSmartcardProfileTemplate ? 2 : 0) | (agent ? 1 : 0),
    // cm-rest-api.md SIM-B5: the policy's items, with the sent value or null [E].
    DataCollection: policy.PolicyDataCollection.map((d) => ({
      Name: d.Name,
      Value: values.get(d.Name.trim().toLowerCase()) ?? null,
    })),
    DataCollectionFlags: 32,
    OriginatorUserUuid: caller.Uuid,
    TargetUserUuid: target.Uuid,
    Submitted: submitted,
    Completed: '0001-01-01T00:00:00',
    NewProfileUuid: card?.Sim.ProfileUuid ?? EMPTY_GUID,
    OldProfileUuid: card?.Sim.ProfileUuid ?? EMPTY_GUID,
    NewSmartcardUuid: card?.Uuid ?? EMPTY_GUID,
    OldSmartcardUuid: card?.Uuid ?? EMPTY_GUID,
    Priority: parsePriority(prop(body, 'priority'), policy.DefaultRequestPriority),
    Comment: typeof comment === 'string' ? comment : '',
    ProfileTemplateUuid: template.Uuid,
    SecurityDescriptor: rt.store.state.SecurityDescriptors[uuid] ?? defaultSddl(caller.Sid, target.Sid),
    IsSmartcard: template.IsSmartcardProfileTemplate,
    IsEnrollmentAgent: agent,
    // ASSUMPTION OQ-27: always false, as in every example.
    IsDataCollectionComplete: false,
    Sim: { Abandoned: false, IssuedCertificates: 0 },
  }
  rt.store.state.Requests.push(req)
  return created(ctx, 'requests', uuid)
}

function readableRequest(ctx: HandlerContext): SimRequest {
  const r = ctx.rt.store.request(ctx.params.rid!)
  if (!r) throw noContent('unknown request')
  if (!canRead(ctx.caller, [r.OriginatorUserUuid, r.TargetUserUuid], r.ProfileTemplateUuid)) {
    throw forbidden('not your request')
  }
  return r
}

/** E06 GET /requests: the caller's requests, optionally filtered by status name (Q15: an array). */
// ASSUMPTION OQ-13: the list is an array of the requests the caller originated or is the target of.
export const listRequests: Handler = (ctx) => {
  checkTargetUser(ctx)
  const statusName = ctx.query.get('status')
  let status: number | undefined
  if (statusName !== undefined) {
    const canon = matchVocabulary(REQUEST_QUERY_STATUSES, statusName)
    if (!canon) throw serverError(`unknown request status '${statusName}'`)
    status = enumValueOf(REQUEST_STATUS, canon)
  }
  const mine = ctx.rt.store.state.Requests.filter(
    (r) =>
      (r.OriginatorUserUuid === ctx.caller.Uuid || r.TargetUserUuid === ctx.caller.Uuid) &&
      (status === undefined || r.Status === status),
  )
  return listReply(ctx, mine.map(requestJson))
}

/** E07 GET /requests/{rid}. */
export const getRequest: Handler = (ctx) => ok(requestJson(readableRequest(ctx)))

function mayCancel(user: SimUser, r: SimRequest, template: SimTemplate | undefined): boolean {
  return (
    r.OriginatorUserUuid === user.Uuid ||
    r.TargetUserUuid === user.Uuid ||
    (template !== undefined && hasRight(user, template.Uuid, 'EnrollAgent'))
  )
}

/** E08 PUT /requests/{rid} {"status":"Completed"|"Canceled"|"Abandoned"} (SIM-B1, SIM-B2). */
export const updateRequest: Handler = (ctx) => {
  const { rt, caller } = ctx
  const r = rt.store.request(ctx.params.rid!)
  // ASSUMPTION OQ-14: E08's documented 204 only happens through fault injection; an unknown id is a 500.
  if (!r) throw serverError(`request ${ctx.params.rid} does not exist`)
  const raw = prop(bodyObject(ctx), 'status')
  const status = typeof raw === 'string' ? matchVocabulary(REQUEST_PUT_STATUSES, raw) : undefined
  if (!status) throw serverError(`unknown request status '${String(raw)}'`)
  const template = rt.store.template(r.ProfileTemplateUuid)
  const type = requestTypeName(r)

  if (status === 'Completed') {
    requireExecute(caller, r.TargetUserUuid, r.ProfileTemplateUuid)
    if (r.Status !== RS.Approved && r.Status !== RS.Executing) {
      throw businessRule(`cannot complete a request in status ${r.Status}`)
    }
    const card = hasCard(r) ? rt.store.card(r.NewSmartcardUuid) : undefined
    if (type === 'Enroll' || type === 'Duplicate' || type === 'TemporaryCards') {
      // cm-rest-api.md SIM-B2: completing a smart-card enroll needs a bound card and an issued certificate.
      if (template?.IsSmartcardProfileTemplate && !card)
        throw businessRule('no smart card is bound to the request')
      if (r.Sim.IssuedCertificates < 1) throw businessRule('no certificate has been issued for the request')
      if (card && card.Status === CS.Assigned) setCardStatus(rt.store.state, card, CS.Active)
      const profile = rt.store.profile(r.NewProfileUuid)
      if (profile && profile.Status === PS.New) profile.Status = PS.Active
    } else if (type === 'Retire') {
      // ASSUMPTION SIM-B4: a Retire request completes only after the card status update (E17).
      if (card && card.Status !== CS.Retired) throw businessRule('the smart card has not been retired yet')
    } else if (type === 'Renew' || type === 'Recover' || type === 'OnlineUpdate') {
      if (r.Sim.IssuedCertificates < 1) throw businessRule('no certificate has been issued for the request')
    }
    r.Status = RS.Completed
    r.Completed = formatUtc(rt.clock.stamp())
  } else {
    if (!mayCancel(caller, r, template))
      throw forbidden('only the originator, the target or an agent may cancel')
    if (status === 'Canceled') {
      if (r.Status !== RS.Pending && r.Status !== RS.Approved) {
        throw businessRule(`cannot cancel a request in status ${r.Status}`)
      }
    } else if (r.Status !== RS.Approved && r.Status !== RS.Executing) {
      throw businessRule(`cannot abandon a request in status ${r.Status}`)
    }
    // ASSUMPTION OQ-10: Abandoned has no number; the request shows 17 (Canceled) with an internal marker.
    r.Status = RS.Canceled
    r.Sim.Abandoned = status === 'Abandoned'
  }
  return ok(requestJson(r))
}
