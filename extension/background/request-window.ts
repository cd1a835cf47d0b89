import type { KeyValueArea } from '../platform/types.ts';

/**
 * A sliding window over recent requests of one kind that any web page can make (pairing,
 * claiming), kept in storage.session so a worker restart does not reset it. `take` says
 * whether one more fits, and counts it when it does.
 */
export class RequestWindow {
  constructor(
    private readonly area: KeyValueArea,
    private readonly key: string,
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async take(now: number): Promise<boolean> {
    const stored = (await this.area.get(this.key))[this.key];
    const recent = (Array.isArray(stored) ? stored : []).filter(
      (t): t is number => typeof t === 'number' && now - t < this.windowMs && t <= now,
    );
    if (recent.length >= this.limit) return false;
    await this.area.set({ [this.key]: [...recent, now] });
    return true;
  }
}
