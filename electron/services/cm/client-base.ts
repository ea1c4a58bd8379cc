import { z } from 'zod'
import {
  matchVocabulary,
  POLICY_TYPES,
  PROFILE_QUERY_STATUSES,
  REQUEST_QUERY_STATUSES,
  type PolicyType,
  type RequestQueryStatus,
} from '../../../shared/cm/enums'
import type {
  CardId,
  CmCertificateInfo,
  CmCsrOptions,
  CmProfile,
  CmProfileTemplate,
  CmRequest,
  CmSmartcard,
  CmSmartcardConfig,
  CmWorkflowPolicy,
} from '../../../shared/domain/cm'
import type { Logger } from '../log'
import { CmHttp, type CmCall, type CmHttpOptions, type CmReply, type CmRetryPolicy } from './http'
import * as map from './map'
import { asList, guidArg, parseWire, type DataCollectionForm } from './support'
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

/** Default retry policy. */
export const DEFAULT_CM_RETRY: CmRetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000 }

/**
 * The read side of the CM client (the GET endpoints that return objects and lists); CmClient (client.ts)
 * adds the writes and the card-secret calls. Split only to keep files small.
 */
export class CmClientBase {
  protected readonly http: CmHttp
  protected readonly log: Logger
  protected readonly profile: map.ServerProfile
  protected readonly form: DataCollectionForm
  protected readonly pinFallback: boolean

  constructor(opts: CmClientOptions) {
    this.http = new CmHttp({
      ...opts,
      timeoutMs: opts.timeoutMs ?? 15_000,
      retry: opts.retry ?? DEFAULT_CM_RETRY,
    })
    this.log = opts.log
    this.profile = opts.serverProfile ?? 'real'
    this.form = opts.dataCollectionForm ?? 'string'
    this.pinFallback = opts.serverPinShortRouteFallback ?? true
  }

  protected get(
    endpoint: string,
    path: string,
    o?: CmCallOptions,
    extra: Partial<CmCall> = {},
  ): Promise<CmReply> {
    return this.http.send({ endpoint, method: 'GET', path, idempotent: true, signal: o?.signal, ...extra })
  }

  protected list<S extends z.ZodType>(endpoint: string, schema: S, value: unknown): z.output<S>[] {
    return parseWire(z.array(schema), asList(value), endpoint, this.log)
  }

  protected one<S extends z.ZodType>(endpoint: string, schema: S, value: unknown): z.output<S> | null {
    return value === undefined ? null : parseWire(schema, value, endpoint, this.log)
  }

  /** E01 `GET /profiletemplates`: the templates the caller can enroll for. */
  async listProfileTemplates(o?: CmCallOptions): Promise<CmProfileTemplate[]> {
    const r = await this.get('E01', '/profiletemplates', o)
    return this.list('E01', wire.wireProfileTemplate, r.value).map(map.toProfileTemplate)
  }

  /**
   * The connection check's one cheap authenticated read: E01 `GET /profiletemplates`, a single attempt (the check
   * reports what happens now; it never retries). E01 is the cheapest read that proves the whole path: IIS signs the
   * caller in before any route (§1.6), the API must be enabled (a 404 otherwise), it takes no argument, has no side
   * effect, its body is a handful of templates (unlike E06/E12/E22, which grow with the caller's requests, cards and
   * certificates), and it is the first call of every enrollment (§5.3), so a pass predicts the first step works.
   * Returns how many templates the caller may enroll on; throws the closed CM codes like every call.
   */
  async probe(o?: CmCallOptions): Promise<{ templates: number }> {
    const r = await this.get('E01', '/profiletemplates', o, { attempts: 1 })
    return { templates: this.list('E01', wire.wireProfileTemplate, r.value).length }
  }

  /** E02 `GET /profiletemplates/{tid}`. ASSUMPTION OQ-26: one ProfileTemplateLimitedView. */
  async getProfileTemplate(templateId: string, o?: CmCallOptions): Promise<CmProfileTemplate | null> {
    const r = await this.get('E02', `/profiletemplates/${guidArg(templateId, 'templateId')}`, o)
    const w = this.one('E02', wire.wireProfileTemplate, r.value)
    return w && map.toProfileTemplate(w)
  }

  /** E03 `GET /profiletemplates/{tid}/policies/{type}` (Q3: this route, type in lower case). */
  async getWorkflowPolicy(
    templateId: string,
    type: PolicyType,
    o?: CmCallOptions,
  ): Promise<CmWorkflowPolicy | null> {
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

  /** E06 `GET /requests` (the caller's requests; ASSUMPTION OQ-22: `targetuser` is never sent). */
  async listRequests(filter: { status?: RequestQueryStatus } = {}, o?: CmCallOptions): Promise<CmRequest[]> {
    const status =
      filter.status === undefined ? undefined : matchVocabulary(REQUEST_QUERY_STATUSES, filter.status)
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

  /** E09 `GET /requests/{rid}/certificaterequestgenerationoptions`: one element per CSR to generate. */
  async getCertificateRequestGenerationOptions(
    requestId: string,
    o?: CmCallOptions,
  ): Promise<CmCsrOptions[]> {
    const path = `/requests/${guidArg(requestId, 'requestId')}/certificaterequestgenerationoptions`
    const r = await this.get('E09', path, o)
    return this.list('E09', wire.wireCsrOptions, r.value).map(map.toCsrOptions)
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
    const status =
      filter.status === undefined ? undefined : matchVocabulary(PROFILE_QUERY_STATUSES, filter.status)
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
}
