import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeProblem } from '../../lib/errors';

/** A refused or failed request, in the user's language. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problem = describeProblem(t, error);
  return <Alert type="error" showIcon title={problem.title} description={problem.lines.join('；') || undefined} />;
}

/** A case number that opens the case's story (timeline) for auditors. */
export function CaseLink({ caseNo }: { caseNo: string }) {
  return (
    <Link to={`/oversight/cases/${caseNo}`} data-case={caseNo}>
      {caseNo}
    </Link>
  );
}

/** A value of one of the product's value lists (`values.stage.handling`), or the value itself. */
export function useValue() {
  const { t } = useTranslation();
  return (list: string, value: string | null | undefined) =>
    value ? t(`values.${list}.${value}`, { defaultValue: value }) : '';
}
