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

/** The simulator's in-memory state: wire-shaped objects (PascalCase) plus a `Sim` block of internals. */

/** A right in the simulator's permission model (cm-rest-api.md §7.3). `Initiate:<Type>` per request type. */
export type SimRight = string

/** Rights granted on a set of templates (`"*"` = every template). */
export interface SimGrant {
  Templates: string[]
  Rights: SimRight[]
}

/** A CM user the simulator knows (§7.4). */
export interface SimUser {
  Key: string
  Uuid: string
  Account: string
  Upn: string
  DisplayName: string
  Sid: string
  /** Extra opaque tokens (Negotiate or Bearer) that authenticate as this user (SIM-A2). */
  Tokens: string[]
  Grants: SimGrant[]
}

/** A profile template with its configuration, policies and simulator knobs. */
export interface SimTemplate extends WireProfileTemplateLimitedView {
  /** Readable handle (e.g. "t-vsc-serverpin"); never on the wire. */
  Key: string
  Version: number
  SmartcardConfig: WireSmartcardConfig | null
  /** Keyed by the canonical POLICY_TYPES spelling. */
  Policies: Record<string, WireWorkflowPolicy>
  CertificateRequestGenerationOptions: WireCertificateRequestGenerationOptions[]
  Sim: {
    /** CA template common name of issued certificates (`TemplateCommonName`). */
    CertificateTemplateName: string
    /** Per-template diversification secret (SIM-C2); null = the scenario's global secret. */
    DiversificationSecret: string | null
    /** Operations without a create type the template offers (e.g. "disable", OQ-23). */
    ExtraOperations: string[]
    /** E10 also returns a server-generated PFX entry (SIM-B6). */
    IssueServerGeneratedPfx: boolean
    /** E10 also returns an external certificate entry (SIM-B6). */
    IssueExternalCertificate: boolean
    ValidityDays: number
  }
}

/** A smart card (one CM smart-card profile instance). */
export interface SimSmartcard extends WireSmartcard {
  Sim: {
    /** The CM profile that goes with this card (§3.9 last line). */
    ProfileUuid: string
    /** Stored ServerDistributed PIN (SIM-C6); never logged. */
    ServerPin: string | null
  }
}

/** A CM request. */
export interface SimRequest extends WireRequest {
  Sim: {
    /** Set by PUT Abandoned: the wire status is 17 (OQ-10). */
    Abandoned: boolean
    IssuedCertificates: number
  }
}

/** A CM profile; `ProfileOperations` is computed per caller. */
export interface SimProfile extends Omit<WireProfile, 'ProfileOperations'> {
  Sim: { SmartcardUuid: string | null }
}

/** A certificate CM knows about, in the extended form plus ownership. */
export interface SimCertificate extends Required<WireX509ClmCertificate> {
  Sim: {
    UserUuid: string
    SmartcardUuid: string | null
    ProfileUuid: string | null
    Retired: boolean
  }
}

/** Everything mutable; JSON-plain so that snapshot/restore is a deep copy. */
export interface SimState {
  Users: SimUser[]
  ProfileTemplates: SimTemplate[]
  Smartcards: SimSmartcard[]
  Requests: SimRequest[]
  Profiles: SimProfile[]
  Certificates: SimCertificate[]
  /** GUIDs handed out before random ones (SIM-S2). */
  GuidQueue: string[]
  /** Global diversification secret (SIM-C2 fallback). */
  DiversificationSecret: string
  /** Per-request SecurityDescriptor overrides, by request Uuid (SIM-S2). */
  SecurityDescriptors: Record<string, string>
  /** Diversified-key overrides, by CardID, base64 (SIM-S2, FX-E14-1). */
  DiversifiedKeys: Record<string, string>
  /** Verbatim E10 responses, by request Uuid (FX-E10-1). */
  CertificateData: Record<string, WireCertificate[]>
  /** Diversification secret generation per template Uuid (SIM-C8). */
  SecretGenerations: Record<string, number>
}
