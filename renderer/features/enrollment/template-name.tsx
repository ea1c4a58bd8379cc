import { makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollTemplateView } from '../../../shared/domain/enrollment'
import { useStationState } from '../../store/store-context'

const useStyles = makeStyles({ code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' } })

/** The enrollable template with this id (`enrollment:list-templates`), or null when unknown or not loaded. */
export function useTemplate(templateId: string | null): EnrollTemplateView | null {
  return useStationState((s) => s.enrollments.templates?.find((tpl) => tpl.uuid === templateId) ?? null)
}

/** A profile template by name when it is one of the enrollable templates, else its GUID (`data-template-id` either way). */
export function TemplateName(props: {
  templateId: string | null
  testId?: string
  none?: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const template = useTemplate(props.templateId)
  if (template) {
    return (
      <span data-testid={props.testId} data-template-id={template.uuid}>
        {template.name}
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
