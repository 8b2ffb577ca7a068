/** The plain baseline's activity: does nothing, so only Temporal's cost of scheduling it remains. */
export async function mirror(step: string, k: number): Promise<string> {
  return `${step}-${k}`;
}

export type PlainActivities = { mirror: typeof mirror };
