import type { Handler } from './handler-types'
import {
  authenticationResponse,
  diversifiedKey,
  serverProposedPin,
  serverProposedPinShort,
} from './handlers/card-keys'
import {
  certificateData,
  generationOptions,
  profileCertificates,
  smartcardCertificates,
  userCertificates,
} from './handlers/certificates'
import { getProfile, listProfiles, profileOperations, requestProfiles } from './handlers/profiles'
import { createRequest, getRequest, listRequests, updateRequest } from './handlers/requests'
import {
  assignSmartcard,
  getSmartcard,
  listSmartcards,
  smartcardOperations,
  updateSmartcardStatus,
} from './handlers/smartcards'
import { getPolicy, getSmartcardConfig, getTemplate, listTemplates } from './handlers/templates'

/** One API route under `/CertificateManagement/api/v1.0` (cm-rest-api.md §2.1/§2.2). */
export interface RouteDef {
  /** Endpoint id from §2.1 (E01…E25), used by fault rules and the log. */
  id: string
  method: 'GET' | 'POST' | 'PUT'
  /** Segments: literals in lower case, `:name` = GUID parameter, `*name` = word parameter. */
  pattern: string
  handler: Handler
}

/** The route table (both policy routes Q3, both proposed-PIN routes Q2). */
export const ROUTES: readonly RouteDef[] = [
  { id: 'E01', method: 'GET', pattern: 'profiletemplates', handler: listTemplates },
  { id: 'E02', method: 'GET', pattern: 'profiletemplates/:tid', handler: getTemplate },
  { id: 'E03', method: 'GET', pattern: 'profiletemplates/:tid/policies/*type', handler: getPolicy },
  { id: 'E03', method: 'GET', pattern: 'profiletemplates/:tid/policy/workflow/*type', handler: getPolicy },
  {
    id: 'E04',
    method: 'GET',
    pattern: 'profiletemplates/:tid/configuration/smartcards',
    handler: getSmartcardConfig,
  },
  { id: 'E05', method: 'POST', pattern: 'requests', handler: createRequest },
  { id: 'E06', method: 'GET', pattern: 'requests', handler: listRequests },
  { id: 'E07', method: 'GET', pattern: 'requests/:rid', handler: getRequest },
  { id: 'E08', method: 'PUT', pattern: 'requests/:rid', handler: updateRequest },
  {
    id: 'E09',
    method: 'GET',
    pattern: 'requests/:rid/certificaterequestgenerationoptions',
    handler: generationOptions,
  },
  { id: 'E10', method: 'POST', pattern: 'requests/:rid/certificatedata', handler: certificateData },
  { id: 'E11', method: 'POST', pattern: 'smartcards', handler: assignSmartcard },
  { id: 'E12', method: 'GET', pattern: 'smartcards', handler: listSmartcards },
  { id: 'E13', method: 'GET', pattern: 'smartcards/:scid', handler: getSmartcard },
  {
    id: 'E14',
    method: 'GET',
    pattern: 'requests/:rid/smartcards/:scid/diversifiedkey',
    handler: diversifiedKey,
  },
  {
    id: 'E15',
    method: 'GET',
    pattern: 'requests/:rid/smartcards/:scid/authenticationresponse',
    handler: authenticationResponse,
  },
  {
    id: 'E16',
    method: 'GET',
    pattern: 'requests/:rid/smartcards/:scid/serverproposedpin',
    handler: serverProposedPin,
  },
  { id: 'E16', method: 'GET', pattern: 'smartcards/:id/serverproposedpin', handler: serverProposedPinShort },
  { id: 'E17', method: 'PUT', pattern: 'requests/:rid/smartcards/:scid', handler: updateSmartcardStatus },
  { id: 'E18', method: 'GET', pattern: 'smartcards/:scid/operations', handler: smartcardOperations },
  { id: 'E19', method: 'GET', pattern: 'profiles/:pid/operations', handler: profileOperations },
  { id: 'E20', method: 'GET', pattern: 'smartcards/:scid/certificates', handler: smartcardCertificates },
  { id: 'E21', method: 'GET', pattern: 'profiles/:pid/certificates', handler: profileCertificates },
  { id: 'E22', method: 'GET', pattern: 'certificates', handler: userCertificates },
  { id: 'E23', method: 'GET', pattern: 'profiles', handler: listProfiles },
  { id: 'E24', method: 'GET', pattern: 'profiles/:pid', handler: getProfile },
  { id: 'E25', method: 'GET', pattern: 'requests/:rid/profiles', handler: requestProfiles },
  { id: 'E25', method: 'GET', pattern: 'requests/:rid/profiles/:pid', handler: requestProfiles },
]
