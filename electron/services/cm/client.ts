import { z } from 'zod'
import {
  matchVocabulary,
  POLICY_TYPES,
  PROFILE_QUERY_STATUSES,
  REQUEST_PUT_STATUSES,
  REQUEST_QUERY_STATUSES,
  SMARTCARD_PUT_STATUSES,
  type PolicyType,
  type RequestPutStatus,
  type RequestQueryStatus,
  type SmartcardPutStatus,
} from '../../../shared/cm/enums'
import type {
  CardId,
  CmCertificateInfo,
  CmCsrOptions,
  CmIssuedCertificate,
  CmProfile,
  CmProfileTemplate,
  CmProposedPin,
  CmRequest,
  CmSmartcard,
  CmSmartcardConfig,
  CmWorkflowPolicy,
  RequestId,
  SmartcardUuid,
} from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import { parseCreated } from './created'
import { CmHttp, type CmCall, type CmHttpOptions, type CmReply, type CmRetryPolicy } from './http'
import * as map from './map'
import {
  asList,
  atrArg,
  createRequestBody,
  decodeBase64,
  guidArg,
  parseWire,
  type CmCreateRequestInput,
  type DataCollectionForm,
} from './support'
import * as wire from './wire'

/** Options of a CmClient (cm-rest-api.md §1; conventions §7: everything injected). */
export interface CmClientOptions extends Omit<CmHttpOptions, 'retry' | 'timeoutMs'> {
  /** Per-attempt timeout (default 15 s, as config.ts). */
  timeoutMs?: number
  /** Retries for idempotent calls only (default 3 attempts, 250 ms doubling to 4 s). */
  retry?: CmRetryPolicy
  /** 'simulator' adds the placeholder request-type names (§4.3); never against a real server. */
  serverProfile?: map.ServerProfile
  /** Q4: how `datacollection` is sent (default 'string'). */
  dataCollectionForm?: DataCollectionForm
  /** Q2: on a 404 of the request-scoped server-PIN route, try `/smartcards/{id}/serverproposedpin` (default on). */
  serverPinShortRouteFallback?: boolean
}

/** Per-call options. */
export interface CmCallOptions {
  signal?: AbortSignal
}

/** Card identity sent with the card-scoped secrets calls (E14–E16). */
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

/** Default retry policy. */
export const DEFAULT_CM_RETRY: CmRetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000 }

const MAX_PIN_CHARS = 127

/**
 * Typed client of the MIM CM REST API v1.0: one method per endpoint E01–E25 (cm-rest-api.md §2).
 * Returns domain objects (shared/domain/cm.ts); every failure is a StationError with a CM code; a caller
 * abort rejects with the signal's reason. 204 (or a JSON null) is `null` / `[]` (OQ-02).
 */
export class CmClient {
  private readonly http: CmHttp
  private readonly log: Logger
  private readonly profile: map.ServerProfile
  private readonly form: DataCollectionForm
  private readonly pinFallback: boolean

  constructor(opts: CmClientOptions) {
    this.http = new CmHttp({ ...opts, timeoutMs: opts.timeoutMs ?? 15_000, retry: opts.retry ?? DEFAULT_CM_RETRY })
    this.log = opts.log
    this.profile = opts.serverProfile ?? 'real'
    this.form = opts.dataCollectionForm ?? 'string'
    this.pinFallback = opts.serverPinShortRouteFallback ?? true
  }

  private get(endpoint: string, path: string, o?: CmCallOptions, extra: Partial<CmCall> = {}): Promise<CmReply> {
    return this.http.send({ endpoint, method: 'GET', path, idempotent: true, signal: o?.signal, ...extra })
  }

  private list<S extends z.ZodType>(endpoint: string, schema: S, value: unknown): z.output<S>[] {
    return parseWire(z.array(schema), asList(value), endpoint, this.log)
  }

  private one<S extends z.ZodType>(endpoint: string, schema: S, value: unknown): z.output<S> | null {
    return value === undefined ? null : parseWire(schema, value, endpoint, this.log)
  }

  /** E01 `GET /profiletemplates`: the templates the caller can enroll for. */
  async listProfileTemplates(o?: CmCallOptions): Promise<CmProfileTemplate[]> {
    const r = await this.get('E01', '/profiletemplates', o)
    return this.list('E01', wire.wireProfileTemplate, r.value).map(map.toProfileTemplate)
  }

  /** E02 `GET /profiletemplates/{tid}`. ASSUMPTION OQ-26: one ProfileTemplateLimitedView. */
  async getProfileTemplate(templateId: string, o?: CmCallOptions): Promise<CmProfileTemplate | null> {
    const r = await this.get('E02', `/profiletemplates/${guidArg(templateId, 'templateId')}`, o)
    const w = this.one('E02', wire.wireProfileTemplate, r.value)
    return w && map.toProfileTemplate(w)
  }

  /** E03 `GET /profiletemplates/{tid}/policies/{type}` (Q3: this route, type in lower case). */
  async getWorkflowPolicy(templateId: string, type: PolicyType, o?: CmCallOptions): Promise<CmWorkflowPolicy | null> {
    const t = matchVocabulary(POLICY_TYPES, type)
    if (!t) throw new RangeError('unknown policy type')
    const path = `/profiletemplates/${guidArg(templateId, 'templateId')}/policies/${t.toLowerCase()}`
    const w = this.one('E03', wire.wirePolicy, (await this.get('E03', path, o)).value)
    return w && map.toWorkflowPolicy(w)
  }

  /** E04 `GET /profiletemplates/{tid}/configuration/smartcards`. Main-only: carries the initial admin key. */
  async getSmartcardConfig(templateId: string, o?: CmCallOptions): Promise<CmSmartcardConfig | null> {
    const path = `/profiletemplates/${guidArg(templateId, 'templateId')}/configuration/smartcards`
    const w = this.one('E04', wire.wireSmartcardConfig, (await this.get('E04', path, o)).value)
    return w && map.toSmartcardConfig(w)
  }

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

  /** E06 `GET /requests` (the caller's requests; ASSUMPTION OQ-22: `targetuser` is never sent). */
  async listRequests(filter: { status?: RequestQueryStatus } = {}, o?: CmCallOptions): Promise<CmRequest[]> {
    const status = filter.status === undefined ? undefined : matchVocabulary(REQUEST_QUERY_STATUSES, filter.status)
    if (filter.status !== undefined && !status) throw new RangeError('unknown request status')
    const r = await this.get('E06', '/requests', o, { query: { status } })
    return this.list('E06', wire.wireRequest, r.value).map((w) => map.toRequest(w, this.profile))
  }

  /** E07 `GET /requests/{rid}`; null when the server has nothing (204, Q17). */
  async getRequest(requestId: string, o?: CmCallOptions): Promise<CmRequest | null> {
    const r = await this.get('E07', `/requests/${guidArg(requestId, 'requestId')}`, o)
    const w = this.one('E07', wire.wireRequest, r.value)
    return w && map.toRequest(w, this.profile)
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

  /** E09 `GET /requests/{rid}/certificaterequestgenerationoptions`: one element per CSR to generate. */
  async getCertificateRequestGenerationOptions(requestId: string, o?: CmCallOptions): Promise<CmCsrOptions[]> {
    const path = `/requests/${guidArg(requestId, 'requestId')}/certificaterequestgenerationoptions`
    const r = await this.get('E09', path, o)
    return this.list('E09', wire.wireCsrOptions, r.value).map(map.toCsrOptions)
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

  /** E12 `GET /smartcards` without `cardid`: the caller's cards (ASSUMPTION OQ-13: array or object). */
  async listSmartcards(o?: CmCallOptions): Promise<CmSmartcard[]> {
    const r = await this.get('E12', '/smartcards', o)
    return this.list('E12', wire.wireSmartcard, r.value).map(map.toSmartcard)
  }

  /**
   * E12 `GET /smartcards?cardid=` → the card's current CM record, or null (204). Q6: one object is
   * documented; an array is normalised by preferring the matching, non-retired, newest-listed entry.
   */
  async getSmartcardByCardId(cardId: CardId | string, o?: CmCallOptions): Promise<CmSmartcard | null> {
    const cardid = guidArg(cardId, 'cardId')
    const r = await this.get('E12', '/smartcards', o, { query: { cardid } })
    const cards = this.list('E12', wire.wireSmartcard, r.value).map(map.toSmartcard)
    const matching = cards.filter((c) => c.cardId === cardid)
    const pool = matching.length > 0 ? matching : cards
    return pool.find((c) => c.status.raw !== 6) ?? pool[0] ?? null
  }

  /** E13 `GET /smartcards/{scid}` (a CM Uuid, never a CardID: Q6). */
  async getSmartcard(smartcardUuid: string, o?: CmCallOptions): Promise<CmSmartcard | null> {
    const r = await this.get('E13', `/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}`, o)
    const w = this.one('E13', wire.wireSmartcard, r.value)
    return w && map.toSmartcard(w)
  }

  private cardPath(requestId: string, smartcardUuid: string, leaf: string): string {
    return `/requests/${guidArg(requestId, 'requestId')}/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}/${leaf}`
  }

  private cardQuery(card: CmCardQuery): Record<string, string | undefined> {
    return { cardid: guidArg(card.cardId, 'cardId'), atr: card.atr === undefined ? undefined : atrArg(card.atr) }
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
    if (pin.length > MAX_PIN_CHARS || /[\u0000-\u001f\u007f]/.test(pin)) {
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

  /** E18 `GET /smartcards/{scid}/operations`: what the caller may do with the card now (lower case). */
  async getSmartcardOperations(smartcardUuid: string, o?: CmCallOptions): Promise<string[]> {
    const r = await this.get('E18', `/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}/operations`, o)
    return map.normalizeOperations(parseWire(wire.wireOperations, asList(r.value), 'E18', this.log))
  }

  /** E19 `GET /profiles/{pid}/operations`. */
  async getProfileOperations(profileId: string, o?: CmCallOptions): Promise<string[]> {
    const r = await this.get('E19', `/profiles/${guidArg(profileId, 'profileId')}/operations`, o)
    return map.normalizeOperations(parseWire(wire.wireOperations, asList(r.value), 'E19', this.log))
  }

  /** E20 `GET /smartcards/{scid}/certificates` (base form). */
  async getSmartcardCertificates(smartcardUuid: string, o?: CmCallOptions): Promise<CmCertificateInfo[]> {
    const r = await this.get('E20', `/smartcards/${guidArg(smartcardUuid, 'smartcardUuid')}/certificates`, o)
    return this.list('E20', wire.wireClmCertificate, r.value).map(map.toCertificateInfo)
  }

  /** E21 `GET /profiles/{pid}/certificates` (base form). */
  async getProfileCertificates(profileId: string, o?: CmCallOptions): Promise<CmCertificateInfo[]> {
    const r = await this.get('E21', `/profiles/${guidArg(profileId, 'profileId')}/certificates`, o)
    return this.list('E21', wire.wireClmCertificate, r.value).map(map.toCertificateInfo)
  }

  /** E22 `GET /certificates`: the caller's certificates, extended form (retired ones left out). */
  async listCertificates(o?: CmCallOptions): Promise<CmCertificateInfo[]> {
    const r = await this.get('E22', '/certificates', o)
    return this.list('E22', wire.wireClmCertificate, r.value).map(map.toCertificateInfo)
  }

  /** E23 `GET /profiles?status=`. */
  async listProfiles(filter: { status?: (typeof PROFILE_QUERY_STATUSES)[number] } = {}, o?: CmCallOptions) {
    const status = filter.status === undefined ? undefined : matchVocabulary(PROFILE_QUERY_STATUSES, filter.status)
    if (filter.status !== undefined && !status) throw new RangeError('unknown profile status')
    const r = await this.get('E23', '/profiles', o, { query: { status } })
    return this.list('E23', wire.wireProfile, r.value).map(map.toProfile)
  }

  /** E24 `GET /profiles/{pid}` (ASSUMPTION: one Profile; 204 → null). */
  async getProfile(profileId: string, o?: CmCallOptions): Promise<CmProfile | null> {
    const r = await this.get('E24', `/profiles/${guidArg(profileId, 'profileId')}`, o)
    const w = this.one('E24', wire.wireProfile, r.value)
    return w && map.toProfile(w)
  }

  /** E25 `GET /requests/{rid}/profiles` (ASSUMPTION: an array of Profile). */
  async getRequestProfiles(requestId: string, o?: CmCallOptions): Promise<CmProfile[]> {
    const r = await this.get('E25', `/requests/${guidArg(requestId, 'requestId')}/profiles`, o)
    return this.list('E25', wire.wireProfile, r.value).map(map.toProfile)
  }

  private badCreated(endpoint: string): StationError {
    this.log.warn('cm: 201 body names no created object', { endpoint })
    return new StationError('invalid-response', {}, `${endpoint}: unusable 201 body`)
  }
}
