// Waits, bounded, for something that follows an action by a moment (visibility, the record, the audit log).
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, tries = 100): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe();
    if (ok(value) || i === tries) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
