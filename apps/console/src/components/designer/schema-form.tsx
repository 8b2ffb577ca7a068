import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Collapse, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  emptyValue,
  fieldAt,
  fieldId,
  fieldsOf,
  getAt,
  hasProblemWithin,
  type DefinitionProblem,
  type FieldModel,
  type JsonSchema,
  pointer,
  schemaAt,
} from './schema-form-model';

interface FormContext {
  root: JsonSchema;
  document: unknown;
  problems: readonly DefinitionProblem[];
  onChange(path: string, value: unknown): void;
  readOnly?: boolean;
}

/**
 * The parts of a definition at `paths`, as a form generated from the schema: each value its control, each list of
 * objects a panel per item (a panel holding an error opens by itself), each error of the API's validation on its
 * field.
 */
export function SchemaForm({ paths, ...context }: FormContext & { paths: readonly string[] }) {
  return (
    <Form layout="vertical" component="div" requiredMark>
      <FieldGrid
        context={context}
        fields={paths.flatMap((path) => {
          const schema = schemaAt(context.root, path);
          if (!schema) return [];
          const tokens = path.split('/');
          const key = tokens[tokens.length - 1];
          const parent = schemaAt(context.root, tokens.slice(0, -1).join('/'));
          return [fieldAt(schema, context.root, path, key, (parent?.required ?? []).includes(key))];
        })}
      />
    </Form>
  );
}

/** Scalar fields side by side in a grid, objects and lists below them at full width. */
function FieldGrid({ fields, context }: { fields: FieldModel[]; context: FormContext }) {
  const scalar = fields.filter((field) => field.widget !== 'object' && field.widget !== 'list');
  const nested = fields.filter((field) => field.widget === 'object' || field.widget === 'list');
  return (
    <>
      {scalar.length > 0 && (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', columnGap: 16 }}>
          {scalar.map((field) => (
            <FieldView key={field.path} field={field} context={context} />
          ))}
        </div>
      )}
      {nested.map((field) => (
        <FieldView key={field.path} field={field} context={context} />
      ))}
    </>
  );
}

function useLabel() {
  const { t } = useTranslation();
  return (key: string) => t(`designer.field.${key}`, { defaultValue: key });
}

/** The errors on exactly this value, as lines for a Form.Item's help. */
function ownProblems(context: FormContext, path: string): DefinitionProblem[] {
  return context.problems.filter((problem) => problem.path === path);
}

function FieldView({ field, context }: { field: FieldModel; context: FormContext }) {
  const label = useLabel();
  const value = getAt(context.document, field.path);
  const problems = ownProblems(context, field.path);
  if (field.widget === 'object') return <ObjectView field={field} context={context} problems={problems} />;
  if (field.widget === 'list') return <ListView field={field} context={context} problems={problems} />;
  const id = fieldId(field.path);
  return (
    <Form.Item
      label={label(field.key)}
      htmlFor={id}
      required={field.required}
      tooltip={field.schema.description}
      validateStatus={problems.length ? 'error' : undefined}
      help={
        problems.length
          ? problems.map((problem) => <div key={problem.rule + problem.message}>{problem.message}</div>)
          : undefined
      }
      data-path={field.path}
      style={{ marginBottom: 12 }}
    >
      <Control field={field} id={id} value={value} context={context} />
    </Form.Item>
  );
}

function Control({
  field,
  id,
  value,
  context,
}: {
  field: FieldModel;
  id: string;
  value: unknown;
  context: FormContext;
}) {
  const { t } = useTranslation();
  const set = (next: unknown) => context.onChange(field.path, next);
  const disabled = context.readOnly;
  switch (field.widget) {
    case 'constant':
      return <Input id={id} value={String(field.schema.const)} disabled />;
    case 'boolean':
      return <Switch id={id} checked={value === true} disabled={disabled} onChange={(checked) => set(checked)} />;
    case 'integer':
    case 'number':
      return (
        <InputNumber
          id={id}
          value={typeof value === 'number' ? value : null}
          step={field.widget === 'integer' ? 1 : 0.05}
          disabled={disabled}
          style={{ width: 200 }}
          // A cleared number is left out of the document (an optional field) or reported as missing (required).
          onChange={(next) => set(next === null ? undefined : next)}
        />
      );
    case 'select':
      return (
        <Select
          id={id}
          allowClear={!field.required}
          value={value as string | undefined}
          disabled={disabled}
          options={(field.options ?? []).map((option) => ({ value: option, label: String(option) }))}
          onChange={(next) => set(next ?? undefined)}
          style={{ width: '100%', maxWidth: 320 }}
        />
      );
    case 'multiselect':
    case 'tags':
      return (
        <Select
          id={id}
          mode={field.widget === 'tags' ? 'tags' : 'multiple'}
          value={Array.isArray(value) ? (value as string[]) : []}
          disabled={disabled}
          options={(field.options ?? []).map((option) => ({ value: option, label: String(option) }))}
          onChange={(next) => set(next)}
          style={{ width: '100%' }}
        />
      );
    default:
      return (
        <Input
          id={id}
          value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
          disabled={disabled}
          placeholder={field.widget === 'duration' ? t('designer.editor.durationHint') : undefined}
          // An emptied optional text is left out of the document; a required one stays as '' (reported blank).
          onChange={(event) => set(event.target.value === '' && !field.required ? undefined : event.target.value)}
          style={{ maxWidth: field.widget === 'duration' ? 200 : 520, width: '100%' }}
        />
      );
  }
}

function ProblemLines({ problems }: { problems: DefinitionProblem[] }) {
  if (!problems.length) return null;
  return (
    <div role="alert">
      {problems.map((problem) => (
        <Typography.Text key={problem.rule + problem.message} type="danger" style={{ display: 'block' }}>
          {problem.message}
        </Typography.Text>
      ))}
    </div>
  );
}

function ObjectView({
  field,
  context,
  problems,
}: {
  field: FieldModel;
  context: FormContext;
  problems: DefinitionProblem[];
}) {
  const label = useLabel();
  const { t } = useTranslation();
  const value = getAt(context.document, field.path);
  const present = value !== undefined;
  const children = fieldsOf(field.schema, context.root, field.path);
  let body: ReactNode;
  if (!present && !field.required) {
    body = (
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={context.readOnly}
        onClick={() => context.onChange(field.path, emptyValue(field.schema, context.root))}
      >
        {t('designer.editor.addPart', { name: label(field.key) })}
      </Button>
    );
  } else {
    body = <FieldGrid fields={children} context={context} />;
  }
  return (
    <Card
      size="small"
      title={label(field.key)}
      data-path={field.path}
      style={{ marginBottom: 12, borderColor: problems.length ? '#c41d1d' : undefined }}
      extra={
        present && !field.required && !context.readOnly ? (
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            onClick={() => context.onChange(field.path, undefined)}
          >
            {t('designer.editor.remove')}
          </Button>
        ) : undefined
      }
    >
      <ProblemLines problems={problems} />
      {body}
    </Card>
  );
}

/** A title for a list item: its name or id when it has one. */
function itemTitle(item: unknown, index: number): string {
  if (item && typeof item === 'object') {
    const record = item as Record<string, unknown>;
    const name = [record.name, record.id, record.kind].find((candidate) => typeof candidate === 'string' && candidate);
    if (name) return `${index + 1}. ${String(name)}${record.id && record.name ? ` (${String(record.id)})` : ''}`;
  }
  return `${index + 1}.`;
}

function ListView({
  field,
  context,
  problems,
}: {
  field: FieldModel;
  context: FormContext;
  problems: DefinitionProblem[];
}) {
  const label = useLabel();
  const { t } = useTranslation();
  const value = getAt(context.document, field.path);
  const items = Array.isArray(value) ? value : [];
  const itemSchema = field.schema.items ?? {};
  // Short lists (ladder rungs, grades) open; long ones (the catalogue) stay closed unless an item holds an error.
  const withProblems = items
    .map((_, index) => pointer(field.path, index))
    .filter((path) => hasProblemWithin(context.problems, path));
  const [open, setOpen] = useState<string[]>(() =>
    items.length <= 6 ? items.map((_, index) => pointer(field.path, index)) : withProblems,
  );
  const problemKey = withProblems.join(' ');
  useEffect(() => {
    if (problemKey) setOpen((current) => [...new Set([...current, ...problemKey.split(' ')])]);
  }, [problemKey]);
  return (
    <Card size="small" title={label(field.key)} data-path={field.path} style={{ marginBottom: 12 }}>
      <ProblemLines problems={problems} />
      <Collapse
        size="small"
        activeKey={open}
        onChange={(keys) => setOpen(Array.isArray(keys) ? keys : [keys])}
        items={items.map((item, index) => {
          const path = pointer(field.path, index);
          const child = fieldAt(itemSchema, context.root, path, String(index), true);
          return {
            key: path,
            label: (
              <Typography.Text type={hasProblemWithin(context.problems, path) ? 'danger' : undefined}>
                {itemTitle(item, index)}
              </Typography.Text>
            ),
            children: (
              <>
                {child.widget === 'object' ? (
                  <FieldGrid fields={fieldsOf(child.schema, context.root, path)} context={context} />
                ) : (
                  <FieldView field={child} context={context} />
                )}
                {!context.readOnly && (
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => context.onChange(path, undefined)}
                  >
                    {t('designer.editor.removeItem', { item: itemTitle(item, index) })}
                  </Button>
                )}
              </>
            ),
          };
        })}
      />
      {!context.readOnly && (
        <Space style={{ marginTop: 8 }}>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => context.onChange(pointer(field.path, items.length), emptyValue(itemSchema, context.root))}
          >
            {t('designer.editor.addItem', { name: label(field.key) })}
          </Button>
        </Space>
      )}
    </Card>
  );
}
