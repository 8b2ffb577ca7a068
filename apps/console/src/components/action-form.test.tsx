// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/*
 * The action form in a DOM: the API client is replaced by a recorder (the case the form reads, the action it sends);
 * antd, react-query and i18next are the real ones.
 */
const calls = vi.hoisted(() => ({ posted: [] as { path: string; params: unknown; body: unknown }[] }));
vi.mock('../api/client', () => ({
  api: {
    GET: vi.fn(() =>
      Promise.resolve({
        data: {
          caseNo: '20261203000001',
          case: { place: { streetId: 's-hubin', communityId: 'c-xiyuan' } },
          workflow: {
            state: {
              lifecycle: { whistleRounds: [{ round: 1, departmentIds: ['dept-housing'], grade: 'yellow' }] },
            },
          },
        },
      }),
    ),
    POST: vi.fn((path: string, init: { params: unknown; body: unknown }) => {
      calls.posted.push({ path, params: init.params, body: init.body });
      return Promise.resolve({ data: {} });
    }),
  },
}));

const { ActionForm } = await import('./action-form');
const { default: i18n } = await import('../i18n');

beforeAll(async () => {
  // antd reads media queries and observes sizes; jsdom has neither.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  Object.defineProperty(window, 'matchMedia', {
    value: (query: string) => ({
      matches: false,
      media: query,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
  await i18n.changeLanguage('en');
});
afterEach(() => {
  cleanup();
  calls.posted.length = 0;
});

function show(action: 'confirm' | 'whistle' | 'accountability-decision', onClose = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ActionForm taskId="task-1" caseNo="20261203000001" action={action} onClose={onClose} />
    </QueryClientProvider>,
  );
  return onClose;
}

const submit = () => act(() => fireEvent.click(screen.getByRole('button', { name: 'Submit' })));

describe('action form', () => {
  it('should confirm the round’s only department done without a note', async () => {
    const onClose = show('confirm');
    await screen.findByLabelText('Note');
    await submit();
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(calls.posted).toEqual([
      {
        path: '/api/v1/tasks/{id}/actions/{action}',
        params: { path: { id: 'task-1', action: 'confirm' } },
        body: { departmentId: 'dept-housing', done: true },
      },
    ]);
  });

  it('should ask for a note before sending a department back, then send it', async () => {
    const onClose = show('confirm');
    const done = await screen.findByRole('switch');
    await act(() => fireEvent.click(done));
    await submit();
    expect(await screen.findByText('Required')).toBeTruthy();
    expect(calls.posted).toEqual([]);
    await act(() => fireEvent.change(screen.getByLabelText('Note'), { target: { value: '围挡尚未拆除' } }));
    await submit();
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(calls.posted[0].body).toEqual({ departmentId: 'dept-housing', done: false, note: '围挡尚未拆除' });
  });

  it('should offer the whistle’s trigger and type and the case’s street, and label the accountability decision', async () => {
    show('whistle');
    expect(await screen.findByLabelText('Why it is blown')).toBeTruthy();
    expect(screen.getByLabelText('Whistle type')).toBeTruthy();
    expect(
      screen.getByText('The case’s street: s-hubin (a community may summon it where the rules let its street answer)'),
    ).toBeTruthy();
    cleanup();
    show('accountability-decision');
    expect(await screen.findByLabelText('The handling unit is responsible')).toBeTruthy();
    expect(screen.getByLabelText('Decision')).toBeTruthy();
  });
});
