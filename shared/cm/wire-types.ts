/**
 * CM REST wire shapes with the exact property casing the server sends (cm-rest-api.md §3.11).
 * Numbers stay raw (decode them with ./enums). Pure types: no Node, no DOM.
 */

/** GUID text; lower case from the server, compare case-insensitively. */
export type Guid = string
/** "…Z" (UTC), "0001-01-01T00:00:00" (unset) or a zone-less date. */
export type WireDate = string

/** `Microsoft.Clm.Shared.Smartcards.Smartcard` (§3.1). */
export interface WireSmartcard {
  Uuid: Guid
  Status: number
  Flags: number
  ParentSmartcardUuid: Guid
  PrimarySmartcardUuid: Guid
  PermanentSmartcardUuid: Guid
  AssignedUserUuid: Guid
  ProfileTemplateUuid: Guid
  ProfileTemplateVersion: number
  Comment: string
  SerialNumber: string
  Middleware: string
  Atr: string
}

/** One `Request.DataCollection` item (§3.2). */
export interface WireDataCollectionItem {
  Name: string
  Value: string | null
}

/** `Microsoft.Clm.Shared.Requests.Request` (§3.2). */
export interface WireRequest {
  Uuid: Guid
  RequestType: number
  Status: number
  Flags: number
  DataCollection: WireDataCollectionItem[]
  DataCollectionFlags: number
  OriginatorUserUuid: Guid
  TargetUserUuid: Guid
  Submitted: WireDate
  Completed: WireDate
  NewProfileUuid: Guid
  OldProfileUuid: Guid
  NewSmartcardUuid: Guid
  OldSmartcardUuid: Guid
  Priority: number
  Comment: string
  ProfileTemplateUuid: Guid
  SecurityDescriptor: string
  IsSmartcard: boolean
  IsEnrollmentAgent: boolean
  IsDataCollectionComplete: boolean
}

/** `ProfileTemplateLimitedView` (§3.3). */
export interface WireProfileTemplateLimitedView {
  Name: string
  Description: string
  Uuid: Guid
  IsSmartcardProfileTemplate: boolean
  IsVirtualSmartcardProfileTemplate: boolean
}

/** `PinPolicy` (§3.4). */
export interface WirePinPolicy {
  MinLength: number
  MaxLength: number
  CharacterSet: number
  Rollover: boolean
  DefaultValue: string
}

/** `SmartcardPrintPolicy` (§3.4). */
export interface WireSmartcardPrintPolicy {
  FieldMapping: string
  ProjectName: string
  CardName: string
  Print: boolean
}

/** `SmartcardConfig` (§3.4); `UseVirtualSmartcards` is optional (OQ-06). */
export interface WireSmartcardConfig {
  UserPinOption: number
  UserPinPolicy: WirePinPolicy
  AdminPinPolicy: WirePinPolicy
  DefaultAdminKeyHex: string
  ProviderName: string
  ProviderId: string
  ProviderType: number
  DiversifyAdminKey: boolean
  CardInitializationType: string
  CardInitializationData: string
  InitializeNewSmartcard: boolean
  UseSecureKeyInjection: boolean
  DoNotInstallCaCertificates: boolean
  CertificateLabel: string
  MaxNumberOfCertificates: number
  AllowSmartcardReuse: boolean
  EraseOnOverflow: boolean
  UseVirtualSmartcards?: boolean
  SmartcardPrintPolicy: WireSmartcardPrintPolicy
}

/** One `PolicyDataCollection` item. */
// ASSUMPTION OQ-05: `{ Name, Required }`; no example exists.
export interface WirePolicyDataItem {
  Name: string
  Required: boolean
}

/** Workflow `Policy` as the simulator emits it (§3.5). */
// ASSUMPTION OQ-05: types of every field are this reference's guess; clients must parse leniently.
export interface WireWorkflowPolicy {
  ApprovalsNeeded: number
  AuthorizedApprover: string[]
  AuthorizedEnrollmentAgent: string[]
  AuthorizedInitiator: string[]
  CollectComments: boolean
  CollectRequestPriority: boolean
  DefaultRequestPriority: number
  Documents: unknown[]
  Enabled: boolean
  EnrollAgentRequired: boolean
  OneTimePasswordPolicy: unknown
  Personalization: unknown
  PolicyDataCollection: WirePolicyDataItem[]
  SelfServiceEnabled: boolean
}

/** `CertificateRequestGenerationOptions` (§3.6). */
export interface WireCertificateRequestGenerationOptions {
  Subject: string
  KeyAlgorithmName: string
  KeySize: number
  FriendlyName: string
  HashAlgorithmName: string
  KeyStorageProviderNames: string[]
  Exportable: number
  KeyProtectionLevel: number
  KeyUsages: number
}

/** `Certificate` from E10 — note the mixed casing is real (§3.7). */
export interface WireCertificate {
  TemplateCommonName: string
  CertificateId: number
  Flags: number
  UseLocalMachineStore: boolean
  Error: string | null
  Pkcs7: string | null
  Pfx: string | null
  IsExternal: boolean
  isServerGenerated: boolean
  isPfx: boolean
  isPkcs7: boolean
  isKeyHistory: boolean
}

/** `X509ClmCertificate` (§3.8); the dated fields appear only in the extended form (E22). */
export interface WireX509ClmCertificate {
  IsKeyHistory: boolean
  ArchivedOnCa: boolean
  CertificateType: number
  TemplateCommonName: string
  SerialNumber: string
  Thumbprint: string
  NotAfter?: WireDate
  NotBefore?: WireDate
  Issuer?: string
  RequesterName?: string
  Status?: number
}

/** `Microsoft.Clm.Shared.Profiles.Profile` (§3.9). */
export interface WireProfile {
  Uuid: Guid
  Status: number
  Flags: number
  ParentProfileUuid: Guid
  PrimaryProfileUuid: Guid
  AssignedUserUuid: Guid
  ProfileTemplateUuid: Guid
  ProfileTemplateVersion: number
  Comment: string
  ProfileOperations: string[]
}
