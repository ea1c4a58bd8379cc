import { Button } from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * Copy `text` to the clipboard. Rendered only where the host offers a clipboard (no dead control); says
 * "Copied" for two seconds after a copy, announced politely.
 */
export function CopyButton(props: { text: string; label: string; testId?: string }): ReactNode {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
  if (!clipboard) return null
  return (
    <Button
      size="small"
      appearance="subtle"
      aria-label={props.label}
      data-testid={props.testId}
      onClick={() => {
        clipboard.writeText(props.text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }}
    >
      <span aria-live="polite">{copied ? t('common.copied') : t('common.copy')}</span>
    </Button>
  )
}
