import { AndFilter, EqualityFilter, type Filter, OrFilter, SubstringFilter } from 'ldapts'
import type { DirectoryAttributes } from './ldap-directory'

/**
 * The LDAP filter for what the operator typed (issue "Find the holder"): built only from ldapts filter objects, so
 * the text travels as a BER octet string and `*`, `(`, `)`, `\` or NUL typed by the operator are literal characters
 * of the value, never filter syntax (RFC 4511 §4.5.1.7; no string concatenation, no RFC 4515 parsing).
 *
 * - `DOMAIN\user` with the station's domain → the account (`sAMAccountName`) starting with `user` (any other
 *   backslash is part of a name);
 * - text with `@` → the e-mail or the UPN starting with it;
 * - digits only → the employee number starting with them;
 * - otherwise every word must start the given name, start or occur in the surname ("vries" finds "de Vries"), start
 *   the display name, the account, the e-mail or the department ("ana souza finance") — or the whole text starts
 *   the display name. Commas and semicolons separate words ("Souza, Ana").
 *
 * Always ANDed with the person object class. Returns null for a query with nothing to search.
 */
export function peopleFilter(
  query: string,
  attrs: DirectoryAttributes,
  personClass: string,
  domain: string,
): Filter | null {
  // Control characters (NUL and friends) are never part of a name: dropped, like a comma between surname and name.
  // eslint-disable-next-line no-control-regex
  const text = query.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  if (text === '') return null
  const starts = (attribute: string, value: string): Filter =>
    new SubstringFilter({ attribute, initial: value })
  let match: Filter
  const slash = text.indexOf('\\')
  if (slash >= 0 && text.slice(0, slash).toLowerCase() === domain.toLowerCase()) {
    const user = text.slice(slash + 1).trim()
    if (user === '') return null
    match = starts(attrs.account, user)
  } else if (text.includes('@')) {
    match = new OrFilter({ filters: [starts(attrs.email, text), starts(attrs.upn, text)] })
  } else if (/^\d+$/.test(text)) {
    match = starts(attrs.employeeNumber, text)
  } else {
    const words = text.split(/[\s,;]+/).filter(Boolean)
    const perWord = words.map(
      (word) =>
        new OrFilter({
          filters: [
            starts(attrs.givenName, word),
            starts(attrs.surname, word),
            new SubstringFilter({ attribute: attrs.surname, any: [word] }),
            starts(attrs.displayName, word),
            starts(attrs.account, word),
            starts(attrs.email, word),
            starts(attrs.department, word),
          ],
        }),
    )
    // Several words: each matches as above, or the whole text starts the display name ("Pat (Contractor) L").
    match =
      perWord.length === 1
        ? perWord[0]!
        : new OrFilter({ filters: [new AndFilter({ filters: perWord }), starts(attrs.displayName, text)] })
  }
  return new AndFilter({
    filters: [new EqualityFilter({ attribute: 'objectClass', value: personClass }), match],
  })
}

/** The filter for people with these GUIDs, as the directory stores them (binary `objectGUID` or text). */
export function uuidFilter(values: readonly (string | Buffer)[], attrs: DirectoryAttributes): Filter {
  const each = values.map((value) => new EqualityFilter({ attribute: attrs.uuid, value }))
  return each.length === 1 ? each[0]! : new OrFilter({ filters: each })
}
