import {
  describeEnum,
  describeFlags,
  PROFILE_STATUS,
  REQUEST_FLAGS,
  REQUEST_STATUS,
  REQUEST_TYPE,
  REQUEST_TYPE_SIMULATOR,
  SMARTCARD_FLAGS,
  SMARTCARD_STATUS,
  USER_PIN_OPTION,
} from '../../../shared/cm/enums'
import type {
  CmCertificateInfo,
  CmCsrOptions,
  CmIssuedCertificate,
  CmPolicyDataItem,
  CmProfile,
  CmProfileTemplate,
  CmRequest,
  CmSmartcard,
  CmSmartcardConfig,
  CmWorkflowPolicy,
  ProfileId,
  ProfileTemplateId,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../../../shared/domain/cm'
import { toCardId } from '../../../shared/domain/cm'
import type {
  WireCertificate,
  WireClmCertificate,
  WireCsrOptions,
  WirePolicy,
  WireProfile,
  WireProfileTemplate,
  WireRequest,
  WireSmartcard,
  WireSmartcardConfig,
} from './wire'

/**
 * Wire → domain mapping (cm-rest-api.md §3 → shared/domain/cm.ts): camelCase, empty GUID → null,
 * MinValue dates → null, SDDL NULs stripped, enum numbers decoded at the edge but kept raw (§4.9).
 */

/** Which name tables to use: placeholders only against the simulator (§4.3). */
export type ServerProfile = 'real' | 'simulator'

/** .NET DateTime.MinValue means "not set" (Q19). */
function wireDate(value: string): string | null {
  const t = value.trim()
  return t === '' || t.startsWith('0001-01-01') ? null : t
}

/** Strip the NUL padding after the SDDL (§1.3). */
function stripTrailingNuls(value: string): string {
  let end = value.length
  while (end > 0 && value.charCodeAt(end - 1) === 0) end--
  return value.slice(0, end)
}

/** Base64 with the CRLF line breaks removed (§1.3 "strip all whitespace before decoding"). */
function base64Text(value: string | null): string | null {
  return value === null ? null : value.replace(/\s+/g, '')
}

/** Map a `Smartcard`. */
export function toSmartcard(w: WireSmartcard): CmSmartcard {
  const atr = (w.Atr ?? '').trim().toLowerCase()
  return {
    uuid: w.Uuid as SmartcardUuid,
    // Q6: SerialNumber is the CardID in braces; PKCS#11 cards hold a manufacturer serial instead (§3.1).
    cardId: toCardId(w.SerialNumber),
    serialNumber: w.SerialNumber,
    status: describeEnum(SMARTCARD_STATUS, w.Status),
    flags: describeFlags(SMARTCARD_FLAGS, w.Flags),
    parentSmartcardUuid: w.ParentSmartcardUuid as SmartcardUuid | null,
    primarySmartcardUuid: w.PrimarySmartcardUuid as SmartcardUuid | null,
    permanentSmartcardUuid: w.PermanentSmartcardUuid as SmartcardUuid | null,
    assignedUserUuid: w.AssignedUserUuid as UserUuid | null,
    profileTemplateUuid: w.ProfileTemplateUuid as ProfileTemplateId | null,
    profileTemplateVersion: w.ProfileTemplateVersion,
    comment: w.Comment,
    middleware: w.Middleware,
    atr: atr === '' ? null : atr,
  }
}

/** Map a `Request`. */
export function toRequest(w: WireRequest, profile: ServerProfile): CmRequest {
  return {
    uuid: w.Uuid as RequestId,
    requestType: describeEnum(profile === 'simulator' ? REQUEST_TYPE_SIMULATOR : REQUEST_TYPE, w.RequestType),
    status: describeEnum(REQUEST_STATUS, w.Status),
    flags: describeFlags(REQUEST_FLAGS, w.Flags),
    dataCollection: (w.DataCollection ?? []).map((d) => ({ name: d.Name, value: d.Value ?? null })),
    dataCollectionFlags: w.DataCollectionFlags,
    originatorUserUuid: w.OriginatorUserUuid as UserUuid | null,
    targetUserUuid: w.TargetUserUuid as UserUuid | null,
    submitted: wireDate(w.Submitted),
    completed: wireDate(w.Completed),
    newProfileUuid: w.NewProfileUuid as ProfileId | null,
    oldProfileUuid: w.OldProfileUuid as ProfileId | null,
    newSmartcardUuid: w.NewSmartcardUuid as SmartcardUuid | null,
    oldSmartcardUuid: w.OldSmartcardUuid as SmartcardUuid | null,
    priority: w.Priority,
    comment: w.Comment,
    profileTemplateUuid: w.ProfileTemplateUuid as ProfileTemplateId | null,
    // §1.3: SDDL padded with NULs.
    securityDescriptor: stripTrailingNuls(w.SecurityDescriptor),
    isSmartcard: w.IsSmartcard,
    isEnrollmentAgent: w.IsEnrollmentAgent,
    isDataCollectionComplete: w.IsDataCollectionComplete,
  }
}

/** Map a `ProfileTemplateLimitedView`. */
export function toProfileTemplate(w: WireProfileTemplate): CmProfileTemplate {
  return {
    uuid: w.Uuid as ProfileTemplateId,
    name: w.Name,
    description: w.Description,
    isSmartcard: w.IsSmartcardProfileTemplate,
    isVirtualSmartcard: w.IsVirtualSmartcardProfileTemplate,
  }
}

function pinPolicy(p: WireSmartcardConfig['UserPinPolicy']): CmSmartcardConfig['userPinPolicy'] {
  return {
    minLength: p.MinLength,
    maxLength: p.MaxLength,
    characterSet: p.CharacterSet,
    rollover: p.Rollover,
    defaultValue: p.DefaultValue,
  }
}

/** Map a `SmartcardConfig`. */
export function toSmartcardConfig(w: WireSmartcardConfig): CmSmartcardConfig {
  return {
    // ASSUMPTION OQ-07: placeholder names; callers probe E16 instead of trusting the number (§5.4).
    userPinOption: describeEnum(USER_PIN_OPTION, w.UserPinOption),
    userPinPolicy: pinPolicy(w.UserPinPolicy),
    adminPinPolicy: pinPolicy(w.AdminPinPolicy),
    defaultAdminKeyHex: w.DefaultAdminKeyHex.trim(),
    providerName: w.ProviderName,
    providerId: w.ProviderId,
    providerType: w.ProviderType,
    diversifyAdminKey: w.DiversifyAdminKey,
    cardInitializationType: w.CardInitializationType,
    cardInitializationData: w.CardInitializationData,
    initializeNewSmartcard: w.InitializeNewSmartcard,
    useSecureKeyInjection: w.UseSecureKeyInjection,
    doNotInstallCaCertificates: w.DoNotInstallCaCertificates,
    certificateLabel: w.CertificateLabel,
    maxNumberOfCertificates: w.MaxNumberOfCertificates,
    allowSmartcardReuse: w.AllowSmartcardReuse,
    eraseOnOverflow: w.EraseOnOverflow,
    useVirtualSmartcards: w.UseVirtualSmartcards ?? null,
    printPolicy: {
      fieldMapping: w.SmartcardPrintPolicy.FieldMapping,
      projectName: w.SmartcardPrintPolicy.ProjectName,
      cardName: w.SmartcardPrintPolicy.CardName,
      print: w.SmartcardPrintPolicy.Print,
    },
  }
}

/** Map a workflow `Policy` (ASSUMPTION OQ-05: every field may be missing). */
export function toWorkflowPolicy(w: WirePolicy): CmWorkflowPolicy {
  const items = w.PolicyDataCollection ?? w.DataCollection ?? []
  const dataCollection: CmPolicyDataItem[] = items.map((i) => ({
    name: i.Name,
    required: i.Required ?? null,
  }))
  return {
    enabled: w.Enabled ?? null,
    selfServiceEnabled: w.SelfServiceEnabled ?? null,
    approvalsNeeded: w.ApprovalsNeeded ?? null,
    enrollAgentRequired: w.EnrollAgentRequired ?? null,
    collectComments: w.CollectComments ?? null,
    collectRequestPriority: w.CollectRequestPriority ?? null,
    defaultRequestPriority: w.DefaultRequestPriority ?? null,
    dataCollection,
  }
}

/** Map `CertificateRequestGenerationOptions`. */
export function toCsrOptions(w: WireCsrOptions): CmCsrOptions {
  return {
    subject: w.Subject,
    keyAlgorithmName: w.KeyAlgorithmName,
    keySize: w.KeySize,
    friendlyName: w.FriendlyName,
    hashAlgorithmName: w.HashAlgorithmName,
    keyStorageProviderNames: w.KeyStorageProviderNames,
    exportable: w.Exportable,
    keyProtectionLevel: w.KeyProtectionLevel,
    keyUsages: w.KeyUsages,
  }
}

/** Map a `Certificate` (E10 result item). */
export function toIssuedCertificate(w: WireCertificate): CmIssuedCertificate {
  return {
    templateCommonName: w.TemplateCommonName,
    certificateId: w.CertificateId,
    flags: w.Flags,
    useLocalMachineStore: w.UseLocalMachineStore,
    error: w.Error,
    pkcs7: base64Text(w.Pkcs7),
    pfx: base64Text(w.Pfx),
    isExternal: w.IsExternal,
    isServerGenerated: w.isServerGenerated,
    isPfx: w.isPfx,
    isPkcs7: w.isPkcs7,
    isKeyHistory: w.isKeyHistory,
  }
}

/** Map an `X509ClmCertificate` (base or extended form). */
export function toCertificateInfo(w: WireClmCertificate): CmCertificateInfo {
  return {
    isKeyHistory: w.IsKeyHistory,
    archivedOnCa: w.ArchivedOnCa,
    certificateType: w.CertificateType,
    templateCommonName: w.TemplateCommonName,
    serialNumber: w.SerialNumber,
    thumbprint: w.Thumbprint,
    // ASSUMPTION OQ-18: dates without a zone are kept as raw text.
    notAfter: w.NotAfter ?? null,
    notBefore: w.NotBefore ?? null,
    issuer: w.Issuer ?? null,
    requesterName: w.RequesterName ?? null,
    status: w.Status ?? null,
  }
}

/** Map a `Profile`. */
export function toProfile(w: WireProfile): CmProfile {
  return {
    uuid: w.Uuid as ProfileId,
    // ASSUMPTION OQ-11: only Active = 2 has (weak) evidence; other numbers stay unnamed.
    status: describeEnum(PROFILE_STATUS, w.Status),
    flags: w.Flags,
    parentProfileUuid: w.ParentProfileUuid as ProfileId | null,
    primaryProfileUuid: w.PrimaryProfileUuid as ProfileId | null,
    assignedUserUuid: w.AssignedUserUuid as UserUuid | null,
    profileTemplateUuid: w.ProfileTemplateUuid as ProfileTemplateId | null,
    profileTemplateVersion: w.ProfileTemplateVersion,
    comment: w.Comment,
    operations: normalizeOperations(w.ProfileOperations ?? []),
  }
}

/** Operation names compared case-insensitively (§4.9 Strings): lower-cased, trimmed, de-duplicated. */
export function normalizeOperations(ops: readonly string[]): string[] {
  return [...new Set(ops.map((o) => o.trim().toLowerCase()).filter((o) => o !== ''))]
}
