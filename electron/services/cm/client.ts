import {
  matchVocabulary,
  REQUEST_PUT_STATUSES,
  SMARTCARD_PUT_STATUSES,
  type RequestPutStatus,
  type SmartcardPutStatus,
} from '../../../shared/cm/enums'
import type {
  CardId,
  CmIssuedCertificate,
  CmProposedPin,
  CmRequest,
  CmSmartcard,
  RequestId,
  SmartcardUuid,
} from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { CmClientBase, type CmCallOptions } from './client-base'
import { parseCreated } from './created'
import type { CmReply } from './http'
import * as map from './map'
import {
  atrArg,
  createRequestBody,
  decodeBase64,
  guidArg,
  parseWire,
  type CmCreateRequestInput,
} from './support'
import * as wire from './wire'

export { DEFAULT_CM_RETRY, type CmCallOptions, type CmClientOptions } from './client-base'

/** Card identity sent with the card-scoped secret calls (E14–E16). */
export interface CmCardQuery {
  cardId: CardId | string
  /** Lower-case hex; optional everywhere (Q10). */
  atr?: string
}

/** Input of E10 `POST /requests/{rid}/certificatedata`. */
export interface CmCertificateDataInput {
  /** DER PKCS#10 bytes or base64 text (CRLF-wrapped or not, Q9). */
  certificateRequests: ReadonlyArray<Uint8Array | string>
  /** Protects any PFX the server returns; "" as in the walkthrough when not given. Never logged. */
  pfxPassword?: string
  /** Note the plural (Q9). */
  comments?: string
}

const MAX_PIN_CHARS = 127

function hasControlChars(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/**
 * Typed client of the MIM CM REST API v1.0: one method per endpoint E01–E25 (cm-rest-api.md §2).
 * Returns domain objects (shared/domain/cm.ts); every failure is a StationError with a CM code; a caller
 * abort rejects with the signal's reason. 204 (or a JSON null) is `null` / `[]` (OQ-02).
 * POSTs (E05, E10, E11) are never retried; GETs and the status PUTs (E08, E17) are.
 */
export class CmClient extends CmClientBase {
  /** E05 `POST /requests` → the new request id (§1.8). Never retried: a retry could create a second request. */
  async createRequest(input: CmCreateRequestInput, o?: CmCallOptions): Promise<RequestId> {
    const body = createRequestBody(input, this.form)
    const r = await this.http.send({
      endpoint: 'E05',
      method: 'POST',
      path: '/requests',
      body,
      idempotent: false,
      signal: o?.signal,
    })
    const ref = parseCreated(r.value)
    if (!ref || ref.collection !== 'requests') throw this.badCreated('E05')
    return ref.id as RequestId
  }

  /** E08 `PUT /requests/{rid}` `{"status": …}` → the request after the change (idempotent: retried). */
  async setRequestStatus(requestId: string, status: RequestPutStatus, o?: CmCallOptions): Promise<CmRequest> {
    const s = matchVocabulary(REQUEST_PUT_STATUSES, status)
    if (!s) throw new RangeError('unknown request status')
    const rid = guidArg(requestId, 'requestId')
    const r = await this.http.send({
      endpoint: 'E08',
      method: 'PUT',
      path: `/requests/${rid}`,
      body: { status: s },
      idempotent: true,
      signal: o?.signal,
    })
    // ASSUMPTION OQ-14: a 204 is success without a body; re-read the object.
    const w = this.one('E08', wire.wireRequest, r.value)
    const after = w ? map.toRequest(w, this.profile) : await this.getRequest(rid, o)
    if (!after) throw new StationError('invalid-response', {}, 'E08: request gone after status update')
    return after
  }

  /** E08 with `Completed`. */
  completeRequest(requestId: string, o?: CmCallOptions): Promise<CmRequest> {
    return this.setRequestStatus(requestId, 'Completed', o)
  }

  /** E08 with `Canceled` (§5.7: not started, no card bound). */
  cancelRequest(requestId: string, o?: CmCallOptions): Promise<CmRequest> {
    return this.setRequestStatus(requestId, 'Canceled', o)
  }

  /** E08 with `Abandoned` (§5.7: execution started and cannot be finished). */
  abandonRequest(requestId: string, o?: CmCallOptions): Promise<CmRequest> {
    return this.setRequestStatus(requestId, 'Abandoned', o)
  }

  /** E10 `POST /requests/{rid}/certificatedata` → every issued item (may exceed the CSRs, Q9). Never retried. */
  async submitCertificateRequests(
    requestId: string,
    input: CmCertificateDataInput,
    o?: CmCallOptions,
  ): Promise<CmIssuedCertificate[]> {
    const certificaterequests = input.certificateRequests.map((c) =>
      typeof c === 'string' ? c : Buffer.from(c).toString('base64'),
    )
    const body: Record<string, unknown> = { pfxpassword: input.pfxPassword ?? '', certificaterequests }
    if (input.comments !== undefined) body.comments = input.comments
    const r = await this.http.send({
      endpoint: 'E10',
      method: 'POST',
      path: `/requests/${guidArg(requestId, 'requestId')}/certificatedata`,
      body,
      idempotent: false,
      signal: o?.signal,
    })
    return this.list('E10', wire.wireCertificate, r.value).map(map.toIssuedCertificate)
  }

  /** E11 `POST /smartcards` `{requestid, cardid, atr?}`: binds the card → its new CM Uuid. Never retried. */
  async assignSmartcard(
    input: { requestId: string; cardId: CardId | string; atr?: string },
    o?: CmCallOptions,
  ): Promise<SmartcardUuid> {
    const cardid = guidArg(input.cardId, 'cardId')
    const body: Record<string, unknown> = { requestid: guidArg(input.requestId, 'requestId'), cardid }
    if (input.atr !== undefined) body.atr = atrArg(input.atr)
    const r = await this.http.send({
      endpoint: 'E11',
      method: 'POST',
      path: '/smartcards',
      body,
      idempotent: false,
      signal: o?.signal,
    })
    if (r.value === undefined) {
      // ASSUMPTION OQ-14: 204 = bound without a body; find the new card by its CardID.
      const card = await this.getSmartcardByCardId(cardid, o)
      if (!card) throw new StationError('invalid-response', {}, 'E11: 204 and no card for the cardid')
      return card.uuid
    }
    const ref = parseCreated(r.value)
    if (!ref || ref.collection !== 'smartcards') throw this.badCreated('E11')
    return ref.id as SmartcardUuid
  }

  private cardPath(requestId: string, smartcardUuid: string, leaf: string): string {
    return `/requests/${guidArg(requestId, 'requestId')}/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}/${leaf}`
  }

  private cardQuery(card: CmCardQuery): Record<string, string | undefined> {
    return {
      cardid: guidArg(card.cardId, 'cardId'),
      atr: card.atr === undefined ? undefined : atrArg(card.atr),
    }
  }

  private secretBytes(endpoint: string, value: unknown, length: number): Buffer {
    const text = parseWire(wire.wireString, value, endpoint, this.log)
    const bytes = decodeBase64(text)
    if (!bytes || bytes.length !== length) {
      bytes?.fill(0)
      throw new StationError('invalid-response', {}, `${endpoint}: not base64 of ${length} bytes`)
    }
    return bytes
  }

  /**
   * E14 diversified admin key Kd (24 bytes; zero it after use), or null (204: the template does not
   * diversify, ASSUMPTION OQ-30). Q13: call only when `SmartcardConfig.diversifyAdminKey`.
   */
  async getDiversifiedKey(requestId: string, smartcardUuid: string, card: CmCardQuery, o?: CmCallOptions) {
    const r = await this.get('E14', this.cardPath(requestId, smartcardUuid, 'diversifiedkey'), o, {
      query: this.cardQuery(card),
      secret: true,
    })
    return r.value === undefined ? null : this.secretBytes('E14', r.value, 24)
  }

  /**
   * E15 response to the card's 8-byte admin challenge (Q12: base64 then encodeURIComponent; the URL is
   * redacted in logs). Returns the 8 response bytes (zero them after use), or null on 204.
   */
  async getAuthenticationResponse(
    requestId: string,
    smartcardUuid: string,
    input: CmCardQuery & { challenge: Uint8Array; diversified: boolean },
    o?: CmCallOptions,
  ): Promise<Buffer | null> {
    if (input.challenge.length !== 8) throw new RangeError('admin challenge must be 8 bytes')
    const query = {
      ...this.cardQuery(input),
      challenge: Buffer.from(input.challenge).toString('base64'),
      diversified: input.diversified ? 'true' : 'false',
    }
    const path = this.cardPath(requestId, smartcardUuid, 'authenticationresponse')
    const r = await this.get('E15', path, o, { query, secret: true })
    return r.value === undefined ? null : this.secretBytes('E15', r.value, 8)
  }

  /**
   * E16 server-proposed PIN (§5.4). Q2: the request-scoped route first; on 404 the short route
   * `/smartcards/{scid}/serverproposedpin` (configurable). 204 → the holder chooses the PIN (a normal
   * outcome). The PIN is never logged.
   */
  async getServerProposedPin(
    requestId: string,
    smartcardUuid: string,
    input: CmCardQuery & { challenge?: Uint8Array },
    o?: CmCallOptions,
  ): Promise<CmProposedPin> {
    // ASSUMPTION OQ-04: `challenge` is optional and ignored by the server; sent only when given.
    const query = {
      ...this.cardQuery(input),
      challenge: input.challenge ? Buffer.from(input.challenge).toString('base64') : undefined,
    }
    const extra = { query, secret: true, allowText: true }
    let r: CmReply
    try {
      r = await this.get('E16', this.cardPath(requestId, smartcardUuid, 'serverproposedpin'), o, extra)
    } catch (error) {
      if (!this.pinFallback || !(error instanceof StationError) || error.code !== 'not-found') throw error
      this.log.info('cm: E16 request-scoped route answered 404; trying the short route (Q2)')
      const short = `/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}/serverproposedpin`
      r = await this.get('E16', short, o, extra)
    }
    if (r.value === undefined) return { kind: 'holder-chooses' }
    const pin = parseWire(wire.wireString, r.value, 'E16', this.log).trim()
    // ASSUMPTION OQ-04: an empty string proposes nothing, like 204.
    if (pin === '') return { kind: 'holder-chooses' }
    if (pin.length > MAX_PIN_CHARS || hasControlChars(pin)) {
      throw new StationError('invalid-response', {}, 'E16: unusable PIN text')
    }
    return { kind: 'server', pin }
  }

  /** E17 `PUT /requests/{rid}/smartcards/{scid}` `{"status":"Retired"}` (Q1: PUT, never GET) → the card. */
  async setSmartcardStatus(
    requestId: string,
    smartcardUuid: string,
    status: SmartcardPutStatus = 'Retired',
    o?: CmCallOptions,
  ): Promise<CmSmartcard> {
    const s = matchVocabulary(SMARTCARD_PUT_STATUSES, status)
    if (!s) throw new RangeError('unknown smartcard status')
    const scid = guidArg(smartcardUuid, 'smartcardUuid')
    const r = await this.http.send({
      endpoint: 'E17',
      method: 'PUT',
      path: `/requests/${guidArg(requestId, 'requestId')}/smartcards/${scid}`,
      body: { status: s },
      idempotent: true,
      signal: o?.signal,
    })
    // ASSUMPTION OQ-14: a 204 is success without a body; re-read the card.
    const w = this.one('E17', wire.wireSmartcard, r.value)
    const after = w ? map.toSmartcard(w) : await this.getSmartcard(scid, o)
    if (!after) throw new StationError('invalid-response', {}, 'E17: card gone after status update')
    return after
  }

  /** E17 with `Retired` (OQ-03: the only documented value). */
  retireSmartcard(requestId: string, smartcardUuid: string, o?: CmCallOptions): Promise<CmSmartcard> {
    return this.setSmartcardStatus(requestId, smartcardUuid, 'Retired', o)
  }

  private badCreated(endpoint: string): StationError {
    this.log.warn('cm: 201 body names no created object', { endpoint })
    return new StationError('invalid-response', {}, `${endpoint}: unusable 201 body`)
  }
}
