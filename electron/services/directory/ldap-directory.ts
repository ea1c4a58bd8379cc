import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as tls from 'node:tls'
import { Client, InvalidCredentialsError, type Entry, type Filter } from 'ldapts'
import type { UserUuid } from '../../../shared/domain/cm'
import { normalizeGuid } from '../../../shared/domain/cm'
import type { DirectoryPerson } from '../../../shared/domain/directory'
import { StationError, type DirectoryErrorCode } from '../../../shared/errors'
import type { DirectoryConfig } from '../config'
import { dotnetBytesFromGuid, guidFromDotnetBytes, isGuidText } from '../guid-bytes'
import type { Logger } from '../log'
import type { Directory, DirectorySearchResult } from './directory'
import { peopleFilter, uuidFilter } from './people-filter'

/** The attribute map in use (config `directory.attributes`, defaults: Active Directory). */
export type DirectoryAttributes = DirectoryConfig['attributes']

/** Inputs of {@link LdapDirectory}. */
export interface LdapDirectoryOptions {
  config: DirectoryConfig
  /**
   * The service account's password, read at each connection from where the host keeps it (Electron: encrypted
   * with safeStorage; preview: STATION_DIRECTORY_PASSWORD). Null: not set, which fails as directory-auth-failed.
   */
  bindPassword: () => Promise<string | null>
  log: Logger
  /** How long names looked up by GUID are kept for display, in ms (default 5 min). */
  cacheTtlMs?: number
  /** Clock for the cache (tests). */
  now?: () => number
}

// The Node TLS error codes of a certificate the station does not trust (wrong CA, expired, other host name).
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

const LOOKUP_BATCH = 50
/** After a refused bind, the same password is not tried again for this long (AD lockout thresholds count binds). */
export const AUTH_FAILURE_HOLD_MS = 5 * 60_000
const CACHE_MAX = 5000

/**
 * The directory over LDAP (issue "Find the holder"), for Active Directory or any LDAPv3 server:
 *
 * - TLS always: `ldaps://`, or `ldap://` upgraded with StartTLS before the bind; the server certificate must chain to
 *   the configured CA file, else to the system's trusted CAs (Node's bundled roots plus, where the runtime offers
 *   `tls.getCACertificates('system')`, the operating system's store — the Windows store in the app); an untrusted
 *   certificate is refused (`directory-untrusted-certificate`).
 * - Simple bind with the configured service account; the password is fetched from the host for each connection
 *   and never logged.
 * - Searches are paged (`pageSize` per page, RFC 2696) so the server's own size limit (AD MaxPageSize) is no
 *   limit; more than `maxResults` matches fail with `too-many-results`.
 * - Operator text only ever enters filters as ldapts filter objects (people-filter.ts).
 * - One connection per operation, closed afterwards (a desk searches a few times a minute; nothing stays bound).
 *
 * Errors (StationError): directory-unavailable, directory-auth-failed, directory-timeout, too-many-results,
 * directory-untrusted-certificate.
 */
export class LdapDirectory implements Directory {
  private readonly config: DirectoryConfig
  private readonly attrs: DirectoryAttributes
  private readonly bindPassword: () => Promise<string | null>
  private readonly log: Logger
  private readonly cacheTtlMs: number
  private readonly now: () => number
  private readonly cache = new Map<string, { person: DirectoryPerson | null; until: number }>()
  private ca: string[] | undefined
  /** The last refused bind: which password (its SHA-256, in memory only) and until when not to try it again. */
  private authRefused: { digest: string; until: number } | null = null

  constructor(options: LdapDirectoryOptions) {
    this.config = options.config
    this.attrs = options.config.attributes
    this.bindPassword = options.bindPassword
    this.log = options.log
    this.cacheTtlMs = options.cacheTtlMs ?? 5 * 60_000
    this.now = options.now ?? Date.now
  }

  /** People matching `query` (people-filter.ts), sorted by display name; `total` counts every match. */
  async search(query: string, limit: number): Promise<DirectorySearchResult> {
    const filter = peopleFilter(query, this.attrs, this.config.personClass, this.config.domain)
    if (!filter) return { people: [], total: 0 }
    const people = await this.withClient('search', (client) => this.findAll(client, filter))
    people.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.account.localeCompare(b.account))
    for (const p of people) this.remember(p.uuid, p)
    return { people: people.slice(0, limit), total: people.length }
  }

  /** The people with these GUIDs (unknown ones left out); answers from a short cache for display lookups. */
  async lookup(uuids: readonly UserUuid[]): Promise<DirectoryPerson[]> {
    const wanted = [...new Set(uuids.map((u) => normalizeGuid(u)).filter((u): u is UserUuid => u !== null))]
    const found = new Map<string, DirectoryPerson | null>()
    const missing: UserUuid[] = []
    const now = this.now()
    for (const uuid of wanted) {
      const hit = this.cache.get(uuid)
      if (hit && hit.until > now) found.set(uuid, hit.person)
      else missing.push(uuid)
    }
    if (missing.length > 0) {
      await this.withClient('lookup', async (client) => {
        for (let i = 0; i < missing.length; i += LOOKUP_BATCH) {
          const batch = missing.slice(i, i + LOOKUP_BATCH)
          const values = batch.map((u) => (this.attrs.uuidEncoding === 'binary' ? dotnetBytesFromGuid(u) : u))
          const people = await this.findAll(client, uuidFilter(values, this.attrs))
          for (const p of people) found.set(p.uuid, p)
          for (const u of batch) {
            if (!found.has(u)) found.set(u, null)
            this.remember(u, found.get(u) ?? null)
          }
        }
      })
    }
    return wanted.map((u) => found.get(u)).filter((p): p is DirectoryPerson => !!p)
  }

  /** Every entry matching `filter`, page by page; more than maxResults → too-many-results. */
  private async findAll(client: Client, filter: Filter): Promise<DirectoryPerson[]> {
    const a = this.attrs
    const attributes = [
      a.uuid,
      a.displayName,
      a.givenName,
      a.surname,
      a.account,
      a.upn,
      a.email,
      a.department,
      a.employeeNumber,
    ]
    const people: DirectoryPerson[] = []
    const pages = client.searchPaginated(this.config.baseDn, {
      scope: 'sub',
      filter,
      attributes,
      explicitBufferAttributes: a.uuidEncoding === 'binary' ? [a.uuid] : [],
      paged: { pageSize: this.config.pageSize },
      timeLimit: Math.ceil(this.config.timeoutMs / 1000),
    })
    for await (const page of pages) {
      for (const entry of page.searchEntries) {
        const person = this.toPerson(entry)
        if (person) people.push(person)
      }
      if (people.length > this.config.maxResults) {
        // Stop reading; the connection is closed right after, which ends the paged search on the server.
        throw new StationError('too-many-results', {}, `more than ${this.config.maxResults} matches`)
      }
    }
    return people
  }

  /** A search entry → a person, or null when it has no usable GUID (logged, never shown with a wrong id). */
  private toPerson(entry: Entry): DirectoryPerson | null {
    const a = this.attrs
    const uuid = this.uuidOf(entry[a.uuid])
    if (!uuid) {
      this.log.warn('directory: entry without a usable GUID left out', { attribute: a.uuid })
      return null
    }
    const sam = text(entry[a.account])
    const given = text(entry[a.givenName])
    const surname = text(entry[a.surname])
    const displayName =
      text(entry[a.displayName]) ?? ([given, surname].filter(Boolean).join(' ') || sam || uuid)
    return {
      uuid,
      displayName,
      account: sam ? `${this.config.domain}\\${sam}` : '',
      upn: text(entry[a.upn]),
      email: text(entry[a.email]),
      department: text(entry[a.department]),
      employeeNumber: text(entry[a.employeeNumber]),
    }
  }

  private uuidOf(value: Entry[string] | undefined): UserUuid | null {
    const first = Array.isArray(value) ? value[0] : value
    if (first === undefined) return null
    if (this.attrs.uuidEncoding === 'binary') {
      const bytes = Buffer.isBuffer(first) ? first : null
      return bytes && bytes.length === 16 ? (guidFromDotnetBytes(bytes) as UserUuid) : null
    }
    const s = Buffer.isBuffer(first) ? first.toString('utf8') : first
    return isGuidText(s) ? (normalizeGuid(s) as UserUuid | null) : null
  }

  private remember(uuid: string, person: DirectoryPerson | null): void {
    if (this.cache.size >= CACHE_MAX) this.cache.clear()
    this.cache.set(uuid, { person, until: this.now() + this.cacheTtlMs })
  }

  /** Connect (TLS), bind, run `work`, always unbind; every failure becomes a typed StationError. */
  private async withClient<T>(what: string, work: (client: Client) => Promise<T>): Promise<T> {
    const url = new URL(this.config.url)
    try {
      return await this.connected(url, work)
    } catch (error) {
      const typed = this.typed(error)
      this.log.warn(`directory: ${what} failed`, {
        code: typed.code,
        host: url.host,
        detail: describe(error),
      })
      throw typed
    }
  }

  private async connected<T>(url: URL, work: (client: Client) => Promise<T>): Promise<T> {
    // The service account was refused a moment ago: say so without binding again (an AD lockout policy counts
    // every failed bind, and one desk typing would lock the account out for every station).
    const password = await this.readPassword()
    const digest = password === null ? '' : createHash('sha256').update(password).digest('hex')
    if (this.authRefused && this.authRefused.digest === digest && this.now() < this.authRefused.until) {
      throw new StationError(
        'directory-auth-failed',
        {},
        'the same password was refused recently; not retried yet',
      )
    }
    if (password === null) throw new StationError('directory-auth-failed', {}, 'no bind password set')
    const secure = url.protocol.toLowerCase() === 'ldaps:'
    const tlsOptions: tls.ConnectionOptions = {
      ca: this.trustedCas(),
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      servername: isIp(url.hostname) ? undefined : url.hostname,
    }
    // ldapts speaks TLS from the first byte whenever the client has tlsOptions: only for ldaps://; ldap:// gets
    // them at StartTLS.
    const client = new Client({
      url: this.config.url,
      connectTimeout: this.config.timeoutMs,
      timeout: this.config.timeoutMs,
      ...(secure ? { tlsOptions } : {}),
    })
    const deadline = this.config.timeoutMs * 4
    let timer: NodeJS.Timeout | undefined
    try {
      const run = async (): Promise<T> => {
        if (!secure) {
          try {
            // A fresh options object: startTLS adds the plain socket to it. `host` is what the certificate must name.
            await client.startTLS({ ...tlsOptions, host: url.hostname.replace(/^\[|\]$/g, '') })
          } catch (error) {
            const code = directoryErrorCode(error)
            // A server that refuses StartTLS itself (no TLS configured on it) is a settings problem, not the network.
            if (
              code === 'directory-unavailable' &&
              (error as { name?: string }).name?.endsWith('Error') &&
              !(error as { code?: unknown }).code
            )
              throw new StationError('directory-misconfigured', {}, `StartTLS refused: ${describe(error)}`)
            throw error
          }
        }
        try {
          await client.bind(this.config.bindDn, password)
        } catch (error) {
          if (directoryErrorCode(error) === 'directory-auth-failed') {
            this.authRefused = { digest, until: this.now() + AUTH_FAILURE_HOLD_MS }
          }
          throw error
        }
        this.authRefused = null
        return await work(client)
      }
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new StationError('directory-timeout', {}, `no answer within ${deadline} ms`)),
            deadline,
          )
        }),
      ])
    } finally {
      if (timer) clearTimeout(timer)
      await client.unbind().catch(() => undefined)
    }
  }

  /** The password from the host; one that cannot be read or decrypted is a settings problem. */
  private async readPassword(): Promise<string | null> {
    try {
      const password = await this.bindPassword()
      return password === null || password === '' ? null : password
    } catch (error) {
      throw new StationError(
        'directory-misconfigured',
        {},
        `the stored password cannot be read: ${describe(error)}`,
      )
    }
  }

  private typed(error: unknown): StationError {
    if (error instanceof StationError) return error
    const code = directoryErrorCode(error)
    return new StationError(code, {}, describe(error))
  }

  private trustedCas(): string[] | undefined {
    if (this.ca) return this.ca
    if (this.config.caFile) {
      // Read once; a missing or unreadable file is a settings problem for IT (directory-misconfigured).
      let pem: string
      try {
        pem = readFileSync(this.config.caFile, 'utf8')
      } catch (error) {
        throw new StationError('directory-misconfigured', {}, `cannot read caFile: ${describe(error)}`)
      }
      if (!/-----BEGIN CERTIFICATE-----/.test(pem)) {
        throw new StationError(
          'directory-misconfigured',
          {},
          'caFile holds no PEM certificate (DER? convert it to PEM)',
        )
      }
      this.ca = [pem]
      return this.ca
    }
    // The runtime's roots plus the operating system's store where the runtime can read it (Node ≥ 22.15 / Electron).
    const get = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates
    if (typeof get === 'function') {
      try {
        this.ca = [...new Set([...get('default'), ...get('system')])]
        return this.ca
      } catch {
        // Older runtimes without 'system': Node's defaults below.
      }
    }
    return undefined
  }
}

/** The typed code of an ldapts / socket / TLS failure. */
export function directoryErrorCode(error: unknown): DirectoryErrorCode {
  if (error instanceof StationError && isDirectoryCode(error.code)) return error.code
  if (error instanceof InvalidCredentialsError) return 'directory-auth-failed'
  const e = error as { code?: unknown; message?: unknown; name?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : ''
  const name = typeof e?.name === 'string' ? e.name : ''
  if (UNTRUSTED_CERTIFICATE.has(code)) return 'directory-untrusted-certificate'
  if (name === 'TimeLimitExceededError' || /Operation timed out/i.test(message)) return 'directory-timeout'
  // OpenLDAP answers a page larger than its limit with adminLimitExceeded: the station's pageSize is wrong.
  if (name === 'AdminLimitExceededError') return 'directory-misconfigured'
  if (name === 'SizeLimitExceededError') return 'too-many-results'
  if (name === 'InappropriateAuthError' || name === 'StrongAuthRequiredError') return 'directory-auth-failed'
  return 'directory-unavailable'
}

function isDirectoryCode(code: string): code is DirectoryErrorCode {
  return [
    'directory-unavailable',
    'directory-auth-failed',
    'directory-timeout',
    'too-many-results',
    'directory-untrusted-certificate',
    'directory-misconfigured',
  ].includes(code)
}

function text(value: Entry[string] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value
  if (first === undefined) return null
  const s = (Buffer.isBuffer(first) ? first.toString('utf8') : first).trim()
  return s === '' ? null : s
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')
}

/** Error text for the log: class, code and message, never a credential (ldapts never echoes the bind password). */
function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string }
  return [e?.name, e?.code, e?.message].filter(Boolean).join(' ').slice(0, 300)
}
