/*
 * Where the diagram of a definition puts its boxes: the case's stages in a row (with the limits the definition gives
 * them), and below it the escalation ladder rung by rung along `next`, each with the body that takes the case up and
 * the time it has. Pure: read from a document that may be a draft being edited (so anything may be missing).
 */

export interface DiagramBox {
  id: string;
  /** The rung's or stage's name. */
  title: string;
  /** The body (rungs): `committee:street`, `serviceCentre`, `unit:…`; the stage key (stages). */
  body: string;
  /** The limit on the box (`5WD`), or undefined (a final rung, a stage without one). */
  deadline?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** A rung with no `next`: the top of the ladder. */
  final?: boolean;
  /** Supervision put on the case on arrival (rungs). */
  supervision?: string;
  /** A rung that is not on the chain from the first rung, or whose `next` names no rung. */
  broken?: boolean;
}

export interface DiagramArrow {
  from: string;
  to: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The limit that makes the case take this arrow (a rung's deadline). */
  label?: string;
  /** Corners between the ends, for an arrow that turns (handling down onto the first rung). */
  via?: { x: number; y: number }[];
}

export interface DiagramLayout {
  stages: DiagramBox[];
  rungs: DiagramBox[];
  arrows: DiagramArrow[];
  width: number;
  height: number;
}

export const BOX_WIDTH = 140;
export const BOX_HEIGHT = 64;
const GAP_X = 36;
const GAP_Y = 48;
const MARGIN = 16;
const STAGE_Y = MARGIN;
const LADDER_Y = MARGIN + BOX_HEIGHT + GAP_Y;

type Json = Record<string, unknown>;
const record = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** How a rung's coordinator reads: `committee:street`, `place:grid`, `office:…`, `serviceCentre`, `unit:…`. */
export function bodyOf(coordinator: unknown): string {
  const body = record(coordinator);
  if (text(body.committee)) return `committee:${String(body.committee)}`;
  if (text(body.place)) return `place:${String(body.place)}`;
  if (text(body.office)) return `office:${String(body.office)}`;
  if (body.serviceCentre === true) return 'serviceCentre';
  if (text(body.unitId)) return `unit:${String(body.unitId)}`;
  return '?';
}

/**
 * The rungs in climbing order: from the first rung along `next`; rungs off that chain (or after a broken `next`)
 * follow, marked broken. A cycle stops at the first repeat.
 */
export function rungOrder(rungs: unknown): { rung: Json; index: number; broken: boolean }[] {
  const list = Array.isArray(rungs) ? rungs.map(record) : [];
  const byId = new Map(list.map((rung, index) => [text(rung.id) ?? `#${index}`, index]));
  const seen = new Set<number>();
  const ordered: { rung: Json; index: number; broken: boolean }[] = [];
  let index: number | undefined = list.length ? 0 : undefined;
  while (index !== undefined && !seen.has(index)) {
    seen.add(index);
    const rung = list[index];
    const next = text(rung.next);
    const nextIndex = next === undefined ? undefined : byId.get(next);
    ordered.push({ rung, index, broken: next !== undefined && nextIndex === undefined });
    index = nextIndex;
  }
  list.forEach((rung, i) => {
    if (!seen.has(i)) ordered.push({ rung, index: i, broken: true });
  });
  return ordered;
}

/** The stages of a case and the limit the definition gives each (catalogue limits vary by category: not shown). */
function stageBoxes(definition: Json): Omit<DiagramBox, 'x' | 'y' | 'width' | 'height'>[] {
  const lifecycle = record(definition.lifecycle);
  const callback = record(lifecycle.callback);
  return [
    { id: 'intake', title: 'intake', body: 'intake' },
    { id: 'dispatch', title: 'dispatch', body: 'dispatch', deadline: text(lifecycle.returnWindow) },
    { id: 'handling', title: 'handling', body: 'handling' },
    { id: 'callback', title: 'callback', body: 'callback', deadline: text(callback.window) },
    { id: 'closed', title: 'closed', body: 'closed' },
  ];
}

/** Lays a definition out: stages left to right on top, the ladder left to right below, entered from handling. */
export function layoutDiagram(definition: unknown): DiagramLayout {
  const doc = record(definition);
  const stages: DiagramBox[] = stageBoxes(doc).map((box, i) => ({
    ...box,
    x: MARGIN + i * (BOX_WIDTH + GAP_X),
    y: STAGE_Y,
    width: BOX_WIDTH,
    height: BOX_HEIGHT,
  }));
  const ladder = record(record(doc.lifecycle).ladder);
  const rungs: DiagramBox[] = rungOrder(ladder.rungs).map(({ rung, index, broken }, i) => ({
    id: text(rung.id) ?? `#${index}`,
    title: text(rung.name) ?? text(rung.id) ?? `#${index + 1}`,
    body: bodyOf(rung.coordinator),
    deadline: text(rung.deadline),
    final: text(rung.next) === undefined,
    supervision: text(rung.supervision),
    broken,
    x: MARGIN + i * (BOX_WIDTH + GAP_X),
    y: LADDER_Y,
    width: BOX_WIDTH,
    height: BOX_HEIGHT,
  }));
  const arrows: DiagramArrow[] = [];
  const right = (box: DiagramBox) => ({ x: box.x + box.width, y: box.y + box.height / 2 });
  const left = (box: DiagramBox) => ({ x: box.x, y: box.y + box.height / 2 });
  for (let i = 0; i + 1 < stages.length; i++) {
    const [a, b] = [right(stages[i]), left(stages[i + 1])];
    arrows.push({ from: stages[i].id, to: stages[i + 1].id, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
  }
  const handling = stages.find((stage) => stage.id === 'handling');
  if (handling && rungs[0]) {
    // A case overdue in handling climbs onto the first rung.
    const x1 = handling.x + handling.width / 2;
    const x2 = rungs[0].x + rungs[0].width / 2;
    const middle = handling.y + handling.height + GAP_Y / 2;
    arrows.push({
      from: 'handling',
      to: rungs[0].id,
      x1,
      y1: handling.y + handling.height,
      x2,
      y2: rungs[0].y,
      ...(x1 === x2
        ? {}
        : {
            via: [
              { x: x1, y: middle },
              { x: x2, y: middle },
            ],
          }),
    });
  }
  for (let i = 0; i + 1 < rungs.length; i++) {
    if (rungs[i].final || rungs[i].broken) continue;
    const [a, b] = [right(rungs[i]), left(rungs[i + 1])];
    arrows.push({
      from: rungs[i].id,
      to: rungs[i + 1].id,
      x1: a.x,
      y1: a.y,
      x2: b.x,
      y2: b.y,
      label: rungs[i].deadline,
    });
  }
  const columns = Math.max(stages.length, rungs.length, 1);
  return {
    stages,
    rungs,
    arrows,
    width: MARGIN * 2 + columns * BOX_WIDTH + (columns - 1) * GAP_X,
    height: LADDER_Y + BOX_HEIGHT + MARGIN,
  };
}
