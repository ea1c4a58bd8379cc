import type { SimRuntime } from './runtime'

/** Response bodies with the ASP.NET Web API 2 / IIS wording (cm-rest-api.md §1.6, §1.7). */

/** A fully built response. `body` null = no body. */
export interface Outgoing {
  status: number
  headers: Record<string, string | string[]>
  body: Buffer | null
}

/** Web API's JSON content type (§1.4). */
export const JSON_TYPE = 'application/json; charset=utf-8'

/** A JSON response with compact serialization (OQ-29). */
export function jsonOut(
  status: number,
  value: unknown,
  headers: Record<string, string | string[]> = {},
): Outgoing {
  return {
    status,
    headers: {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      ...headers,
    },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  }
}

/** A response with no body and no Content-Type (204, SIM-E3). */
export function emptyOut(status: number, headers: Record<string, string | string[]> = {}): Outgoing {
  return {
    status,
    headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache', Expires: '-1', ...headers },
    body: null,
  }
}

/** An HTML page (IIS answers, not Web API). */
export function htmlOut(
  status: number,
  title: string,
  text: string,
  headers: Record<string, string | string[]> = {},
): Outgoing {
  const html =
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n' +
    `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head>` +
    `<body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>${title}</h2><h3>${text}</h3></div></body></html>\r\n`
  return { status, headers: { 'Content-Type': 'text/html', ...headers }, body: Buffer.from(html, 'utf8') }
}

/** IIS 404 page: API disabled or a path outside the API (§1.6). */
// ASSUMPTION §1.6: with Clm.WebApi.Enabled=false, IIS/ASP.NET answers an HTML "not found" page.
export const iisNotFound = (): Outgoing =>
  htmlOut(
    404,
    '404 - File or directory not found.',
    'The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.',
  )

/** IIS 401 page with the challenge headers (SIM-A1). */
export const iisUnauthorized = (challenges: string[]): Outgoing =>
  htmlOut(
    401,
    '401 - Unauthorized: Access is denied due to invalid credentials.',
    'You do not have permission to view this directory or page using the credentials that you supplied.',
    {
      'WWW-Authenticate': challenges,
    },
  )

/** IIS 503 page (fault injection). */
export const iisUnavailable = (): Outgoing =>
  htmlOut(503, 'Service Unavailable', 'HTTP Error 503. The service is unavailable.')

/** Web API's unknown-route 404 (SIM-R7). */
// ASSUMPTION SIM-R7: the Web API default text.
export const webApiNotFound = (absoluteUrl: string): Outgoing =>
  jsonOut(404, { Message: `No HTTP resource was found that matches the request URI '${absoluteUrl}'.` })

/** Web API's wrong-verb 405 with `Allow` (SIM-R7). */
export const webApiMethodNotAllowed = (method: string, allow: string[], message?: string): Outgoing =>
  jsonOut(
    405,
    { Message: message ?? `The requested resource does not support http method '${method}'.` },
    { Allow: allow.join(', ') },
  )

/** Web API's 415 (SIM-R8). */
export const webApiUnsupportedMediaType = (type: string): Outgoing =>
  jsonOut(415, { Message: `The request entity's media type '${type}' is not supported for this resource.` })

/** 403 body (SIM-E2). */
export const forbiddenOut = (rt: SimRuntime): Outgoing =>
  jsonOut(403, { Message: rt.switches.forbiddenMessage })

/** A 500 (or business-rule status) body in the configured variant (SIM-E1, SIM-F3 error-body-variants). */
// ASSUMPTION OQ-01: `{"Message":"An error has occurred. Correlation ID: <guid>"}`; variants via errorBodyVariant.
export function errorOut(rt: SimRuntime, status: number, correlationId: string, detail: string): Outgoing {
  const s = rt.switches
  // GUIDs are kept out of the body text so that "first GUID in the body" finds the correlation id (§1.7);
  // the full detail stays in control.lastErrors().
  const safe = detail.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
  const withDetail = (m: string) =>
    s.errorDetailInMessage && safe ? `${m}${m.endsWith('.') ? '' : '.'} ${safe}` : m
  const withId = withDetail(`${s.errorMessagePrefix} Correlation ID: ${correlationId}`)
  const headers: Record<string, string> = s.diagnosticHeaders ? { 'X-Sim-Correlation-Id': correlationId } : {}
  switch (s.errorBodyVariant) {
    case 'message+property':
      return jsonOut(status, { Message: withId, CorrelationId: correlationId }, headers)
    case 'property-only':
      return jsonOut(
        status,
        { Message: withDetail(s.errorMessagePrefix), CorrelationId: correlationId },
        headers,
      )
    case 'no-id':
      return jsonOut(status, { Message: withDetail(s.errorMessagePrefix) }, headers)
    default:
      return jsonOut(status, { Message: withId }, headers)
  }
}
