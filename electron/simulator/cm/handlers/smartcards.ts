import { SMARTCARD_PUT_STATUSES, matchVocabulary } from '../../../../shared/cm/enums'
import { businessRule, noContent, serverError } from '../errors'
import { normCardId, serialFromCardId } from '../guid'
import { created, ok } from '../handler-types'
import type { Handler, HandlerContext } from '../handler-types'
import { prop } from '../json-lenient'
import { CARD_CREATING_TYPES, CS, PS, RS, boundTo, hasCard, setCardStatus } from '../lifecycle'
import type { SimSmartcard } from '../model'
import { allowedOperations, requireExecute, requireRead } from '../permissions'
import { newGuid } from '../runtime'
import { smartcardJson } from '../serialize'
import { bodyGuid, requestTypeName } from './requests'

/** SmartcardsController: bind (E11), read (E12, E13), status update (E17), operations (E18). */

const CARDID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** E11 POST /smartcards {requestid, cardid, atr?}: create the card profile and bind it (SIM-B3). */
export const assignSmartcard: Handler = (ctx) => {
  const { rt } = ctx
  const requestId = bodyGuid(ctx, 'requestid')
  if (!requestId) throw serverError('requestid is required')
  const r = rt.store.request(requestId)
  // ASSUMPTION OQ-14: E11's documented 204 only happens through fault injection.
  if (!r) throw serverError(`request ${requestId} does not exist`)
  const cardIdRaw = prop(ctx.body, 'cardid')
  if (typeof cardIdRaw !== 'string') throw serverError('cardid is required')
  const cardId = normCardId(rt.switches.strict ? cardIdRaw.replace(/^\{|\}$/g, '') : cardIdRaw)
  if (!CARDID_RE.test(cardId)) throw serverError('cardid is not a GUID')
  const atrRaw = prop(ctx.body, 'atr')
  // cm-rest-api.md Q10: atr is optional; stored lower case.
  if (
    atrRaw !== undefined &&
    atrRaw !== null &&
    (typeof atrRaw !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(atrRaw.trim()))
  ) {
    throw serverError('atr must be hex')
  }
  const template = rt.store.template(r.ProfileTemplateUuid)
  if (!template) throw serverError('the request has no valid template')
  requireExecute(ctx.caller, r.TargetUserUuid, template.Uuid)
  if (!template.IsSmartcardProfileTemplate) throw businessRule('not a smart card profile template')
  if (r.Status !== RS.Approved && r.Status !== RS.Executing)
    throw businessRule(`request is in status ${r.Status}`)
  if (hasCard(r)) throw businessRule('a smart card is already bound to the request')
  if (!CARD_CREATING_TYPES.has(requestTypeName(r)))
    throw businessRule('this request type does not take a new card')
  const reuse = template.SmartcardConfig?.AllowSmartcardReuse ?? false
  for (const other of rt.store.cardsByCardId(cardId)) {
    if (other.Status !== CS.Retired) throw businessRule('the card is already in use')
    if (!reuse) throw businessRule('the card was retired and the template does not allow reuse')
  }
  const uuid = newGuid(rt)
  const profileUuid = newGuid(rt)
  const card: SimSmartcard = {
    Uuid: uuid,
    Status: CS.Assigned,
    Flags: 1,
    ParentSmartcardUuid: '00000000-0000-0000-0000-000000000000',
    PrimarySmartcardUuid: '00000000-0000-0000-0000-000000000000',
    PermanentSmartcardUuid: '00000000-0000-0000-0000-000000000000',
    AssignedUserUuid: r.TargetUserUuid,
    ProfileTemplateUuid: template.Uuid,
    ProfileTemplateVersion: template.Version,
    Comment: '',
    SerialNumber: serialFromCardId(cardId),
    Middleware: 'MSBaseCSP',
    Atr: typeof atrRaw === 'string' ? atrRaw.trim().toLowerCase() : '',
    Sim: { ProfileUuid: profileUuid, ServerPin: null },
  }
  rt.store.state.Smartcards.push(card)
  rt.store.state.Profiles.push({
    Uuid: profileUuid,
    Status: PS.New,
    Flags: 1,
    ParentProfileUuid: '00000000-0000-0000-0000-000000000000',
    PrimaryProfileUuid: '00000000-0000-0000-0000-000000000000',
    AssignedUserUuid: r.TargetUserUuid,
    ProfileTemplateUuid: template.Uuid,
    ProfileTemplateVersion: template.Version,
    Comment: '',
    Sim: { SmartcardUuid: uuid },
  })
  r.NewSmartcardUuid = uuid
  // ASSUMPTION OQ-28: NewProfileUuid is set when the card is bound.
  r.NewProfileUuid = profileUuid
  return created(ctx, 'smartcards', uuid)
}

function readableCard(ctx: HandlerContext, id: string): SimSmartcard {
  const card = ctx.rt.store.card(id)
  if (!card) throw noContent('unknown smart card')
  requireRead(ctx.caller, [card.AssignedUserUuid], card.ProfileTemplateUuid)
  return card
}

/** E12 GET /smartcards[?cardid=]: one object for a cardid (Q6), else the caller's cards (Q15). */
export const listSmartcards: Handler = (ctx) => {
  const cardId = ctx.query.get('cardid')
  if (cardId !== undefined) {
    const all = ctx.rt.store.cardsByCardId(cardId)
    // ASSUMPTION Q6: several profiles per CardID → the one that is not retired, else the newest.
    const pick = all.filter((c) => c.Status !== CS.Retired).at(-1) ?? all.at(-1)
    if (!pick) throw noContent('no card with this cardid')
    return ok(smartcardJson(readableCard(ctx, pick.Uuid)))
  }
  // ASSUMPTION OQ-13: without cardid, an array of the caller's cards.
  const mine = ctx.rt.store.state.Smartcards.filter((c) => c.AssignedUserUuid === ctx.caller.Uuid)
  return ok(mine.map(smartcardJson))
}

/** E13 GET /smartcards/{scid}. */
export const getSmartcard: Handler = (ctx) => ok(smartcardJson(readableCard(ctx, ctx.params.scid!)))

/** E17 PUT /requests/{rid}/smartcards/{scid} {"status":"Retired"} (Q1, SIM-B4). */
export const updateSmartcardStatus: Handler = (ctx) => {
  const { rt } = ctx
  const r = rt.store.request(ctx.params.rid!)
  const card = rt.store.card(ctx.params.scid!)
  // ASSUMPTION OQ-14: E17's documented 204 only happens through fault injection.
  if (!r) throw serverError(`request ${ctx.params.rid} does not exist`)
  if (!card) throw serverError(`smart card ${ctx.params.scid} does not exist`)
  const raw = prop(ctx.body, 'status')
  const status = typeof raw === 'string' ? matchVocabulary(SMARTCARD_PUT_STATUSES, raw) : undefined
  if (!status) throw serverError(`unsupported smart card status '${String(raw)}'`)
  requireExecute(ctx.caller, r.TargetUserUuid, card.ProfileTemplateUuid)
  if (!boundTo(r, card.Uuid)) throw businessRule('the request is not for this smart card')
  if (r.Status !== RS.Approved && r.Status !== RS.Executing)
    throw businessRule(`request is in status ${r.Status}`)
  if (status === 'Retired') {
    if (requestTypeName(r) !== 'Retire')
      throw businessRule('retiring a card needs an approved Retire request')
    if (card.Status === CS.Retired) throw businessRule('the smart card is already retired')
    setCardStatus(rt.store.state, card, CS.Retired)
  } else {
    // ASSUMPTION OQ-03 / OQ-09: Disabled → 4 and Suspended → 5 are placeholders.
    setCardStatus(rt.store.state, card, status === 'Disabled' ? CS.Disabled : CS.Suspended)
  }
  return ok(smartcardJson(card))
}

/** E18 GET /smartcards/{scid}/operations (SIM-P3). */
export const smartcardOperations: Handler = (ctx) => {
  const card = readableCard(ctx, ctx.params.scid!)
  const template = ctx.rt.store.template(card.ProfileTemplateUuid)
  if (!template) return ok([])
  return ok(allowedOperations(ctx.caller, template, 'card', card.Status, card.AssignedUserUuid))
}
