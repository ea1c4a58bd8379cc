import { adminResponse, zeroize } from '../../../services/crypto/des'
import { defaultCustomPin, diversifiedKeyFor, generatePin, initialAdminKey } from '../card-crypto'
import { businessRule, noContent, routeNotFound, serverError } from '../errors'
import { normCardId } from '../guid'
import { ok } from '../handler-types'
import type { Handler, HandlerContext } from '../handler-types'
import { boundTo } from '../lifecycle'
import type { SimRequest, SimSmartcard, SimTemplate } from '../model'
import { decodeBase64Strict } from '../pki/pkcs10'
import { requireExecute } from '../permissions'
import { parseBool } from '../query'

/** SmartcardsController key endpoints: diversified key (E14), admin response (E15), proposed PIN (E16). */

interface CardCtx {
  request: SimRequest | undefined
  card: SimSmartcard
  template: SimTemplate
}

function requiredQuery(ctx: HandlerContext, name: string): string {
  const v = ctx.query.get(name)
  // ASSUMPTION OQ-20: a missing required query parameter fails Web API action selection → 404 (option 500).
  if (v === undefined) {
    if (ctx.rt.switches.missingQueryParamStatus === 500)
      throw serverError(`query parameter ${name} is required`)
    throw routeNotFound(`missing query parameter ${name}`)
  }
  return v
}

function checkCardId(ctx: HandlerContext, card: SimSmartcard, cardId: string | undefined): void {
  // ASSUMPTION OQ-21: the server checks cardid against the card (SIM-C4); switch checkCardId turns it off.
  if (cardId === undefined || !ctx.rt.switches.checkCardId) return
  if (normCardId(cardId) !== normCardId(card.SerialNumber))
    throw businessRule('cardid does not match the smart card')
}

function resolveRequestScoped(ctx: HandlerContext, cardId: string | undefined): CardCtx {
  const { rt } = ctx
  const request = rt.store.request(ctx.params.rid!)
  if (!request) throw noContent('unknown request')
  const card = rt.store.card(ctx.params.scid!)
  if (!card) throw noContent('unknown smart card')
  const template = rt.store.template(card.ProfileTemplateUuid)
  if (!template || !template.SmartcardConfig) throw serverError('the card has no smart card template')
  requireExecute(ctx.caller, request.TargetUserUuid, template.Uuid)
  if (rt.switches.checkCardId && !boundTo(request, card.Uuid))
    throw businessRule('the card is not bound to the request')
  checkCardId(ctx, card, cardId)
  return { request, card, template }
}

/** E14 GET /requests/{rid}/smartcards/{scid}/diversifiedkey?cardid= (SIM-C2, Q13). */
export const diversifiedKey: Handler = (ctx) => {
  const cardId = requiredQuery(ctx, 'cardid')
  const { card, template } = resolveRequestScoped(ctx, cardId)
  // ASSUMPTION OQ-30: a template that does not diversify answers 204.
  if (!template.SmartcardConfig!.DiversifyAdminKey) throw noContent('template does not diversify')
  const kd = diversifiedKeyFor(ctx.rt.store.state, template, card.SerialNumber)
  const b64 = kd.toString('base64')
  zeroize(kd)
  return ok(b64)
}

function decodeBase64Query(ctx: HandlerContext, v: string): Buffer | null {
  // cm-rest-api.md Q18: ASP.NET decodes '+' as a space; lenientPlusInBase64 reverses that.
  return decodeBase64Strict(ctx.rt.switches.lenientPlusInBase64 ? v.replace(/ /g, '+') : v.trim())
}

/** E15 GET …/authenticationresponse?cardid=&challenge=&diversified= (§5.2, SIM-C3, SIM-C5). */
export const authenticationResponse: Handler = (ctx) => {
  const cardId = requiredQuery(ctx, 'cardid')
  const challengeText = requiredQuery(ctx, 'challenge')
  const diversifiedText = requiredQuery(ctx, 'diversified')
  const { card, template } = resolveRequestScoped(ctx, cardId)
  const diversified = parseBool(diversifiedText)
  if (diversified === undefined) throw serverError('diversified must be true or false')
  // cm-rest-api.md Q12 / SIM-C5: strict base64 of exactly 8 bytes, else 500.
  if (/\s/.test(challengeText) && !ctx.rt.switches.lenientPlusInBase64)
    throw serverError('challenge is not valid base64')
  const challenge = decodeBase64Query(ctx, challengeText)
  if (!challenge || challenge.length !== 8) {
    zeroize(challenge)
    throw serverError('challenge must be base64 of 8 bytes')
  }
  const key = diversified
    ? diversifiedKeyFor(ctx.rt.store.state, template, card.SerialNumber)
    : initialAdminKey(template.SmartcardConfig!)
  const response = adminResponse(key, challenge)
  const b64 = response.toString('base64')
  zeroize(key, challenge, response)
  return ok(b64)
}

function proposedPin(ctx: HandlerContext, c: CardCtx): string {
  const config = c.template.SmartcardConfig!
  const policy = config.UserPinPolicy
  // ASSUMPTION OQ-07: placeholder numbers None 0, ServerDistributed 1, Randomized 2, UserProvided 3, Custom 4.
  switch (config.UserPinOption) {
    case 1: {
      // SIM-C6: ServerDistributed is stored per card and stable.
      c.card.Sim.ServerPin ??= generatePin(ctx.rt.rng, policy)
      return c.card.Sim.ServerPin
    }
    case 2:
      // SIM-C6: Randomized is fresh on every call and never stored.
      return generatePin(ctx.rt.rng, policy)
    case 4:
      return ctx.rt.customPin({
        template: c.template,
        cardUuid: c.card.Uuid,
        cardId: normCardId(c.card.SerialNumber),
        minLength: policy.MinLength,
        maxLength: policy.MaxLength,
      })
    default:
      // ASSUMPTION OQ-04: UserProvided, None and unknown options mean "no server PIN" → 204.
      throw noContent('the PIN is user-provided')
  }
}

/** E16 GET /requests/{rid}/smartcards/{scid}/serverproposedpin (Q2 long form). */
export const serverProposedPin: Handler = (ctx) => {
  // ASSUMPTION OQ-04: cardid, atr and challenge are optional; challenge is accepted and ignored.
  const c = resolveRequestScoped(ctx, ctx.query.get('cardid'))
  return ok(proposedPin(ctx, c))
}

/** E16 short form /smartcards/{id}/serverproposedpin: {id} is a card Uuid, else a request Uuid (Q2, SIM-R5). */
export const serverProposedPinShort: Handler = (ctx) => {
  const { rt } = ctx
  let card = rt.store.card(ctx.params.id!)
  let request: SimRequest | undefined
  if (!card) {
    request = rt.store.request(ctx.params.id!)
    if (!request) throw noContent('unknown id')
    card = rt.store.card(request.NewSmartcardUuid)
    if (!card) throw noContent('no card bound to the request')
  }
  const template = rt.store.template(card.ProfileTemplateUuid)
  if (!template || !template.SmartcardConfig) throw serverError('the card has no smart card template')
  requireExecute(ctx.caller, request?.TargetUserUuid ?? card.AssignedUserUuid, template.Uuid)
  checkCardId(ctx, card, ctx.query.get('cardid'))
  return ok(proposedPin(ctx, { request, card, template }))
}

/** Default custom PIN provider (CustomServerDistributed templates), replaceable via options.customPin. */
export function defaultCustomPinProvider(p: { cardId: string; minLength: number }): string {
  return defaultCustomPin(p.cardId, Math.max(p.minLength, 4))
}
