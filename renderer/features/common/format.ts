/** Date and time of an ISO instant in the UI language (e.g. "12 Mar 2026, 14:05"), or '' when unreadable. */
export function formatInstant(iso: string | null, language: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

/** The date of an ISO instant in the UI language (certificate validity), or '' when unreadable. */
export function formatDate(iso: string | null, language: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date)
}
