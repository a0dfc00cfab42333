/** Returns at once with a small result, as a recorded LLM call's id would be. */
export function noop(i: number): Promise<number> {
  return Promise.resolve(i >= 0 ? 1 : 0);
}
