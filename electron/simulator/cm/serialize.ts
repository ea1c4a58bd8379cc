import type {
  WireCertificate,
  WireCertificateRequestGenerationOptions,
  WireProfile,
  WireProfileTemplateLimitedView,
  WireRequest,
  WireSmartcard,
  WireSmartcardConfig,
  WireWorkflowPolicy,
  WireX509ClmCertificate,
} from '../../../shared/cm/wire-types'
import type { SimCertificate, SimProfile, SimRequest, SimSmartcard, SimTemplate } from './model'

/**
 * Serializers: build fresh objects with the documented key order and casing (SIM-R9, OQ-29; Json.NET
 * writes in declaration order). Internal `Sim` blocks never leave through here.
 */

/** `Smartcard` (§3.1). */
export function smartcardJson(c: SimSmartcard): WireSmartcard {
  return {
    Uuid: c.Uuid,
    Status: c.Status,
    Flags: c.Flags,
    ParentSmartcardUuid: c.ParentSmartcardUuid,
    PrimarySmartcardUuid: c.PrimarySmartcardUuid,
    PermanentSmartcardUuid: c.PermanentSmartcardUuid,
    AssignedUserUuid: c.AssignedUserUuid,
    ProfileTemplateUuid: c.ProfileTemplateUuid,
    ProfileTemplateVersion: c.ProfileTemplateVersion,
    Comment: c.Comment,
    SerialNumber: c.SerialNumber,
    Middleware: c.Middleware,
    Atr: c.Atr,
  }
}

/** `Request` (§3.2). */
export function requestJson(r: SimRequest): WireRequest {
  return {
    Uuid: r.Uuid,
    RequestType: r.RequestType,
    Status: r.Status,
    Flags: r.Flags,
    DataCollection: r.DataCollection.map((d) => ({ Name: d.Name, Value: d.Value })),
    DataCollectionFlags: r.DataCollectionFlags,
    OriginatorUserUuid: r.OriginatorUserUuid,
    TargetUserUuid: r.TargetUserUuid,
    Submitted: r.Submitted,
    Completed: r.Completed,
    NewProfileUuid: r.NewProfileUuid,
    OldProfileUuid: r.OldProfileUuid,
    NewSmartcardUuid: r.NewSmartcardUuid,
    OldSmartcardUuid: r.OldSmartcardUuid,
    Priority: r.Priority,
    Comment: r.Comment,
    ProfileTemplateUuid: r.ProfileTemplateUuid,
    SecurityDescriptor: r.SecurityDescriptor,
    IsSmartcard: r.IsSmartcard,
    IsEnrollmentAgent: r.IsEnrollmentAgent,
    IsDataCollectionComplete: r.IsDataCollectionComplete,
  }
}

/** `ProfileTemplateLimitedView` (§3.3). */
export function templateViewJson(t: SimTemplate): WireProfileTemplateLimitedView {
  return {
    Name: t.Name,
    Description: t.Description,
    Uuid: t.Uuid,
    IsSmartcardProfileTemplate: t.IsSmartcardProfileTemplate,
    IsVirtualSmartcardProfileTemplate: t.IsVirtualSmartcardProfileTemplate,
  }
}

/** `SmartcardConfig` (§3.4; `UseVirtualSmartcards` only when the seed has it, OQ-06). */
export function smartcardConfigJson(c: WireSmartcardConfig): WireSmartcardConfig {
  const pin = (p: WireSmartcardConfig['UserPinPolicy']) => ({
    MinLength: p.MinLength,
    MaxLength: p.MaxLength,
    CharacterSet: p.CharacterSet,
    Rollover: p.Rollover,
    DefaultValue: p.DefaultValue,
  })
  return {
    UserPinOption: c.UserPinOption,
    UserPinPolicy: pin(c.UserPinPolicy),
    AdminPinPolicy: pin(c.AdminPinPolicy),
    DefaultAdminKeyHex: c.DefaultAdminKeyHex,
    ProviderName: c.ProviderName,
    ProviderId: c.ProviderId,
    ProviderType: c.ProviderType,
    DiversifyAdminKey: c.DiversifyAdminKey,
    CardInitializationType: c.CardInitializationType,
    CardInitializationData: c.CardInitializationData,
    InitializeNewSmartcard: c.InitializeNewSmartcard,
    UseSecureKeyInjection: c.UseSecureKeyInjection,
    DoNotInstallCaCertificates: c.DoNotInstallCaCertificates,
    CertificateLabel: c.CertificateLabel,
    MaxNumberOfCertificates: c.MaxNumberOfCertificates,
    AllowSmartcardReuse: c.AllowSmartcardReuse,
    EraseOnOverflow: c.EraseOnOverflow,
    ...(c.UseVirtualSmartcards === undefined ? {} : { UseVirtualSmartcards: c.UseVirtualSmartcards }),
    SmartcardPrintPolicy: {
      FieldMapping: c.SmartcardPrintPolicy.FieldMapping,
      ProjectName: c.SmartcardPrintPolicy.ProjectName,
      CardName: c.SmartcardPrintPolicy.CardName,
      Print: c.SmartcardPrintPolicy.Print,
    },
  }
}

/** Workflow `Policy` in the §3.5 property order. */
// ASSUMPTION OQ-05: no example exists; names from the property table, types from §3.5.
export function policyJson(p: WireWorkflowPolicy): WireWorkflowPolicy {
  return {
    ApprovalsNeeded: p.ApprovalsNeeded,
    AuthorizedApprover: [...p.AuthorizedApprover],
    AuthorizedEnrollmentAgent: [...p.AuthorizedEnrollmentAgent],
    AuthorizedInitiator: [...p.AuthorizedInitiator],
    CollectComments: p.CollectComments,
    CollectRequestPriority: p.CollectRequestPriority,
    DefaultRequestPriority: p.DefaultRequestPriority,
    Documents: [...p.Documents],
    Enabled: p.Enabled,
    EnrollAgentRequired: p.EnrollAgentRequired,
    OneTimePasswordPolicy: p.OneTimePasswordPolicy,
    Personalization: p.Personalization,
    PolicyDataCollection: p.PolicyDataCollection.map((d) => ({ Name: d.Name, Required: d.Required })),
    SelfServiceEnabled: p.SelfServiceEnabled,
  }
}

/** `CertificateRequestGenerationOptions` (§3.6). */
export function genOptionsJson(
  o: WireCertificateRequestGenerationOptions,
): WireCertificateRequestGenerationOptions {
  return {
    Subject: o.Subject,
    KeyAlgorithmName: o.KeyAlgorithmName,
    KeySize: o.KeySize,
    FriendlyName: o.FriendlyName,
    HashAlgorithmName: o.HashAlgorithmName,
    KeyStorageProviderNames: [...o.KeyStorageProviderNames],
    Exportable: o.Exportable,
    KeyProtectionLevel: o.KeyProtectionLevel,
    KeyUsages: o.KeyUsages,
  }
}

/** `Certificate` from E10, with its mixed casing (§3.7, Q14). */
export function certificateJson(c: WireCertificate): WireCertificate {
  return {
    TemplateCommonName: c.TemplateCommonName,
    CertificateId: c.CertificateId,
    Flags: c.Flags,
    UseLocalMachineStore: c.UseLocalMachineStore,
    Error: c.Error,
    Pkcs7: c.Pkcs7,
    Pfx: c.Pfx,
    IsExternal: c.IsExternal,
    isServerGenerated: c.isServerGenerated,
    isPfx: c.isPfx,
    isPkcs7: c.isPkcs7,
    isKeyHistory: c.isKeyHistory,
  }
}

/** `X509ClmCertificate` base form (E20, E21). */
export function x509BaseJson(c: SimCertificate): WireX509ClmCertificate {
  return {
    IsKeyHistory: c.IsKeyHistory,
    ArchivedOnCa: c.ArchivedOnCa,
    CertificateType: c.CertificateType,
    TemplateCommonName: c.TemplateCommonName,
    SerialNumber: c.SerialNumber,
    Thumbprint: c.Thumbprint,
  }
}

/** `X509ClmCertificate` extended form (E22). */
export function x509ExtendedJson(c: SimCertificate): WireX509ClmCertificate {
  return {
    ...x509BaseJson(c),
    NotAfter: c.NotAfter,
    NotBefore: c.NotBefore,
    Issuer: c.Issuer,
    RequesterName: c.RequesterName,
    Status: c.Status,
  }
}

/** `Profile` (§3.9) with the caller-specific operations. */
export function profileJson(p: SimProfile, operations: string[]): WireProfile {
  return {
    Uuid: p.Uuid,
    Status: p.Status,
    Flags: p.Flags,
    ParentProfileUuid: p.ParentProfileUuid,
    PrimaryProfileUuid: p.PrimaryProfileUuid,
    AssignedUserUuid: p.AssignedUserUuid,
    ProfileTemplateUuid: p.ProfileTemplateUuid,
    ProfileTemplateVersion: p.ProfileTemplateVersion,
    Comment: p.Comment,
    ProfileOperations: operations,
  }
}

/** Preset `unknown-enum-values` (SIM-F3): rewrite enum numbers the client cannot know. */
export function withUnknownEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownEnums)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Status' && typeof v === 'number') out[k] = 42
    else if (k === 'RequestType' && typeof v === 'number') out[k] = 77
    else out[k] = withUnknownEnums(v)
  }
  return out
}
