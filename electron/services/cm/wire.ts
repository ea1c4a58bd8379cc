import { z } from 'zod'
import { isEmptyGuid, normalizeGuid } from '../../../shared/domain/cm'

/**
 * zod 4 schemas of the CM wire shapes (cm-rest-api.md §3.11, exact casing). Strict on the types of the
 * fields we use, tolerant of extra fields (loose objects) and of key casing (§1.2: "optionally fall back to
 * a case-insensitive lookup"). Enum numbers stay raw numbers here; decoding happens in map.ts.
 */

function lowerKeyIndex(value: Record<string, unknown>): Map<string, string> {
  const index = new Map<string, string>()
  for (const key of Object.keys(value)) if (!index.has(key.toLowerCase())) index.set(key.toLowerCase(), key)
  return index
}

/** Copy values found under another casing to the documented key (exact names win). */
function withCaseFallback(keys: readonly string[]) {
  return (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
    const obj = value as Record<string, unknown>
    const index = lowerKeyIndex(obj)
    const out: Record<string, unknown> = { ...obj }
    for (const key of keys) {
      if (key in obj) continue
      const alt = index.get(key.toLowerCase())
      if (alt !== undefined) out[key] = obj[alt]
    }
    return out
  }
}

/** A loose object whose documented keys are also found under another casing. */
export function wireObject<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(withCaseFallback(Object.keys(shape)), z.looseObject(shape))
}

/** The object's own id: must be a GUID; normalised to lower case. */
export const guidId = z
  .string()
  .refine((s) => normalizeGuid(s) !== null, 'not a GUID')
  .transform((s) => normalizeGuid(s) as string)

/** A reference to another object: the empty GUID, "" or null mean "none" → null (§1.3). */
export const guidRef = z
  .union([z.string(), z.null()])
  .refine((s) => s === null || s.trim() === '' || normalizeGuid(s) !== null, 'not a GUID')
  .transform((s) => (s === null || s.trim() === '' || isEmptyGuid(s) ? null : normalizeGuid(s)))

const int = z.number().int()
const text = z.string()
const nullableText = z.string().nullable()

/** §3.1 `Smartcard`. */
export const wireSmartcard = wireObject({
  Uuid: guidId,
  Status: int,
  Flags: int,
  ParentSmartcardUuid: guidRef,
  PrimarySmartcardUuid: guidRef,
  PermanentSmartcardUuid: guidRef,
  AssignedUserUuid: guidRef,
  ProfileTemplateUuid: guidRef,
  ProfileTemplateVersion: int,
  Comment: text,
  SerialNumber: text,
  Middleware: text,
  // Q10: `atr` is optional on the way in; tolerate a server that has none.
  Atr: nullableText.optional(),
})

/** §3.2 `DataCollectionItem`. */
const wireDataItem = wireObject({ Name: text, Value: nullableText.optional() })

/** §3.2 `Request`. */
export const wireRequest = wireObject({
  Uuid: guidId,
  RequestType: int,
  Status: int,
  Flags: int,
  DataCollection: z.array(wireDataItem).nullable(),
  DataCollectionFlags: int,
  OriginatorUserUuid: guidRef,
  TargetUserUuid: guidRef,
  Submitted: text,
  Completed: text,
  NewProfileUuid: guidRef,
  OldProfileUuid: guidRef,
  NewSmartcardUuid: guidRef,
  OldSmartcardUuid: guidRef,
  Priority: int,
  Comment: text,
  ProfileTemplateUuid: guidRef,
  SecurityDescriptor: text,
  IsSmartcard: z.boolean(),
  IsEnrollmentAgent: z.boolean(),
  IsDataCollectionComplete: z.boolean(),
})

/** §3.3 `ProfileTemplateLimitedView`. */
export const wireProfileTemplate = wireObject({
  Name: text,
  Description: text,
  Uuid: guidId,
  IsSmartcardProfileTemplate: z.boolean(),
  IsVirtualSmartcardProfileTemplate: z.boolean(),
})

/** §3.4 `PinPolicy`. */
const wirePinPolicy = wireObject({
  MinLength: int,
  MaxLength: int,
  CharacterSet: int,
  Rollover: z.boolean(),
  DefaultValue: text,
})

/** §3.4 `SmartcardConfig`. ASSUMPTION OQ-06: the translated example's shape is authoritative. */
export const wireSmartcardConfig = wireObject({
  UserPinOption: int,
  UserPinPolicy: wirePinPolicy,
  AdminPinPolicy: wirePinPolicy,
  DefaultAdminKeyHex: text,
  ProviderName: text,
  ProviderId: text,
  ProviderType: int,
  DiversifyAdminKey: z.boolean(),
  CardInitializationType: text,
  CardInitializationData: text,
  InitializeNewSmartcard: z.boolean(),
  UseSecureKeyInjection: z.boolean(),
  DoNotInstallCaCertificates: z.boolean(),
  CertificateLabel: text,
  MaxNumberOfCertificates: int,
  AllowSmartcardReuse: z.boolean(),
  EraseOnOverflow: z.boolean(),
  UseVirtualSmartcards: z.boolean().optional(),
  SmartcardPrintPolicy: wireObject({
    FieldMapping: text,
    ProjectName: text,
    CardName: text,
    Print: z.boolean(),
  }),
})

/** §3.5 workflow `Policy`. ASSUMPTION OQ-05: no example exists; everything optional, any casing. */
export const wirePolicy = wireObject({
  ApprovalsNeeded: int.optional(),
  CollectComments: z.boolean().optional(),
  CollectRequestPriority: z.boolean().optional(),
  DefaultRequestPriority: int.optional(),
  Enabled: z.boolean().optional(),
  EnrollAgentRequired: z.boolean().optional(),
  SelfServiceEnabled: z.boolean().optional(),
  // The walkthrough calls it `DataCollection` (§3.5): both are read, PolicyDataCollection first.
  PolicyDataCollection: z.array(wireObject({ Name: text, Required: z.boolean().optional() })).nullish(),
  DataCollection: z.array(wireObject({ Name: text, Required: z.boolean().optional() })).nullish(),
})

/** §3.6 `CertificateRequestGenerationOptions`. */
export const wireCsrOptions = wireObject({
  Subject: text,
  KeyAlgorithmName: text,
  KeySize: int,
  FriendlyName: text,
  HashAlgorithmName: text,
  KeyStorageProviderNames: z.array(text),
  Exportable: int,
  KeyProtectionLevel: int,
  KeyUsages: int,
})

/** §3.7 `Certificate` (mixed casing is real, Q14; the case fallback never merges `IsKeyHistory` here). */
export const wireCertificate = wireObject({
  TemplateCommonName: text,
  CertificateId: int,
  Flags: int,
  UseLocalMachineStore: z.boolean(),
  Error: nullableText,
  Pkcs7: nullableText,
  Pfx: nullableText,
  IsExternal: z.boolean(),
  isServerGenerated: z.boolean(),
  isPfx: z.boolean(),
  isPkcs7: z.boolean(),
  isKeyHistory: z.boolean(),
})

/** §3.8 `X509ClmCertificate` (base form; the E22 extras optional). */
export const wireClmCertificate = wireObject({
  IsKeyHistory: z.boolean(),
  ArchivedOnCa: z.boolean(),
  CertificateType: int,
  TemplateCommonName: text,
  SerialNumber: text,
  Thumbprint: text,
  NotAfter: text.optional(),
  NotBefore: text.optional(),
  Issuer: text.optional(),
  RequesterName: text.optional(),
  Status: int.optional(),
})

/** §3.9 `Profile`. */
export const wireProfile = wireObject({
  Uuid: guidId,
  Status: int,
  Flags: int,
  ParentProfileUuid: guidRef,
  PrimaryProfileUuid: guidRef,
  AssignedUserUuid: guidRef,
  ProfileTemplateUuid: guidRef,
  ProfileTemplateVersion: int,
  Comment: text,
  ProfileOperations: z.array(text).nullable(),
})

/** E18/E19 operation lists. */
export const wireOperations = z.array(text)

/** A bare JSON string body (E14, E15, E16). */
export const wireString = z.string()

export type WireSmartcard = z.output<typeof wireSmartcard>
export type WireRequest = z.output<typeof wireRequest>
export type WireProfileTemplate = z.output<typeof wireProfileTemplate>
export type WireSmartcardConfig = z.output<typeof wireSmartcardConfig>
export type WirePolicy = z.output<typeof wirePolicy>
export type WireCsrOptions = z.output<typeof wireCsrOptions>
export type WireCertificate = z.output<typeof wireCertificate>
export type WireClmCertificate = z.output<typeof wireClmCertificate>
export type WireProfile = z.output<typeof wireProfile>
