import { isAbsolute } from 'node:path'
import { z } from 'zod'

/** An LDAP attribute description (RFC 4512 §2.5: a descriptor or a numeric OID). */
const LDAP_ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]{0,63}|[0-9]+(?:\.[0-9]+)+)$/

/**
 * Readers that are platform authenticators, denied by default: Windows Hello for Business ("Windows Hello for
 * Business 1") and its earlier name, Microsoft Passport for Work ("Microsoft Passport 1"). Real TPM virtual smart
 * cards sit behind "Microsoft Virtual Smart Card N" readers, which stay allowed.
 */
export const PLATFORM_AUTHENTICATOR_READERS = ['Windows Hello', 'Microsoft Passport'] as const

/** LDAP attribute names the directory client reads (defaults: Active Directory). */
export const directoryAttributesSchema = z
  .object({
    /** The holder GUID CM writes: AD `objectGUID` (binary, .NET layout) or OpenLDAP `entryUUID` (text). */
    uuid: z.string().regex(LDAP_ATTRIBUTE).default('objectGUID'),
    /** How `uuid` is stored: `binary` (16 bytes, .NET `Guid` layout, AD) or `text` (a GUID string, OpenLDAP). */
    uuidEncoding: z.enum(['binary', 'text']).default('binary'),
    displayName: z.string().regex(LDAP_ATTRIBUTE).default('displayName'),
    givenName: z.string().regex(LDAP_ATTRIBUTE).default('givenName'),
    surname: z.string().regex(LDAP_ATTRIBUTE).default('sn'),
    /** The account name without its domain (AD `sAMAccountName`); shown as `DOMAIN\\name`. */
    account: z.string().regex(LDAP_ATTRIBUTE).default('sAMAccountName'),
    upn: z.string().regex(LDAP_ATTRIBUTE).default('userPrincipalName'),
    email: z.string().regex(LDAP_ATTRIBUTE).default('mail'),
    department: z.string().regex(LDAP_ATTRIBUTE).default('department'),
    employeeNumber: z.string().regex(LDAP_ATTRIBUTE).default('employeeID'),
  })
  .strict()

/** The directory section (see `configSchema.directory`). */
export const directoryConfigSchema = z
  .object({
    /**
     * `ldaps://host[:636]` (TLS from the start) or `ldap://host[:389]` (always upgraded with StartTLS; the station
     * never binds in clear text).
     */
    url: z
      .string()
      .url()
      .refine(
        (u) => /^ldaps?:\/\/[^/@]+\/?$/i.test(u),
        'must be ldap://host[:port] or ldaps://host[:port] (no path, no credentials)',
      ),
    /** Where people are searched, e.g. `DC=corp,DC=contoso,DC=com`. */
    baseDn: z.string().min(1).max(1024),
    /** The station's service account (a DN or, for AD, a UPN such as `svc-station@corp.contoso.com`). */
    bindDn: z.string().min(1).max(1024),
    /** NetBIOS domain name shown before the account (`CORP\\ana.souza`), as CM writes accounts. */
    domain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,14}$/, 'must be a NetBIOS domain name'),
    /** PEM file of the CA(s) that issued the directory's TLS certificate; absent: the system's trusted CAs. */
    caFile: z
      .string()
      .min(1)
      .max(1024)
      .refine((p) => isAbsolute(p), 'must be an absolute path')
      .optional(),
    /** Object class of the people searched (AD `user`; OpenLDAP `inetOrgPerson`). */
    personClass: z.string().regex(LDAP_ATTRIBUTE).default('user'),
    attributes: directoryAttributesSchema.prefault({}),
    /** Per-operation timeout in ms (connect, bind, each search page). */
    timeoutMs: z.number().int().min(500).max(60_000).default(8_000),
    /**
     * Entries per page of a paged search: at most the server's page limit (AD MaxPageSize, default 1000; OpenLDAP
     * refuses a larger page with adminLimitExceeded, shown as too-many-results).
     */
    pageSize: z.number().int().min(10).max(1000).default(500),
    /** A search matching more people than this fails with too-many-results (type more of the name). */
    maxResults: z.number().int().min(20).max(10_000).default(1000),
  })
  .strict()

export type DirectoryConfig = z.output<typeof directoryConfigSchema>

/**
 * Station configuration: the one schema every source is checked against. Precedence (config-load.ts): policy
 * (HKLM registry) over the machine defaults file over the environment (STATION_* over the STATION_CONFIG file) over
 * built-in defaults. No CM server configured = training mode.
 */
export const configSchema = z
  .object({
    cm: z
      .object({
        /** CM web application root, e.g. https://cm.contoso.com/CertificateManagement (cm-rest-api.md §1.1). */
        appRoot: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//i.test(u), 'must be http(s)')
          .transform((u) => u.replace(/\/+$/, '')),
        /** Per-call timeout in ms. */
        timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
        /**
         * Hosts Electron may answer a Negotiate/NTLM challenge for (Windows sign-in), as Chromium's auth-server
         * allow-list takes them (`cm.contoso.com`, `*.contoso.com`). Empty (default): the CM host only.
         */
        windowsSignInHosts: z
          .array(
            z.string().regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a host name or *.domain'),
          )
          .max(20)
          .default([]),
        /** Seconds between the idle checks that the station can reach and sign in to CM. */
        connectionCheckSec: z.number().int().min(30).max(3600).default(180),
      })
      .strict()
      .nullable()
      .default(null),
    readers: z
      .object({
        /** Case-insensitive substrings; a reader is shown only if it matches one (empty = all). */
        allow: z.array(z.string().min(1).max(200)).max(50).default([]),
        /**
         * Case-insensitive substrings of readers never shown nor used. Default: the platform authenticators (a
         * Windows Hello for Business key is a TPM virtual smart card behind a reader of that name — never a badge).
         * Setting `deny` replaces the default (`[]` shows every reader).
         */
        deny: z
          .array(z.string().min(1).max(200))
          .max(50)
          .default([...PLATFORM_AUTHENTICATOR_READERS]),
      })
      .strict()
      .default({ allow: [], deny: [...PLATFORM_AUTHENTICATOR_READERS] }),
    /**
     * How a server-proposed PIN is shown (shared/ipc/app.ts PinDisplayPolicy): `show`, `reveal` (default: masked,
     * press to reveal, hidden again after 10 s) or `never` (holder-facing confirmation only).
     */
    pinDisplay: z.enum(['show', 'reveal', 'never']).default('reveal'),
    /** The station's own minimum length for a new user PIN, on top of the template and the card (pin-rules.ts). */
    pinMinLength: z.number().int().min(4).max(127).default(4),
    /**
     * The directory the CM server uses (Active Directory over LDAP), to find holders and show names for the GUIDs
     * CM gives (issue "Find the holder"). Absent: training mode uses the simulator's people; with a real CM server
     * the UI shows GUIDs and no search box. Training mode (no `cm`) never uses it: the built-in simulator knows only
     * its own people. The bind password is never here: the app keeps it encrypted for the
     * machine (`--set-directory-password`), the preview reads STATION_DIRECTORY_PASSWORD.
     */
    directory: directoryConfigSchema.nullable().default(null),
    /** Run in kiosk mode (Electron: a locked full-screen window; every host: idle and badge-removal resets). */
    kiosk: z.boolean().default(false),
    /** Kiosk: seconds without input before the station returns to Home (a countdown shows the last 30 s). */
    idleTimeoutSec: z.number().int().min(5).max(86_400).default(300),
    /** The station's diagnostic log level. */
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** The language the station starts in (the operator may switch; their choice is remembered). */
    language: z.enum(['en', 'pt-BR', 'nl-NL']).optional(),
    /**
     * Directory for the station's own durable state (the CM write journal). Absent: the host's default
     * (Electron: userData; Node: ~/.cm-enrollment-station), see journal/paths.ts.
     */
    dataDir: z
      .string()
      .min(1)
      .max(1024)
      .refine((p) => isAbsolute(p), 'must be an absolute path')
      .optional(),
  })
  .strict()

export type StationConfig = z.output<typeof configSchema>

/** A configuration that cannot be used; `issues` name the offending fields (never secret values). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid station configuration (${source}): ${issues.join('; ')}`)
  }
}

/** True when no CM server is configured: the built-in simulator and virtual cards are used. */
export function isTrainingMode(config: StationConfig): boolean {
  return config.cm === null
}

/** Parse an already-loaded object. Throws ConfigError with field paths on failure. */
export function parseConfig(raw: unknown, source = 'config'): StationConfig {
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    )
  }
  return parsed.data
}
