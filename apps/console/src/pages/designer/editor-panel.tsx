import { Alert, Badge, Col, Input, Row, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LadderDiagram } from '../../components/designer/ladder-diagram';
import { SchemaForm } from '../../components/designer/schema-form';
import {
  type DefinitionProblem,
  type JsonSchema,
  setAt,
  STAGES,
  type StageId,
  stageOf,
} from '../../components/designer/schema-form-model';

interface Props {
  schema: JsonSchema;
  document: unknown;
  problems: DefinitionProblem[];
  onDocument(document: unknown): void;
  published?: { label: string; document: unknown };
}

/**
 * The draft as a form grouped by stage (or as raw JSON for experts), every validation error at once on its field and
 * in a list above, and the ladder of the draft drawn beside the published one, redrawn as the draft is edited.
 */
export function EditorPanel({ schema, document, problems, onDocument, published }: Props) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [stage, setStage] = useState<StageId>('general');
  const [raw, setRaw] = useState(() => JSON.stringify(document, null, 2));
  const [rawError, setRawError] = useState<string | null>(null);
  // The raw text follows the form (and the other way round) whenever the JSON tab is not the one being typed in.
  useEffect(() => {
    if (mode === 'form') {
      setRaw(JSON.stringify(document, null, 2));
      setRawError(null);
    }
  }, [document, mode]);

  const countByStage = new Map<StageId, number>();
  for (const problem of problems)
    countByStage.set(stageOf(problem.path), (countByStage.get(stageOf(problem.path)) ?? 0) + 1);

  return (
    <Row gutter={[24, 24]}>
      <Col span={24}>
        <Row gutter={16}>
          <Col span={published ? 12 : 24}>
            <LadderDiagram definition={document} title={t('designer.diagram.draft')} testId="draft-diagram" />
          </Col>
          {published && (
            <Col span={12}>
              <LadderDiagram
                definition={published.document}
                title={t('designer.diagram.published', { label: published.label })}
                testId="published-diagram"
              />
            </Col>
          )}
        </Row>
      </Col>
      <Col span={24}>
        {problems.length > 0 ? (
          <Alert
            type="error"
            showIcon
            data-testid="validation-errors"
            message={t('designer.editor.errors', { count: problems.length })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {problems.map((problem) => (
                  <li key={`${problem.path} ${problem.rule}`}>
                    <Typography.Link
                      onClick={() => {
                        setMode('form');
                        setStage(stageOf(problem.path));
                      }}
                    >
                      {t(`designer.stages.${stageOf(problem.path)}`)} · <code>{problem.path || '/'}</code>
                    </Typography.Link>
                    : {problem.message}
                  </li>
                ))}
              </ul>
            }
          />
        ) : (
          <Alert type="success" showIcon data-testid="validation-ok" message={t('designer.editor.valid')} />
        )}
      </Col>
      <Col span={24}>
        <Tabs
          activeKey={mode}
          onChange={(key) => setMode(key as 'form' | 'json')}
          items={[
            {
              key: 'form',
              label: t('designer.editor.form'),
              children: (
                <Tabs
                  tabPosition="left"
                  activeKey={stage}
                  onChange={(key) => setStage(key as StageId)}
                  destroyOnHidden
                  items={STAGES.map(({ id, paths }) => ({
                    key: id,
                    label: (
                      <Badge count={countByStage.get(id) ?? 0} size="small" offset={[8, 0]}>
                        <span data-testid={`stage-${id}`}>{t(`designer.stages.${id}`)}</span>
                      </Badge>
                    ),
                    children: (
                      <SchemaForm
                        root={schema}
                        document={document}
                        problems={problems}
                        paths={paths}
                        onChange={(path, value) => onDocument(setAt(document, path, value))}
                      />
                    ),
                  }))}
                />
              ),
            },
            {
              key: 'json',
              label: t('designer.editor.json'),
              children: (
                <div>
                  <label htmlFor="raw-json" style={{ display: 'block', marginBottom: 8 }}>
                    {t('designer.editor.jsonHint')}
                  </label>
                  {rawError && <Alert type="error" showIcon message={rawError} style={{ marginBottom: 8 }} />}
                  <Input.TextArea
                    id="raw-json"
                    value={raw}
                    autoSize={{ minRows: 16, maxRows: 40 }}
                    style={{ fontFamily: 'monospace', fontSize: 12 }}
                    spellCheck={false}
                    onChange={(event) => {
                      setRaw(event.target.value);
                      try {
                        onDocument(JSON.parse(event.target.value));
                        setRawError(null);
                      } catch (error) {
                        setRawError(t('designer.editor.jsonError', { message: (error as Error).message }));
                      }
                    }}
                  />
                </div>
              ),
            },
          ]}
        />
      </Col>
    </Row>
  );
}
