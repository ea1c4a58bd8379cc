/** Runtime switches of the simulator (SIM-F4 and friends); all changeable through the control API. */
export interface SimSwitches {
  /** `Clm.WebApi.Enabled`: false = 404 HTML on every API path, after authentication (§1.6, SIM-R14). */
  apiEnabled: boolean
  /** Which schemes authenticate and which `WWW-Authenticate` headers a 401 carries (SIM-A1). */
  authMode: 'wia' | 'adfs' | 'both'
  /**
   * IIS Basic Authentication enabled beside Windows Authentication, with this realm: a 401 then also offers
   * `WWW-Authenticate: Basic realm="<realm>"` after `Negotiate` and `NTLM` (three fields in WIA mode). null = off
   * (the CM deployment guide enables Windows Authentication only). Basic credentials are never accepted.
   */
  basicRealm: string | null
  /** Status for an empty list on E01, E06, E20–E23, E25 (SIM-E3). */
  emptyListStatus: 200 | 204
  /** Strict mode: no trailing commas, no typographic quotes, `datacollection` required (SIM-R15). */
  strict: boolean
  /** Treat a GET with a JSON body on the card-status route like PUT (Q1, default off). */
  acceptGetStatusUpdate: boolean
  /** Add a `Location` header to 201 responses (OQ-17, default off). */
  emitLocationHeader: boolean
  /** Map spaces back to `+` in base64 query values (Q18, default off = faithful). */
  lenientPlusInBase64: boolean
  /** E14–E16 check cardid ↔ card and card ↔ request (SIM-C4, OQ-21). */
  checkCardId: boolean
  /** Status for a missing required query parameter (OQ-20): 404 like Web API action selection, or 500. */
  missingQueryParamStatus: 404 | 500
  /** Status for business-rule violations (OQ-33): 500 by default; 400/409 as options. */
  businessRuleStatus: 500 | 400 | 409
  /** Put a request into 18 Executing while E10 runs (OQ-24, default off). */
  passThroughExecuting: boolean
  /** Emit unexpected enum numbers (`Status: 42`, `RequestType: 77`) in every body (SIM-F3). */
  unknownEnumValues: boolean
  /** Shape of 500 bodies (SIM-E1, SIM-F3 error-body-variants). */
  errorBodyVariant: 'message' | 'message+property' | 'property-only' | 'no-id'
  /** First sentence of a 500 `Message` (SIM-E1: configurable wording). */
  errorMessagePrefix: string
  /** Append the business rule to the 500 message (§1.7: "with the rule in the message"). */
  errorDetailInMessage: boolean
  /** 403 body text (SIM-E2). */
  forbiddenMessage: string
  /** Set a session cookie after the first successful authentication and accept it later (SIM-A3). */
  sessionCookie: boolean
  /** Preset `legacy-vsc-renew-forbidden`: 403 on Renew of a vSC template (MIM < 4.4.1749.0). */
  legacyVscRenewForbidden: boolean
  /** Preset `online-update-conflict`: OnlineUpdate creation fails with the 4.5.26.0 concurrency 500. */
  onlineUpdateConflict: boolean
  /** Add `X-Sim-Route` / `X-Sim-Correlation-Id` headers (simulator-only diagnostics, SIM-D3). */
  diagnosticHeaders: boolean
  /**
   * Form of E10 `Pkcs7` (§3.7): `cmc` = CMC full response like real CM (FX-E10-1: SignedData over a PKIResponse,
   * signed by the issuing CA); `certs-only` = a SignedData without signer.
   */
  certificateResponse: 'cmc' | 'certs-only'
}

/** Defaults: faithful wire behaviour, lenient parsing (fixture replay, SIM-R15). */
export const DEFAULT_SWITCHES: SimSwitches = {
  apiEnabled: true,
  authMode: 'both',
  basicRealm: null,
  emptyListStatus: 200,
  strict: false,
  acceptGetStatusUpdate: false,
  emitLocationHeader: false,
  lenientPlusInBase64: false,
  checkCardId: true,
  missingQueryParamStatus: 404,
  businessRuleStatus: 500,
  passThroughExecuting: false,
  unknownEnumValues: false,
  errorBodyVariant: 'message',
  errorMessagePrefix: 'An error has occurred.',
  errorDetailInMessage: true,
  forbiddenMessage: 'Authorization has been denied for this request.',
  sessionCookie: false,
  legacyVscRenewForbidden: false,
  onlineUpdateConflict: false,
  diagnosticHeaders: false,
  certificateResponse: 'cmc',
}
