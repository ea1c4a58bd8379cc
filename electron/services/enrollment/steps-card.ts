import { describeEnum, USER_PIN_OPTION } from '../../../shared/cm/enums'
import type { CardId } from '../../../shared/domain/cm'
import { checkPin, effectivePinRules, pinCardKind } from '../../../shared/domain/pin-rules'
import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import type { EnrollmentDeps } from './deps'
import { isCardLost, stepError, type RunScope } from './runner'
import type { AdminKeyState, EnrollmentContext, TemplateFacts } from './state'

// Request.Status (cm-rest-api.md §4.2): 3 Approved, 8 Completed (Observed); 16 Pending, 18 Executing (Documented).
const APPROVED = 3
const PENDING = 16
const EXECUTING = 18
// Smartcard.Status (§4.1): 0 None and 6 Retired are the only records that do not make a card someone's badge.
const NONE = 0
const RETIRED = 6

/** E07: Pending → still waiting for approval; Approved/Executing → go on; anything else cannot be executed. */
export async function checkRequest(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const request = await deps.cm.getRequest(scope.state().ctx.requestId)
  if (!request) throw new StationError('request-not-found')
  const status = request.status.raw
  if (status === PENDING) return scope.emit({ type: 'request-checked', approved: false })
  if (status === APPROVED || status === EXECUTING)
    return scope.emit({ type: 'request-checked', approved: true })
  scope.emit({
    type: 'step-failed',
    error: { code: 'request-not-executable' },
    resumable: false,
  })
}

/** The template's facts (E02, E04), fetched once per enrollment and kept in the checkpoint. */
export async function templateFacts(deps: EnrollmentDeps, ctx: EnrollmentContext): Promise<TemplateFacts> {
  if (ctx.template) return ctx.template
  if (!ctx.templateId) throw new StationError('template-not-enrollable', {}, 'the request has no template')
  const [template, config] = await Promise.all([
    deps.cm.getProfileTemplate(ctx.templateId),
    deps.cm.getSmartcardConfig(ctx.templateId),
  ])
  if (!config) throw new StationError('template-not-enrollable', {}, 'E04: no smart-card configuration')
  const p = config.userPinPolicy
  return {
    name: template?.name ?? '',
    virtualSmartcard: template?.isVirtualSmartcard === true || config.useVirtualSmartcards === true,
    diversifyAdminKey: config.diversifyAdminKey,
    allowSmartcardReuse: config.allowSmartcardReuse,
    pinPolicy: { minLength: p.minLength, maxLength: p.maxLength },
    // Display only (§4.6 numbers are unconfirmed): the station always probes E16 (§5.4).
    userPinOption: describeEnum(USER_PIN_OPTION, config.userPinOption.raw).name ?? null,
  }
}

/**
 * The new badge (or, when resuming, THE card of this enrollment) in `reader`: allowed reader, GIDS, initialised, and
 * for a new badge not already someone's card in CM (E12); a resumed enrollment only takes the same cardid. Then the
 * effective PIN rules are computed once (template, card type, station minimum).
 */
export async function acceptCard(reader: string, scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const refuse = (code: StationError['code']) => scope.emit({ type: 'card-refused', error: { code } })
  if (!deps.readerAllowed(reader)) return refuse('reader-excluded')
  let identity
  try {
    identity = await deps.card.identify(reader)
  } catch (error) {
    if (isCardLost(error)) return scope.emit({ type: 'card-refused', error: stepError(error) })
    throw error
  }
  if (!identity.isGids) return refuse('not-gids')
  if (!identity.cardId) return refuse('card-not-initialised')
  const cardId = identity.cardId as CardId
  const ctx = scope.state().ctx
  if (ctx.card && ctx.card.cardId !== cardId) return refuse('wrong-card')
  const template = await templateFacts(deps, ctx)
  if (!ctx.card) {
    const known = await deps.cm.getSmartcardByCardId(cardId)
    const status = known?.status.raw
    if (known && status !== NONE && status !== RETIRED) return refuse('card-registered-elsewhere')
    // A retired badge is issued again only where the template allows it (E04 AllowSmartcardReuse); CM would refuse
    // the bind anyway — refusing here says why, before any write.
    if (known && status === RETIRED && !template.allowSmartcardReuse) return refuse('card-not-reusable')
  }
  const pinRules = effectivePinRules({
    policy: template.pinPolicy,
    cardKind: pinCardKind({ atr: identity.atr, virtualSmartcardTemplate: template.virtualSmartcard }),
    stationMinLength: deps.stationPinMinLength,
  })
  // Nothing is bound yet: a template whose PIN rules this card cannot meet is refused before any CM write.
  if (!ctx.card && pinRules.conflict) return refuse('pin-rules-conflict')
  scope.emit({ type: 'card-accepted', reader, cardId, atr: identity.atr, pinRules, template })
}

/** The bound card's identity for E14–E16 (cardid, atr) and the card job (reader, expected cardid). */
function boundCard(ctx: EnrollmentContext) {
  if (!ctx.card || !ctx.smartcardUuid) throw new StationError('wrong-step', {}, 'no bound card')
  return { ...ctx.card, smartcardUuid: ctx.smartcardUuid }
}

/** An admin responder that asks CM (E15) inside the card job (the challenge dies with the connection). */
function responder(deps: EnrollmentDeps, ctx: EnrollmentContext, diversified: boolean) {
  const card = boundCard(ctx)
  return async (challenge: Buffer): Promise<Uint8Array> => {
    const response = await deps.cm.getAuthenticationResponse(ctx.requestId, card.smartcardUuid, {
      cardId: card.cardId,
      atr: card.atr,
      challenge,
      diversified,
    })
    // ASSUMPTION OQ-02: a 204 here means CM will not authenticate this card; never send a made-up response.
    if (!response) throw new StationError('invalid-response', {}, 'E15 answered 204')
    return response
  }
}

/**
 * §5.3 steps 9–12: with `DiversifyAdminKey`, E14 gives Kd, the card is admin-authenticated with CM's
 * `diversified=false` response (K0) and its admin key replaced by Kd. Without it the card keeps K0 (Q13: E14 is not
 * called). A pulled card before PUT KEY leaves K0; during PUT KEY leaves it unknown (tried as Kd first on resume).
 */
export async function adminKey(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const ctx = scope.state().ctx
  const card = boundCard(ctx)
  const template = await templateFacts(deps, ctx)
  if (!template.diversifyAdminKey || ctx.adminKey === 'diversified') {
    return scope.emit({
      type: 'admin-key-done',
      adminKey: ctx.adminKey === 'diversified' ? 'diversified' : 'initial',
    })
  }
  if (ctx.adminKey === 'unknown') {
    // The card may already hold Kd (PUT KEY reached it before the card was pulled): check with Kd first.
    try {
      await deps.card.authenticateAdmin(
        card.reader,
        { expectCardId: card.cardId, respond: responder(deps, ctx, true) },
        async () => {},
      )
      return scope.emit({ type: 'admin-key-done', adminKey: 'diversified' })
    } catch (error) {
      if (isCardLost(error)) return scope.emit({ type: 'card-lost', error: stepError(error) })
      if (!(error instanceof StationError) || error.code !== 'auth-failed') throw error
      deps.log.warn('enrollment: card does not hold the diversified key; using the initial key', {
        requestId: ctx.requestId,
      })
    }
  }
  const kd = await deps.cm.getDiversifiedKey(ctx.requestId, card.smartcardUuid, {
    cardId: card.cardId,
    atr: card.atr,
  })
  if (!kd) {
    // ASSUMPTION OQ-30: 204 = the template does not diversify after all; the card keeps K0.
    return scope.emit({ type: 'admin-key-done', adminKey: 'initial' })
  }
  let putKeySent = false
  try {
    await deps.card.authenticateAdmin(
      card.reader,
      { expectCardId: card.cardId, respond: responder(deps, ctx, false) },
      async (admin) => {
        // Checkpointed before PUT KEY leaves: a station killed after the card took Kd must not resume with K0
        // (a counted admin-authentication failure, and the enrollment stuck at auth-failed).
        scope.emit({ type: 'admin-key-changing' })
        putKeySent = true
        await admin.changeAdminKey(kd)
      },
    )
  } catch (error) {
    if (isCardLost(error)) {
      const state: AdminKeyState = putKeySent
        ? 'unknown'
        : ctx.adminKey === 'unknown'
          ? 'initial'
          : ctx.adminKey
      return scope.emit({ type: 'card-lost', error: stepError(error), adminKey: state })
    }
    if (error instanceof StationError && error.code === 'auth-failed') {
      // A counted failure on the card: never retried blindly (the card locks after a few).
      return scope.emit({ type: 'step-failed', error: stepError(error), resumable: false })
    }
    throw error
  } finally {
    zeroize(kd)
  }
  scope.emit({ type: 'admin-key-done', adminKey: 'diversified' })
}

/** Set `pin` on the card under admin authentication (E15 with the key the card holds) and verify it (§5.3 16). */
async function writePin(pin: Buffer, scope: RunScope, deps: EnrollmentDeps): Promise<boolean> {
  const ctx = scope.state().ctx
  const card = boundCard(ctx)
  try {
    await deps.card.authenticateAdmin(
      card.reader,
      { expectCardId: card.cardId, respond: responder(deps, ctx, ctx.adminKey === 'diversified') },
      (admin) => admin.resetUserPin(pin),
    )
    await deps.card.verifyPin(card.reader, pin)
    return true
  } catch (error) {
    if (isCardLost(error)) {
      scope.emit({ type: 'card-lost', error: stepError(error) })
      return false
    }
    if (error instanceof StationError && error.code === 'auth-failed') {
      scope.emit({ type: 'step-failed', error: stepError(error), resumable: false })
      return false
    }
    throw error
  }
}

/** The effective rules of this enrollment (computed when the card was accepted). */
function rulesOf(scope: RunScope) {
  const rules = scope.state().ctx.pinRules
  if (!rules) throw new StationError('wrong-step', {}, 'PIN rules unknown before the card is accepted')
  return rules
}

/**
 * §5.4: E16 (request-scoped route, short route on 404, Q2). 200 → the server PIN, checked against the PIN rules
 * BEFORE any card command, set, verified, kept in the vault for the certificate step and handed to the one IPC
 * response that shows it; 204 → the holder chooses.
 */
export async function setServerPin(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const ctx = scope.state().ctx
  const card = boundCard(ctx)
  const proposed = await deps.cm.getServerProposedPin(ctx.requestId, card.smartcardUuid, {
    cardId: card.cardId,
    atr: card.atr,
  })
  if (proposed.kind === 'holder-chooses') return scope.emit({ type: 'holder-chooses' })
  if (checkPin(proposed.pin, rulesOf(scope)).length > 0) {
    // CM proposed a PIN this card (or the template) cannot take: nothing was sent to the card.
    return scope.emit({ type: 'step-failed', error: { code: 'pin-rule' }, resumable: false })
  }
  const pin = Buffer.from(proposed.pin, 'utf8')
  try {
    if (!(await writePin(pin, scope, deps))) return
    deps.vault.put(ctx.requestId, pin)
    scope.out.serverPin = proposed.pin
  } finally {
    zeroize(pin)
  }
  scope.emit({ type: 'pin-set', source: 'server' })
}

/** The holder's own PIN (checked against the rules by the service before the command): set, verify, vault. */
export async function setHolderPin(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const pin = scope.holderPin
  if (!pin) throw new StationError('invalid-request', {}, 'set-holder-pin without a PIN')
  try {
    if (!(await writePin(pin, scope, deps))) return
    deps.vault.put(scope.state().ctx.requestId, pin)
  } finally {
    zeroize(pin)
  }
  scope.emit({ type: 'pin-set', source: 'holder' })
}
