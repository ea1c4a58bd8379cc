import { makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollTemplateView } from '../../../shared/domain/enrollment'
import { requestTemplateName } from '../../store/directory-sync'
import { useStationContext, useStationState } from '../../store/store-context'

const useStyles = makeStyles({ code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' } })

/** The enrollable template with this id (`enrollment:list-templates`), or null when unknown or not loaded. */
export function useTemplate(templateId: string | null): EnrollTemplateView | null {
  return useStationState((s) => s.enrollments.templates?.find((tpl) => tpl.uuid === templateId) ?? null)
}

/**
 * The name of any profile template: from the enrollable list, else asked of CM once (E02, `cm:get-template`); null
 * while unknown or when CM has none to show.
 */
export function useTemplateName(templateId: string | null): string | null {
  const { station, store } = useStationContext()
  const enrollable = useTemplate(templateId)
  const loaded = useStationState((s) => s.enrollments.templates !== null)
  const cached = useStationState((s) => (templateId ? s.directory.templates[templateId] : undefined))
  useEffect(() => {
    // Only after the enrollable list is in: most names come from it, with no extra CM call.
    if (templateId && loaded && !enrollable && cached === undefined)
      requestTemplateName(station, store, templateId)
  }, [templateId, loaded, enrollable, cached, station, store])
  return enrollable?.name ?? cached ?? null
}

/** A profile template by name (enrollable list, else E02), else its GUID (`data-template-id` either way). */
export function TemplateName(props: {
  templateId: string | null
  testId?: string
  none?: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const name = useTemplateName(props.templateId)
  if (name && props.templateId) {
    return (
      <span data-testid={props.testId} data-template-id={props.templateId}>
        {name}
      </span>
    )
  }
  if (props.templateId === null) {
    return <span data-testid={props.testId}>{props.none ?? t('common.noTemplate')}</span>
  }
  return (
    <code className={styles.code} data-testid={props.testId} data-template-id={props.templateId}>
      {props.templateId}
    </code>
  )
}
