import { z } from 'zod'
import {
  EMPTY_GUID,
  POLICY_TYPES,
  REQUEST_STATUS,
  REQUEST_TYPE_SIMULATOR,
  SMARTCARD_STATUS,
  UNSET_DATE,
  enumValueOf,
  matchVocabulary,
} from '../../../shared/cm/enums'
import type { EnumTable } from '../../../shared/cm/enums'
import { parseGuid, serialFromCardId } from './guid'
import { defaultSddl } from './lifecycle'
import type { SimState } from './model'

/**
 * Seed files (electron/simulator/cm/seeds/*.json): the API's own PascalCase shapes, with every field that
 * has an obvious default made optional, plus a `Sim` block for simulator internals. See README.md.
 */

const guid = z.string().transform((s, c) => {
  const g = parseGuid(s.trim())
  if (g === null) {
    c.addIssue({ code: 'custom', message: `not a GUID: ${s}` })
    return z.NEVER
  }
  return g
})
const optGuid = guid.default(EMPTY_GUID)

/** A number, or a name looked up in an enum table (seeds may say `"Status": "Active"`). */
const enumNum = (table: EnumTable) =>
  z.union([z.number().int(), z.string()]).transform((v, c) => {
    if (typeof v === 'number') return v
    const n = enumValueOf(table, v)
    if (n === undefined) {
      c.addIssue({ code: 'custom', message: `unknown enum name: ${v}` })
      return z.NEVER
    }
    return n
  })

const pinPolicy = z.object({
  MinLength: z.number().int().default(4),
  MaxLength: z.number().int().default(8),
  CharacterSet: z.number().int().default(1),
  Rollover: z.boolean().default(false),
  DefaultValue: z.string().default(''),
})

const smartcardConfig = z
  .object({
    UserPinOption: z.number().int(),
    UserPinPolicy: pinPolicy,
    AdminPinPolicy: pinPolicy,
    DefaultAdminKeyHex: z.string().regex(/^([0-9a-fA-F]{48})?$/),
    ProviderName: z.string().default('Microsoft Base Smart Card Crypto Provider'),
    ProviderId: z.string().default(''),
    ProviderType: z.number().int().default(2),
    DiversifyAdminKey: z.boolean(),
    CardInitializationType: z.string().default(''),
    CardInitializationData: z.string().default(''),
    InitializeNewSmartcard: z.boolean().default(true),
    UseSecureKeyInjection: z.boolean().default(false),
    DoNotInstallCaCertificates: z.boolean().default(false),
    CertificateLabel: z.string().default('{Template!cn}'),
    MaxNumberOfCertificates: z.number().int().default(0),
    AllowSmartcardReuse: z.boolean().default(false),
    EraseOnOverflow: z.boolean().default(false),
    UseVirtualSmartcards: z.boolean().optional(),
    SmartcardPrintPolicy: z
      .object({
        FieldMapping: z.string().default(''),
        ProjectName: z.string().default(''),
        CardName: z.string().default(''),
        Print: z.boolean().default(false),
      })
      .default({ FieldMapping: '', ProjectName: '', CardName: '', Print: false }),
  })
  .transform(({ UseVirtualSmartcards, ...rest }) =>
    // exactOptionalPropertyTypes: drop the key rather than carry `undefined` (OQ-06: the field is optional).
    UseVirtualSmartcards === undefined ? rest : { ...rest, UseVirtualSmartcards },
  )

const policy = z.object({
  ApprovalsNeeded: z.number().int().default(0),
  AuthorizedApprover: z.array(z.string()).default([]),
  AuthorizedEnrollmentAgent: z.array(z.string()).default([]),
  AuthorizedInitiator: z.array(z.string()).default([]),
  CollectComments: z.boolean().default(false),
  CollectRequestPriority: z.boolean().default(false),
  DefaultRequestPriority: z.number().int().default(0),
  Documents: z.array(z.unknown()).default([]),
  Enabled: z.boolean().default(true),
  EnrollAgentRequired: z.boolean().default(false),
  OneTimePasswordPolicy: z.unknown().default(null),
  Personalization: z.unknown().default(null),
  PolicyDataCollection: z
    .array(z.object({ Name: z.string(), Required: z.boolean().default(false) }))
    .default([]),
  SelfServiceEnabled: z.boolean().default(true),
})

const genOptions = z.object({
  Subject: z.string().default(''),
  KeyAlgorithmName: z.string().default('RSA'),
  KeySize: z.number().int().default(2048),
  FriendlyName: z.string().default(''),
  HashAlgorithmName: z.string().default('SHA256'),
  KeyStorageProviderNames: z.array(z.string()).default(['Microsoft Smart Card Key Storage Provider']),
  Exportable: z.number().int().default(0),
  KeyProtectionLevel: z.number().int().default(0),
  KeyUsages: z.number().int().default(3),
})

const template = z
  .object({
    /** Readable handle used by the control API and tests (e.g. "t-vsc-serverpin"). */
    Key: z.string().default(''),
    Uuid: guid,
    Name: z.string(),
    Description: z.string().default(''),
    IsSmartcardProfileTemplate: z.boolean(),
    IsVirtualSmartcardProfileTemplate: z.boolean().default(false),
    Version: z.number().int().default(1),
    SmartcardConfig: smartcardConfig.nullable().default(null),
    Policies: z.record(z.string(), policy).default({}),
    CertificateRequestGenerationOptions: z.array(genOptions).default([]),
    Sim: z
      .object({
        CertificateTemplateName: z.string().default('SmartcardLogon'),
        DiversificationSecret: z.string().nullable().default(null),
        ExtraOperations: z.array(z.string()).default([]),
        IssueServerGeneratedPfx: z.boolean().default(false),
        IssueExternalCertificate: z.boolean().default(false),
        ValidityDays: z.number().int().positive().default(365),
      })
      .prefault({}),
  })
  .transform((t, c) => {
    const policies: Record<string, z.infer<typeof policy>> = {}
    for (const [k, v] of Object.entries(t.Policies)) {
      const canon = matchVocabulary(POLICY_TYPES, k)
      if (!canon) c.addIssue({ code: 'custom', message: `unknown policy type ${k} on ${t.Uuid}` })
      else policies[canon] = v
    }
    return { ...t, Policies: policies }
  })

const user = z.object({
  Key: z.string(),
  Uuid: guid,
  Account: z.string(),
  Upn: z.string().default(''),
  DisplayName: z.string().default(''),
  Sid: z.string().default(''),
  Tokens: z.array(z.string()).default([]),
  Grants: z.array(z.object({ Templates: z.array(z.string()), Rights: z.array(z.string()) })).default([]),
})

const smartcard = z
  .object({
    Uuid: guid,
    Status: enumNum(SMARTCARD_STATUS),
    Flags: z.number().int().default(1),
    ParentSmartcardUuid: optGuid,
    PrimarySmartcardUuid: optGuid,
    PermanentSmartcardUuid: optGuid,
    AssignedUserUuid: guid,
    ProfileTemplateUuid: guid,
    ProfileTemplateVersion: z.number().int(),
    Comment: z.string().default(''),
    /** Either the braced SerialNumber or a bare `CardId`. */
    SerialNumber: z.string().optional(),
    CardId: z.string().optional(),
    Middleware: z.string().default('MSBaseCSP'),
    Atr: z.string().default(''),
    Sim: z.object({ ProfileUuid: optGuid, ServerPin: z.string().nullable().default(null) }).prefault({}),
  })
  .transform(({ CardId, SerialNumber, ...rest }, c) => {
    const serial = SerialNumber ?? (CardId ? serialFromCardId(CardId) : undefined)
    if (!serial) c.addIssue({ code: 'custom', message: `card ${rest.Uuid} needs SerialNumber or CardId` })
    return { ...rest, SerialNumber: serial ?? '', Atr: rest.Atr.toLowerCase() }
  })

const request = z.object({
  Uuid: guid,
  RequestType: enumNum(REQUEST_TYPE_SIMULATOR),
  Status: enumNum(REQUEST_STATUS),
  Flags: z.number().int().default(2),
  DataCollection: z.array(z.object({ Name: z.string(), Value: z.string().nullable() })).default([]),
  DataCollectionFlags: z.number().int().default(32),
  OriginatorUserUuid: guid,
  TargetUserUuid: guid,
  Submitted: z.string(),
  Completed: z.string().default(UNSET_DATE),
  NewProfileUuid: optGuid,
  OldProfileUuid: optGuid,
  NewSmartcardUuid: optGuid,
  OldSmartcardUuid: optGuid,
  Priority: z.number().int().default(0),
  Comment: z.string().default(''),
  ProfileTemplateUuid: guid,
  /** Omitted: computed from the originator's SID (see SecurityDescriptors for verbatim strings). */
  SecurityDescriptor: z.string().default(''),
  IsSmartcard: z.boolean().default(true),
  IsEnrollmentAgent: z.boolean().default(false),
  IsDataCollectionComplete: z.boolean().default(false),
  Sim: z
    .object({ Abandoned: z.boolean().default(false), IssuedCertificates: z.number().int().default(0) })
    .prefault({}),
})

const profile = z.object({
  Uuid: guid,
  Status: z.number().int(),
  Flags: z.number().int().default(1),
  ParentProfileUuid: optGuid,
  PrimaryProfileUuid: optGuid,
  AssignedUserUuid: guid,
  ProfileTemplateUuid: guid,
  ProfileTemplateVersion: z.number().int(),
  Comment: z.string().default(''),
  Sim: z.object({ SmartcardUuid: guid.nullable().default(null) }).prefault({}),
})

const certificate = z.object({
  IsKeyHistory: z.boolean().default(false),
  ArchivedOnCa: z.boolean().default(false),
  CertificateType: z.number().int().default(1),
  TemplateCommonName: z.string(),
  SerialNumber: z.string(),
  Thumbprint: z.string(),
  NotAfter: z.string(),
  NotBefore: z.string(),
  Issuer: z.string(),
  RequesterName: z.string(),
  Status: z.number().int().default(0),
  Sim: z.object({
    UserUuid: guid,
    SmartcardUuid: guid.nullable().default(null),
    ProfileUuid: guid.nullable().default(null),
    Retired: z.boolean().default(false),
  }),
})

const wireCertificate = z.object({
  TemplateCommonName: z.string(),
  CertificateId: z.number().int(),
  Flags: z.number().int(),
  UseLocalMachineStore: z.boolean(),
  Error: z.string().nullable(),
  Pkcs7: z.string().nullable(),
  Pfx: z.string().nullable(),
  IsExternal: z.boolean(),
  isServerGenerated: z.boolean(),
  isPfx: z.boolean(),
  isPkcs7: z.boolean(),
  isKeyHistory: z.boolean(),
})

/** The validated, defaulted form of a seed file. */
export const scenarioSeedSchema = z.object({
  Name: z.string(),
  Description: z.string().default(''),
  /** Default RNG seed of the scenario (options.rngSeed overrides it). */
  RngSeed: z.string().default('cm-sim'),
  /** null Start = real time; a Start = virtual time that moves only by script or control API. */
  Clock: z
    .object({ Start: z.string().nullable().default(null), Script: z.array(z.string()).default([]) })
    .prefault({}),
  DiversificationSecret: z.string().default('cm-sim-default-secret'),
  Users: z.array(user).default([]),
  ProfileTemplates: z.array(template).default([]),
  Smartcards: z.array(smartcard).default([]),
  Requests: z.array(request).default([]),
  Profiles: z.array(profile).default([]),
  Certificates: z.array(certificate).default([]),
  Overrides: z
    .object({
      GuidQueue: z.array(guid).default([]),
      SecurityDescriptors: z.record(z.string(), z.string()).default({}),
      DiversifiedKeys: z.record(z.string(), z.string()).default({}),
      CertificateData: z.record(z.string(), z.array(wireCertificate)).default({}),
    })
    .prefault({}),
})

/** A parsed seed. */
export type ScenarioSeed = z.infer<typeof scenarioSeedSchema>

/** Turn a parsed seed into fresh mutable state (deep copy; lower-case override keys). */
export function stateFromSeed(seed: ScenarioSeed): SimState {
  const lowerKeys = <T>(r: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k
          .trim()
          .replace(/^\{|\}$/g, '')
          .toLowerCase(),
        v,
      ]),
    )
  const sds = lowerKeys(seed.Overrides.SecurityDescriptors)
  const requests = seed.Requests.map((r) => {
    if (r.SecurityDescriptor !== '') return r
    const orig = seed.Users.find((u) => u.Uuid === r.OriginatorUserUuid)
    const target = seed.Users.find((u) => u.Uuid === r.TargetUserUuid)
    return {
      ...r,
      SecurityDescriptor: sds[r.Uuid] ?? defaultSddl(orig?.Sid ?? 'S-1-5-32-544', target?.Sid ?? null),
    }
  })
  const state: SimState = {
    Users: seed.Users,
    ProfileTemplates: seed.ProfileTemplates,
    Smartcards: seed.Smartcards,
    Requests: requests,
    Profiles: seed.Profiles,
    Certificates: seed.Certificates,
    GuidQueue: seed.Overrides.GuidQueue,
    DiversificationSecret: seed.DiversificationSecret,
    SecurityDescriptors: sds,
    DiversifiedKeys: lowerKeys(seed.Overrides.DiversifiedKeys),
    CertificateData: lowerKeys(seed.Overrides.CertificateData),
    SecretGenerations: {},
  }
  return structuredClone(state)
}
